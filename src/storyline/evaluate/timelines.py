"""Timelines: TLS benchmark JSONL -> timelines per reference, date-F1 and alignment ROUGE.

Input -> output: a timeline-summarisation (TLS) dataset, one topic a line::

    {"id": str, "docs": [{"id": str, "date": "YYYY-MM-DD", "title": str|null,
     "text": str}], "timelines": [[{"date": "YYYY-MM-DD", "sentences": [str]}]],
     "timeline_names": [str]}

and one or more :class:`~storyline.digest.timeline.TimelineBuilder` become, per
builder, a :class:`TimelineEvaluation`: every (topic, reference timeline)
pair's timeline, its scores, and the time spent preparing, building and scoring.

Protocol (tilse / news-tls, Gholipour Ghalandari & Ifrim 2020): for each
reference timeline of a topic, the builder gets the topic's articles and a
:class:`~storyline.digest.timeline.TimelineBudget` of as many dates as the reference,
``round(mean sentences per reference date)`` sentences a date, and the
reference's first..last date as the window (articles published outside it
are not used). Each topic's articles are segmented and tagged once
(*preparation*, shared by its references and by every builder); the story
handed to the builders has no facts, so a builder groups its own candidates.

Scores, computed by tilse 0.2.1 (Martschat & Markert 2017, 2018; an evaluation
extra, ``pip install tilse==0.2.1``), exactly as news-tls calls it:

- date selection: precision, recall and F1 of the predicted dates against the
  reference dates (exact days);
- alignment-based ROUGE-1 and ROUGE-2 (AR-1, AR-2): tilse's
  ``evaluate_align_date_content_costs_many_to_one`` ("align+ m:1"): each
  predicted date is aligned to the reference date that minimises date distance
  times content dissimilarity, and its ROUGE counts are discounted by
  ``1 / (1 + days apart)``; likewise each reference date for recall. ROUGE is
  either tilse's pure-Python reimplementation (``rouge="python"``, stemmed,
  ROUGE-1.5.5's stop words removed) or the ROUGE-1.5.5 perl script it bundles
  (``rouge="perl"``, needs ``perl``); sentences are split on whitespace, as the
  PTB-tokenized references expect.

Averages follow news-tls: precision and recall are averaged over the
timelines and F1 is computed from the averages
(:attr:`TimelineEvaluation.mean`); the mean of the per-timeline F1 values is
given as well (:attr:`TimelineEvaluation.mean_of_f1`).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

from storyline.digest.timeline import TimelineBudget, TimelineBuilder
from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import docs_to_articles, read_records
from storyline.evaluate._prf import PRF
from storyline.ingest.files import parse_date
from storyline.model import Article, Story, TimeExpression, Timeline
from storyline.text.sentences import Segmenter, segment
from storyline.text.temporal import TimeTagger

__all__ = [
    "PRF",
    "ReferenceTimeline",
    "RougeMode",
    "TimelineEvaluation",
    "TimelineResult",
    "TimelineScores",
    "TimelineTopic",
    "evaluate_timelines",
    "read_timeline_topics",
    "score_timeline",
    "scorer_name",
]

RougeMode = Literal["python", "perl"]
_TILSE_MODES: Mapping[RougeMode, str] = {"python": "reimpl", "perl": "original"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceTimeline:
    """A journalist-written timeline: dates in order, each with its sentences."""

    name: str
    entries: tuple[tuple[dt.date, tuple[str, ...]], ...]

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(day for day, _ in self.entries)

    def budget(self) -> TimelineBudget:
        """The protocol's budget: its date count, mean sentences a date, first..last date."""
        sentences = statistics.fmean(len(texts) for _, texts in self.entries)
        return TimelineBudget(
            dates=len(self.entries),
            sentences_per_date=max(1, round(sentences)),
            start=min(self.dates),
            end=max(self.dates),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineTopic:
    """A topic's articles and its reference timelines."""

    id: str
    articles: tuple[Article, ...]
    references: tuple[ReferenceTimeline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineScores:
    """Date selection and alignment-based ROUGE-1 and ROUGE-2 (tilse's align+ m:1)."""

    dates: PRF
    rouge1: PRF
    rouge2: PRF


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineResult:
    topic_id: str
    reference: str
    timeline: Timeline
    scores: TimelineScores
    build_seconds: float
    score_seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEvaluation:
    """One builder over every reference timeline of a dataset.

    ``preparation_seconds`` (segmenting and tagging every topic once) is shared
    by all the builders of a run; building all timelines took
    ``preparation_seconds + build_seconds``.
    """

    builder: str
    results: tuple[TimelineResult, ...]
    mean: TimelineScores
    mean_of_f1: TimelineScores
    preparation_seconds: float
    build_seconds: float
    score_seconds: float
    scorer: str


def scorer_name(rouge: RougeMode) -> str:
    """The scorer, named with its version and ROUGE mode."""
    try:
        release = version("tilse")
    except PackageNotFoundError:
        release = "(not installed)"
    kind = (
        "pure-Python ROUGE reimplementation"
        if rouge == "python"
        else "ROUGE-1.5.5 perl script (bundled)"
    )
    return f"tilse {release}: align_date_content_costs_many_to_one, {kind}; exact-date F1"


def read_timeline_topics(path: Path) -> Iterator[TimelineTopic]:
    """Topics of a TLS JSONL file; a malformed line is an :class:`EvaluationError`."""
    return read_records(path, _topic, kind="a timeline topic")


def _topic(record: Mapping[str, Any], origin: str) -> TimelineTopic:
    articles = docs_to_articles(record, origin)
    timelines = record["timelines"]
    names = record.get("timeline_names") or [f"timeline-{i}" for i in range(len(timelines))]
    references = []
    for name, raw in zip(names, timelines, strict=True):
        entries: dict[dt.date, list[str]] = {}
        for item in raw:
            day = parse_date(str(item["date"]))
            if day is None:
                raise ValueError(f"bad reference date {item['date']!r}")
            entries.setdefault(day, []).extend(str(text) for text in item["sentences"])
        if entries:
            references.append(
                ReferenceTimeline(
                    name=str(name),
                    entries=tuple((day, tuple(entries[day])) for day in sorted(entries)),
                )
            )
    return TimelineTopic(id=str(record["id"]), articles=articles, references=tuple(references))


@functools.cache
def _evaluator(rouge: RougeMode) -> Any:
    try:
        module = importlib.import_module("tilse.evaluation.rouge")
    except ImportError as error:
        raise EvaluationError(
            "scoring timelines needs tilse (an evaluation extra): pip install tilse==0.2.1"
        ) from error
    return module.TimelineRougeEvaluator(
        measures={"rouge_1", "rouge_2"}, rouge_computation=_TILSE_MODES[rouge]
    )


def _tilse_timeline(entries: Mapping[dt.date, Sequence[str]]) -> Any:
    module = importlib.import_module("tilse.data.timelines")
    return module.Timeline({day: list(texts) for day, texts in entries.items()})


def score_timeline(
    predicted: Mapping[dt.date, Sequence[str]],
    reference: ReferenceTimeline,
    *,
    rouge: RougeMode = "python",
) -> TimelineScores:
    """Date-F1 and tilse's AR-1 / AR-2 of one predicted timeline (date -> sentences)."""
    evaluator = _evaluator(rouge)
    reference_dates = set(reference.dates)
    predicted = {day: texts for day, texts in predicted.items() if texts}
    shared = len(set(predicted) & reference_dates)
    dates = PRF.of(shared / len(predicted) if predicted else 0.0, shared / len(reference_dates))
    if not predicted:
        zero = PRF.of(0.0, 0.0)
        return TimelineScores(dates=dates, rouge1=zero, rouge2=zero)
    ground_truth = importlib.import_module("tilse.data.timelines").GroundTruth(
        [_tilse_timeline(dict(reference.entries))]
    )
    scores = evaluator.evaluate_align_date_content_costs_many_to_one(
        _tilse_timeline(predicted), ground_truth
    )
    return TimelineScores(
        dates=dates,
        rouge1=PRF.of(scores["rouge_1"]["precision"], scores["rouge_1"]["recall"]),
        rouge2=PRF.of(scores["rouge_2"]["precision"], scores["rouge_2"]["recall"]),
    )


def _texts(timeline: Timeline) -> dict[dt.date, list[str]]:
    return {entry.date.start: [item.text for item in entry.sentences] for entry in timeline.entries}


@dataclass(frozen=True, slots=True)
class _Prepared:
    story: Story
    articles: dict[str, Article]
    expressions: dict[str, tuple[TimeExpression, ...]]


def _prepare(topic: TimelineTopic, segmenter: Segmenter, tagger: TimeTagger) -> _Prepared:
    sentences = tuple(s for article in topic.articles for s in segment(article, segmenter))
    return _Prepared(
        story=Story(
            id=topic.id,
            article_ids=tuple(article.id for article in topic.articles),
            sentences=sentences,
        ),
        articles={article.id: article for article in topic.articles},
        expressions={
            article.id: tagger.tag(article.text, article.published, article_id=article.id)
            for article in topic.articles
        },
    )


def _mean(scores: Sequence[TimelineScores]) -> tuple[TimelineScores, TimelineScores]:
    """news-tls's average (F1 of mean P and R) and the mean of per-timeline F1."""

    def averaged(pick: Callable[[TimelineScores], PRF]) -> tuple[PRF, PRF]:
        values = [pick(score) for score in scores]
        precision = statistics.fmean(v.precision for v in values)
        recall = statistics.fmean(v.recall for v in values)
        return PRF.of(precision, recall), PRF(
            precision=precision, recall=recall, f1=statistics.fmean(v.f1 for v in values)
        )

    dates, rouge1, rouge2 = (
        averaged(lambda s: s.dates),
        averaged(lambda s: s.rouge1),
        averaged(lambda s: s.rouge2),
    )
    return (
        TimelineScores(dates=dates[0], rouge1=rouge1[0], rouge2=rouge2[0]),
        TimelineScores(dates=dates[1], rouge1=rouge1[1], rouge2=rouge2[1]),
    )


def evaluate_timelines(
    topics: Sequence[TimelineTopic],
    builders: Mapping[str, TimelineBuilder],
    *,
    segmenter: Segmenter,
    tagger: TimeTagger,
    rouge: RougeMode = "python",
    on_timeline: Callable[[str, TimelineResult], None] | None = None,
) -> tuple[TimelineEvaluation, ...]:
    """Build and score a timeline per (topic, reference) with each builder, in one run.

    ``on_timeline`` is called with the builder's name and each result as it is scored.
    """
    if not builders:
        raise EvaluationError("no timeline builder to evaluate")
    _evaluator(rouge)
    results: dict[str, list[TimelineResult]] = {name: [] for name in builders}
    preparation = 0.0
    for topic in topics:
        started = time.perf_counter()
        prepared = _prepare(topic, segmenter, tagger)
        preparation += time.perf_counter() - started
        for reference in topic.references:
            for name, builder in builders.items():
                started = time.perf_counter()
                timeline = builder.build(
                    prepared.story, prepared.articles, prepared.expressions, reference.budget()
                )
                built = time.perf_counter()
                scores = score_timeline(_texts(timeline), reference, rouge=rouge)
                result = TimelineResult(
                    topic_id=topic.id,
                    reference=reference.name,
                    timeline=timeline,
                    scores=scores,
                    build_seconds=built - started,
                    score_seconds=time.perf_counter() - built,
                )
                results[name].append(result)
                if on_timeline is not None:
                    on_timeline(name, result)
    if not any(results.values()):
        raise EvaluationError("the dataset holds no reference timeline")
    evaluations = []
    for name, done in results.items():
        mean, mean_of_f1 = _mean([result.scores for result in done])
        evaluations.append(
            TimelineEvaluation(
                builder=name,
                results=tuple(done),
                mean=mean,
                mean_of_f1=mean_of_f1,
                preparation_seconds=preparation,
                build_seconds=sum(result.build_seconds for result in done),
                score_seconds=sum(result.score_seconds for result in done),
                scorer=scorer_name(rouge),
            )
        )
    return tuple(evaluations)
