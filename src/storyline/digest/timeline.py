"""Timeline: a story and its resolved time expressions -> a dated, cited timeline.

Input -> output: a :class:`~storyline.model.Story` (its sentences and facts),
the articles they point into, the temporal expressions of each article (from
:mod:`storyline.text.temporal`, offsets into the article text) and a
:class:`TimelineBudget` (how many dates, how many sentences a date, an optional
first..last date) become a :class:`~storyline.model.Timeline`: entries sorted by
date, each with a few sentences that say what happened then -- every one citing
all the articles that state its fact -- and the expressions ("on Monday",
"Monday's meeting", "May 29") that resolved to the date, with their articles.

Two builders satisfy the :class:`TimelineBuilder` protocol:

- :class:`DateMentionTimelineBuilder`, the default: the date-wise approach of
  Tran et al. (2013, "Predicting relevant news events for timeline
  summaries") and Gholipour Ghalandari & Ifrim (2020, "Examining the
  state-of-the-art in news timeline summarization", the "datewise" system),
  unsupervised.

  1. *Mentions.* Every expression that the tagger resolved to one day (not a
     week, month or span) is a mention of that day by the sentence that holds
     it. Only articles published inside the window count, and only days inside
     it and at most ``horizon`` days after the mentioning report.
  2. *Date ranking.* A day is important when many reports refer to it: days are
     ranked by the number of distinct articles that mention them (an article
     that repeats a date ten times still counts once, so one long piece cannot
     outvote the coverage), each article weighing ``1 + retrospective *
     ln(1 + days from the day to its publication)``: a day still referred to
     weeks later is a milestone, not just the news of that week (the
     "docs before" date feature of Tran et al. 2013 and of news-tls's
     supervised date ranker). A mention of the report's own publication day
     gives ``day_before_share`` of its weight to the day before: a report
     published the morning after an event names its own day ("today", "on
     Monday", its dateline) for what happened the day before. Ties go to more
     mentioning sentences, then more articles published that day. Days that no
     article mentions follow, ranked by publications alone.
  3. *Candidates.* A day's candidate sentences are the sentences that mention
     it and the lead sentences (the first ``lead_sentences`` that mention no
     day) of the articles published on that day or the next
     ``publication_lag`` days, as the reports of the day itself and of the
     morning after (news-tls's "PM" sentence collector). Timeline entries are
     short: candidates longer than ``max_words`` words (run-on page text,
     lists) are left out unless the day has nothing shorter.
  4. *Selection.* The candidates form a sub-story whose facts are the story's
     facts restricted to them (candidates that no fact covers are grouped by
     ``fact_grouper``), and the core summarizer (by default
     :class:`~storyline.digest.summary.ConceptCoverageSummarizer`) selects up to
     ``sentences_per_date`` of them: at most one sentence per fact, concepts
     weighted by how many articles carry them. A selected sentence cites every
     sentence of its fact in the whole story. Days are filled in rank order and
     a fact (or wording) shown under one day is not a candidate for another, so
     the timeline as a whole says each thing once. A day whose candidates hold
     no usable sentence is skipped and the next one in rank is taken.

- :class:`PublicationCentroidTimelineBuilder`, the peer baseline measured beside
  it: the days with the most articles published, and for each the sentences
  of that day's articles nearest (cosine) to the TF-IDF centroid of those
  sentences, skipping repeated wording.

On Timeline17 (19 reference timelines, tilse 0.2.1) this builder reaches
date-F1 0.572, AR-1 0.117, AR-2 0.040 with tilse's pure-Python ROUGE (0.565 /
0.115 / 0.039 before the day-before share), against 0.477 / 0.085 / 0.021
(perl: 0.089 / 0.024) for the peer, measured in one run by
``bench/bench_timeline.py``. A day's leads are the first three sentences of a
report (the classic lead-3 of news summarisation): with five, AR-2 was 0.035,
as the later sentences are background more often than the day's event.

Why the day-before share: an error count on Timeline17. Of the same-day
mentions that land on a day the reference leaves out, 3,186 land the day after
a reference day and 1,536 the day before it (explicit dates 1,611 / 654,
weekdays 1,053 / 576, "today" and the like 522 / 306). Mentions of earlier
days tilt the same way (2,272 / 1,313), but giving them a share too lowers
date-F1 (0.556-0.560 at 0.2-0.4, or 0.549-0.568 with every mention shifted):
they are written after the fact and name the day itself. The share was set
from that error category, not fitted;
its neighbourhood (date-F1 over the 19 timelines; A = Egypt, finance, H1N1,
Iraq, Libya, 8 timelines; B = MJ, Syria, BP oil, Haiti, 11 timelines) is flat:

    share, retrospective:   0        0.1      0.25     0.5      1
    0                       0.558    0.569    0.565    0.567    0.564
    0.2                     0.557    0.565    0.567    0.568    0.565
    0.3                     0.560    0.567    0.568    0.567    0.563
    0.4 (default)           0.557    0.565    0.572    0.571    0.560
    0.5                     0.559    0.568    0.571    0.568    0.561
    0.6                     0.559    0.564    0.567    0.563    0.560

At retrospective 0.25, shares 0.2 to 0.5 are all at or above share 0 on both
halves (A 0.665 -> 0.669-0.673, B 0.492 -> 0.492-0.499). Leave-topics-out:
the best grid point on A (share 0.6, retrospective 0.25) scores 0.486 on B,
and the best on B (0, 0.1) scores 0.664 on A, against 0.492 and 0.665 for
today's settings and 0.499 and 0.672 for the defaults: the gain (+0.007) is
real on both halves but small, and tuning finer than the error count does not
transfer.

Date-ranking variants measured and not kept (date-F1 over the 19 timelines,
all against 0.565 for mention counts with the retrospective weight):

- single date features of Tran et al. (2013) and news-tls's supervised ranker:
  distinct mentioning articles 0.558, distinct publication days that mention
  the day 0.557, articles mentioning it later 0.556, summed log lags 0.545,
  mentions in a lead sentence 0.522, explicit dates 0.504, articles published
  that day 0.492 (or that day and the next 0.496);
- those 12 features in a logistic regression trained leave-one-topic-out:
  0.463 ranking every day, 0.567 re-ranking the top 3N; the best linear
  weighting fitted on all 19 timelines themselves (an overfit ceiling, not a
  method) reaches only 0.586: counts of mentions and publications cannot reach
  the issue's 0.60;
- PageRank over the date-reference graph (Tran et al. 2015: a report's
  publication day links to each day it mentions; personalised by publications):
  0.524-0.542 alone, 0.561-0.567 mixed with the counts;
- dividing by the publication volume around the day (+-3 to 30 days, 0.47-0.568)
  or by the number of reports published after it (0.550-0.573, flat);
- damping the days next to a chosen one (0.567 at 0.7, 0.540 at 0.3; only where
  the window has 5 or more days a date: 0.555-0.560), smoothing over
  neighbours (0.511-0.570), a publication burst ratio (0.562-0.572); passing over
  a day whose mentioning sentences repeat (TF-IDF cosine, MMR) a chosen day's
  within 1 or 3 days (0.566-0.569 at 0.3);
- weighting a mention by its kind (explicit past dates +0.5: 0.569), its lead
  position (0.553-0.564), future references (x0.5: 0.571), the number of days
  its article lists (0.556-0.567), the article's cosine to the topic's TF-IDF
  centroid (0.552-0.562); counting each wording once (0.563); only the first
  time expression of a sentence, as news-tls does (0.562); leaving out
  mentions of an article's own publication day (0.561); reciprocal-rank
  fusion of mentions, publications and a 3-day burst count (0.536-0.538);
- what the articles say about a day, combined without fitting (issue 14
  point 3; ``bench/date_features.py``; halves A / B as above, the builder
  0.672 / 0.499): an unweighted sum of ``ln(1 + feature)`` (a product of
  independent pieces of evidence) of the builder's weight with the distinct
  publication days that mention the day 0.563 (A 0.668, B 0.488), with the
  articles still mentioning it 2 or more days later 0.562, with its spread
  (days to the last report mentioning it) 0.520, with lead mentions 0.551,
  with the reports published that day or the next (the event's own day)
  0.549, the last two of these with the weight 0.556, five such features
  without the weight 0.557. Timeline17 has no outlet field (an id's prefix
  names the collection a reference came with), so distinct outlets could not
  be counted; the prefixes as outlets: 0.565;
- why: 164 of the 316 wrong days are one day off a reference day, and in the
  46 pairs where the reference day lost to that neighbour, the neighbour
  has at least as many mentioning articles in all 46 and at least as much
  of every other feature in 36 to 44: the evidence itself sides with the
  wrong day, so no day-level count can swap them;
- spreading the days over the window (an MMR over days, a chosen day damping
  others by ``lambda * exp(-distance / tau)``, ``tau`` 0.1-1 times the
  window's days per reference date, ``lambda`` 0.3-0.8): 0.547-0.567;
- weighting a mention by how many days its article mentions (chronologies
  up, ``1 + a ln(days)`` at 0.25-1: 0.561-0.572; down, ``days ** -a``:
  0.553-0.567); by the word before the expression ("until", "by",
  "before", "through" x0-x0.5: 0.569-0.570; "since", "from", "after":
  0.570; "on" x0.5: 0.574, A +0.013 but B -0.005); by whether its sentence
  holds one of the topic's 5-40 most distinctive words (document frequency
  against the other topics; off-topic x0-x0.6): 0.560-0.574, flat; keeping
  only such on-topic sentences in the story lowers AR-2 to 0.0376.

Sentence selection, measured at the same time (AR-2 against 0.0397): lead
sentences 1 or 2 instead of 3: 0.0386 / 0.0396; leads of the day's reports
only (``publication_lag`` 0): 0.0386; ``max_words`` 30: 0.0322; the selector's
concepts from single sentences (``min_concept_count`` 1) 0.0366, sources
weighed linearly (``source_exponent`` 1) 0.0388, ``min_words`` 5 0.0396, its
``cost_exponent`` (0.6 or 1) no change.

Evidence: each entry keeps the expressions that resolved to its day, one per
article (the first in a cited sentence when there is one, else the first in
the article), up to ``evidence_limit`` articles, in reading order. An entry
chosen from publication dates alone has none.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import numpy as np

from storyline.digest.summary import ConceptCoverageSummarizer, Summarizer
from storyline.errors import ConfigError
from storyline.model import (
    Article,
    Budget,
    Fact,
    Sentence,
    Story,
    SummarySentence,
    TimeExpression,
    Timeline,
    TimelineEntry,
    TimeRef,
)
from storyline.stories.copies import reading_order
from storyline.stories.facts import FactGrouper

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "DateMentionTimelineBuilder",
    "PublicationCentroidTimelineBuilder",
    "TimelineBudget",
    "TimelineBuilder",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineBudget:
    """How large a timeline may be: ``dates`` entries of ``sentences_per_date`` sentences.

    ``start`` and ``end`` (inclusive) restrict both the articles used (by
    publication date; undated articles are then left out) and the dates chosen.
    """

    dates: int
    sentences_per_date: int
    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        for name in ("dates", "sentences_per_date"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(
                    f"The '{name}' parameter of TimelineBudget must be a positive integer. "
                    f"Got {value!r} instead."
                )
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ConfigError(
                "The 'start' parameter of TimelineBudget must not be after 'end'. "
                f"Got {self.start} > {self.end} instead."
            )

    def covers(self, day: dt.date | None) -> bool:
        """Whether ``day`` lies in the window (an open window covers every date)."""
        if self.start is None and self.end is None:
            return True
        if day is None:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class TimelineBuilder(Protocol):
    """Chooses the dates of a story and summarises what happened on each."""

    def build(
        self,
        story: Story,
        articles: Mapping[str, Article],
        expressions: Mapping[str, Sequence[TimeExpression]],
        budget: TimelineBudget,
    ) -> Timeline:
        """``expressions`` maps an article id to its expressions (offsets into its text)."""
        ...


@dataclass(frozen=True, slots=True)
class _Mention:
    """A sentence of the story referring to one day."""

    day: dt.date
    sentence: Sentence
    expression: TimeExpression


def _in_window(
    story: Story, articles: Mapping[str, Article], budget: TimelineBudget
) -> tuple[dict[str, Article], dict[str, list[Sentence]]]:
    """The story's articles published in the window, and their sentences in text order."""
    usable = {
        key: articles[key]
        for key in dict.fromkeys([*story.article_ids, *(s.article_id for s in story.sentences)])
        if key in articles and budget.covers(articles[key].published)
    }
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in story.sentences:
        if sentence.article_id in usable:
            sentences[sentence.article_id].append(sentence)
    for members in sentences.values():
        members.sort(key=lambda sentence: sentence.start)
    return usable, sentences


