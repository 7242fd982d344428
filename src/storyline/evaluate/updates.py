"""Updates: a TLS dataset -> what's-new digests after cut dates, scored against a plain digest.

Input -> output: the topics of a timeline-summarisation JSONL (the Timeline17 format,
see :mod:`storyline.evaluate.timelines`) and a pipeline become an
:class:`UpdateEvaluation`: for each topic and cut, the update and the plain digest of
the week after the cut, their ROUGE against the reference timelines' sentences of that
week, and their repeats.

Protocol (issue 10), for each topic and each cut at 50% and 75% of its article date
range (``first + floor(fraction * days)``):

1. the *first digest*: the articles published before the cut, digested by the pipeline
   (``budget``, 100 words by default) and kept as the JSON document a store records
   (:func:`~storyline.report.markdown.digest_to_dict`);
2. the *update*: :func:`~storyline.digest.updates.digest_new` (the code of
   ``storyline update``) over the articles published before the end of the week after
   the cut, since that first digest: it digests the week's articles;
3. the *plain digest*: the week's articles alone, digested by the same pipeline;
4. ROUGE-1 and ROUGE-2 (Google's ``rouge-score``, stemmed, as ``eval summaries``:
   :func:`~storyline.evaluate.summaries.rouge`, the best-matching reference) of both
   against the sentences of each reference timeline dated inside the week, for the
   cases where one has such sentences;
5. *repeats*: the summary sentences of each whose fact the first digest's summary
   stated, judged by :func:`~storyline.digest.updates.already_stated` with the
   pipeline's fact grouper (the same normalised words, a fact in common, or a link of
   its pair rule, over the two summaries' sentences alone).

ROUGE is averaged over the cases with reference sentences (macro); repeats are pooled
over every case with articles in its week (repeated sentences / summary sentences).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyline.digest.updates import Baseline, EarlierDigest, already_stated, digest_new
from storyline.errors import EvaluationError
from storyline.evaluate.summaries import ROUGE_IMPLEMENTATION, RougeScores, rouge
from storyline.evaluate.timelines import TimelineTopic
from storyline.model import Budget, Corpus, Summary
from storyline.pipeline import Pipeline
from storyline.report.markdown import digest_to_dict

__all__ = [
    "CUTS",
    "UpdateCase",
    "UpdateEvaluation",
    "evaluate_updates",
]

CUTS = (0.5, 0.75)
"""Where the cuts fall in a topic's article date range."""
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateCase:
    """One topic and cut: the two summaries of the week, their ROUGE (None without
    reference sentences in the week) and repeats of the first digest's facts."""

    topic_id: str
    fraction: float
    cut: dt.date
    articles_before: int
    articles_in_week: int
    references: int
    first: Summary
    update: Summary
    plain: Summary
    update_rouge: RougeScores | None
    plain_rouge: RougeScores | None
    update_repeats: int
    plain_repeats: int
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateEvaluation:
    """Every case, the mean ROUGE of both systems over the scored cases, and the pooled
    repeat rates over every case."""

    cases: tuple[UpdateCase, ...]
    update_rouge: RougeScores
    plain_rouge: RougeScores
    implementation: str

    @property
    def scored(self) -> tuple[UpdateCase, ...]:
        return tuple(case for case in self.cases if case.update_rouge is not None)

    @property
    def update_repeat_rate(self) -> float:
        return _rate(self.cases, lambda c: (c.update_repeats, len(c.update.sentences)))

    @property
    def plain_repeat_rate(self) -> float:
        return _rate(self.cases, lambda c: (c.plain_repeats, len(c.plain.sentences)))


def evaluate_updates(
    topics: Sequence[TimelineTopic],
    pipeline: Pipeline,
    budget: Budget,
    *,
    cuts: Sequence[float] = CUTS,
    on_case: Callable[[UpdateCase], None] | None = None,
) -> UpdateEvaluation:
    """Run the protocol of the module docstring on every topic and cut."""
    cases = []
    for topic in topics:
        for fraction in cuts:
            case = _case(topic, fraction, pipeline, budget)
            if case is None:
                continue
            cases.append(case)
            if on_case is not None:
                on_case(case)
    scored = [case for case in cases if case.update_rouge is not None]
    if not scored:
        raise EvaluationError("no topic has articles and reference sentences in a week after a cut")
    return UpdateEvaluation(
        cases=tuple(cases),
        update_rouge=_mean([c.update_rouge for c in scored if c.update_rouge is not None]),
        plain_rouge=_mean([c.plain_rouge for c in scored if c.plain_rouge is not None]),
        implementation=ROUGE_IMPLEMENTATION,
    )


def _case(
    topic: TimelineTopic, fraction: float, pipeline: Pipeline, budget: Budget
) -> UpdateCase | None:
    """The case of one topic and cut; None when no article falls in the week after it."""
    dated = [(a.published, a) for a in topic.articles if a.published is not None]
    if not dated:
        return None
    first_day = min(day for day, _ in dated)
    last_day = max(day for day, _ in dated)
    cut = first_day + dt.timedelta(days=int((last_day - first_day).days * fraction))
    end = cut + WEEK
    before = tuple(article for day, article in dated if day < cut)
    week = tuple(article for day, article in dated if cut <= day < end)
    if not before or not week:
        return None
    references = [
        "\n".join(text for day, texts in reference.entries if cut <= day < end for text in texts)
        for reference in topic.references
    ]
    references = [reference for reference in references if reference]
    started = time.perf_counter()
    first = pipeline.run(Corpus(articles=before), budget, story_id=topic.id)
    earlier = EarlierDigest(id=None, delivered=None, document=digest_to_dict(first, timings=False))
    update = digest_new(
        pipeline, (*before, *week), Baseline.of_digests([earlier]), budget, story_id=topic.id
    ).digest.summaries[0]
    plain = pipeline.run(Corpus(articles=week), budget, story_id=topic.id).summaries[0]
    seconds = time.perf_counter() - started
    stated = [sentence.text for sentence in first.summaries[0].sentences]
    grouper = pipeline.fact_grouper
    return UpdateCase(
        topic_id=topic.id,
        fraction=fraction,
        cut=cut,
        articles_before=len(before),
        articles_in_week=len(week),
        references=len(references),
        first=first.summaries[0],
        update=update,
        plain=plain,
        update_rouge=rouge(update.text, references, pipeline.segmenter) if references else None,
        plain_rouge=rouge(plain.text, references, pipeline.segmenter) if references else None,
        update_repeats=sum(already_stated([s.text for s in update.sentences], stated, grouper)),
        plain_repeats=sum(already_stated([s.text for s in plain.sentences], stated, grouper)),
        seconds=seconds,
    )


def _mean(scores: Sequence[RougeScores]) -> RougeScores:
    names = scores[0].f1.keys()
    return RougeScores(
        recall={name: statistics.fmean(s.recall[name] for s in scores) for name in names},
        f1={name: statistics.fmean(s.f1[name] for s in scores) for name in names},
    )


def _rate(cases: Sequence[UpdateCase], count: Callable[[UpdateCase], tuple[int, int]]) -> float:
    counted = [count(case) for case in cases]
    total = sum(sentences for _, sentences in counted)
    return sum(repeated for repeated, _ in counted) / total if total else 0.0
