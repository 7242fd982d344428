"""Select: a story -> a length-bounded extractive summary with per-sentence citations.

Input -> output: a :class:`~storyline.model.Story` (its sentences, grouped into
facts), the articles they point into and a :class:`~storyline.model.Budget`
become a :class:`~storyline.model.Summary`: whole sentences, at most one per
fact, each citing every sentence of its fact, in story order.

Story order (``narrative=True``, the default): the lead event first, then what
followed. Each chosen sentence is placed on the day its fact refers to (the first
day-precise date its wording, else another sentence of its fact, mentions, resolved by
the rule tagger against its article's date), else on the day its fact was first
reported (the earliest publication among all its sentences, not the chosen wording's
article); ties go to the earlier position in its article, then to reading order
(publication date, undated last, article id, sentence index). The lead event is, among
the first prose sentences of the articles published on the story's first day, the one
whose fact the most articles carry (what several outlets open with), ties to the larger
selection gain; the concept summarizer takes it first when its fact is not already in
the selection. A sentence that opens pointing back ("However,", "As such,", "He":
:func:`~storyline.text.cohesion.opens_dangling`) comes right after its antecedent (the
sentence before it in its article, up to two back): the greedy weighs it together with
its antecedents as one unit, or passes it over when they cannot come (not prose, their
fact already stated, or over the budget). Measured on Multi-News val250 at 250 words
(rouge-score 0.1.2): ROUGE-1/2/Lsum F1 46.74/16.91/42.86 before, 46.68/16.87/42.78
after; summary sentences opening dangling 214 of 2,836 before, 0 of 2,798 after; on
Timeline17 (``bench/summary_order.py``) the Kendall tau between the summary's order
and the dates of the matching reference entries went from -0.036 to +0.279 (+0.064 for
the new selection in reading order). ``narrative=False`` keeps the selection by
coverage alone in reading order (timeline entries use it). Dates are read cheaply: each
wording is tagged at most once per summary, the lead event's not at all (it comes first
whatever its day), and an undated sentence only when it holds a year in digits
(:func:`~storyline.text.temporal.first_day`); on Multi-News val250 that took the tagger
calls from 3,112 to 203 and story order from about 1.0 to 0.3 ms a cluster, every summary
unchanged.

Two summarizers satisfy the :class:`Summarizer` protocol:

- :class:`ConceptCoverageSummarizer`, the default. It follows the concept-based
  model of Gillick & Favre (2009, "A scalable global model for summarization"):
  concepts are word bigrams (stemmed; a bigram of two function words is not a
  concept); a concept counts only when at least two sentences of the story
  carry it, and a concept carried by ``k`` sources (distinct
  :attr:`~storyline.model.Article.source`, so one outlet's repeated page
  furniture does not count as agreement) weighs ``k ** 2``: what several
  sources agree on outweighs what one source repeats. A summary's
  value is the total weight of the concepts it covers, each counted once, so
  saying a thing twice earns nothing. News puts the most important facts
  first (the location method of Edmundson 1969, the inverted pyramid), so each
  sentence also earns a lead prior ``1 / (1 + rank)``, where ``rank`` is its
  position among the article's prose sentences, scaled to ``position_weight``
  times the concept weight of an average article, and only the first
  ``lead_sentences`` prose sentences of an article are candidates (the rest of
  the article still votes for concepts). The objective is monotone submodular,
  so it is maximised with the cost-scaled greedy algorithm of Lin & Bilmes
  (2010, "Multi-document summarization via budgeted maximization of submodular
  functions"): repeatedly take the sentence with the best gain per
  ``cost ** cost_exponent`` that still fits, then keep the better of that set
  and the best single sentence. On Multi-News its summaries score as well as
  exact integer-programming solutions of the same objective, at a tenth of the
  time. When no sentence has the shape of prose (below), as in a single article of
  short lines, it falls back to the lead sentences that fit, as the baseline takes them.
- :class:`LeadSummarizer`, the classic baseline: the first sentence of every
  article (in input order), then the second of every article, and so on.

Sentences that are not prose are never selected (see :func:`_prose`):
fragments, headings, bylines, photo captions and credits, menu lines ("Share
Tweet Pin Email") and other page furniture. The test is the shape of a
sentence, not a list of sites: at least ``min_words`` words, a start like a
sentence's (capital letter, digit or opening mark) and an end like one (``.``,
``!`` or ``?``, then closing marks), not in title case, at least one function
word (a line without one has no verb phrase), and none of the phrases of page
furniture (caption, photo credit, click here, subscribe to).

The budget counts each sentence as the :meth:`~storyline.model.Budget.cost` of
its text; in bytes it also counts the newline that :attr:`Summary.text` puts
between sentences, so ``budget.cost(summary.text) <= budget.limit`` always holds.
Everything is deterministic: ties go to the earlier sentence in story order.

A :class:`Guidance` steers one call without copying the selection: ``candidates``
limits the sentences that may be chosen (an update: the sentences of facts the reader
has not been given), and ``relevance`` weighs each sentence (a question: the relevance
of its fact, in [0, 1]; a sentence of weight 0 is never chosen). The concept
summarizer multiplies a sentence's gain by its weight; the lead baseline visits the
more relevant sentences first. Without guidance the summary is the same as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from storyline.model import (
    Article,
    Budget,
    Sentence,
    Story,
    Summary,
    SummarySentence,
    sentence_texts,
)
from storyline.stories.copies import reading_order
from storyline.text._arrays import dense_rank, distinct, run_starts
from storyline.text.cohesion import opens_dangling
from storyline.text.temporal import RuleTimeTagger, TimeTagger, first_day
from storyline.text.tokens import TokenTable, tokenize

__all__ = ["ConceptCoverageSummarizer", "Guidance", "LeadSummarizer", "Steering", "Summarizer"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Guidance:
    """Steers one selection (see the module docstring).

    ``candidates``: the ids of the sentences that may be selected (None: all).
    ``relevance``: sentence id -> weight in [0, 1] (None: all 1); a sentence that is
    not in it weighs 0 and is never selected.
    """

    candidates: frozenset[str] | None = None
    relevance: Mapping[str, float] | None = None


Steering = Callable[[Story, Mapping[str, Article]], Guidance]
"""Given a story (sentences grouped into facts) and its articles, the guidance of its
summary (see :meth:`storyline.pipeline.Pipeline.run`)."""


class Summarizer(Protocol):
    """Selects the sentences of a story that fit a budget (steered by ``guidance``)."""

    def summarize(
        self,
        story: Story,
        articles: Mapping[str, Article],
        budget: Budget,
        guidance: Guidance | None = None,
    ) -> Summary: ...


_FloatArray = npt.NDArray[np.float64]
_IntArray = npt.NDArray[np.int64]
_BoolArray = npt.NDArray[np.bool_]

_OPENING = "\"'“‘«([`"
_CLOSING = "\"'”’») ]\t\n"
_TERMINAL = ".!?…"
# Page furniture that scraped news text carries: photo captions and credits,
# calls to action, notices. Matched in lower-cased text.
_FURNITURE = (
    "caption",
    "photo credit",
    "image credit",
    "(ap photo",
    "getty images",
    "click here",
    "click to ",
    "sign up for",
    "subscribe to",
    "your browser",
    "enable javascript",
    "all rights reserved",
)
# In title case most words are capitalised; in prose most are not.
_TITLE_CASE_SHARE = 0.6
# Sentence x concept matrices up to this many cells are multiplied dense; past
# it a sparse product (whose cost follows the non-zero cells) is faster.
_DENSE_CELLS = 1 << 16
# A dangling sentence may bring at most this many sentences before it as its context.
_CONTEXT = 2


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The story's sentences in story order, with what selection needs of each.

    ``costs`` and ``limit`` are in budget units; in bytes every sentence pays one
    more byte for the newline before it, and the limit grows by the one byte the
    first sentence does not need. ``fact_of`` numbers the facts of the story;
    a sentence no fact claims stands for itself, after them. ``antecedent`` is the
    sentence before each one in its article (-1: none); ``dangling`` says which open
    pointing back to it.
    """

    sentences: tuple[Sentence, ...]
    texts: tuple[str, ...]
    costs: _FloatArray
    positions: _IntArray
    article_of: _IntArray
    source_of: _IntArray
    fact_of: _IntArray
    fact_ids: tuple[str, ...]
    fact_sentences: tuple[tuple[str, ...], ...]
    by_id: Mapping[str, Sentence]
    index_of: Mapping[str, int]
    reading_key: tuple[tuple[dt.date, int, int], ...]
    antecedent: _IntArray
    dangling: _BoolArray
    limit: float

    def day(self, index: int) -> int:
        """The publication day (ordinal) of sentence ``index``'s article; undated: the last."""
        return self.reading_key[index][0].toordinal()