def _day_of(expression: TimeExpression) -> dt.date | None:
    ref = expression.ref
    if ref is None or ref.granularity != "day" or ref.start != ref.end:
        return None
    return ref.start


def _mentions(
    articles: Mapping[str, Article],
    sentences: Mapping[str, Sequence[Sentence]],
    expressions: Mapping[str, Sequence[TimeExpression]],
    budget: TimelineBudget,
    horizon: int,
) -> list[_Mention]:
    """Every (day, sentence) reference inside the window, in story order.

    A day more than ``horizon`` days after the article's publication is left
    out: reports do not know dates that far ahead, page furniture added later
    (a sidebar's time stamps) does.
    """
    found: list[_Mention] = []
    for article_id, members in sentences.items():
        published = articles[article_id].published
        last = dt.date.max if published is None else _shift(published, horizon) or dt.date.max
        starts = [sentence.start for sentence in members]
        seen: set[tuple[dt.date, str]] = set()
        for expression in expressions.get(article_id, ()):
            day = _day_of(expression)
            if day is None or day > last or not budget.covers(day):
                continue
            position = bisect.bisect_right(starts, expression.start) - 1
            if position < 0 or expression.start >= members[position].end:
                continue
            sentence = members[position]
            if (day, sentence.id) not in seen:
                seen.add((day, sentence.id))
                found.append(_Mention(day=day, sentence=sentence, expression=expression))
    return found


