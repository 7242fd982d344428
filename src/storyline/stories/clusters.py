"""Clusters: a stream of articles -> stories (a partition of the article ids).

:class:`OnlineClusterer` follows single-pass clustering for topic detection and
tracking (TDT): Allan, Papka and Lavrenko 1998 ("On-line new event detection and
tracking") and Yang, Pierce and Carbonell 1998 ("A study on retrospective and
on-line event detection"). Articles are read once, in canonical order
(publication date, undated last, then id); each one joins the open story that
scores highest for it (below) when the score reaches ``threshold``, and
otherwise starts a story. The score starts from the cosine of the article's
tf-idf vector with the story's centroid (document frequencies counted over the
stream so far, as in those papers). A story lives in a time window: a dated
article may only join a story whose dated articles lie within ``window_days`` of
its date, and a story whose last article is more than ``window_days`` older than
the newest date seen is closed (the same kind of event weeks later is another
story). A story of undated articles never closes.

The score follows the posterior of a recurrent Chinese restaurant process, the prior
of Ahmed and Xing 2008 ("Dynamic non-parametric mixture models and the recurrent
Chinese restaurant process") that Ahmed et al. 2011 ("Unified analysis of
streaming news") use for storylines: an article joins a story with a probability
proportional to the story's size times the likelihood of the article under it,
or starts a story. With a log-linear likelihood in the cosine this is an
additive score:

- **both dated**: ``cosine + size_weight * ln(articles in the story)``. A story
  that many reports have joined draws the next report more easily than a story
  of one, so a long-running story is not cut into pieces each time a report
  shares fewer words with it than the threshold asks.
- **the article or the story undated**: ``undated_weight * cosine``, and no size
  prior. Without dates there is no evidence that the two fall in one time window
  (``undated_weight`` stands for the chance that they do), so the words must
  carry more; and the process counts the story's articles of the current time
  window, in which an undated article cannot be placed. Two undated stories
  merge on the same weighed cosine.

What is changed from the papers, and why (B-cubed F1 on the UCI headlines, the
Multi-News val stories and the Timeline17 topics, one default configuration for
all three; ``bench/sensitivity_clusters.py`` gives every parameter's
neighbourhood):

- **Stories merge** (a step of incremental agglomerative clustering; Miranda et
  al. 2018, "Multilingual Clustering of Streaming News", also compare clusters
  by centroid): after an article joins a story, the story is compared with the
  other open stories that the article resembled (a cosine, weighed as below when
  undated, of at least half the threshold; the five with the highest scores) and
  merged with the closest whose centroid is at least ``threshold`` similar, again
  while one is. Single-pass clustering
  otherwise fragments a story whose first reports share few words; at the same
  threshold merging raised the headlines from 0.61 to 0.74 and Timeline17 from
  0.41 to 0.62.
- **One threshold for headlines and full text**: an article's vector keeps its
  raw term frequencies (no saturation) and up to ``max_terms`` terms, so that
  the words a long article repeats, its topic, outweigh the many rare words it
  mentions once; the words of the title and of the first ``lead_words`` words
  count ``lead_weight`` times (the lead names the event). A headline's few words
  then meet a story centroid on the same cosine scale as a long article's.
  Keeping only a few keywords per article instead, in the manner of Allan et
  al.'s top-n query features, failed on long text: with saturated frequencies the
  top keywords are words used once (Timeline17 F1 0.01-0.11), and 20 terms gave
  Timeline17 0.66 against 0.76 with 200. Square-root or logarithmic term
  frequencies still cost Timeline17 about 0.09 at the threshold that suits them.
- **Names weigh more** (Miranda et al. keep named entities as separate
  features): a term's weight is multiplied by ``1 + name_weight * c``, with ``c``
  the share of its mid-sentence occurrences so far that were capitalised, so that
  "Plosser" or "Titanfall" count more than "set" or "lower". A sentence or
  headline in title case ("Hopes For Microsoft's Xbox One May Lie With
  Titanfall": at least three mid-sentence words, 60% of them capitalised) says
  nothing about names and is not counted (headlines 0.787 -> 0.800).
- **Smoothed document frequencies**: idf is ``ln((n + 500) / df)`` for ``n``
  articles seen, as if 500 articles without the word had come first; otherwise
  in a short stream the words all its articles share, the story's own, weigh
  nothing (three reports of one earthquake did not form one story). With 100
  instead of 500: 0.793, 0.814, 0.850; 300: 0.797, 0.812, 0.868; 700: 0.801,
  0.813, 0.878; 1,000: 0.803, 0.811, 0.884, but then the example stream's ~50
  articles get an almost flat idf and its bridge, fire and fare-data stories run
  together.

Measured (``storyline eval clustering``): UCI headlines 0.800, Multi-News val
stories 0.810, Timeline17 topics 0.874, against 0.767, 0.785 and 0.771 before
the size prior, the undated weight, the title-case rule and the stronger
smoothing. Without the size prior (``size_weight`` 0) the three read 0.793,
0.810 and 0.798; with ``undated_weight`` 1 Multi-News reads 0.779 (the others
have dates). What is left:

- The UCI headlines' 87 labelled stories each cover one day: the same subject a
  day later is another story there (Titanfall's reviews on the 10th, its launch
  on the 12th). Cutting this clusterer's stories at day boundaries would score
  0.859 (precision 0.757 -> 0.871), and labelling each headline with the story
  whose centroid (of its true members) is nearest scores 0.843: the gap to 0.85
  is that day split, which a clusterer that keeps a story open for weeks (and
  must keep a month-long story whole) cannot make.
- Timeline17's labels are whole crises over months, several at once; the
  default keeps them apart, but a threshold of 0.16 joins Egypt, Libya and Syria
  (2011) and swine flu with the financial crisis (0.80), and a size weight of
  0.03 lets the largest story draw in whatever overlaps its window (0.60).
- Multi-News: about 6% of the documents are identical boilerplate spread over
  30 stories, and several stories share one politician or place; average-linkage
  agglomeration with the threshold best for that file alone (not incremental)
  reaches 0.83-0.85 on vectors of this kind (0.828 with raw, 0.844 with
  square-root term frequencies; measured before the title-case rule and the
  stronger smoothing).

Tried and left out (measured here, most on a version of this configuration
with ``name_weight`` 2): re-assigning every article to its best
story once the pass is done (a k-means step with the same score: headlines
0.787 -> 0.765); absorbing stories of one or two articles into their best
neighbour at a lower cosine (Timeline17 +0.014, the others -0.003 and -0.007,
and it needs the closed stories' centroids); Gaussian time decay on the gap
between an article and a story (sigma 1-3 days: Timeline17 0.49-0.65); closing
a story after a silence long for its rate of reports (Timeline17 0.58-0.72);
entity bigrams (headlines -0.004 to -0.026); average-linkage story merging
(Multi-News -0.03); counting only a story's articles of the current window in
the size prior (Timeline17 0.869 against 0.884, with 1,000 prior documents).

Near-linear time: candidate stories come from an inverted index over the terms
of open story centroids (closed stories leave it). A word in the centroids of
more than 100 open stories proposes no candidate (it still counts in the
similarity of the candidates the article's rarer words found), which bounds the
work per article; this also raised the headlines' F1 (0.752 -> 0.767). 100,000
headlines take 17-21 s (``bench/bench_clusters.py``; log-log slope 1.4 from
6,250 to 100,000 while the window fills with open stories). A candidate whose
cosine cannot reach the threshold or the merge floor, even if the common words
added all they can (Cauchy-Schwarz: at most the norm of their weights), is passed
over before its centroid is read for them: on a 10,000-article ``make_stream.py``
stream (full texts) the rare words found 369 candidates an article on average,
about 1 was kept, and the common words' weights had a norm of 0.06. Same stories,
same state; 51.6-53.1 -> 38.8-43.7 CPU s for that stream.

Scoring on arrays (hand-written over NumPy; scipy's sparse products would sum in an
order of their own). On that stream once the window is full (8,000 articles in, 681
open stories), an article's rare words found 589 candidates, its ~30 common words
had a norm of 0.13, and since the merge floor is 0.1 the Cauchy-Schwarz bound passed
over none: each candidate's centroid was read for every common word (15,000 lookups
an article, two thirds of clustering). Now (1) a second bound, the sum of each common
word's weight times its ceiling (its largest share of an open centroid's norm, raised
as centroids gain the word, never lowered within a call), leaves about 85 candidates
of 400; (2) the window test, both bounds and the scores run on arrays over the
candidates; (3) the open centroids' weights of the common words are kept in a dense
array (a row per open story, a column per word once it was common), so a
candidate's dot product over them is one array operation per word, in the vector's
order. Every operation is the one the Python loop made, on the same two numbers,
rounded once, so the scores are the same to the last bit
(``tests/unit/test_clusters_scoring.py`` checks each call against that loop), and
so are the stories and the state (the 11,000-article stream: article -> story and
every state row identical; ``storyline eval clustering`` unchanged). The rarer
words' sums over the postings (about 4,000 products an article) are laid end to end
in the vector's order and summed per story by ``np.bincount``, which adds them one
after the other in that order, as the loop over the dictionaries did (the same
sums to the bit; the same checks). The
words of an article are read apart from the stream's statistics
(:meth:`OnlineClusterer.analyse`, :class:`ArticleTerms`), so that a store can read
the next batch in another process. One call over the first 5,000 articles of that
stream: 24.0-24.2 -> 15.5-15.6 CPU s (the same machine, runs interleaved).

Incremental use: ``cluster(articles, state)`` continues from the
:class:`ClusterState` an earlier call returned; feeding a stream in batches,
each later than the ones before in canonical order, gives the same stories as
one call over all of it (each call sorts its batch canonically). An article
whose id is already in the state or earlier in the batch is ignored. The state
is plain data (:meth:`ClusterState.to_dict`, :meth:`ClusterState.from_dict`):

- ``parameters``: the clusterer's parameters (a state is only continued by a
  clusterer with the same ones);
- ``documents``: articles seen; ``clock``: the newest date seen (ISO) or null;
- ``document_frequency``: per word stem, how many articles had it;
- ``capitalised``: per word stem, mid-sentence occurrences capitalised and all
  (title-case sentences left out);
- ``stories``: in order of their first article, each with ``articles`` (ids in
  canonical order) and their ``positions`` in the stream, the ``first`` and
  ``last`` dates of its dated articles, and, while the story is open, its
  ``centroid`` (the sum of its articles' unit vectors, stem -> weight) and the
  centroid's squared norm ``norm2``; a closed story has an empty centroid.

A partial state is continued the same way: the store hands in only the open stories
(in their order) and the counts of the terms of the new articles
(:meth:`OnlineClusterer.vocabulary` of their :meth:`OnlineClusterer.analyse`), and
gets back those stories and terms, updated, and the new ones. Closed stories are
never read again (an article joins, and a story merges with, open stories only), the
relative order of the stories settles every tie, and no other term's counts are read,
so the stories are those the whole state gives (``tests/unit/test_store_state.py``).
A store that ingests batch after batch keeps the working state between its calls
instead of continuing from the partial state each time (:class:`LiveClustering`: the
same stories, and the same partial states before and after each batch, to write).

The words of an article (:class:`_Analyser`) are read a sentence at a time, with
``map``, ``filter`` and ``Counter`` doing the per-word work in C: the same counts, in
the same order, as the loop over the tokens it replaced (the first 10,000 articles of the
``make_stream.py`` stream: every :class:`ArticleTerms` equal, in order, for lead
weights 3, 2.5 and 1.3).

Nothing depends on the hash seed: ties between stories go to the older one, and
no set of strings is ever iterated.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Any, Protocol

import numpy as np
from mypy_extensions import mypyc_attr

from storyline.errors import ConfigError
from storyline.model import Article, StoryOverview, by_fields, date_and_id
from storyline.text.tokens import STOP_WORDS, stem

__all__ = [
    "ArticleTerms",
    "ClusterState",
    "Clustering",
    "LiveClustering",
    "OnlineClusterer",
    "StoryClusterer",
    "StoryState",
    "canonical_order",
    "describe",
    "overview",
    "rank_stories",
]

# Words, and the punctuation that ends a sentence (a newline ends a headline).
_WORD_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
# Penn Treebank escapes of brackets, which PTB-tokenised corpora carry as words.
_PTB_ESCAPES = frozenset({"lrb", "rrb", "lsb", "rsb", "lcb", "rcb"})
# Merge candidates: the open stories an article resembled at least this share of
# the threshold, at most this many (the most similar first).
_MERGE_SHARE = 0.5
_MERGE_CANDIDATES = 5
# A word in the centroids of more open stories than this is common: it proposes no
# candidate story (it still counts in the similarity of the others). This bounds the
# work per article, whatever the number of open stories.
_COMMON_STORIES = 100
# added to the bound on a story's cosine in _Stream._candidates, against rounding: the bound
# and the cosine are summed in different orders
_BOUND_SLACK = 1e-9
# Inverse document frequencies are taken as if this many articles without the word had
# come first: in a short stream, the words that all its articles share (the story's
# own) would otherwise weigh nothing.
_PRIOR_DOCUMENTS = 500
# A sentence or headline with at least _TITLE_CASE_MIN_WORDS mid-sentence words (function
# words and numbers aside), this share of them capitalised, is in title case: its capitals
# say nothing about names.
_TITLE_CASE_SHARE = 0.6
_TITLE_CASE_MIN_WORDS = 3
_STATE_VERSION = 2
# _Stream's per-story arrays start with room for this many stories (and double)
_CAPACITY = 1024
# _Stream's dense weights of the common terms start with room for this many terms
_COLUMNS = 256


class StoryClusterer(Protocol):
    """Puts a stream of articles into stories, continuing from an earlier state."""

    def cluster(
        self, articles: Sequence[Article], state: ClusterState | None = None
    ) -> Clustering: ...


def canonical_order(articles: Sequence[Article]) -> tuple[Article, ...]:
    """``articles`` by publication date (undated last), then id."""
    return tuple(sorted(articles, key=date_and_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryState:
    """One story of a :class:`ClusterState` (see the module docstring)."""

    articles: tuple[str, ...]
    positions: tuple[int, ...]
    first: dt.date | None
    last: dt.date | None
    centroid: Mapping[str, float] = field(default_factory=dict)
    norm2: float = 0.0

    @property
    def open(self) -> bool:
        return bool(self.centroid)

    def __reduce__(self) -> tuple[Any, ...]:
        return by_fields(self)  # compiled or not (see by_fields)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterState:
    """Everything :class:`OnlineClusterer` needs to go on with a stream (plain data)."""

    parameters: Mapping[str, float]
    documents: int = 0
    clock: dt.date | None = None
    document_frequency: Mapping[str, int] = field(default_factory=dict)
    capitalised: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    stories: tuple[StoryState, ...] = ()

    def head(self) -> dict[str, Any]:
        """The state without its terms and stories, as JSON-ready data (what a store keeps
        in one row: version, parameters, articles counted, clock)."""
        return {
            "version": _STATE_VERSION,
            "parameters": dict(self.parameters),
            "documents": self.documents,
            "clock": _iso(self.clock),
        }

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready data (dates as ISO strings)."""
        return {
            **self.head(),
            "document_frequency": dict(self.document_frequency),
            "capitalised": {term: list(counts) for term, counts in self.capitalised.items()},
            "stories": [
                {
                    "articles": list(story.articles),
                    "positions": list(story.positions),
                    "first": _iso(story.first),
                    "last": _iso(story.last),
                    "centroid": dict(story.centroid),
                    "norm2": story.norm2,
                }
                for story in self.stories
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClusterState:
        """The state that :meth:`to_dict` wrote; a malformed one is a ConfigError."""
        try:
            if data["version"] != _STATE_VERSION:
                raise ConfigError(
                    f"the clustering state has version {data['version']!r} and this storyline "
                    f"reads version {_STATE_VERSION}: its stories cannot be continued; ingest "
                    "the articles into a new store"
                )
            return cls(
                parameters={str(k): float(v) for k, v in data["parameters"].items()},
                documents=int(data["documents"]),
                clock=_date(data["clock"]),
                document_frequency={str(k): int(v) for k, v in data["document_frequency"].items()},
                capitalised={
                    str(k): (int(v[0]), int(v[1])) for k, v in data["capitalised"].items()
                },
                stories=tuple(
                    StoryState(
                        articles=tuple(str(a) for a in story["articles"]),
                        positions=tuple(int(p) for p in story["positions"]),
                        first=_date(story["first"]),
                        last=_date(story["last"]),
                        centroid={str(k): float(v) for k, v in story["centroid"].items()},
                        norm2=float(story["norm2"]),
                    )
                    for story in data["stories"]
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise ConfigError(f"the clustering state is malformed: {error!r}") from error

    def __reduce__(self) -> tuple[Any, ...]:
        return by_fields(self)  # compiled or not (see by_fields)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleTerms:
    """What clustering reads of one article's words (:meth:`OnlineClusterer.analyse`).

    ``counts``: term -> occurrences in the title and text, those of the lead counted
    ``lead_weight`` times, in the order the terms first occur; ``capitals``: term ->
    (capitalised, all) of its mid-sentence occurrences outside title-case sentences.
    """

    counts: Mapping[str, float]
    capitals: Mapping[str, tuple[int, int]]

    def __reduce__(self) -> tuple[Any, ...]:
        return by_fields(self)  # compiled or not (see by_fields)


@dataclass(frozen=True, slots=True, kw_only=True)
class Clustering:
    """The stories of every article seen so far, and the state to go on from."""

    stories: tuple[tuple[str, ...], ...]
    state: ClusterState

    def __reduce__(self) -> tuple[Any, ...]:
        return by_fields(self)  # compiled or not (see by_fields)


@mypyc_attr(allow_interpreted_subclasses=True)  # compiled: see storyline.native
class OnlineClusterer:
    """Single-pass centroid clustering with a time window, a size prior and story merging.

    ``threshold``: score an article needs with a story to join it, and two story
    centroids to merge (their cosine). ``window_days``: how far apart in time an
    article and a story may be. ``lead_words`` and ``lead_weight``: the words of
    the title and the first ``lead_words`` words of the text count
    ``lead_weight`` times. ``max_terms``: terms kept per article vector.
    ``name_weight``: extra weight of a term always capitalised mid-sentence.
    ``size_weight``: weight of the log of a story's size in the score of a dated
    article. ``undated_weight``: factor of the cosine when the article or the
    story (or, in a merge, either story) is undated. See the module docstring.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.2,
        window_days: int = 30,
        lead_words: int = 60,
        lead_weight: float = 3.0,
        max_terms: int = 200,
        name_weight: float = 1.0,
        size_weight: float = 0.015,
        undated_weight: float = 0.6,
    ) -> None:
        checks = (
            ("threshold", threshold, 0.0 < threshold <= 1.0, "a number in (0, 1]"),
            ("window_days", window_days, window_days >= 0, "a non-negative integer"),
            ("lead_words", lead_words, lead_words >= 0, "a non-negative integer"),
            ("lead_weight", lead_weight, lead_weight >= 1.0, "a number of at least 1"),
            ("max_terms", max_terms, max_terms >= 1, "a positive integer"),
            ("name_weight", name_weight, name_weight >= 0.0, "a non-negative number"),
            ("size_weight", size_weight, size_weight >= 0.0, "a non-negative number"),
            ("undated_weight", undated_weight, 0.0 < undated_weight <= 1.0, "a number in (0, 1]"),
        )
        for name, value, valid, expected in checks:
            if not valid:
                raise ConfigError(
                    f"The '{name}' parameter of OnlineClusterer must be {expected}. "
                    f"Got {value!r} instead."
                )
        self.threshold = threshold
        self.window_days = window_days
        self.lead_words = lead_words
        self.lead_weight = lead_weight
        self.max_terms = max_terms
        self.name_weight = name_weight
        self.size_weight = size_weight
        self.undated_weight = undated_weight

    @property
    def parameters(self) -> dict[str, float]:
        return {
            "threshold": self.threshold,
            "window_days": self.window_days,
            "lead_words": self.lead_words,
            "lead_weight": self.lead_weight,
            "max_terms": self.max_terms,
            "name_weight": self.name_weight,
            "size_weight": self.size_weight,
            "undated_weight": self.undated_weight,
        }

    def analyse(self, articles: Sequence[Article]) -> tuple[ArticleTerms, ...]:
        """The terms of each of ``articles`` (in their order): the part of clustering that
        reads no statistics of the stream, so that it may run apart (another process) and
        be handed to :meth:`cluster`."""
        analyser = _Analyser(self)
        return tuple(analyser.terms(article) for article in articles)

    @staticmethod
    def vocabulary(terms: Sequence[ArticleTerms]) -> frozenset[str]:
        """Every term that clustering the articles of ``terms`` (:meth:`analyse`) reads or
        counts: the document frequencies and capital counts a partial state must hold for
        :meth:`cluster` to treat them as the whole state would (see the module docstring)."""
        found: set[str] = set()
        for article in terms:
            found.update(article.counts)
        return frozenset(found)

    def cluster(self, articles: Sequence[Article], state: ClusterState | None = None) -> Clustering:
        """The stories of the state's articles and ``articles``, and the new state."""
        return self.cluster_analysed(articles, self.analyse(articles), state)

    def cluster_analysed(
        self,
        articles: Sequence[Article],
        terms: Sequence[ArticleTerms],
        state: ClusterState | None = None,
    ) -> Clustering:
        """:meth:`cluster` with :meth:`analyse` of ``articles`` (in their order) done
        already, perhaps in another process."""
        stream = _Stream(self, state)
        stream.add_all(articles, terms)
        return Clustering(stories=stream.partition(), state=stream.state())


class LiveClustering:
    """An :class:`OnlineClusterer`'s working state kept from one call to the next, for a
    store that ingests batch after batch (:meth:`storyline.store.Store.ingest_all`).

    A store that continued from a partial state at every batch (the open stories and the
    counts of the batch's terms, read from its rows, as in the module docstring) read the
    open stories back and indexed them again each time, and made the partial states that
    say what to write back by copying every open story: a third of its clustering time
    and a fifth of an ingest. This object keeps the working state instead: it starts
    from ``state`` (the head and the open stories, in their order; no term counts), is
    told the stored counts of the terms it lacks (:meth:`missing`, :meth:`learn`), and
    :meth:`cluster` gives, for each batch, exactly the ``before`` and ``after`` partial
    states that the continued call would have had and given (the same stories and the
    same counts, so the same rows to write), copying only the stories that changed.

    The stories are those of the continued calls: the same articles are read in the same
    order with the same counts of their terms, the open stories are the same and in the
    same order (ties go to the older story either way), and what else is kept (the
    closed stories, the counts of other terms, the columns of common terms, each term's
    ceiling, which is raised and never lowered and so remains a valid bound) only
    decides what is looked up, not a score. The caller must check, before each batch,
    that the stored state is still the one this object wrote (:meth:`continues`), and
    drop this object when a batch is not stored (its working state then runs ahead of
    the store's).
    """

    def __init__(self, clusterer: OnlineClusterer, state: ClusterState | None) -> None:
        self._stream = _Stream(clusterer, state)
        # index -> the StoryState given for the open story at the end of the last batch
        self._given: dict[int, StoryState] = dict(enumerate(state.stories)) if state else {}
        self.head: dict[str, Any] | None = state.head() if state is not None else None

    def continues(self, head: Mapping[str, Any] | None) -> bool:
        """Whether the stored head is the one of this state (no other writer since)."""
        return head == self.head

    def missing(self, vocabulary: Iterable[str]) -> list[str]:
        """The terms of ``vocabulary`` whose counts this state lacks, sorted."""
        frequency = self._stream.df
        return sorted(term for term in vocabulary if term not in frequency)

    def learn(
        self, frequency: Mapping[str, int], capitalised: Mapping[str, tuple[int, int]]
    ) -> None:
        """Take the stored counts of terms this state lacked (:meth:`missing`)."""
        stream = self._stream
        stream.df.update(frequency)
        for term, (upper, mentions) in capitalised.items():
            if mentions:
                stream.capitals[term] = [upper, mentions]

    def cluster(
        self, articles: Sequence[Article], terms: Sequence[ArticleTerms]
    ) -> tuple[ClusterState, ClusterState]:
        """Cluster ``articles`` (:meth:`OnlineClusterer.cluster_analysed`), and give the
        partial states before and after: the open stories and the counts of the terms of
        ``terms`` before; after, those stories as they are now (merged ones left out) and
        the new ones, and the counts of those terms (the new terms last, in the order
        they were first counted)."""
        stream = self._stream
        frequency = stream.df
        vocabulary = OnlineClusterer.vocabulary(terms)
        known = {term: frequency[term] for term in sorted(vocabulary) if term in frequency}
        opened, counted, first_new = list(stream.open), len(frequency), len(stream.stories)
        stream.tighten()
        before = stream.partial(known, tuple(self._given[index] for index in opened))
        stream.add_all(articles, terms)
        after_frequency = {term: frequency[term] for term in known}
        after_frequency.update((term, frequency[term]) for term in islice(frequency, counted, None))
        given: dict[int, StoryState] = {}
        for index in [*opened, *range(first_new, len(stream.stories))]:
            story = stream.stories[index]
            if story is None:  # merged into an older story
                continue
            if index >= first_new or index in stream.changed:
                given[index] = _story_state(story)
            else:
                given[index] = self._given[index]
        stream.changed.clear()
        after = stream.partial(after_frequency, tuple(given.values()))
        self._given = {index: given[index] for index in stream.open}
        self.head = after.head()
        return before, after


def _story_state(story: _Story) -> StoryState:
    return StoryState(
        articles=tuple(story.articles),
        positions=tuple(story.positions),
        first=story.first,
        last=story.last,
        centroid=dict(story.centroid),
        norm2=story.norm2,
    )


class _Story:
    """A story while clustering (mutable; only :class:`_Stream` touches it)."""

    __slots__ = ("articles", "centroid", "first", "last", "norm2", "positions")

    def __init__(
        self,
        *,
        articles: list[str],
        positions: list[int],
        first: dt.date | None,
        last: dt.date | None,
        centroid: dict[str, float],
        norm2: float,
    ) -> None:
        self.articles = articles
        self.positions = positions
        self.first = first
        self.last = last
        self.centroid = centroid
        self.norm2 = norm2


class _Stream:
    """The working state of one :meth:`OnlineClusterer.cluster` call."""

    def __init__(self, clusterer: OnlineClusterer, state: ClusterState | None) -> None:
        if state is not None and dict(state.parameters) != clusterer.parameters:
            raise ConfigError(
                "the clustering state was made with other parameters: "
                f"{dict(state.parameters)}; these are {clusterer.parameters}"
            )
        self.clusterer = clusterer
        self.window = clusterer.window_days
        state = state or ClusterState(parameters=clusterer.parameters)
        self.documents = state.documents
        self.clock = state.clock
        self.df = dict(state.document_frequency)
        self.capitals = {term: list(counts) for term, counts in state.capitalised.items()}
        self.stories: list[_Story | None] = []
        # term -> open stories whose centroid has it (index -> the term's weight there)
        self.postings: dict[str, dict[int, float]] = {}
        # term -> at least the largest share of the term in the norm of an open story's
        # centroid (its weight there over the centroid's norm): a ceiling, raised when a
        # centroid gains the term, left as it is when a centroid's norm grows (the share
        # then falls) or the story closes; what the common terms of an article can add to
        # a cosine (see _candidates)
        self.ceiling: dict[str, float] = {}
        self.open: dict[int, None] = {}
        # per story index, for the vectorised first pass of _candidates: the centroid's
        # norm, the size prior, the first and last dates' day numbers (0 when undated)
        self.roots = np.ones(_CAPACITY)
        self.priors = np.zeros(_CAPACITY)
        self.firsts = np.zeros(_CAPACITY, dtype=np.int64)
        self.lasts = np.zeros(_CAPACITY, dtype=np.int64)
        # The open stories' weights of the common terms, dense: a row per open story
        # (``slots``: story index -> its row; the rows of closed stories are used again),
        # a column per term that was common when an article had it (``columns``).
        self.slots = np.zeros(_CAPACITY, dtype=np.intp)
        self.free: list[int] = []
        self.rows = 0
        self.columns: dict[str, int] = {}
        self.common = np.zeros((_CAPACITY, _COLUMNS))
        self.seen: set[str] = set()
        # the stories joined, merged into or closed since LiveClustering last looked
        self.changed: set[int] = set()
        for saved in state.stories:
            self.seen.update(saved.articles)
            self._append(
                _Story(
                    articles=list(saved.articles),
                    positions=list(saved.positions),
                    first=saved.first,
                    last=saved.last,
                    centroid=dict(saved.centroid),
                    norm2=saved.norm2,
                )
            )

    # -- the stream -------------------------------------------------------------------

    def add_all(self, articles: Sequence[Article], terms: Sequence[ArticleTerms]) -> None:
        """Add ``articles`` (with their terms, in the same order) in canonical order."""
        if len(terms) != len(articles):
            raise ValueError(f"{len(terms)} analyses for {len(articles)} articles")
        pairs = sorted(zip(articles, terms, strict=True), key=lambda pair: date_and_id(pair[0]))
        for article, analysed in pairs:
            self.add(article, analysed)

    def add(self, article: Article, terms: ArticleTerms) -> None:
        if article.id in self.seen:
            return
        self.seen.add(article.id)
        date = article.published
        if date is not None and (self.clock is None or date > self.clock):
            self.clock = date
            self._close_old()
        vector = self._vector(terms)
        position = self.documents - 1
        threshold = self.clusterer.threshold
        ranked = self._candidates(vector, date)
        if ranked and ranked[0][0] >= threshold:
            index = ranked[0][1]
            story = self.stories[index]
            assert story is not None
            self._join(
                index, story, vector=vector, article_id=article.id, position=position, date=date
            )
            floor = _MERGE_SHARE * threshold
            others = [i for _, i, sim in ranked[1:] if sim >= floor][:_MERGE_CANDIDATES]
            self._merge(index, others)
        else:
            self._append(
                _Story(
                    articles=[article.id],
                    positions=[position],
                    first=date,
                    last=date,
                    centroid=dict(vector),
                    norm2=_norm2(vector),
                )
            )

    def partition(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(story.articles) for story in self.stories if story is not None)

    def state(self) -> ClusterState:
        return ClusterState(
            parameters=self.clusterer.parameters,
            documents=self.documents,
            clock=self.clock,
            document_frequency=dict(self.df),
            capitalised={term: (c[0], c[1]) for term, c in self.capitals.items()},
            stories=tuple(_story_state(story) for story in self.stories if story is not None),
        )

    def partial(self, terms: Mapping[str, int], stories: tuple[StoryState, ...]) -> ClusterState:
        """A partial state: the head, the counts ``terms`` with their capitals, ``stories``."""
        capitals = self.capitals
        return ClusterState(
            parameters=self.clusterer.parameters,
            documents=self.documents,
            clock=self.clock,
            document_frequency=terms,
            capitalised={term: (c[0], c[1]) for term in terms if (c := capitals.get(term))},
            stories=stories,
        )

    def tighten(self) -> None:
        """Lower the ceilings of the terms in many open stories (more than half as many as
        make a term common) to their largest share now, as a stream made from the open
        stories would have them: a ceiling is otherwise never lowered, and one kept over
        many batches (:class:`LiveClustering`) would pass over fewer candidates (by the
        8th batch of the 10,000-article stream, the common terms' ceilings were 1.26 times
        their shares at the median, 2.2 times at the 90th percentile)."""
        scales: dict[int, float] = {}
        for index in self.open:
            story = self.stories[index]
            assert story is not None
            scales[index] = 1.0 / math.sqrt(story.norm2)
        ceiling = self.ceiling
        for term, posting in self.postings.items():
            if 2 * len(posting) > _COMMON_STORIES:
                ceiling[term] = max(weight * scales[index] for index, weight in posting.items())

    # -- stories ----------------------------------------------------------------------

    def _append(self, story: _Story) -> None:
        index = len(self.stories)
        self.stories.append(story)
        if story.centroid:
            self._measure(index, story)
            self.open[index] = None
            row = self._row(index)
            ceiling, scale = self.ceiling, 1.0 / math.sqrt(story.norm2)
            columns, common = self.columns, self.common
            for term, weight in story.centroid.items():
                self.postings.setdefault(term, {})[index] = weight
                share = weight * scale
                if share > ceiling.get(term, 0.0):
                    ceiling[term] = share
                column = columns.get(term)
                if column is not None:
                    common[row, column] = weight
            if self._expired(story):
                self._close(index, story)

    def _row(self, index: int) -> int:
        """A row of ``common`` for the new open story ``index``, all 0.0."""
        if self.free:
            row = self.free.pop()
            self.common[row] = 0.0
        else:
            row, self.rows = self.rows, self.rows + 1
            if row >= self.common.shape[0]:
                taller = np.zeros((2 * self.common.shape[0], self.common.shape[1]))
                taller[: self.common.shape[0]] = self.common
                self.common = taller
        self.slots[index] = row
        return row

    def _measure(self, index: int, story: _Story) -> None:
        """Keep the arrays of _candidates up to date with ``story``."""
        if index >= len(self.roots):
            grown = 2 * len(self.roots)
            for name in ("roots", "priors", "firsts", "lasts", "slots"):
                array = getattr(self, name)
                wider = np.resize(array, max(grown, index + 1))
                setattr(self, name, wider)
        self.roots[index] = math.sqrt(story.norm2)
        self.priors[index] = self.clusterer.size_weight * math.log(len(story.articles))
        dated = story.first is not None and story.last is not None
        self.firsts[index] = story.first.toordinal() if story.first is not None and dated else 0
        self.lasts[index] = story.last.toordinal() if story.last is not None and dated else 0

    def _expired(self, story: _Story) -> bool:
        return (
            story.last is not None
            and self.clock is not None
            and _days(story.last, self.clock) > self.window
        )

    def _close_old(self) -> None:
        for index in list(self.open):
            story = self.stories[index]
            assert story is not None
            if self._expired(story):
                self._close(index, story)

    def _close(self, index: int, story: _Story) -> None:
        self.changed.add(index)
        self._unindex(index, story)
        self.free.append(int(self.slots[index]))
        del self.open[index]
        story.centroid = {}
        story.norm2 = 0.0

    def _unindex(self, index: int, story: _Story) -> None:
        for term in story.centroid:
            posting = self.postings[term]
            del posting[index]
            if not posting:
                del self.postings[term]

    def _candidates(
        self, vector: dict[str, float], date: dt.date | None
    ) -> list[tuple[float, int, float]]:
        """Open stories sharing a rarer term with ``vector`` and within the time window, as
        (score, index, cosine), by score (highest, then oldest, first): those that the
        article could join (a score of at least the threshold) or that could merge with
        the story it joins (a cosine of at least half the threshold).

        The score of a story is the cosine of ``vector`` with its centroid plus the story's
        size prior (``size_weight`` times the log of its number of articles) when the
        article and the story are dated; when either is undated there is no time evidence,
        and cosine and score are the cosine times ``undated_weight``. A dot product adds
        the products of the rarer terms, then those of the common terms, each in the
        vector's order.

        The rarer terms' postings are laid end to end, in the vector's order, and their
        products summed per story by ``np.bincount`` (which adds the weights one after the
        other, in the order given, each into its story's sum); the rest runs on arrays over
        the candidates, one operation per term (see the module docstring): the same
        operations on the same numbers, each rounded once, as the loops in Python they
        replaced, so the same scores to the last bit.
        """
        # the rarer terms' postings, end to end in the vector's order: story indices, the
        # stories' weights, and per term its weight in the vector and its posting's length
        keys: list[int] = []
        shares: list[float] = []
        rare_weights: list[float] = []
        lengths: list[int] = []
        common_terms = []
        common_norm2 = common_ceiling = 0.0
        postings, ceiling, columns = self.postings, self.ceiling, self.columns
        for term, weight in vector.items():
            posting = postings.get(term)
            if posting is None:
                continue
            if len(posting) > _COMMON_STORIES:
                column = columns.get(term)
                if column is None:
                    column = self._column(term, posting)
                common_terms.append((weight, column))
                common_norm2 += weight * weight
                common_ceiling += weight * ceiling[term]
            else:
                keys.extend(posting)
                shares.extend(posting.values())
                rare_weights.append(weight)
                lengths.append(len(posting))
        if not keys:
            return []
        clusterer = self.clusterer
        threshold, floor = clusterer.threshold, _MERGE_SHARE * clusterer.threshold
        # fromiter with the count: a fifth cheaper than np.array over the same lists
        found = np.fromiter(keys, dtype=np.intp, count=len(keys))
        weights = np.fromiter(shares, dtype=np.float64, count=len(shares))
        products = np.repeat(np.array(rare_weights), lengths) * weights
        # bincount adds each product to its story's sum in the order given, from 0.0: the
        # additions of the loop over the postings, term by term (see the docstring)
        size = len(self.stories)
        sums = np.bincount(found, weights=products, minlength=size)
        indices = np.flatnonzero(np.bincount(found, minlength=size))
        dot = sums[indices]
        count = len(indices)
        roots, firsts = self.roots[indices], self.firsts[indices]
        if date is None:
            dated = np.zeros(count, dtype=bool)
            near = np.ones(count, dtype=bool)
        else:
            day = date.toordinal()
            dated = firsts > 0
            near = ~dated | (
                (firsts - day <= self.window) & (day - self.lasts[indices] <= self.window)
            )
        # The common terms add at most |their weights| * |centroid| to a dot product
        # (Cauchy-Schwarz; every weight is positive), and at most the sum of each weight
        # times the term's ceiling to a cosine, so the cosine is at most the rare terms'
        # part plus ``reach``, the smaller of the two: a story that cannot reach the
        # threshold or the merge floor even so is passed over before its weights of the
        # common terms are read.
        reach = min(math.sqrt(common_norm2), common_ceiling) + _BOUND_SLACK
        bound = dot / roots + reach
        priors = self.priors[indices]
        reachable = near & np.where(
            dated,
            (bound + priors >= threshold) | (bound >= floor),
            bound * clusterer.undated_weight >= min(threshold, floor),
        )
        indices, dot, roots, priors, dated = (
            indices[reachable],
            dot[reachable],
            roots[reachable],
            priors[reachable],
            dated[reachable],
        )
        rows, common = self.slots[indices], self.common
        for weight, column in common_terms:
            # a story without the term holds 0.0 for it, and dot + 0.0 is dot
            dot = dot + weight * common[rows, column]
        cosine = dot / roots
        undated = cosine * clusterer.undated_weight
        score = np.where(dated, cosine + priors, undated)
        cosine = np.where(dated, cosine, undated)
        kept = (score >= threshold) | (cosine >= floor)
        ranked = list(
            zip(score[kept].tolist(), indices[kept].tolist(), cosine[kept].tolist(), strict=True)
        )
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return ranked

    def _column(self, term: str, posting: Mapping[int, float]) -> int:
        """A column of ``common`` for ``term``, filled with its weights in the open
        stories (those of ``posting``); from now on _add_vector keeps it up to date."""
        column = len(self.columns)
        if column >= self.common.shape[1]:
            wider = np.zeros((self.common.shape[0], 2 * self.common.shape[1]))
            wider[:, : self.common.shape[1]] = self.common
            self.common = wider
        self.columns[term] = column
        common, slots = self.common, self.slots
        for index, share in posting.items():
            common[slots[index], column] = share
        return column

    def _join(
        self,
        index: int,
        story: _Story,
        *,
        vector: dict[str, float],
        article_id: str,
        position: int,
        date: dt.date | None,
    ) -> None:
        self.changed.add(index)
        story.articles.append(article_id)
        story.positions.append(position)
        if date is not None:
            story.first = date if story.first is None else min(story.first, date)
            story.last = date if story.last is None else max(story.last, date)
        self._add_vector(index, story, vector)
        self._measure(index, story)

    def _add_vector(self, index: int, story: _Story, vector: Mapping[str, float]) -> None:
        centroid = story.centroid
        dot = 0.0
        for term, weight in vector.items():
            value = centroid.get(term)
            if value is None:
                self.postings.setdefault(term, {})[index] = centroid[term] = weight
            else:
                dot += weight * value
                self.postings[term][index] = centroid[term] = value + weight
        story.norm2 += 2.0 * dot + _norm2(vector)
        ceiling, scale = self.ceiling, 1.0 / math.sqrt(story.norm2)
        columns, common, row = self.columns, self.common, self.slots[index]
        for term in vector:
            value = centroid[term]
            if value * scale > ceiling.get(term, 0.0):
                ceiling[term] = value * scale
            column = columns.get(term)
            if column is not None:
                common[row, column] = value

    def _merge(self, index: int, others: list[int]) -> None:
        """Merge story ``index`` with the most similar of ``others`` while one reaches the
        threshold (the older story keeps the articles)."""
        threshold = self.clusterer.threshold
        while others:
            story = self.stories[index]
            assert story is not None
            best, best_sim = -1, threshold
            for other in others:
                candidate = self.stories[other]
                if candidate is None or not self._overlap(story, candidate):
                    continue
                sim = _cosine(story, candidate)
                if story.first is None or candidate.first is None:
                    sim *= self.clusterer.undated_weight
                if sim > best_sim or (sim == best_sim and (best < 0 or other < best)):
                    best, best_sim = other, sim
            if best < 0:
                return
            others = [other for other in others if other != best]
            index = self._combine(min(index, best), max(index, best))

    def _overlap(self, one: _Story, other: _Story) -> bool:
        if one.first is None or other.first is None or one.last is None or other.last is None:
            return True
        return (
            _days(other.last, one.first) <= self.window
            and _days(one.last, other.first) <= self.window
        )

    def _combine(self, keep: int, gone: int) -> int:
        self.changed.add(keep)
        kept, merged = self.stories[keep], self.stories[gone]
        assert kept is not None
        assert merged is not None
        self._unindex(gone, merged)
        self.free.append(int(self.slots[gone]))
        del self.open[gone]
        self.stories[gone] = None
        self._add_vector(keep, kept, merged.centroid)
        pairs = sorted(
            zip(kept.positions + merged.positions, kept.articles + merged.articles, strict=True)
        )
        kept.positions = [position for position, _ in pairs]
        kept.articles = [article for _, article in pairs]
        dates = [d for d in (kept.first, merged.first) if d is not None]
        kept.first = min(dates) if dates else None
        dates = [d for d in (kept.last, merged.last) if d is not None]
        kept.last = max(dates) if dates else None
        self._measure(keep, kept)
        return keep

    # -- article vectors --------------------------------------------------------------

    def _vector(self, terms: ArticleTerms) -> dict[str, float]:
        """The article's unit tf-idf vector (counts the article into the statistics)."""
        clusterer, capitals = self.clusterer, self.capitals
        for term, (capitalised, mid_sentence) in terms.capitals.items():
            seen = capitals.get(term)
            if seen is None:
                capitals[term] = [capitalised, mid_sentence]
            else:
                seen[0] += capitalised
                seen[1] += mid_sentence
        counts = terms.counts
        self.documents += 1
        df = self.df
        for term in counts:
            df[term] = df.get(term, 0) + 1
        total = self.documents + _PRIOR_DOCUMENTS
        name_weight = clusterer.name_weight
        weights = []
        for term, count in counts.items():
            seen = capitals.get(term)
            capital = seen[0] / seen[1] if seen else 0.0
            weight = count * math.log(total / df[term]) * (1.0 + name_weight * capital)
            weights.append((-weight, term))  # heaviest first, then by term: a plain sort
        weights.sort()
        kept = weights[: clusterer.max_terms]
        norm = math.sqrt(sum(weight * weight for weight, _ in kept))
        if norm == 0.0:
            return {}
        return {term: -weight / norm for weight, term in kept}


class _Tokens(dict[str, tuple[str, bool] | None]):
    """Word token -> (its term, capitalised), None when it counts as no term; a token is
    read on its first lookup (``__missing__``), once per analyser however often the
    articles repeat it, so that a lookup of a known token stays in C (``map``)."""

    def __missing__(self, token: str) -> tuple[str, bool] | None:
        term = _term(token)
        known = self[token] = None if term is None else (term, token[0].isupper())
        return known


class _Analyser:
    """An article's words -> its :class:`ArticleTerms` (no statistics of the stream).

    A sentence is the words between two of ``.!?`` and the newline (the clusterer's
    tokens, read a sentence at a time); its words are looked up in ``_Tokens`` by ``map``
    and its terms kept by ``filter``, and the counts are made by ``Counter`` over the
    article's terms, so that no Python code runs per word (the loop over the tokens that
    this replaced was 16% of an ingest). The counts are those of that loop: occurrences
    times their weight are whole numbers when ``lead_weight`` is (exact in any order);
    any other lead weight is added one occurrence after the other, as the loop did.
    """

    def __init__(self, clusterer: OnlineClusterer) -> None:
        self.lead_words = clusterer.lead_words
        self.lead_weight = clusterer.lead_weight
        self.tokens = _Tokens()

    def terms(self, article: Article) -> ArticleTerms:
        lookup = self.tokens.__getitem__
        title, text = article.title, article.text
        parts = [title] if title and not text.startswith(title) else []
        parts.append(text)
        sequence: list[tuple[str, bool]] = []  # the article's terms, in order
        counted: list[tuple[str, bool]] = []  # mid-sentence, outside title-case sentences
        lead = 0
        for part in parts:
            lead = len(sequence)  # the title's terms all count as lead
            for sentence in _SENTENCE_BREAK.split(part):
                known = list(map(lookup, _WORD_TOKEN.findall(sentence)))
                if not known:
                    continue
                found = list(filter(None, known))
                sequence += found
                middle = found[1:] if known[0] is not None else found
                capitalised = sum(map(_SECOND, middle))
                if not (
                    len(middle) >= _TITLE_CASE_MIN_WORDS
                    and capitalised >= _TITLE_CASE_SHARE * len(middle)
                ):
                    counted += middle
        lead = min(len(sequence), lead + self.lead_words)
        terms = list(map(_FIRST, sequence))
        mentions = Counter(map(_FIRST, counted))
        upper = Counter(map(_FIRST, filter(_SECOND, counted)))
        return ArticleTerms(
            counts=self._counts(terms, lead),
            capitals={term: (upper.get(term, 0), n) for term, n in mentions.items()},
        )

    def _counts(self, terms: list[str], lead: int) -> dict[str, float]:
        """Each term's occurrences, the first ``lead`` counted ``lead_weight`` times, in
        the order the terms first occur."""
        weight = self.lead_weight
        if weight.is_integer():
            extra, leading = weight - 1.0, Counter(terms[:lead])
            return {term: n + extra * leading.get(term, 0) for term, n in Counter(terms).items()}
        counts: dict[str, float] = {}
        for position, term in enumerate(terms):
            counts[term] = counts.get(term, 0.0) + (weight if position < lead else 1.0)
        return counts


def _term(token: str) -> str | None:
    """The term a word token counts as, or None for a stop word, a number or a letter."""
    lower = token.lower()
    if lower in STOP_WORDS or lower in _PTB_ESCAPES or len(lower) < 2 or lower.isdigit():
        return None
    return stem(lower)


def _norm2(vector: Mapping[str, float]) -> float:
    return sum(weight * weight for weight in vector.values())


def _cosine(one: _Story, other: _Story) -> float:
    small, large = (
        (one.centroid, other.centroid)
        if len(one.centroid) <= len(other.centroid)
        else (other.centroid, one.centroid)
    )
    dot = 0.0
    for term, weight in small.items():
        value = large.get(term)
        if value is not None:
            dot += weight * value
    denominator = math.sqrt(one.norm2 * other.norm2)
    return dot / denominator if denominator else 0.0


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


# ----------------------------------------------------------------------------- overview


def overview(articles: Sequence[Article], clusterer: StoryClusterer) -> tuple[StoryOverview, ...]:
    """The stories ``clusterer`` finds in ``articles``, ranked as :func:`rank_stories` does."""
    return rank_stories(articles, clusterer.cluster(articles).stories)


def rank_stories(
    articles: Sequence[Article], stories: Sequence[Sequence[str]]
) -> tuple[StoryOverview, ...]:
    """``stories`` (article ids of ``articles``) largest first, then the most recent, then
    by first article.

    Ids are ``story-N`` in that order: they name stories within one listing only (a store
    gives lasting ids).
    """
    by_id = {article.id: article for article in articles}
    day = {
        article.id: article.published.toordinal() if article.published is not None else 0
        for article in articles
    }
    ranked = sorted(
        (tuple(ids) for ids in stories if ids),
        key=lambda ids: (-len(ids), -max(day[i] for i in ids), ids[0]),
    )
    return tuple(
        describe(f"story-{number}", [by_id[i] for i in ids])
        for number, ids in enumerate(ranked, start=1)
    )


class Member(Protocol):
    """What :func:`describe` reads of an article: an :class:`~storyline.model.Article`, or
    a row of the store with these columns (``text`` may be the text's opening only)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def published(self) -> dt.date | None: ...


def describe(story_id: str, members: Sequence[Member]) -> StoryOverview:
    """The overview of the story ``story_id`` made of ``members`` (in canonical order)."""
    dates = [article.published for article in members if article.published is not None]
    return StoryOverview(
        id=story_id,
        headline=_headline(members),
        first=min(dates, default=None),
        last=max(dates, default=None),
        article_ids=tuple(article.id for article in members),
        sources=tuple(dict.fromkeys(article.source for article in members)),
    )


def _days(earlier: dt.date, later: dt.date) -> int:
    """Days from ``earlier`` to ``later`` (negative when ``later`` is earlier): day numbers,
    so that no date arithmetic leaves the calendar at its ends (year 1, year 9999)."""
    return later.toordinal() - earlier.toordinal()


def _headline(members: Sequence[Member]) -> str:
    if not members:
        return ""
    for article in members:
        if article.title and article.title.strip():
            return " ".join(article.title.split())
    line = next((line for line in members[0].text.splitlines() if line.strip()), "")
    line = " ".join(line.split())
    return line if len(line) <= 120 else line[:119].rsplit(" ", 1)[0] + "…"