def _prepare(story: Story, articles: Mapping[str, Article], budget: Budget) -> _Candidates:
    sentences = story.sentences
    article_ids = [sentence.article_id for sentence in sentences]
    missing = set(article_ids).difference(articles)
    if missing:
        stray = next(s for s in sentences if s.article_id in missing)
        raise ValueError(
            f"sentence '{stray.id}' belongs to article '{stray.article_id}', "
            "which is not among the articles given"
        )
    texts = sentence_texts(sentences, articles)
    ids = [sentence.id for sentence in sentences]
    by_id = dict(zip(ids, sentences, strict=True))
    index_of = {key: number for number, key in enumerate(ids)}
    at = {(sentence.article_id, sentence.index): n for n, sentence in enumerate(sentences)}
    fact_ids = [fact.id for fact in story.facts]
    fact_sentences = [fact.sentence_ids for fact in story.facts]
    fact_index: dict[str, int] = {}
    for number, fact in enumerate(story.facts):
        for sentence_id in fact.sentence_ids:
            if sentence_id not in by_id:
                raise ValueError(f"fact '{fact.id}' cites unknown sentence '{sentence_id}'")
            fact_index.setdefault(sentence_id, number)
    for sentence in sentences:
        if sentence.id not in fact_index:
            fact_index[sentence.id] = len(fact_ids)
            fact_ids.append(sentence.id)
            fact_sentences.append((sentence.id,))
    separator = 1 if budget.unit == "bytes" else 0
    in_order = dict.fromkeys([*story.article_ids, *article_ids])
    present = [articles[key] for key in in_order if key in articles]
    order = reading_order(present)
    outlets = dict.fromkeys(article.source for article in present)
    source_ids = dict(zip(outlets, range(len(outlets)), strict=True))
    count = len(sentences)
    published, rank = zip(*map(order.__getitem__, article_ids), strict=True) if count else ((), ())
    positions = [sentence.index for sentence in sentences]
    return _Candidates(
        sentences=sentences,
        texts=texts,
        costs=np.fromiter(map(budget.cost, texts), dtype=np.float64, count=count) + separator,
        positions=np.array(positions, dtype=np.int64),
        article_of=np.array(rank, dtype=np.int64),
        source_of=np.fromiter(
            map(source_ids.__getitem__, (articles[key].source for key in article_ids)),
            dtype=np.int64,
            count=count,
        ),
        fact_of=np.fromiter(map(fact_index.__getitem__, ids), dtype=np.int64, count=count),
        fact_ids=tuple(fact_ids),
        fact_sentences=tuple(fact_sentences),
        by_id=by_id,
        index_of=index_of,
        reading_key=tuple(zip(published, rank, positions, strict=True)),
        antecedent=np.fromiter(
            (at.get((s.article_id, s.index - 1), -1) for s in sentences), np.int64, count
        ),
        dangling=np.fromiter(map(opens_dangling, texts), dtype=bool, count=count),
        limit=float(budget.limit + separator),
    )


