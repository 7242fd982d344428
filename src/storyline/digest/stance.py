"""Stance: a claim and articles -> each article's stance toward the claim, with its sentences.

Input: a claim (one sentence of plain text) and articles (or, for one text, a claim and a
sentence or headline). Output:

- :meth:`StanceJudge.judge`: the stance of one text toward the claim: ``asserts`` (states
  it), ``denies`` (refutes, disputes or calls it false, in the outlet's words or a
  source's: "Putin denied that ..."), ``reports`` (mentions it without taking a side:
  "allegedly", "X claims", "is it true?"), with the cue word that shows a report or whose
  statement it is ("claimed", "said", "denied").
- :meth:`StanceJudge.check`: a :class:`ClaimCheck`: per article its stance (``unrelated``
  when no sentence is about the claim) and the sentences that show it, cited by offsets;
  the outlets on each side and the first outlet with each side.
- :meth:`StanceJudge.compare`: for two claims of two outlets (ClaimDiff), whether the
  second ``strengthen``\\s, ``weaken``\\s or does ``neither`` to the first.

Method: the feature-based classifier of Ferreira and Vlachos (2016, "Emergent: a novel
data-set for stance classification", NAACL), as the Fake News Challenge (FNC-1, 2017)
baseline reuses it: logistic regression over refuting and hedging cue words (lexicon
``refuting_cues``, ``hedging_cues``, ``negation_cues``, ``contrast_cues``, the denial and
speech verbs), negation the claim does not carry, a question mark, claim-text word overlap,
and the bag of the text's words that are NOT in the claim (words the claim shares are one
token ``<claim>``: what the text adds is what shows its stance, and the claim's topic words
do not tie the model to the claims it saw). Their dependency features (root-verb distance,
SVO alignment) need a parser, which storyline does not ship; they are left out. A statement
judged ``asserts`` that carries a hedging word ("allegedly", "claimed") is a ``reports``; one
that carries a speech word ("police said", "according to") keeps ``asserts`` but its cue, and
is shown as the source's assertion, never the outlet's own. (Turning "said" into ``reports``
too was measured and rejected: Emergent's journalists label "Police say X" as ``for``, and
that rule took cross-validated macro-F1 from 0.759 to 0.737; the hedging rule alone gives
0.760.)

In an article, a sentence is about the claim when it carries at least ``relevance`` of the
claim's content stems (two stems are one when one begins the other, "Russia" and "Russian",
or when they share five letters, "corrosion" and "corroded"), at least two of them, and
half of the claim's names (capitalised words) unless it names nothing: "the Kremlin meddled
in the 2016 United States presidential election" is not about "Russia meddled in France's
presidential election"; each such sentence is judged; the article denies when one of
them denies (it carries the denial), else asserts when one asserts, else reports.

The coefficients are package data (``stance_model.json``), fitted only on the train files
of ``../shared/benchmarks/stance/`` (Emergent train for ``judge``, ClaimDiff train for
``compare``) by ``storyline eval stance --dataset EMERGENT --dataset CLAIMDIFF
--write-model src/storyline/digest/stance_model.json`` (``make stance-model``); the same
files give the same file (L-BFGS from zeros, coefficients rounded to 6 decimals).
Cross-validated by claim (5 folds), the Emergent model reaches 0.759 macro-F1 (``eval
stance``; 0.765 with 3 or 10 folds); the denial-word rule (:func:`denial_rule`) 0.478 (the
issue says 0.49). The few choices (vocabulary of words in at least 2 headlines, C = 0.3, the
hedging rule) were made on those cross-validated scores of Emergent train itself, so they are
slightly optimistic; a held-out file is judged by the shipped model.

The ClaimDiff model (:meth:`StanceJudge.compare`) has the same direction features both ways
(B toward A, A toward B) and the pair features of :func:`compare_features`, and no bag of
words. Read on train, B weakens A mostly when the two are two sides of one matter: the same
names, each claim a different speaker's ("the defense said" / "the prosecutor said"), a
denial or a quote on one side only; the cue words of B alone (hedges, "but") tell little.
Cross-validated by topic (``_rev`` pairs in their original's fold), ``weaken``
P/R/F1 0.187/0.457/0.265 and 3-way macro-F1 0.422 with 5 folds (0.189/0.467/0.269 and
0.429 with 10), from 0.169/0.381/0.234 and 0.418 (10 folds: 0.164/0.371/0.228, 0.411) with
the direction features alone: still under the issue's 0.40. Tried and rejected, with 5
folds: a bag of words (``weaken`` F1 0.08, the words tying it to topics), a bag of the
closed-class and cue words only (0.15-0.22), per-claim cue counts with their differences
(0.21-0.23), a word list of positive and negative words and their mismatch (0.22), the
Emergent model's probabilities both ways (0.23), negation in front of a shared word (0.25),
an L1-penalised model over all of these (at most 0.25), gradient-boosted trees over them
(0.18-0.25), and a ``weaken`` threshold chosen by cross-validation inside each training
fold (0.236 on the direction features, no gain: the balanced class weights already put it
near its best).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from storyline.errors import ConfigError
from storyline.model import Article, Citation, Sentence, date_and_id
from storyline.text.lexicon import SPEECH_VERBS, verbs, words
from storyline.text.sentences import Segmenter, segment_all
from storyline.text.tokens import STOP_WORDS, stem

__all__ = [
    "CLAIM_RELATIONS",
    "STANCES",
    "ArticleStance",
    "ClaimCheck",
    "ClaimRelation",
    "Judgement",
    "OutletSide",
    "SentenceStance",
    "StanceJudge",
    "StanceLabel",
    "StanceModel",
    "claim_relevance",
    "compare_features",
    "denial_cue",
    "denial_rule",
    "fit_stance_model",
    "load_stance_model",
    "report_cue",
]

StanceLabel = Literal["asserts", "denies", "reports", "unrelated"]
ClaimRelation = Literal["strengthen", "weaken", "neither"]
STANCES: tuple[StanceLabel, ...] = ("asserts", "denies", "reports", "unrelated")
CLAIM_RELATIONS: tuple[ClaimRelation, ...] = ("strengthen", "weaken", "neither")
# The sides an article can take, in the order they are shown; an article takes the first
# side one of its sentences takes (it carries a denial, else an assertion, else a report).
_SIDES: tuple[StanceLabel, ...] = ("denies", "asserts", "reports")

_REFUTING = words("refuting_cues") | {form for verb in verbs("denial_verbs") for form in verb[:4]}
_HEDGING = words("hedging_cues")
_NEGATION = words("negation_cues")
_CONTRAST = words("contrast_cues")
_SPEECH = frozenset(form for verb in SPEECH_VERBS for form in verb[:4]) | {"according"}
_DENIAL = frozenset(form for verb in verbs("denial_verbs") for form in verb[:4])
_MODAL = words("modal_verbs")
_CUE_TABLES: tuple[tuple[str, frozenset[str]], ...] = (
    ("refuting", _REFUTING),
    ("hedging", _HEDGING),
    ("negation", _NEGATION),
    ("contrast", _CONTRAST),
    ("speech", _SPEECH),
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CLAIM_TOKEN = "<claim>"


def _tokens(text: str) -> list[str]:
    """Lower-case words; a contracted negation is split off ("didn't" -> "did", "n't")."""
    if text.isascii():  # lowered at once (the same words), and most have no apostrophe
        words = _WORD.findall(text.lower())
        if "'" not in text:
            return words
    else:
        words = [word.lower().replace("’", "'") for word in _WORD.findall(text)]
    found: list[str] = []
    for lowered in words:
        if "'" not in lowered:
            found.append(lowered)
        elif lowered.endswith("n't"):
            found += [lowered[:-3], "n't"]
        elif lowered.endswith("'s"):
            found.append(lowered[:-2])
        else:
            found.append(lowered)
    return found


def _content_stems(tokens: Iterable[str]) -> set[str]:
    return {stem(token) for token in tokens if token not in STOP_WORDS and token != "n't"}


def _same_stem(first: str, second: str) -> bool:
    """One stem, or one begins the other and is at least four letters ("russia", "russian"),
    or they share their first five letters ("corros", "corrod")."""
    if first == second:
        return True
    short, long = sorted((first, second), key=len)
    return (len(short) >= 4 and long.startswith(short)) or (
        len(short) >= 5 and short[:5] == long[:5]
    )


def _shared(claim: set[str], text: set[str]) -> set[str]:
    """The claim stems that the text carries: those with a stem of the text that
    :func:`_same_stem` holds the same. Looked up by prefix instead of asking every pair
    (the same stems; 1.9 -> 0.3 s of resolving the disagreements of all Timeline17
    articles under cProfile): two different stems are the same when both have at least
    five letters and share the first five, or when one has four letters and begins the
    other; a stem of three letters or fewer is only itself."""
    missing = [c for c in claim if c not in text and len(c) >= 4]
    if not missing:
        return claim & text
    fives = {t[:5] for t in text if len(t) >= 5}
    fours = {t[:4] for t in text if len(t) >= 4}
    four_letters = {t for t in text if len(t) == 4}
    found = claim & text
    for c in missing:
        if (c[:5] in fives or c[:4] in four_letters) if len(c) >= 5 else c in fours:
            found.add(c)
    return found


def _names(text: str) -> set[str]:
    """The stems of the capitalised words that are not function words (names, mostly)."""
    return {
        stem(token)
        for word in _WORD.findall(text)
        if word[:1].isupper() and (token := _tokens(word)[0]) not in STOP_WORDS
    }


def claim_relevance(claim: str, text: str) -> tuple[float, int, bool]:
    """The share of the claim's content stems that ``text`` carries, their number, and
    whether it names at least half of the claim's names ("Russia" ~ "Russian"), or names
    nothing at all after its first word (it may speak of them as "the city", "he")."""
    claim_stems = _content_stems(_tokens(claim))
    if not claim_stems:
        return 0.0, 0, False
    text_stems = _content_stems(_tokens(text))
    shared = _shared(claim_stems, text_stems)
    names = _names(claim)
    first = _WORD.search(text)
    named = 2 * len(_shared(names, text_stems)) >= len(names) or not _names(
        text[first.end() :] if first else text
    )
    return len(shared) / len(claim_stems), len(shared), named


def _direction_features(claim_tokens: list[str], text_tokens: list[str], text: str) -> list[float]:
    claim_stems = _content_stems(claim_tokens)
    text_stems = _content_stems(text_tokens)
    shared = _shared(claim_stems, text_stems)
    coverage = len(shared) / len(claim_stems) if claim_stems else 0.0
    union = len(claim_stems | text_stems)
    row = [coverage, len(shared) / union if union else 0.0]
    for _, table in _CUE_TABLES:
        in_text = sum(token in table for token in text_tokens)
        in_claim = sum(token in table for token in claim_tokens)
        row += [min(in_text, 2) / 2, float(in_text > 0 and in_claim == 0)]
    refuting = any(token in _REFUTING for token in text_tokens)
    stripped = text.strip()
    row += [
        float(stripped.endswith("?")),
        float("?" in stripped),
        float(refuting and coverage > 0.3),
        min(len(text_tokens), 60) / 60,
    ]
    return row


_DIRECTION_NAMES: tuple[str, ...] = (
    "coverage",
    "jaccard",
    *(f"{name}:{kind}" for name, _ in _CUE_TABLES for kind in ("count", "not-in-claim")),
    "ends-with-question",
    "has-question",
    "refuting-and-overlap",
    "length",
)


_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_QUOTE_MARKS = ('"', "\u201c", "\u201d")
# How many words before a speech or denial verb may name its speaker ("the defense
# lawyers said": 3), or after "according to".
_SPEAKER_SPAN = 4


def _speakers(text: str) -> tuple[frozenset[str], bool]:
    """The content stems of the words that name who says or denies what ``text`` reports
    (the words just before a speech or denial verb, "the prosecutor said", or just after
    "according to"), and whether it attributes anything at all."""
    found: set[str] = set()
    attributed = False
    tokens = _tokens(text)
    for position, token in enumerate(tokens):
        if token not in _SPEECH and token not in _DENIAL:
            continue
        if token == "according":
            span = tokens[position + 2 : position + 2 + _SPEAKER_SPAN]
        else:
            span = tokens[max(0, position - _SPEAKER_SPAN) : position]
        named = _content_stems(t for t in span if not t.endswith("ly") and t not in _SPEECH)
        if named:
            attributed = True
            found |= named
    return frozenset(found), attributed


def _largest_number(text: str) -> float | None:
    values = [float(match.replace(",", "")) for match in _NUMBER.findall(text)]
    return max(values) if values else None


def compare_features(first: str, second: str) -> dict[str, float]:
    """The pair features of claim ``second`` (B) against claim ``first`` (A) that the
    relation model adds to the cue features of each claim toward the other: what makes B
    weaken A in ClaimDiff is mostly two sides of one matter (the same names, each claim
    attributed to a different speaker, a denial or a quote on one side only), seldom a cue
    word of B alone.

    ``shared-names``: the names both carry (capped at 3, over 3); ``both-attributed``: each
    reports what someone says; ``different-speakers``: both do, and no word of one speaker
    is in the other's; ``denial:*-only`` and ``modal:*-only``: a denial verb ("denied",
    "rejected") or a modal ("could", "may") in one claim only; ``quote-in-one``: quotation
    marks in one claim only; ``numbers-in-both`` and ``second-number-smaller``: both give a
    number, and B's largest is below A's (a smaller figure or a narrower scope).
    """
    first_tokens, second_tokens = set(_tokens(first)), set(_tokens(second))
    first_names, second_names = _names(first), _names(second)
    first_speakers, first_attributed = _speakers(first)
    second_speakers, second_attributed = _speakers(second)
    both_attributed = first_attributed and second_attributed
    first_number, second_number = _largest_number(first), _largest_number(second)
    both_numbers = first_number is not None and second_number is not None
    features = {
        "shared-names": min(len(_shared(first_names, second_names)), 3) / 3,
        "both-attributed": float(both_attributed),
        "different-speakers": float(
            both_attributed and not _shared(set(first_speakers), set(second_speakers))
        ),
    }
    for name, table in (("denial", _DENIAL), ("modal", _MODAL)):
        in_first, in_second = bool(first_tokens & table), bool(second_tokens & table)
        features[f"{name}:second-only"] = float(in_second and not in_first)
        features[f"{name}:first-only"] = float(in_first and not in_second)
    quoted = [any(mark in text for mark in _QUOTE_MARKS) for text in (first, second)]
    features["quote-in-one"] = float(quoted[0] != quoted[1])
    features["numbers-in-both"] = float(both_numbers)
    features["second-number-smaller"] = float(
        first_number is not None and second_number is not None and second_number < first_number
    )
    return features


_COMPARE_NAMES: tuple[str, ...] = tuple(compare_features("", ""))


def _novel_words(claim_tokens: list[str], text_tokens: list[str]) -> set[str]:
    """The stems of the text, those the claim carries replaced by one token."""
    claim_stems = {stem(token) for token in claim_tokens}
    return {
        _CLAIM_TOKEN if (stemmed := stem(token)) in claim_stems else stemmed
        for token in text_tokens
    }


Task = Literal["stance", "relation"]


def _features(task: Task, claim: str, text: str) -> tuple[list[float], set[str]]:
    """The dense features and the bag of words of one (claim, text) pair.

    ``stance``: the text (headline, sentence) toward the claim, with the bag of novel words;
    ``relation``: claim B (``text``) against claim A (``claim``), both directions, no bag.
    """
    claim_tokens, text_tokens = _tokens(claim), _tokens(text)
    row = _direction_features(claim_tokens, text_tokens, text)
    if task == "relation":
        backward = _direction_features(text_tokens, claim_tokens, claim)
        return row + backward + list(compare_features(claim, text).values()), set()
    return row, _novel_words(claim_tokens, text_tokens)


def _feature_names(task: Task) -> tuple[str, ...]:
    if task == "relation":
        return (
            *(f"b:{name}" for name in _DIRECTION_NAMES),
            *(f"a:{name}" for name in _DIRECTION_NAMES),
            *(f"pair:{name}" for name in _COMPARE_NAMES),
        )
    return _DIRECTION_NAMES


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class StanceModel:
    """A multinomial logistic regression over :func:`_features` (see the module docstring).

    ``weights`` has one row per label: the dense features then the vocabulary's words.
    """

    task: Task
    labels: tuple[str, ...]
    features: tuple[str, ...]
    vocabulary: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    intercepts: npt.NDArray[np.float64]
    trained_on: str = ""
    _index: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        expected = (len(self.labels), len(self.features) + len(self.vocabulary))
        if self.weights.shape != expected or self.intercepts.shape != (len(self.labels),):
            raise ConfigError(
                f"The stance model ({self.task}) must have weights of shape {expected}. "
                f"Got {self.weights.shape} instead."
            )
        if not self._index:
            index = {word: len(self.features) + i for i, word in enumerate(self.vocabulary)}
            object.__setattr__(self, "_index", index)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """One row of label probabilities per (claim, text) pair, in the order of ``labels``."""
        matrix = _design(self.task, pairs, self._index, len(self.features))
        scores = np.asarray(matrix @ self.weights.T) + self.intercepts
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        probabilities: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def predict(self, pairs: Sequence[tuple[str, str]]) -> tuple[str, ...]:
        if not pairs:
            return ()
        best = self.probabilities(pairs).argmax(axis=1)
        return tuple(self.labels[int(i)] for i in best)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "labels": list(self.labels),
            "features": list(self.features),
            "vocabulary": list(self.vocabulary),
            "intercepts": [round(float(v), 6) for v in self.intercepts],
            "weights": [[round(float(v), 6) for v in row] for row in self.weights],
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StanceModel:
        task = data["task"]
        if task not in ("stance", "relation"):
            raise ConfigError(f"The stance model task must be 'stance' or 'relation'. Got {task!r}")
        return cls(
            task=task,
            labels=tuple(data["labels"]),
            features=tuple(data["features"]),
            vocabulary=tuple(data["vocabulary"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            intercepts=np.asarray(data["intercepts"], dtype=np.float64),
            trained_on=str(data.get("trained_on", "")),
        )


def _design(
    task: Task, pairs: Sequence[tuple[str, str]], index: Mapping[str, int], dense_width: int
) -> sparse.csr_matrix:
    """The feature matrix of ``pairs``: dense features, then one column per known word."""
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, (claim, text) in enumerate(pairs):
        dense, bag = _features(task, claim, text)
        for column, value in enumerate(dense):
            if value:
                rows.append(row)
                columns.append(column)
                values.append(value)
        for word in sorted(bag):
            column = index.get(word, -1)
            if column >= 0:
                rows.append(row)
                columns.append(column)
                values.append(1.0)
    width = dense_width + len(index)
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(pairs), width))


def fit_stance_model(
    task: Task,
    pairs: Sequence[tuple[str, str]],
    labels: Sequence[str],
    *,
    min_count: int = 2,
    regularisation: float = 0.3,
    trained_on: str = "",
) -> StanceModel:
    """Fit the model of ``task`` on (claim, text) pairs and their gold labels.

    The vocabulary is the novel words of at least ``min_count`` training texts (none for
    ``relation``); ``regularisation`` is scikit-learn's ``C`` (inverse L2 strength). Classes
    are weighted by inverse frequency ("balanced"), so that the rare ``denies`` and
    ``weaken`` count. Deterministic: L-BFGS from zeros.
    """
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 (only to train)

    counts: dict[str, int] = {}
    if task == "stance":
        for claim, text in pairs:
            for word in _features(task, claim, text)[1]:
                counts[word] = counts.get(word, 0) + 1
    vocabulary = tuple(sorted(word for word, n in counts.items() if n >= min_count))
    names = _feature_names(task)
    index = {word: len(names) + i for i, word in enumerate(vocabulary)}
    matrix = _design(task, pairs, index, len(names))
    classes = tuple(sorted(set(labels)))
    regression = LogisticRegression(
        C=regularisation, max_iter=5000, class_weight="balanced", tol=1e-6
    )
    regression.fit(matrix, np.array([classes.index(label) for label in labels]))
    weights = np.asarray(regression.coef_, dtype=np.float64).round(6).astype(np.float64)
    intercepts = np.asarray(regression.intercept_, dtype=np.float64).round(6).astype(np.float64)
    if len(classes) == 2:  # scikit-learn keeps one row for two classes
        weights = np.vstack([-weights / 2, weights / 2]).astype(np.float64)
        intercepts = np.array([-intercepts[0] / 2, intercepts[0] / 2], dtype=np.float64)
    return StanceModel(
        task=task,
        labels=classes,
        features=names,
        vocabulary=vocabulary,
        weights=weights,
        intercepts=intercepts,
        trained_on=trained_on,
    )


_MODEL_FILE = "stance_model.json"


def load_stance_model(task: Task, path: Path | None = None) -> StanceModel:
    """The shipped model of ``task`` (or the one in ``path``)."""
    try:
        if path is None:
            text = resources.files(__package__ or "storyline.digest").joinpath(_MODEL_FILE)
            data = json.loads(text.read_text(encoding="utf-8"))
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read the stance model {path or _MODEL_FILE}: {error}") from error
    if task not in data:
        raise ConfigError(f"the stance model file holds no {task!r} model")
    return StanceModel.from_dict(data[task])


def denial_rule(claim: str, text: str) -> StanceLabel:
    """The denial-word baseline: ``denies`` when the text holds a refuting word, else
    ``asserts`` (it never says ``reports``)."""
    del claim
    return "denies" if any(token in _REFUTING for token in _tokens(text)) else "asserts"


# ----------------------------------------------------------------------------- judging


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgement:
    """The stance of one text toward a claim.

    ``cue`` is the hedging word that makes a statement a report ("allegedly", "claimed"),
    else the speech word that attributes it to a source ("said", "according"): an
    ``asserts`` with a cue is a source's assertion that the outlet reports, never the
    outlet's own (see :attr:`attributed`); empty when the text states it itself. For
    ``denies``, it is the refuting word ("denied", "hoax").
    """

    stance: StanceLabel
    confidence: float
    cue: str = ""

    @property
    def attributed(self) -> bool:
        return bool(self.cue)


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceStance:
    """A sentence about the claim, its stance and ``relevance`` (share of the claim's stems)."""

    citation: Citation
    text: str
    stance: StanceLabel
    confidence: float
    relevance: float
    cue: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleStance:
    """One article's stance toward the claim, with the sentences that show it."""

    article_id: str
    source: str
    stance: StanceLabel
    evidence: tuple[SentenceStance, ...]
    title: str | None = None
    published: str | None = None  # ISO date


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletSide:
    """The outlets that take one side, and the first of them (earliest article)."""

    stance: StanceLabel
    outlets: tuple[str, ...]
    first_outlet: str
    first_article: str
    first_date: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimCheck:
    """A claim checked against articles: per article its stance, then the outlets by side."""

    claim: str
    articles: tuple[ArticleStance, ...]
    sides: tuple[OutletSide, ...]

    def tally(self) -> str:
        """ "2 outlets assert, 1 denies, 3 report without taking a side" (sides that no outlet
        takes are left out)."""
        parts: list[str] = []
        for side in self.sides:
            count = len(side.outlets)
            verb = _TALLY_VERBS[side.stance][0 if count == 1 else 1]
            noun = ("outlet " if count == 1 else "outlets ") if not parts else ""
            parts.append(f"{count} {noun}{verb}")
        return ", ".join(parts) if parts else "no outlet mentions the claim"


# How the tally says each side: (one outlet, several outlets).
_TALLY_VERBS: Mapping[str, tuple[str, str]] = {
    "asserts": ("asserts", "assert"),
    "denies": ("denies", "deny"),
    "reports": ("reports without taking a side", "report without taking a side"),
}


class StanceJudge:
    """The stance model and the sentence rules of the module docstring.

    ``relevance``: the share of the claim's content stems a sentence needs to be about it.
    ``stance_model`` and ``relation_model``: fitted models (default: the shipped ones).
    """

    def __init__(
        self,
        *,
        relevance: float = 0.6,
        stance_model: StanceModel | None = None,
        relation_model: StanceModel | None = None,
    ) -> None:
        self.relevance = relevance
        self.stance_model = stance_model
        self.relation_model = relation_model

    def _model(self) -> StanceModel:
        if self.stance_model is None:
            self.stance_model = load_stance_model("stance")
        return self.stance_model

    def judge_many(self, claim: str, texts: Sequence[str]) -> tuple[Judgement, ...]:
        """The stance of each text toward ``claim`` (never ``unrelated``: see :meth:`check`)."""
        self._validate()
        if not texts:
            return ()
        model = self._model()
        probabilities = model.probabilities([(claim, text) for text in texts])
        judgements = []
        for text, row in zip(texts, probabilities, strict=True):
            best = int(row.argmax())
            stance = _STANCE_OF.get(model.labels[best], "reports")
            cue, hedged = report_cue(claim, text)
            if stance == "asserts" and hedged:
                stance = "reports"
            elif stance == "denies":
                cue = denial_cue(claim, text)
            judgements.append(
                Judgement(stance=stance, confidence=round(float(row[best]), 4), cue=cue)
            )
        return tuple(judgements)

    def judge(self, claim: str, text: str) -> Judgement:
        return self.judge_many(claim, [text])[0]

    def compare(self, first: str, second: str) -> ClaimRelation:
        """Whether claim ``second`` strengthens, weakens or does neither to claim ``first``."""
        if self.relation_model is None:
            self.relation_model = load_stance_model("relation")
        found = self.relation_model.predict([(first, second)])[0]
        for relation in CLAIM_RELATIONS:
            if relation == found:
                return relation
        return "neither"

    def check(
        self,
        claim: str,
        articles: Sequence[Article],
        sentences: Mapping[str, Sequence[Sentence]],
    ) -> ClaimCheck:
        """Each article's stance toward ``claim`` from its sentences about it (``sentences``
        by article id), and the outlets on each side."""
        self._validate()
        results = []
        for article in sorted(articles, key=date_and_id):
            about = []
            for sentence in sentences.get(article.id, ()):
                text = sentence.text(article)
                share, count, named = claim_relevance(claim, text)
                if named and share >= self.relevance and (count >= 2 or share == 1.0):
                    about.append((sentence, text, share))
            judged = self.judge_many(claim, [text for _, text, _ in about])
            evidence = tuple(
                SentenceStance(
                    citation=sentence.citation(),
                    text=text,
                    stance=judgement.stance,
                    confidence=judgement.confidence,
                    relevance=round(share, 4),
                    cue=judgement.cue,
                )
                for (sentence, text, share), judgement in zip(about, judged, strict=True)
            )
            taken = {item.stance for item in evidence}
            stance: StanceLabel = next((side for side in _SIDES if side in taken), "unrelated")
            results.append(
                ArticleStance(
                    article_id=article.id,
                    source=article.source,
                    stance=stance,
                    evidence=evidence,
                    title=article.title,
                    published=article.published.isoformat() if article.published else None,
                )
            )
        return ClaimCheck(claim=claim, articles=tuple(results), sides=_outlet_sides(results))

    def check_articles(
        self, claim: str, articles: Sequence[Article], segmenter: Segmenter
    ) -> ClaimCheck:
        """:meth:`check` with the articles' sentences found by ``segmenter``."""
        sentences = segment_all(articles, segmenter)
        return self.check(claim, articles, sentences)

    def _validate(self) -> None:
        value = self.relevance
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            raise ConfigError(
                "The 'relevance' parameter of StanceJudge must be a float in (0, 1]. "
                f"Got {value!r} instead."
            )


# The model's labels (Emergent's and ours) as stances.
_STANCE_OF: Mapping[str, StanceLabel] = {
    "for": "asserts",
    "against": "denies",
    "observing": "reports",
    "asserts": "asserts",
    "denies": "denies",
    "reports": "reports",
}


def report_cue(claim: str, text: str) -> tuple[str, bool]:
    """The first hedging word of ``text`` that the claim does not hold ("allegedly",
    "claimed"), else its first speech word ("said", "according"), and whether it is a
    hedge; ("", False) when the text states the claim itself."""
    claim_tokens = set(_tokens(claim))
    tokens = [token for token in _tokens(text) if token not in claim_tokens]
    hedge = next((token for token in tokens if token in _HEDGING), "")
    if hedge:
        return hedge, True
    speech = next((t for t in tokens if t in _SPEECH and t not in _REFUTING), "")
    return speech, False


def denial_cue(claim: str, text: str) -> str:
    """The first refuting word of ``text`` that the claim does not hold ("denied"), a plain
    "not" only when there is no other."""
    claim_tokens = set(_tokens(claim))
    found = [t for t in _tokens(text) if t in _REFUTING and t not in claim_tokens]
    return next((t for t in found if t != "not"), found[0] if found else "")


def _outlet_sides(results: Sequence[ArticleStance]) -> tuple[OutletSide, ...]:
    """Per side, its outlets in the order they first took it (articles are in date order)."""
    sides = []
    for side in _SIDES:
        taking = [result for result in results if result.stance == side]
        if not taking:
            continue
        first = taking[0]
        sides.append(
            OutletSide(
                stance=side,
                outlets=tuple(dict.fromkeys(result.source for result in taking)),
                first_outlet=first.source,
                first_article=first.article_id,
                first_date=first.published,
            )
        )
    return tuple(sides)
