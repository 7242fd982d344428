"""Stance: Emergent and ClaimDiff JSONL -> stance scores of storyline's stance judge.

Input: a JSONL file of ``../shared/benchmarks/stance/`` (format in its README): Emergent
(claims, each with the headlines of named outlets labelled ``for`` / ``against`` /
``observing``) or ClaimDiff (claim pairs labelled ``strengthen`` / ``weaken`` /
``neither``); the format is told from the first record. Output: a :class:`StanceEvaluation`.

- Emergent: per-headline stance macro-F1 (``for`` = asserts, ``against`` = denies,
  ``observing`` = reports) and accuracy; contested claims P/R/F1 (a claim with at least one
  outlet for and one against, gold against predicted); opposing outlet pairs P/R/F1 (per
  claim, the unordered pairs of outlets put on opposite sides); the same for the
  denial-word rule (:func:`storyline.digest.stance.denial_rule`).
- ClaimDiff: F1 of ``weaken`` and the 3-way macro-F1.

Honest scoring: when the shipped model was fitted on this very file (its SHA-256 is the
model's ``trained_on``), or when asked, the scores are cross-validated: the records are cut
into ``folds`` groups by claim (Emergent) or by topic (ClaimDiff), each group is judged by
a model fitted on the other groups only, and the output says so. Otherwise the shipped model
judges every record (a held-out file). Scorer: scikit-learn's ``f1_score`` (macro) and our
own pair and claim counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from storyline.digest.stance import (
    StanceJudge,
    StanceModel,
    Task,
    denial_rule,
    fit_stance_model,
    load_stance_model,
)
from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import first_record_has, read_records
from storyline.evaluate._prf import PRF

__all__ = [
    "EMERGENT_STANCE",
    "StanceEvaluation",
    "StanceExample",
    "SystemScores",
    "dataset_kind",
    "evaluate_stance",
    "file_digest",
    "read_stance_examples",
    "train_models",
]

DatasetKind = Literal["emergent", "claimdiff"]
# Emergent's labels as storyline's stances.
EMERGENT_STANCE: Mapping[str, str] = {
    "for": "asserts",
    "against": "denies",
    "observing": "reports",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class StanceExample:
    """One labelled pair: ``text`` toward ``claim`` (a headline), or claim B toward claim A.

    ``group`` is the claim id (Emergent) or topic (ClaimDiff) that folds keep together;
    ``source`` the outlet (Emergent; empty for ClaimDiff).
    """

    group: str
    claim: str
    text: str
    label: str
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemScores:
    """The scores of one system (the model, or the baseline rule) on one file."""

    name: str
    macro_f1: float
    accuracy: float
    per_label_f1: Mapping[str, float]
    contested: PRF | None = None  # Emergent only
    opposing_pairs: PRF | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StanceEvaluation:
    kind: DatasetKind
    examples: int
    groups: int
    cross_validated: bool
    folds: int
    systems: tuple[SystemScores, ...]
    gold_contested: int = 0
    gold_pairs: int = 0


def file_digest(path: Path) -> str:
    """The SHA-256 of a file (names the data a model was fitted on)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise EvaluationError(f"cannot read dataset {path}: {error.strerror}") from error


def dataset_kind(path: Path) -> DatasetKind:
    """Emergent (records with ``articles`` holding ``stance``) or ClaimDiff (``premise``,
    ``hypothesis``), told from the first record."""
    if not path.is_file():
        raise EvaluationError(f"dataset not found: {path}")
    if first_record_has(path, key="claim", items="articles", field="stance"):
        return "emergent"
    try:
        with path.open(encoding="utf-8") as handle:
            line = next((line for line in handle if line.strip()), "")
        record = json.loads(line) if line else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        record = {}
    if isinstance(record, dict) and {"premise", "hypothesis", "label"} <= record.keys():
        return "claimdiff"
    raise EvaluationError(
        f"{path} is neither Emergent (claim, articles with stance) nor ClaimDiff "
        "(premise, hypothesis, label) JSONL"
    )