def _steering(candidates: _Candidates, guidance: Guidance | None) -> tuple[_BoolArray, _FloatArray]:
    """Which sentences ``guidance`` lets be selected, and each one's relevance weight."""
    count = len(candidates.sentences)
    weights = np.ones(count)
    if guidance is None:
        return np.ones(count, dtype=bool), weights
    ids = [sentence.id for sentence in candidates.sentences]
    if guidance.relevance is not None:
        relevance = guidance.relevance
        weights = np.clip(np.fromiter((relevance.get(i, 0.0) for i in ids), float, count), 0, 1)
    allowed = weights > 0
    if guidance.candidates is not None:
        chosen = guidance.candidates
        allowed &= np.fromiter((i in chosen for i in ids), dtype=bool, count=count)
    return allowed, weights


def _bounded(text: str) -> bool:
    """Whether ``text`` starts and ends the way a sentence does."""
    end = text.rstrip(_CLOSING)
    return (
        end != ""
        and (text[0].isupper() or text[0].isdigit() or text[0] in _OPENING)
        and end[-1] in _TERMINAL
    )


def _prose(texts: Sequence[str], words: TokenTable, *, min_words: int) -> _BoolArray:
    """Which sentences have the shape of summary-worthy prose (see the module docstring)."""
    count = len(texts)
    rows = words.token_row
    tokens = np.bincount(rows, minlength=count)
    capitals = np.bincount(rows, weights=words.type_capital[words.token_type], minlength=count)
    function_words = np.bincount(rows, weights=words.type_stop[words.token_type], minlength=count)
    length = np.fromiter(map(len, map(str.split, texts)), dtype=np.int64, count=count)
    bounded = np.fromiter(map(_bounded, texts), dtype=bool, count=count)
    prose = (
        bounded
        & (length >= min_words)
        & (capitals <= _TITLE_CASE_SHARE * tokens)
        & (function_words > 0)
    )
    lowered = [text.lower() for text in texts]
    starts = np.cumsum([0, *(len(text) + 1 for text in lowered)])
    joined = "\n".join(lowered)
    for marker in _FURNITURE:
        found = joined.find(marker)
        while found >= 0:
            prose[int(np.searchsorted(starts, found, side="right")) - 1] = False
            found = joined.find(marker, found + 1)
    return prose


