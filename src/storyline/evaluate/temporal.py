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

TempEval-3. :func:`read_tempeval` reads the TIMEX3 benchmark format of
``../shared/benchmarks/temporal/`` (one document a line with its creation time and
its gold timexes as character offsets) and :func:`score_tempeval` computes the
TempEval-3 timex measures (UzZaman et al., "SemEval-2013 Task 1: TempEval-3",
SemEval 2013, section 4.1) of a tagger on it: strict span F1 (same start and end),
relaxed span F1 (overlap), and the attribute F1 of ``value`` and ``type``, where an
attribute counts on a relaxed-matched pair whose attributes are equal, precision
over all system timexes and recall over all gold ones. Each gold timex is paired
with the unpaired system timex that overlaps it most (one to one, text order); the
official scorer pairs tokens, which gives the same pairs on these spans. By type:
recall counts the gold timexes of that type, precision the system timexes the
tagger typed so; the ``type`` measure is therefore only reported overall.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import read_records
from storyline.model import TimeExpression, TimeRef

__all__ = [
    "MEASURES",
    "TIMEX_TYPES",
    "LabelledSentence",
    "LabelledTimex",
    "PredictedTimex",
    "TempEvalResult",
    "Timex",
    "TimexDocument",
    "TimexPair",
    "TimexScore",
    "TimexTally",
    "calendar_predictions",
    "load_labelled",
    "pair_rows",
    "parse_value",
    "read_tempeval",
    "score_tempeval",
    "score_timex",
    "timexes_of",
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


def calendar_predictions(expressions: Iterable[TimeExpression]) -> list[PredictedTimex]:
    """The calendar readings of a tagger's expressions, as predictions for :func:`score_timex`.

    Only expressions with a ``ref`` count: the labelled set labels the dates a timeline can
    use, and an expression without one (a length, a recurrence, "now", "the next day")
    claims no date, which is what a label of ``null`` asks for.
    """
    return [PredictedTimex(start=e.start, end=e.end, ref=e.ref) for e in expressions if e.ref]


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


# --------------------------------------------------------------------------- TempEval-3

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
MEASURES = ("strict", "relaxed", "value", "type")


@dataclass(frozen=True, slots=True, kw_only=True)
class Timex:
    """A TIMEX3 of a text: ``text[start:end]``, its TimeML type and normalised value."""

    start: int
    end: int
    timex_type: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TimexDocument:
    """A benchmark document: its id, creation time (DCT), text and gold timexes."""

    id: str
    dct: dt.date
    text: str
    timexes: tuple[Timex, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimexPair:
    """A gold timex and the system timex paired with it; either may be missing."""

    doc: str
    gold: Timex | None
    system: Timex | None

    @property
    def strict(self) -> bool:
        return (
            self.gold is not None
            and self.system is not None
            and (self.gold.start, self.gold.end) == (self.system.start, self.system.end)
        )

    def right(self, measure: str) -> bool:
        """Whether the pair counts for ``measure`` (one of :data:`MEASURES`)."""
        if self.gold is None or self.system is None:
            return False
        if measure == "strict":
            return self.strict
        if measure == "value":
            return self.gold.value == self.system.value
        if measure == "type":
            return self.gold.timex_type == self.system.timex_type
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class TimexTally:
    """Counts of one view (all timexes, or one type): ``hits[measure]`` is
    (system timexes counted right, gold timexes counted right)."""

    gold: int
    system: int
    hits: Mapping[str, tuple[int, int]]

    def precision(self, measure: str) -> float:
        return self.hits[measure][0] / self.system if self.system else 0.0

    def recall(self, measure: str) -> float:
        return self.hits[measure][1] / self.gold if self.gold else 0.0

    def f1(self, measure: str) -> float:
        precision, recall = self.precision(measure), self.recall(measure)
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TempEvalResult:
    """TempEval-3 timex scores: overall, by type, and every pair for error analysis."""

    documents: int
    overall: TimexTally
    by_type: Mapping[str, TimexTally]
    pairs: tuple[TimexPair, ...]


def _timex(raw: Mapping[str, Any], text: str, where: str) -> Timex:
    start, end = int(raw["start"]), int(raw["end"])
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: timex {raw.get('tid')} offsets {start}..{end} outside the text")
    return Timex(start=start, end=end, timex_type=str(raw["type"]), value=str(raw["value"]))


def _timex_document(record: Mapping[str, Any], origin: str) -> TimexDocument:
    text = str(record["text"])
    return TimexDocument(
        id=str(record["doc"]),
        dct=dt.date.fromisoformat(str(record["dct"])),
        text=text,
        timexes=tuple(
            sorted(
                (_timex(raw, text, origin) for raw in record["timexes"]),
                key=lambda t: (t.start, t.end),
            )
        ),
    )


def timexes_of(expressions: Iterable[TimeExpression]) -> list[Timex]:
    """A tagger's expressions as TIMEX3s (span, type, value) for :func:`score_tempeval`."""
    return [
        Timex(start=e.start, end=e.end, timex_type=e.timex_type, value=e.value) for e in expressions
    ]


def read_tempeval(path: Path) -> Iterator[TimexDocument]:
    """The documents of a TempEval JSONL file; a malformed line is an EvaluationError."""
    return read_records(path, _timex_document, kind="a TempEval document")


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _pair(doc: str, gold: Sequence[Timex], system: Sequence[Timex]) -> list[TimexPair]:
    """One-to-one relaxed pairing: each gold timex takes the free system one overlapping most."""
    free = sorted(system, key=lambda t: (t.start, t.end))
    pairs = []
    for item in gold:
        best = max(
            (candidate for candidate in free if _overlap(item, candidate) > 0),
            key=lambda candidate: _overlap(item, candidate),
            default=None,
        )
        if best is not None:
            free.remove(best)
        pairs.append(TimexPair(doc=doc, gold=item, system=best))
    pairs.extend(TimexPair(doc=doc, gold=None, system=item) for item in free)
    return pairs


def _tally(pairs: Iterable[TimexPair], timex_type: str | None) -> TimexTally:
    def gold_counts(pair: TimexPair) -> bool:
        return pair.gold is not None and timex_type in (None, pair.gold.timex_type)

    def system_counts(pair: TimexPair) -> bool:
        return pair.system is not None and timex_type in (None, pair.system.timex_type)

    chosen = list(pairs)
    return TimexTally(
        gold=sum(map(gold_counts, chosen)),
        system=sum(map(system_counts, chosen)),
        hits={
            measure: (
                sum(system_counts(p) and p.right(measure) for p in chosen),
                sum(gold_counts(p) and p.right(measure) for p in chosen),
            )
            for measure in MEASURES
        },
    )


def score_tempeval(
    documents: Iterable[TimexDocument], tag: Callable[[str, dt.date], Sequence[Timex]]
) -> TempEvalResult:
    """Score ``tag(text, dct)`` on ``documents`` (see the module docstring for the rules)."""
    pairs: list[TimexPair] = []
    count = 0
    for document in documents:
        count += 1
        pairs.extend(_pair(document.id, document.timexes, tag(document.text, document.dct)))
    return TempEvalResult(
        documents=count,
        overall=_tally(pairs, None),
        by_type={timex_type: _tally(pairs, timex_type) for timex_type in TIMEX_TYPES},
        pairs=tuple(pairs),
    )


def _timex_record(timex: Timex | None, text: str) -> dict[str, object] | None:
    if timex is None:
        return None
    return {
        "start": timex.start,
        "end": timex.end,
        "text": text[timex.start : timex.end],
        "type": timex.timex_type,
        "value": timex.value,
    }


def pair_rows(result: TempEvalResult, texts: Mapping[str, str]) -> list[str]:
    """One JSON line per pair (a miss has no system timex, a false alarm no gold one), with
    the wording from ``texts`` (document id -> text), for error analysis."""
    return [
        json.dumps(
            {
                "doc": pair.doc,
                "gold": _timex_record(pair.gold, texts[pair.doc]),
                "system": _timex_record(pair.system, texts[pair.doc]),
                **{measure: pair.right(measure) for measure in MEASURES},
            },
            ensure_ascii=False,
        )
        for pair in result.pairs
    ]