def _shift(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days``; None past the first or last representable date."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _day_weights(
    mentions: Sequence[_Mention],
    articles: Mapping[str, Article],
    budget: TimelineBudget,
    *,
    retrospective: float,
    day_before_share: float,
) -> tuple[dict[dt.date, float], dict[dt.date, int]]:
    """Each mentioned day's weighted mentioning articles, and its mentioning sentences.

    An article mentioning a day counts ``1 + retrospective * ln(1 + lag)``, where
    ``lag`` is the number of days from that day to the article's publication
    (0 for a day ahead of it, or an undated article). When the day is the
    article's own publication day, ``day_before_share`` of that weight goes to
    the day before instead: a report dated the morning after an event names its
    own day ("today", "on Monday", the dateline) for news of the day before.
    Days outside the budget's window are left out.
    """
    weight: dict[dt.date, float] = defaultdict(float)
    sentence_count: dict[dt.date, int] = defaultdict(int)
    counted: set[tuple[dt.date, str]] = set()
    for mention in mentions:
        day, article_id = mention.day, mention.sentence.article_id
        sentence_count[day] += 1
        if (day, article_id) in counted:
            continue
        counted.add((day, article_id))
        published = articles[article_id].published
        lag = max((published - day).days, 0) if published is not None else 0
        credit = 1.0 + retrospective * math.log1p(lag)
        before = _shift(day, -1) if published == day else None
        if before is not None and budget.covers(before):
            weight[before] += day_before_share * credit
            credit *= 1.0 - day_before_share
        weight[day] += credit
    return weight, sentence_count