def _summary(
    story: Story,
    budget: Budget,
    candidates: _Candidates,
    chosen: Sequence[int],
    *,
    tagger: TimeTagger | None,
    lead: int | None = None,
) -> Summary:
    """The chosen sentences in story order (reading order without ``tagger``), each citing
    every sentence of its fact."""
    selected = []
    if tagger is None:
        ordered = sorted(chosen, key=lambda i: (candidates.reading_key[i], i))
    else:
        ordered = _story_order(candidates, chosen, tagger=tagger, lead=lead)
    for index in ordered:
        fact = int(candidates.fact_of[index])
        selected.append(
            SummarySentence(
                sentence_id=candidates.sentences[index].id,
                text=candidates.texts[index],
                fact_id=candidates.fact_ids[fact],
                citations=tuple(
                    candidates.by_id[member].citation()
                    for member in candidates.fact_sentences[fact]
                ),
            )
        )
    return Summary(story_id=story.id, budget=budget, sentences=tuple(selected))


def _story_order(
    candidates: _Candidates, chosen: Sequence[int], *, tagger: TimeTagger, lead: int | None
) -> list[int]:
    """``chosen`` in story order (see the module docstring): the lead event, then by day.

    Each sentence's day is the day its fact refers to (:func:`_event_day`), else the day
    its fact was first reported (the earliest publication among all its sentences, not
    the chosen wording's); ties go to the earlier position in its article, then to
    reading order. A dangling sentence (:func:`~storyline.text.cohesion.opens_dangling`)
    whose antecedent, the sentence before it in its article, is chosen too follows it.
    """
    taken = set(chosen)
    follower: dict[int, int] = {}
    for index in chosen:
        before = int(candidates.antecedent[index])
        if candidates.dangling[index] and before in taken:
            follower[before] = index
    first_reported = np.full(len(candidates.fact_ids), dt.date.max.toordinal(), dtype=np.int64)
    days = np.fromiter(map(candidates.day, range(len(candidates.sentences))), np.int64)
    np.minimum.at(first_reported, candidates.fact_of, days)

    tagged: dict[tuple[str, dt.date], int | None] = {}

    def key(index: int) -> tuple[int, int, tuple[dt.date, int, int], int]:
        event = _event_day(candidates, index, tagger, tagged)
        day = int(first_reported[candidates.fact_of[index]]) if event is None else event
        return day, int(candidates.positions[index]), candidates.reading_key[index], index

    glued = set(follower.values())
    # The lead event comes first whatever its day: its key (and its dates) is never needed.
    roots = sorted((i for i in chosen if i not in glued and i != lead), key=key)
    if lead is not None and lead in chosen and lead not in glued:
        roots.insert(0, lead)
    ordered: list[int] = []
    for root in roots:
        current: int | None = root
        while current is not None:
            ordered.append(current)
            current = follower.get(current)
    return ordered


