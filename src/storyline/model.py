"""The data model shared by every stage: frozen records, no I/O.

Text is stored once, in :class:`Article`; everything derived from it (sentences,
citations, quotes, temporal expressions) refers back to it by character offsets,
so any claim in an output can be checked against the source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any, Literal

__all__ = [
    "Article",
    "Budget",
    "BudgetUnit",
    "Citation",
    "ClaimSide",
    "Corpus",
    "Digest",
    "Disagreement",
    "DuplicateGroup",
    "Entity",
    "EntityKind",
    "Fact",
    "FactCoverage",
    "Granularity",
    "Mention",
    "Quote",
    "QuoteAttribution",
    "QuoteKind",
    "QuoteSpan",
    "Rejection",
    "RejectionReason",
    "Sentence",
    "Stance",
    "Story",
    "StoryOverview",
    "StreamDigest",
    "Summary",
    "SummarySentence",
    "TimeExpression",
    "TimeRef",
    "Timeline",
    "TimelineEntry",
    "TimexType",
    "by_fields",
    "date_and_id",
    "sentence_texts",
]


class RejectionReason(StrEnum):
    """Why an input item did not become an article."""

    EMPTY_TEXT = "empty-text"
    UNDECODABLE = "undecodable"
    BAD_DATE = "bad-date"
    DUPLICATE_ID = "duplicate-id"
    UNSUPPORTED_FORMAT = "unsupported-format"
    OVERSIZED = "oversized"
    MALFORMED = "malformed"
    UNREADABLE = "unreadable"
    NOT_FOUND = "not-found"
    NOT_A_REGULAR_FILE = "not-a-regular-file"
    SYMLINK_LOOP = "symlink-loop"
    DANGLING_SYMLINK = "dangling-symlink"
    EMPTY_DIRECTORY = "empty-directory"
    NO_ARTICLES = "no-articles"
    PROCESSING_ERROR = "processing-error"
    # web pages, feeds and crawls
    NO_MAIN_TEXT = "no-main-text"  # a page (or feed entry) with no main text to extract
    NOT_HTML = "not-html"  # a crawl record whose body is not an HTML page
    HTTP_STATUS = "http-status"  # a crawl response that is not a success (200-299)
    DUPLICATE_URL = "duplicate-url"  # a page whose URL an earlier item already gave
    REVISIT = "revisit"  # a crawl revisit record whose original is not in the input
    TRUNCATED = "truncated"  # a file that breaks off: the records before the break are kept
    MALFORMED_FEED = "malformed-feed"  # what the feed parser flagged; readable entries are kept
    NOT_A_RESPONSE = "not-a-response"  # a crawl record that holds no page (request, metadata)


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news report as ingested.

    ``source`` names the outlet when known, otherwise the file the article came
    from; ``origin`` always names the input item (``path`` or ``path:line``).
    """

    id: str
    text: str
    source: str
    origin: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()
    partial: bool = False  # only a summary of the article (a feed entry without its content)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """An input item that did not become an article, and why."""

    item: str
    reason: RejectionReason
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """The outcome of ingestion: every item is either an article or a rejection."""

    articles: tuple[Article, ...]
    rejections: tuple[Rejection, ...] = ()

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence of an article, as offsets ``[start, end)`` into ``Article.text``."""

    id: str
    article_id: str
    index: int
    start: int
    end: int

    def text(self, article: Article) -> str:
        return article.text[self.start : self.end]

    def citation(self) -> Citation:
        """This sentence as evidence: its article, id and offsets."""
        return Citation(
            article_id=self.article_id, sentence_id=self.id, start=self.start, end=self.end
        )


def date_and_id(article: Article) -> tuple[dt.date, str]:
    """The sort key of the canonical order of articles: publication date (undated last), id."""
    return article.published or dt.date.max, article.id


def sentence_texts(
    sentences: Sequence[Sentence], articles: Mapping[str, Article]
) -> tuple[str, ...]:
    """The text of every sentence, from its article in ``articles``.

    The stages that read whole stories at once take their texts here, in one
    pass without a Python frame per sentence.
    """
    owners = map(articles.__getitem__, map(attrgetter("article_id"), sentences))
    return tuple(map(Sentence.text, sentences, owners))


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateGroup:
    """Articles that are copies of one another (syndicated wire copy).

    ``canonical`` is the earliest report (by publication date, then input order);
    ``copies`` are the later ones, which are left out of summarisation.
    """

    canonical: str
    copies: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """Sentences from one or more articles that state the same thing.

    ``sentence_ids`` are ordered by article date then input order, so the first
    one is the earliest report of the fact.
    """

    id: str
    sentence_ids: tuple[str, ...]
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """A group of articles about one event, with its sentences and facts."""

    id: str
    article_ids: tuple[str, ...]
    sentences: tuple[Sentence, ...] = ()
    facts: tuple[Fact, ...] = ()
    duplicates: tuple[DuplicateGroup, ...] = ()


BudgetUnit = Literal["words", "bytes", "sentences"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Budget:
    """A summary length limit in words, UTF-8 bytes or sentences."""

    unit: BudgetUnit
    limit: int

    def cost(self, text: str) -> int:
        if self.unit == "words":
            return len(text.split())
        if self.unit == "bytes":
            return len(text.encode("utf-8"))
        return 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A supporting occurrence: ``text[start:end]`` of article ``article_id``."""

    article_id: str
    sentence_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySentence:
    """A selected sentence with every article that supports it.

    ``sentence_id`` is the occurrence whose wording is shown; ``citations``
    holds it and every other sentence of the same fact.
    """

    sentence_id: str
    text: str
    fact_id: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """An extractive summary of one story, in story order (see storyline.digest.summary)."""

    story_id: str
    budget: Budget
    sentences: tuple[SummarySentence, ...]

    @property
    def text(self) -> str:
        return "\n".join(sentence.text for sentence in self.sentences)


