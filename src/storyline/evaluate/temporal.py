"""Scoring temporal taggers: labelled JSONL + predictions -> :class:`TimexScore`.

Input: a labelled set in the format of ``tests/data/README.md`` (one sentence a
line with its publication date, the temporal expressions it holds with their
normalised values, and the words that must not be tagged) and a function that
tags a sentence. Output: how many labelled units the tagger got right.

Method: a labelled expression is matched by the first prediction whose span
overlaps it (TempEval's relaxed span match, Verhagen et al. 2010); it is right
when the prediction's resolution equals the label (``exact``: same start, end
and granularity) or, for taggers that only return a point in time such as
dateparser, when the predicted span lies inside the labelled one (``within``).
A label of ``null`` (not resolvable from the publication date) is right when no
overlapping prediction claims a date: nothing guessed. A negative is right when
no prediction overlaps it. Every prediction that overlaps neither a label nor a
negative is a spurious detection and counts as one more wrong unit, so
accuracy = right / (labels + negatives + spurious).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from storyline.errors import EvaluationError
from storyline.model import TimeRef

__all__ = [
    "LabelledSentence",
    "LabelledTimex",
    "PredictedTimex",
    "TimexScore",
    "load_labelled",
    "parse_value",
    "score_timex",
]

MatchMode = Literal["exact", "within"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledTimex:
    """One labelled expression: ``text`` is ``sentence[start:end]``; ``ref`` None = unresolvable."""

    start: int
    end: int
    text: str
    value: str | None
    ref: TimeRef | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledSentence:
    """A sentence with its publication date, its expressions and its negatives (spans)."""

    id: str
    published: dt.date | None
    text: str
    timex: tuple[LabelledTimex, ...]
    negatives: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictedTimex:
    """What a tagger found: a span of the sentence and its resolution, if any."""

    start: int
    end: int
    ref: TimeRef | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimexScore:
    """Counts over a labelled set; ``errors`` lists one line per wrong unit."""

    right: int
    labels: int
    negatives: int
    spurious: int
    errors: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.labels + self.negatives + self.spurious

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def _parse_point(raw: str, *, end: bool) -> tuple[dt.date, Literal["day", "week", "month", "year"]]:
    if "-W" in raw:
        iso_year, iso_week = raw.split("-W")
        return dt.date.fromisocalendar(int(iso_year), int(iso_week), 7 if end else 1), "week"
    parts = [int(part) for part in raw.split("-")]
    if len(parts) == 3:
        return dt.date(parts[0], parts[1], parts[2]), "day"
    if len(parts) == 2:
        year, month = parts
        if not end:
            return dt.date(year, month, 1), "month"
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1), "month"
    return (dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)), "year"


def parse_value(value: str | None) -> TimeRef | None:
    """``2017-05-29`` day, ``2017-W22`` week, ``2017-05`` month, ``2017`` year, ``A/B`` span.

    A span takes the granularity of its first part; ``None`` stays ``None``.
    """
    if value is None:
        return None
    first, _, last = value.partition("/")
    start, granularity = _parse_point(first, end=False)
    end, _ = _parse_point(last or first, end=True)
    return TimeRef(start=start, end=end, granularity=granularity)


def _locate(text: str, surface: str, occurrence: int, where: str) -> tuple[int, int]:
    index = -1
    for _ in range(occurrence + 1):
        index = text.find(surface, index + 1)
        if index < 0:
            raise EvaluationError(f"{where}: {surface!r} (occurrence {occurrence}) not in text")
    return index, index + len(surface)


def _surface(item: object, where: str) -> tuple[str, int]:
    if isinstance(item, str):
        return item, 0
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return item["text"], int(item.get("occurrence", 0))
    raise EvaluationError(f"{where}: expected a string or {{'text', 'occurrence'}}, got {item!r}")


def load_labelled(path: Path) -> tuple[LabelledSentence, ...]:
    """Read a labelled JSONL file; a malformed line is an :class:`EvaluationError`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvaluationError(f"cannot read labelled set {path}: {error}") from error
    sentences = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            text = record["text"]
            published = record.get("published")
            timex = []
            for item in record.get("timex", []):
                surface, occurrence = _surface(item, where)
                start, end = _locate(text, surface, occurrence, where)
                value = item.get("value")
                timex.append(
                    LabelledTimex(
                        start=start, end=end, text=surface, value=value, ref=parse_value(value)
                    )
                )
            negatives = tuple(
                _locate(text, *_surface(item, where), where) for item in record.get("negatives", [])
            )
            sentences.append(
                LabelledSentence(
                    id=str(record["id"]),
                    published=None if published is None else dt.date.fromisoformat(published),
                    text=text,
                    timex=tuple(timex),
                    negatives=negatives,
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise EvaluationError(f"{where}: malformed labelled record: {error}") from error
    return tuple(sentences)


def _resolution_right(predicted: TimeRef | None, gold: TimeRef | None, mode: MatchMode) -> bool:
    if gold is None:
        return predicted is None
    if predicted is None:
        return False
    if mode == "exact":
        return predicted == gold
    return gold.start <= predicted.start and predicted.end <= gold.end


def score_timex(
    labelled: Sequence[LabelledSentence],
    tag: Callable[[str, dt.date | None], Sequence[PredictedTimex]],
    *,
    mode: MatchMode = "exact",
) -> TimexScore:
    """Score ``tag`` on ``labelled`` (see the module docstring for the rules)."""
    right = spurious = labels = negatives = 0
    errors: list[str] = []
    for sentence in labelled:
        predictions = list(tag(sentence.text, sentence.published))
        used: set[int] = set()
        for gold in sentence.timex:
            labels += 1
            overlapping = [
                i for i, p in enumerate(predictions) if p.start < gold.end and gold.start < p.end
            ]
            used.update(overlapping)
            predicted = predictions[overlapping[0]].ref if overlapping else None
            if (overlapping or gold.ref is None) and _resolution_right(predicted, gold.ref, mode):
                right += 1
            else:
                errors.append(f"{sentence.id}: {gold.text!r} = {gold.value} got {predicted}")
        for start, end in sentence.negatives:
            negatives += 1
            hits = [i for i, p in enumerate(predictions) if p.start < end and start < p.end]
            used.update(hits)
            if hits:
                errors.append(f"{sentence.id}: negative {sentence.text[start:end]!r} was tagged")
            else:
                right += 1
        for index, prediction in enumerate(predictions):
            if index not in used:
                spurious += 1
                wording = sentence.text[prediction.start : prediction.end]
                errors.append(f"{sentence.id}: spurious {wording!r} -> {prediction.ref}")
    return TimexScore(
        right=right, labels=labels, negatives=negatives, spurious=spurious, errors=tuple(errors)
    )