def _event_day(
    candidates: _Candidates,
    index: int,
    tagger: TimeTagger,
    tagged: dict[tuple[str, dt.date], int | None],
) -> int | None:
    """The day (ordinal) that sentence ``index``'s fact refers to, when one is resolved.

    The first day-precise date or time the chosen wording mentions, else the first that
    another sentence of its fact mentions (earliest report first), each resolved against
    its own article's publication date (:func:`~storyline.text.temporal.first_day`).
    ``tagged`` keeps each (text, publication date) read so far in this summary, so no
    wording is tagged twice.
    """
    fact = candidates.fact_sentences[int(candidates.fact_of[index])]
    chosen_id = candidates.sentences[index].id
    for member_id in (chosen_id, *(key for key in fact if key != chosen_id)):
        member = candidates.index_of[member_id]
        published = candidates.reading_key[member][0]
        text = candidates.texts[member]
        if (text, published) not in tagged:
            day = first_day(
                tagger,
                text,
                None if published == dt.date.max else published,
                article_id=candidates.sentences[member].article_id,
            )
            tagged[text, published] = None if day is None else day.toordinal()
        found = tagged[text, published]
        if found is not None:
            return found
    return None


def _context(
    candidates: _Candidates, index: int, chosen: set[int], open_: _BoolArray
) -> list[int] | None:
    """The sentences before dangling sentence ``index`` in its article that it needs.

    Back from ``index`` while the sentence opens dangling: its antecedent, unless chosen
    already, joins the context (at most ``_CONTEXT`` of them). None when an antecedent is
    missing, not ``open_`` (not usable, or its fact stated already) or states the fact of
    a later one: the sentence is then passed over.
    """
    context: list[int] = []
    facts = {int(candidates.fact_of[index])}
    current = index
    while candidates.dangling[current]:
        before = int(candidates.antecedent[current])
        if before in chosen:
            break
        if before < 0 or not open_[before] or len(context) == _CONTEXT:
            return None
        fact = int(candidates.fact_of[before])
        if fact in facts:
            return None
        context.insert(0, before)
        facts.add(fact)
        current = before
    return context


def _first_day(candidates: _Candidates, leads: _BoolArray) -> _IntArray:
    """The sentences of ``leads`` whose articles were published on the earliest day of them
    (the undated count as one day, after the dated)."""
    pool = np.flatnonzero(leads)
    if pool.size == 0:
        return pool
    days = np.fromiter(map(candidates.day, pool.tolist()), np.int64, pool.size)
    first: _IntArray = pool[days == days.min()]
    return first


def _most_central(
    candidates: _Candidates, indexes: Sequence[int], gains: _FloatArray
) -> int | None:
    """Of ``indexes``, the sentence whose fact the most articles carry, then the larger gain.

    What several outlets report is the event; ties go to the selection's own gain (concept
    weight and lead prior), then to story order.
    """

    def centrality(index: int) -> tuple[int, float, int]:
        fact = candidates.fact_sentences[int(candidates.fact_of[index])]
        carried = {candidates.by_id[member].article_id for member in fact}
        return len(carried), float(gains[index]), -index

    return max(indexes, key=centrality, default=None)


def _prose_rank(candidates: _Candidates, prose: _BoolArray) -> _FloatArray:
    """Each sentence's rank among the prose sentences before it in its article."""
    articles = candidates.article_of
    order = np.lexsort((candidates.positions, articles))
    taken = prose[order].astype(np.int64)
    ahead: _IntArray = np.cumsum(taken) - taken
    group_start = np.maximum.accumulate(
        np.where(run_starts(articles[order]), np.arange(order.size), 0)
    )
    rank = np.empty(order.size, dtype=np.float64)
    rank[order] = ahead - ahead[group_start]
    return rank