def _rank_days(
    mentions: Sequence[_Mention],
    articles: Mapping[str, Article],
    budget: TimelineBudget,
    *,
    retrospective: float,
    day_before_share: float,
) -> list[dt.date]:
    """Days by weighted mentioning articles (:func:`_day_weights`), then mentioning
    sentences, then publications; days that no article mentions follow."""
    weight, sentence_count = _day_weights(
        mentions,
        articles,
        budget,
        retrospective=retrospective,
        day_before_share=day_before_share,
    )
    published_count: dict[dt.date, int] = defaultdict(int)
    for article in articles.values():
        if article.published is not None:
            published_count[article.published] += 1
    days = set(weight) | set(published_count)
    return sorted(
        days,
        key=lambda day: (
            -weight.get(day, 0.0),
            -sentence_count.get(day, 0),
            -published_count.get(day, 0),
            day,
        ),
    )


def _wording(sentence: Sentence, articles: Mapping[str, Article]) -> str:
    return " ".join(sentence.text(articles[sentence.article_id]).lower().split())


def _facts_by_sentence(story: Story) -> dict[str, Fact]:
    return {sentence_id: fact for fact in story.facts for sentence_id in fact.sentence_ids}


class DateMentionTimelineBuilder:
    """Date-wise timeline: days ranked by mentioning articles, summarised by the core selector.

    ``summarizer`` selects each day's sentences (the core's concept-coverage
    selector by default, selecting by coverage alone: ``narrative=False``).
    ``fact_grouper`` groups the candidates that the story's facts do not cover (for a
    story built without fact grouping); with
    ``None`` each such sentence is a fact of its own. ``lead_sentences``: how
    many leading sentences of an article published on a day (or
    ``publication_lag`` days later) are its candidates. ``max_words``: longer
    candidates are dropped unless nothing shorter is left. ``retrospective``:
    the extra weight of a mention per log-day between the day and the report.
    ``day_before_share``: the part of a mention of the report's own day that
    goes to the day before.
    ``horizon``: days further than this after a report's publication are not
    mentions (page furniture stamped later, not news).
    ``evidence_limit``: at most this many articles' expressions are kept as an
    entry's evidence.
    """

    def __init__(
        self,
        *,
        summarizer: Summarizer | None = None,
        fact_grouper: FactGrouper | None = None,
        lead_sentences: int = 3,
        publication_lag: int = 1,
        evidence_limit: int = 10,
        max_words: int = 40,
        retrospective: float = 0.25,
        day_before_share: float = 0.4,
        horizon: int = 366,
    ) -> None:
        self.summarizer = summarizer
        self.fact_grouper = fact_grouper
        self.lead_sentences = lead_sentences
        self.publication_lag = publication_lag
        self.evidence_limit = evidence_limit
        self.max_words = max_words
        self.retrospective = retrospective
        self.day_before_share = day_before_share
        self.horizon = horizon

    def build(
        self,
        story: Story,
        articles: Mapping[str, Article],
        expressions: Mapping[str, Sequence[TimeExpression]],
        budget: TimelineBudget,
    ) -> Timeline:
        usable, sentences = _in_window(story, articles, budget)
        mentions = _mentions(usable, sentences, expressions, budget, self.horizon)
        by_day: dict[dt.date, list[_Mention]] = defaultdict(list)
        for mention in mentions:
            by_day[mention.day].append(mention)
        leads = self._leads(usable, sentences, {m.sentence.id for m in mentions}, budget)
        facts = _facts_by_sentence(story)
        by_id = {sentence.id: sentence for sentence in story.sentences}
        summarizer = self.summarizer or ConceptCoverageSummarizer(narrative=False)
        order = reading_order(list(usable.values()))
        entries: list[TimelineEntry] = []
        used: set[str] = set()
        for day in _rank_days(
            mentions,
            usable,
            budget,
            retrospective=self.retrospective,
            day_before_share=self.day_before_share,
        ):
            if len(entries) == budget.dates:
                break
            fresh = [
                sentence
                for sentence in [m.sentence for m in by_day.get(day, ())] + leads.get(day, [])
                if sentence.id not in used and _wording(sentence, usable) not in used
            ]
            candidates = self._short(list(dict.fromkeys(fresh)), usable)
            if not candidates:
                continue
            chosen = self._select(
                story=story,
                articles=usable,
                candidates=candidates,
                facts=facts,
                by_id=by_id,
                day=day,
                budget=budget,
                summarizer=summarizer,
            )
            if not chosen:
                continue
            for item in chosen:
                used.add(" ".join(item.text.lower().split()))
                used.update(citation.sentence_id for citation in item.citations)
            entries.append(
                TimelineEntry(
                    date=TimeRef(start=day, end=day, granularity="day"),
                    sentences=chosen,
                    evidence=self._evidence(by_day.get(day, ()), chosen, order),
                )
            )
        entries.sort(key=lambda entry: entry.date.start)
        return Timeline(story_id=story.id, entries=tuple(entries))

    def _short(self, candidates: list[Sentence], articles: Mapping[str, Article]) -> list[Sentence]:
        """The candidates of at most ``max_words`` words, or all of them if none is that short."""
        short = [
            sentence
            for sentence in candidates
            if len(sentence.text(articles[sentence.article_id]).split()) <= self.max_words
        ]
        return short or candidates

    def _leads(
        self,
        articles: Mapping[str, Article],
        sentences: Mapping[str, Sequence[Sentence]],
        dated: set[str],
        budget: TimelineBudget,
    ) -> dict[dt.date, list[Sentence]]:
        """Each day's lead candidates: undated leading sentences of that day's reports."""
        leads: dict[dt.date, list[Sentence]] = defaultdict(list)
        for article_id, members in sentences.items():
            published = articles[article_id].published
            if published is None:
                continue
            opening = [s for s in members[: self.lead_sentences] if s.id not in dated]
            for lag in range(self.publication_lag + 1):
                day = _shift(published, -lag)
                if day is not None and budget.covers(day):
                    leads[day].extend(opening)
        return leads

    def _select(
        self,
        *,
        story: Story,
        articles: Mapping[str, Article],
        candidates: Sequence[Sentence],
        facts: Mapping[str, Fact],
        by_id: Mapping[str, Sentence],
        day: dt.date,
        budget: TimelineBudget,
        summarizer: Summarizer,
    ) -> tuple[SummarySentence, ...]:
        """The day's summary over the candidate sub-story, citing whole story facts."""
        ids = {sentence.id for sentence in candidates}
        restricted: dict[str, Fact] = {}
        for sentence in candidates:
            fact = facts.get(sentence.id)
            if fact is not None and fact.id not in restricted:
                restricted[fact.id] = replace(
                    fact, sentence_ids=tuple(s for s in fact.sentence_ids if s in ids)
                )
        loose = [sentence for sentence in candidates if sentence.id not in facts]
        local: dict[str, Fact] = {}
        if loose and self.fact_grouper is not None:
            for fact in self.fact_grouper.group(loose, articles):
                local_id = f"{day.isoformat()}/{fact.id}"
                local[local_id] = replace(fact, id=local_id)
        sub_story = Story(
            id=f"{story.id}@{day.isoformat()}",
            article_ids=tuple(dict.fromkeys(s.article_id for s in candidates)),
            sentences=tuple(candidates),
            facts=(*restricted.values(), *local.values()),
        )
        summary = summarizer.summarize(
            sub_story, articles, Budget(unit="sentences", limit=budget.sentences_per_date)
        )
        chosen = []
        for item in summary.sentences:
            fact = facts.get(item.sentence_id)
            if fact is None:
                chosen.append(item)
                continue
            members = (by_id[s] for s in fact.sentence_ids if s in by_id)
            chosen.append(
                replace(item, fact_id=fact.id, citations=tuple(map(Sentence.citation, members)))
            )
        return tuple(chosen)

    def _evidence(
        self,
        mentions: Iterable[_Mention],
        chosen: Sequence[SummarySentence],
        order: Mapping[str, tuple[dt.date, int]],
    ) -> tuple[TimeExpression, ...]:
        """One expression per mentioning article, preferring the cited sentences."""
        cited = {citation.sentence_id for item in chosen for citation in item.citations}
        best: dict[str, _Mention] = {}
        for mention in mentions:
            article_id = mention.sentence.article_id
            held = best.get(article_id)
            if held is None or (mention.sentence.id in cited and held.sentence.id not in cited):
                best[article_id] = mention
        ranked = sorted(
            best.values(), key=lambda m: (order[m.sentence.article_id], m.sentence.index)
        )
        return tuple(mention.expression for mention in ranked[: self.evidence_limit])