def _emergent(record: Mapping[str, Any], origin: str) -> list[StanceExample]:
    del origin
    return [
        StanceExample(
            group=str(record["claim_id"]),
            claim=str(record["claim"]),
            text=str(article["headline"] or ""),
            label=EMERGENT_STANCE[article["stance"]],
            source=str(article["source"]),
        )
        for article in record["articles"]
    ]


def _claimdiff(record: Mapping[str, Any], origin: str) -> list[StanceExample]:
    del origin
    label = str(record["label"])
    if label not in ("strengthen", "weaken", "neither"):
        raise ValueError(f"unknown label {label!r}")
    return [
        StanceExample(
            group=str(record["topic"]),
            claim=str(record["premise"]),
            text=str(record["hypothesis"]),
            label=label,
        )
    ]


def read_stance_examples(path: Path) -> tuple[DatasetKind, tuple[StanceExample, ...]]:
    kind = dataset_kind(path)
    parse = _emergent if kind == "emergent" else _claimdiff
    examples = tuple(
        example for found in read_records(path, parse, kind=f"an {kind}") for example in found
    )
    if not examples:
        raise EvaluationError(f"{path} holds no labelled example")
    return kind, examples


_TASK: Mapping[DatasetKind, Task] = {"emergent": "stance", "claimdiff": "relation"}


def _fit(kind: DatasetKind, examples: Sequence[StanceExample], trained_on: str) -> StanceModel:
    return fit_stance_model(
        _TASK[kind],
        [(example.claim, example.text) for example in examples],
        [example.label for example in examples],
        trained_on=trained_on,
    )


def train_models(paths: Sequence[Path]) -> dict[str, Any]:
    """The model file's content: one model per task, fitted on every example of ``paths``
    (one Emergent file and/or one ClaimDiff file)."""
    models: dict[str, Any] = {
        "method": "storyline.digest.stance: logistic regression over Emergent features "
        "(Ferreira and Vlachos 2016), fitted by `storyline eval stance --write-model`",
    }
    for path in paths:
        kind, examples = read_stance_examples(path)
        task = _TASK[kind]
        if task in models:
            raise EvaluationError(f"two {kind} files given; give one of each kind")
        models[task] = _fit(kind, examples, f"{path.name} sha256:{file_digest(path)}").to_dict()
    return models


def _folds(examples: Sequence[StanceExample], folds: int) -> list[list[int]]:
    """Indices of the examples in ``folds`` groups of whole claims/topics, balanced by size
    (largest group first into the smallest fold: scikit-learn's GroupKFold rule)."""
    sizes: dict[str, int] = {}
    for example in examples:
        sizes[example.group] = sizes.get(example.group, 0) + 1
    fold_of: dict[str, int] = {}
    totals = [0] * folds
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        chosen = min(range(folds), key=lambda f: (totals[f], f))
        fold_of[group] = chosen
        totals[chosen] += sizes[group]
    split: list[list[int]] = [[] for _ in range(folds)]
    for index, example in enumerate(examples):
        split[fold_of[example.group]].append(index)
    return split


def _predictions(
    kind: DatasetKind,
    examples: Sequence[StanceExample],
    *,
    cross_validated: bool,
    folds: int,
    model: StanceModel | None,
) -> list[str]:
    """The judge's label of every example: from fold models, or from ``model``."""
    predicted = [""] * len(examples)
    if cross_validated:
        parts = [part for part in _folds(examples, folds) if part]
        for part in parts:
            held = set(part)
            training = [example for i, example in enumerate(examples) if i not in held]
            fold_model = _fit(kind, training, "fold")
            for index, label in zip(part, _label(kind, fold_model, examples, part), strict=True):
                predicted[index] = label
        return predicted
    assert model is not None
    return list(_label(kind, model, examples, range(len(examples))))


def _label(
    kind: DatasetKind, model: StanceModel, examples: Sequence[StanceExample], indices: Sequence[int]
) -> tuple[str, ...]:
    chosen = [examples[i] for i in indices]
    if kind == "claimdiff":
        return model.predict([(example.claim, example.text) for example in chosen])
    if not chosen:
        return ()
    judge = StanceJudge(stance_model=model)
    # the texts of one claim are judged together (one feature matrix per claim)
    by_claim: dict[str, list[int]] = {}
    for position, example in enumerate(chosen):
        by_claim.setdefault(example.claim, []).append(position)
    labels = [""] * len(chosen)
    for claim, positions in by_claim.items():
        judged = judge.judge_many(claim, [chosen[p].text for p in positions])
        for position, judgement in zip(positions, judged, strict=True):
            labels[position] = judgement.stance
    return tuple(labels)