class LeadSummarizer:
    """Round-robin lead baseline: sentence 1 of every article, then sentence 2, ...

    Articles are visited in story order. A sentence that does not fit the
    remaining budget, or whose fact is already in the summary, is skipped and
    the walk goes on, so the budget is filled as far as whole sentences allow.
    With ``skip_non_prose`` the lines that are not prose (headings, captions,
    bylines, fragments under ``min_words`` words) are skipped too; by default
    the baseline takes sentences as they come, as the classic LEAD does. The chosen
    sentences come in story order (the module docstring), without a lead event, or with
    ``narrative=False`` in reading order. ``tagger`` resolves the dates the sentences
    refer to (None: the rule tagger).
    """

    def __init__(
        self,
        *,
        skip_non_prose: bool = False,
        min_words: int = 8,
        narrative: bool = True,
        tagger: TimeTagger | None = None,
    ) -> None:
        self.skip_non_prose = skip_non_prose
        self.min_words = min_words
        self.narrative = narrative
        self.tagger: TimeTagger = RuleTimeTagger() if tagger is None else tagger

    def summarize(
        self,
        story: Story,
        articles: Mapping[str, Article],
        budget: Budget,
        guidance: Guidance | None = None,
    ) -> Summary:
        candidates = _prepare(story, articles, budget)
        permitted, weights = _steering(candidates, guidance)
        allowed = (candidates.costs <= candidates.limit) & permitted
        if self.skip_non_prose:
            texts = candidates.texts
            allowed &= _prose(texts, tokenize(texts), min_words=self.min_words)
        chosen = _lead(story, candidates, allowed, weights)
        tagger = self.tagger if self.narrative else None
        return _summary(story, budget, candidates, chosen, tagger=tagger)


def _lead(
    story: Story, candidates: _Candidates, allowed: _BoolArray, weights: _FloatArray
) -> list[int]:
    """Round-robin over the articles in story order: first allowed sentences, then seconds...

    A sentence is skipped when it does not fit what is left of the budget or when its
    fact is already taken; the walk goes on to fill the budget with whole sentences.
    The more relevant sentences (``weights``) are visited first.
    """
    chosen: list[int] = []
    remaining = candidates.limit
    facts_used: set[int] = set()
    in_story = {key: rank for rank, key in enumerate(story.article_ids)}
    visit = np.fromiter(
        (in_story.get(s.article_id, len(in_story)) for s in candidates.sentences),
        dtype=np.int64,
        count=len(candidates.sentences),
    )
    for index in np.lexsort((visit, candidates.positions, -weights)).tolist():
        fact = int(candidates.fact_of[index])
        cost = float(candidates.costs[index])
        if allowed[index] and fact not in facts_used and cost <= remaining:
            chosen.append(index)
            remaining -= cost
            facts_used.add(fact)
    return chosen


@dataclass(frozen=True, slots=True)
class _Concepts:
    """Kept concepts: their weights and the sentence x concept incidence (CSR arrays)."""

    weights: _FloatArray
    indptr: _IntArray
    indices: _IntArray

    def matrix(self, rows: int) -> _FloatArray | sp.csr_matrix:
        """The incidence as a matrix: dense when small (faster), sparse otherwise."""
        columns = self.weights.size
        if rows * columns <= _DENSE_CELLS:
            dense = np.zeros((rows, columns))
            dense[np.repeat(np.arange(rows), np.diff(self.indptr)), self.indices] = 1.0
            return dense
        data = np.ones(self.indices.size)
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(rows, columns))

    def of(self, row: int) -> _IntArray:
        return self.indices[self.indptr[row] : self.indptr[row + 1]]