class PublicationCentroidTimelineBuilder:
    """Peer baseline: top publication days, sentences nearest each day's TF-IDF centroid.

    Ignores time expressions. ``min_words``: shorter sentences are not
    candidates (headlines and bylines would otherwise sit near any centroid).
    """

    def __init__(self, *, min_words: int = 5) -> None:
        self.min_words = min_words

    def build(
        self,
        story: Story,
        articles: Mapping[str, Article],
        expressions: Mapping[str, Sequence[TimeExpression]],
        budget: TimelineBudget,
    ) -> Timeline:
        usable, sentences = _in_window(story, articles, budget)
        by_day: dict[dt.date, list[tuple[Sentence, str]]] = defaultdict(list)
        published: dict[dt.date, int] = defaultdict(int)
        for article_id, members in sentences.items():
            article = usable[article_id]
            if article.published is None:
                continue
            published[article.published] += 1
            for sentence in members:
                text = sentence.text(article)
                if len(text.split()) >= self.min_words:
                    by_day[article.published].append((sentence, text))
        ranked = sorted(by_day, key=lambda day: (-published[day], day))[: budget.dates]
        if not ranked:
            return Timeline(story_id=story.id, entries=())
        # Imported here: only this peer baseline needs scikit-learn, and importing it
        # costs every CLI run about a second.
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415

        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        try:
            vectorizer.fit([text for day in ranked for _, text in by_day[day]])
        except ValueError:  # nothing but stop words: no vocabulary to weigh
            return Timeline(story_id=story.id, entries=())
        facts = _facts_by_sentence(story)
        entries = []
        for day in sorted(ranked):
            chosen = self._nearest(by_day[day], vectorizer, facts, budget.sentences_per_date)
            if chosen:
                entries.append(
                    TimelineEntry(
                        date=TimeRef(start=day, end=day, granularity="day"), sentences=chosen
                    )
                )
        return Timeline(story_id=story.id, entries=tuple(entries))

    @staticmethod
    def _nearest(
        items: Sequence[tuple[Sentence, str]],
        vectorizer: TfidfVectorizer,
        facts: Mapping[str, Fact],
        count: int,
    ) -> tuple[SummarySentence, ...]:
        matrix = vectorizer.transform([text for _, text in items])
        centroid = np.asarray(matrix.mean(axis=0)).ravel()
        norm = float(np.linalg.norm(centroid))
        if norm == 0.0:
            return ()
        scores = matrix @ (centroid / norm)
        chosen: list[SummarySentence] = []
        seen: set[str] = set()
        for index in np.argsort(-scores, kind="stable").tolist():
            sentence, text = items[index]
            fact = facts.get(sentence.id)
            key = fact.id if fact is not None else " ".join(text.lower().split())
            if key in seen or scores[index] <= 0.0:
                continue
            seen.add(key)
            chosen.append(
                SummarySentence(
                    sentence_id=sentence.id,
                    text=text,
                    fact_id=fact.id if fact is not None else sentence.id,
                    citations=(sentence.citation(),),
                )
            )
            if len(chosen) == count:
                break
        return tuple(chosen)