def _scores(
    name: str,
    kind: DatasetKind,
    examples: Sequence[StanceExample],
    predicted: Sequence[str],
) -> SystemScores:
    from sklearn.metrics import f1_score  # noqa: PLC0415

    gold = [example.label for example in examples]
    labels = sorted(set(gold))
    per_label = f1_score(gold, predicted, labels=labels, average=None, zero_division=0.0)
    macro = float(sum(per_label) / len(labels))
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    contested = pairs = None
    if kind == "emergent":
        contested, pairs = _claim_scores(examples, predicted)
    return SystemScores(
        name=name,
        macro_f1=macro,
        accuracy=accuracy,
        per_label_f1={label: float(f) for label, f in zip(labels, per_label, strict=True)},
        contested=contested,
        opposing_pairs=pairs,
    )


def _sides(
    examples: Sequence[StanceExample], labels: Sequence[str]
) -> dict[str, tuple[set[str], set[str]]]:
    """Per claim, the outlets asserting it and those denying it."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for example, label in zip(examples, labels, strict=True):
        asserting, denying = found.setdefault(example.group, (set(), set()))
        if label == "asserts":
            asserting.add(example.source)
        elif label == "denies":
            denying.add(example.source)
    return found


def _opposed(sides: Mapping[str, tuple[set[str], set[str]]]) -> set[tuple[str, str, str]]:
    return {
        (claim, *sorted((a, d)))  # type: ignore[misc]
        for claim, (asserting, denying) in sides.items()
        for a in asserting
        for d in denying
        if a != d
    }


def _contested(sides: Mapping[str, tuple[set[str], set[str]]]) -> set[str]:
    return {claim for claim, (asserting, denying) in sides.items() if asserting and denying}


def _claim_scores(examples: Sequence[StanceExample], predicted: Sequence[str]) -> tuple[PRF, PRF]:
    gold_sides = _sides(examples, [example.label for example in examples])
    found_sides = _sides(examples, predicted)
    gold_claims, found_claims = _contested(gold_sides), _contested(found_sides)
    gold_pairs, found_pairs = _opposed(gold_sides), _opposed(found_sides)
    return (
        PRF.counts(len(gold_claims & found_claims), len(found_claims), len(gold_claims)),
        PRF.counts(len(gold_pairs & found_pairs), len(found_pairs), len(gold_pairs)),
    )


def evaluate_stance(
    path: Path,
    *,
    folds: int = 5,
    cross_validate: bool | None = None,
    model_path: Path | None = None,
) -> StanceEvaluation:
    """Score the stance judge on ``path`` (see the module docstring).

    ``cross_validate``: None = when the model was fitted on this file; True/False forces it.
    """
    kind, examples = read_stance_examples(path)
    task = _TASK[kind]
    model = load_stance_model(task, model_path)
    fitted_here = model.trained_on.endswith(f"sha256:{file_digest(path)}")
    cross = fitted_here if cross_validate is None else cross_validate
    if cross and folds < 2:
        raise EvaluationError(f"cross-validation needs at least 2 folds. Got {folds} instead.")
    predicted = _predictions(kind, examples, cross_validated=cross, folds=folds, model=model)
    systems = [_scores("storyline", kind, examples, predicted)]
    if kind == "emergent":
        rule = [denial_rule(example.claim, example.text) for example in examples]
        systems.append(_scores("denial-word rule", kind, examples, rule))
    gold_sides = _sides(examples, [example.label for example in examples])
    return StanceEvaluation(
        kind=kind,
        examples=len(examples),
        groups=len({example.group for example in examples}),
        cross_validated=cross,
        folds=folds if cross else 0,
        systems=tuple(systems),
        gold_contested=len(_contested(gold_sides)) if kind == "emergent" else 0,
        gold_pairs=len(_opposed(gold_sides)) if kind == "emergent" else 0,
    )
