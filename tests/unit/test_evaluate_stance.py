"""Stance evaluation: both benchmark formats, folds by claim, claim and pair scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import EvaluationError
from storyline.evaluate.stance import (
    StanceExample,
    _claim_scores,
    _folds,
    dataset_kind,
    evaluate_stance,
    read_stance_examples,
    train_models,
)

# Made-up records in the two formats of benchmarks/stance (README.md there).
_HEADLINES = [
    ("Bridge closed after storm", "for"),
    ("City denies bridge closed, calls report false", "against"),
    ("Bridge reportedly closed, officials unsure", "observing"),
    ("Storm shuts the harbour bridge", "for"),
    ("Harbour bridge closure is a hoax, mayor says", "against"),
    ("Is the harbour bridge closed?", "observing"),
]


def _emergent(path: Path, claims: int = 6) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(claims):
            articles = [
                {
                    "article_id": f"c{number}a{i}",
                    "source": f"outlet{i}.example",
                    "url": "",
                    "headline": headline,
                    "stance": stance,
                }
                for i, (headline, stance) in enumerate(_HEADLINES)
            ]
            record = {
                "claim_id": f"c{number}",
                "claim": "The harbour bridge was closed",
                "claim_truth": "unknown",
                "split": "train",
                "articles": articles,
            }
            handle.write(json.dumps(record) + "\n")
    return path


def _claimdiff(path: Path) -> Path:
    pairs = [
        (
            "The senators will vote to convict.",
            "Most senators say they will convict.",
            "strengthen",
        ),
        (
            "The senators will vote to convict.",
            "The senators will not convict, aides said.",
            "weaken",
        ),
        ("The senators will vote to convict.", "The hearing starts on Monday.", "neither"),
    ]
    with path.open("w", encoding="utf-8") as handle:
        for topic in range(6):
            for number, (premise, hypothesis, label) in enumerate(pairs):
                record = {
                    "id": f"t{topic}p{number}",
                    "split": "train",
                    "topic": f"topic {topic}",
                    "premise": premise,
                    "hypothesis": hypothesis,
                    "label": label,
                    "disagree": label == "weaken",
                }
                handle.write(json.dumps(record) + "\n")
    return path


def test_both_formats_are_told_apart(tmp_path: Path) -> None:
    assert dataset_kind(_emergent(tmp_path / "e.jsonl")) == "emergent"
    assert dataset_kind(_claimdiff(tmp_path / "c.jsonl")) == "claimdiff"
    other = tmp_path / "o.jsonl"
    other.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match="neither Emergent"):
        dataset_kind(other)
    with pytest.raises(EvaluationError, match=r"dataset not found: .*missing\.jsonl"):
        dataset_kind(tmp_path / "missing.jsonl")


def test_emergent_labels_become_stances(tmp_path: Path) -> None:
    kind, examples = read_stance_examples(_emergent(tmp_path / "e.jsonl", claims=1))
    assert kind == "emergent"
    assert [e.label for e in examples[:3]] == ["asserts", "denies", "reports"]
    assert examples[0].source == "outlet0.example"


def test_folds_keep_each_claim_whole() -> None:
    examples = [
        StanceExample(group=f"g{i % 7}", claim="c", text="t", label="asserts") for i in range(40)
    ]
    folds = _folds(examples, 5)
    assert sorted(i for fold in folds for i in fold) == list(range(40))
    for fold in folds:
        groups = {examples[i].group for i in fold}
        others = {examples[i].group for other in folds if other is not fold for i in other}
        assert not groups & others


def test_contested_claims_and_opposing_pairs_are_counted() -> None:
    examples = [
        StanceExample(group="c1", claim="", text="", label="asserts", source="a"),
        StanceExample(group="c1", claim="", text="", label="denies", source="b"),
        StanceExample(group="c1", claim="", text="", label="asserts", source="c"),
        StanceExample(group="c2", claim="", text="", label="asserts", source="a"),
    ]
    predicted = ["asserts", "denies", "reports", "denies"]
    contested, pairs = _claim_scores(examples, predicted)
    assert (contested.precision, contested.recall) == (1.0, 1.0)
    assert (pairs.precision, pairs.recall) == (1.0, 0.5)  # (a, b) found, (b, c) missed


def test_a_file_the_model_was_fitted_on_is_cross_validated(tmp_path: Path) -> None:
    emergent, claimdiff = _emergent(tmp_path / "e.jsonl"), _claimdiff(tmp_path / "c.jsonl")
    model = tmp_path / "model.json"
    model.write_text(json.dumps(train_models([emergent, claimdiff])), encoding="utf-8")
    fitted = evaluate_stance(emergent, model_path=model, folds=3)
    assert fitted.cross_validated
    assert fitted.folds == 3
    assert [system.name for system in fitted.systems] == ["storyline", "denial-word rule"]
    assert fitted.gold_contested == 6
    held_out = evaluate_stance(emergent, model_path=model, cross_validate=False)
    assert not held_out.cross_validated
    assert held_out.systems[0].macro_f1 >= fitted.systems[0].macro_f1 - 1e-9
    relation = evaluate_stance(claimdiff, model_path=model, folds=3)
    assert relation.kind == "claimdiff"
    assert set(relation.systems[0].per_label_f1) == {"strengthen", "weaken", "neither"}


def test_two_files_of_one_kind_cannot_make_a_model(tmp_path: Path) -> None:
    first, second = _emergent(tmp_path / "a.jsonl"), _emergent(tmp_path / "b.jsonl")
    with pytest.raises(EvaluationError, match="two emergent files"):
        train_models([first, second])