class ConceptCoverageSummarizer:
    """Greedy budgeted maximisation of weighted bigram-concept coverage plus a lead prior.

    ``min_concept_count``: how many sentences must carry a bigram for it to be a
    concept (Gillick & Favre likewise prune rare concepts).
    ``source_exponent``: a concept carried by ``k`` sources (outlets, as named
    by ``Article.source``) weighs ``k ** source_exponent``; above 1, agreement
    between sources counts more than repetition within one.
    ``position_weight``: the prior of an article's first prose sentence, as a
    share of the concept weight of an average article; it decays as ``1/(1+rank)``.
    ``lead_sentences``: only the first this many prose sentences of each article
    are candidates (all sentences still count towards concept weights); ``None``
    makes every sentence a candidate.
    ``cost_exponent``: gains are divided by ``cost ** cost_exponent`` (1 = gain
    per word, which favours short sentences; 0 = plain gain).
    ``min_words``: shorter sentences are fragments and never selected.
    ``narrative``: the summary reads as a story (the module docstring): the lead event
    is selected and comes first, a dangling sentence comes with its antecedent or not at
    all, and the order is story order. False selects by coverage alone, in reading order,
    as timeline entries are (their AR-2 on Timeline17 falls from 0.0397 to 0.0349 with
    the lead event, and to 0.0393 without it).
    ``tagger``: resolves the dates the chosen sentences refer to, for story order
    (None: the rule tagger).
    """

    def __init__(
        self,
        *,
        min_concept_count: int = 2,
        source_exponent: float = 2.0,
        position_weight: float = 0.1,
        lead_sentences: int | None = 20,
        cost_exponent: float = 0.8,
        min_words: int = 8,
        narrative: bool = True,
        tagger: TimeTagger | None = None,
    ) -> None:
        self.min_concept_count = min_concept_count
        self.source_exponent = source_exponent
        self.position_weight = position_weight
        self.lead_sentences = lead_sentences
        self.cost_exponent = cost_exponent
        self.min_words = min_words
        self.narrative = narrative
        self.tagger: TimeTagger = RuleTimeTagger() if tagger is None else tagger

    def summarize(
        self,
        story: Story,
        articles: Mapping[str, Article],
        budget: Budget,
        guidance: Guidance | None = None,
    ) -> Summary:
        candidates = _prepare(story, articles, budget)
        if not self.narrative:
            candidates = replace(candidates, dangling=np.zeros_like(candidates.dangling))
        tagger = self.tagger if self.narrative else None
        permitted, weights = _steering(candidates, guidance)
        words = tokenize(candidates.texts)
        prose = _prose(candidates.texts, words, min_words=self.min_words)
        rank = _prose_rank(candidates, prose)
        usable = prose & (candidates.costs <= candidates.limit) & permitted
        if self.lead_sentences is not None:
            usable &= rank < self.lead_sentences
        if not usable.any():
            # No sentence has the shape of prose (a single short article, say): rather
            # than nothing, the lead sentences that fit, as LeadSummarizer takes them.
            fits = (candidates.costs <= candidates.limit) & permitted
            chosen = _lead(story, candidates, fits, weights)
            return _summary(story, budget, candidates, chosen, tagger=tagger)
        concepts = self._concepts(candidates, words)
        total = float(concepts.weights.sum())
        mass = total / distinct(candidates.article_of).size if total > 0 else 1.0
        prior = self.position_weight * mass / (1.0 + rank)
        chosen = self._select(candidates, usable, concepts, prior, weights, lead=None)
        lead = None
        if self.narrative and (guidance is None or guidance.relevance is None):
            gains = concepts.matrix(len(candidates.sentences)) @ concepts.weights + prior
            pool = _first_day(candidates, usable & (rank == 0) & ~candidates.dangling)
            lead = _most_central(candidates, pool.tolist(), gains)
            if lead is not None:
                fact = candidates.fact_of[lead]
                lead = next((i for i in chosen if candidates.fact_of[i] == fact), lead)
                if lead not in chosen:
                    chosen = self._select(candidates, usable, concepts, prior, weights, lead=lead)
        return _summary(story, budget, candidates, chosen, tagger=tagger, lead=lead)

    def _concepts(self, candidates: _Candidates, words: TokenTable) -> _Concepts:
        """Bigrams of stems, not both function words, within a sentence.

        A concept is kept when ``min_concept_count`` sentences carry it, and
        weighs the number of sources that do, to the power ``source_exponent``.
        """
        count = len(candidates.texts)
        left, right = words.token_type[:-1], words.token_type[1:]
        rows = words.token_row[:-1]
        inside = (rows == words.token_row[1:]) & ~(words.type_stop[left] & words.type_stop[right])
        rows = rows[inside]
        if rows.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return _Concepts(
                weights=np.zeros(0), indptr=np.zeros(count + 1, np.int64), indices=empty
            )
        concept, concepts = dense_rank(
            words.type_stem[left[inside]] * words.stem_count + words.type_stem[right[inside]]
        )
        # Distinct (sentence, concept) pairs, sentence-major: the rows of the matrix.
        pairs = distinct(rows * concepts + concept)
        pair_row, pair_concept = pairs // concepts, pairs % concepts
        sources = int(candidates.source_of.max()) + 1
        in_sources = distinct(pair_concept * sources + candidates.source_of[pair_row]) // sources
        carried_by = np.bincount(in_sources, minlength=concepts).astype(np.float64)
        weights: _FloatArray = carried_by**self.source_exponent
        kept = np.bincount(pair_concept, minlength=concepts) >= self.min_concept_count
        column = np.cumsum(kept) - 1
        keep = kept[pair_concept]
        return _Concepts(
            weights=weights[kept],
            indptr=np.concatenate(([0], np.cumsum(np.bincount(pair_row[keep], minlength=count)))),
            indices=column[pair_concept[keep]],
        )

    def _select(
        self,
        candidates: _Candidates,
        usable: _BoolArray,
        concepts: _Concepts,
        prior: _FloatArray,
        relevance: _FloatArray,
        *,
        lead: int | None,
    ) -> list[int]:
        """Cost-scaled greedy, then the Lin & Bilmes check against the best single sentence.

        A sentence's gain is multiplied by its ``relevance`` (the unusable ones, which may
        weigh 0, score -inf whatever it is). The ``lead`` event is taken first. A dangling
        sentence (one that opens pointing back) whose antecedent is not taken competes as
        one unit with the antecedents it needs (:func:`_context`; their joint gain per
        joint cost), or is passed over when they cannot be taken (not usable, their fact
        already stated, more than ``_CONTEXT`` of them, or the unit too long).
        """
        costs = candidates.costs
        scale = np.maximum(costs, 1.0) ** self.cost_exponent
        weight = np.where(relevance > 0, relevance, 1.0)
        matrix = concepts.matrix(costs.size)
        uncovered = concepts.weights.copy()
        # Closed sentences (used, unusable, same fact as a chosen one, too long) score -inf.
        base = np.where(usable, prior, -np.inf)
        remaining = candidates.limit
        chosen: list[int] = []
        value = 0.0

        def take(index: int) -> None:
            nonlocal remaining, value
            chosen.append(index)
            remaining -= float(costs[index])
            value += float((uncovered[concepts.of(index)].sum() + prior[index]) * weight[index])
            base[candidates.fact_of == candidates.fact_of[index]] = -np.inf
            uncovered[concepts.of(index)] = 0.0

        if lead is not None:
            take(lead)
        while True:
            base[costs > remaining] = -np.inf
            score = (matrix @ uncovered + base) * weight / scale
            units: dict[int, list[int]] = {}
            while True:
                best = int(np.argmax(score))
                if score[best] == -np.inf or best in units or not candidates.dangling[best]:
                    break
                context = _context(candidates, best, set(chosen), base > -np.inf)
                if context is None or costs[context].sum() + costs[best] > remaining:
                    base[best] = score[best] = -np.inf  # the budget only shrinks: for good
                    continue
                units[best] = context
                if context:
                    members = [*context, best]
                    joint = np.unique(np.concatenate([concepts.of(m) for m in members]))
                    gain = (uncovered[joint].sum() + prior[members].sum()) * weight[members].min()
                    cost = max(float(costs[members].sum()), 1.0)
                    score[best] = gain / cost**self.cost_exponent
            if score[best] == -np.inf:
                break
            for member in (*units.get(best, ()), best):
                take(member)
        single = np.where(
            usable & ~candidates.dangling, (matrix @ concepts.weights + prior) * weight, -np.inf
        )
        best_single = int(np.argmax(single))
        if chosen and float(single[best_single]) > value:
            return [best_single]
        return chosen