Granularity = Literal["day", "week", "month", "year"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeRef:
    """A fuzzy point in time: the span ``[start, end]`` at a granularity."""

    start: dt.date
    end: dt.date
    granularity: Granularity


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A temporal expression found in a text: ``text`` is ``source[start:end]``.

    ``kind`` names its form ("date", "weekday", "relative", "month", "year",
    "season", "decade", "century", "holiday", "duration", "anaphoric");
    ``ref`` is its resolution against the publication date, or ``None`` when it
    cannot be resolved (kept and marked, never guessed); ``note`` says how it was
    resolved or why not.

    ``timex_type`` and ``value`` are the TimeML TIMEX3 ``type`` and ``value``
    attributes (ISO-TimeML, Pustejovsky et al. 2003/2010): ``DATE`` ("2017-05-29",
    "2017-W22", "2017-Q2", "199X", "PAST_REF"), ``TIME`` ("2017-05-29T15:00",
    "2017-05-29TNI"), ``DURATION`` ("P3W", "PT2H", "PXY") or ``SET``
    ("XXXX-WXX-1", "P1W"); an "X" stands for a digit the text leaves open.
    ``ref`` stays the day-level reading the timeline uses: a duration or a set
    usually has ``ref=None`` while its ``value`` is set.
    """

    article_id: str
    start: int
    end: int
    text: str
    kind: str
    ref: TimeRef | None
    note: str = ""
    timex_type: TimexType = "DATE"
    value: str = ""


QuoteKind = Literal["direct", "indirect"]
QuoteAttribution = Literal["same-sentence", "pronoun", "role", "previous-sentence", "unknown"]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteSpan:
    """Where a quote stands: ``text[start:end]`` of article ``article_id``, marks excluded."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Words attributed to a speaker, with every place they appear.

    ``kind`` is ``"direct"`` for words inside quotation marks and ``"indirect"``
    for reported speech. ``spans`` holds one span per piece (a quote split by
    its attribution has two) and per article carrying it; ``text`` is the
    pieces of one occurrence joined by ``" … "``. ``attribution`` says how the
    speaker was found; ``speaker`` is ``None`` when it was not. ``cue`` is the verb that
    reports it as the article words it ("said", "denied that", "did not say that",
    "according to"; empty when there is none), so that a denial is never read as an
    assertion.
    """

    speaker: str | None
    text: str
    kind: QuoteKind
    spans: tuple[QuoteSpan, ...]
    attribution: QuoteAttribution
    cue: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One date of a timeline: what happened then, cited, and the wording it came from.

    ``evidence`` holds the temporal expressions (with their articles and offsets)
    that resolved to ``date``; for an entry chosen from publication dates alone it
    may be empty.
    """

    date: TimeRef
    sentences: tuple[SummarySentence, ...]
    evidence: tuple[TimeExpression, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """A dated timeline of one story, entries sorted by date."""

    story_id: str
    entries: tuple[TimelineEntry, ...]


EntityKind = Literal["person", "organisation", "place", "other"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One occurrence of an entity: ``text[start:end]`` of article ``article_id``."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A person, organisation or place with its aliases merged.

    ``name`` is the canonical (fullest) name; ``aliases`` every other form seen.
    ``sources`` are the outlets of ``article_ids``; ``quotes`` the quotes whose
    speaker is this entity (both empty when not computed).
    """

    id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    article_ids: tuple[str, ...]
    sources: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()


# "reports": the claim asserted by a source the outlet cites or hedged ("police said",
# "reportedly"), never the outlet's own assertion.
Stance = Literal["asserts", "reports", "denies", "disputes"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimSide:
    """The sentences taking one stance on a claim, with their sources.

    ``cues`` holds, per text, the word that shows whose statement it is ("claimed",
    "said", "denied"); empty when not computed.
    """

    stance: Stance
    citations: tuple[Citation, ...]
    texts: tuple[str, ...]
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Disagreement:
    """A claim that some sources assert and others deny or dispute."""

    id: str
    claim: str
    sides: tuple[ClaimSide, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FactCoverage:
    """How many outlets report a fact (a fact carried by one source only is ``single``)."""

    fact_id: str
    text: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    """Everything the pipeline produced for one story (or for one run taken as one story).

    The sections after ``summaries`` are empty when their stage did not run.
    """

    corpus: Corpus
    stories: tuple[Story, ...]
    summaries: tuple[Summary, ...]
    timelines: tuple[Timeline, ...] = ()
    quotes: tuple[Quote, ...] = ()
    entities: tuple[Entity, ...] = ()
    coverage: tuple[FactCoverage, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryOverview:
    """One story of a stream, as a story index lists it.

    ``headline`` is the title of the story's first article that has one, else the first
    line of its first article's text (cut at 120 characters); ``first`` and ``last`` the
    span of its articles' dates (None when none is dated); ``article_ids`` its articles
    in canonical order (republished copies with them); ``sources`` its outlets in the
    order they first report.
    """

    id: str
    headline: str
    first: dt.date | None
    last: dt.date | None
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamDigest:
    """A mixed stream put into stories, and the digest of each story digested.

    ``stories`` lists every story found, largest and most recent first (the story
    index); ``digests`` holds, in the same order, the digests of the stories that were
    digested (all of them unless a story was picked or small stories were left out),
    each over its own articles. ``corpus`` is the whole input: every article and every
    rejection. ``timings`` are the seconds per stage, summed over the stories.
    """

    corpus: Corpus
    stories: tuple[StoryOverview, ...]
    digests: tuple[Digest, ...]
    timings: Mapping[str, float] = field(default_factory=dict)


def by_fields(instance: Any) -> tuple[functools.partial[Any], tuple[()]]:
    """``__reduce__`` of a frozen dataclass: its class called with its ``init`` fields.

    A compiled class (:mod:`storyline.native`) unpickles by setting each attribute, which a
    frozen dataclass refuses (``FrozenInstanceError``). Objects cross process boundaries (a
    stage shipped to a Dask worker, the terms of a batch that the store's reader process sends
    back), so every public frozen dataclass of a compiled module, whether or not one crosses
    today, pickles as a call of its class with its fields (``def __reduce__(self): return
    by_fields(self)``; ``tests/unit/test_native.py`` checks that each one does). Its
    ``__post_init__`` runs again, as for any construction; the Python modules pickle the same
    way, so both give equal objects.
    """
    values = {
        field.name: getattr(instance, field.name)
        for field in dataclasses.fields(instance)
        if field.init
    }
    remake: Callable[..., Any] = type(instance)
    return functools.partial(remake, **values), ()
