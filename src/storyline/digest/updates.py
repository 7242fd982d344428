"""What's new: a story's articles and the digests already delivered -> a digest of only the new.

Input -> output: the articles of a story, a :class:`Baseline` (what the reader was
given: the JSON documents of the digests delivered, see :meth:`Baseline.of_digests`,
or the articles published before a day, :meth:`Baseline.before`) and a budget become
an :class:`Update`: a :class:`~storyline.model.Digest` of the articles the baseline
does not know, holding only what the reader has not been told, and what it updates.

Method (update summarisation, as in the TAC 2008 update task: summarise the new
documents B for a reader who has read A, without repeating A):

1. The new articles are the story's articles that no earlier digest was made from
   (the ``articles`` of each document, and ``update.known_article_ids`` of an update,
   which lists the articles known before it). None: nothing new.
2. The new articles are digested by the configured pipeline, every section, as one
   story; the summary's selection is steered (:class:`~storyline.digest.summary.Guidance`).
3. *Already stated*: the pipeline's fact grouper runs over the new articles' sentences
   together with every sentence of the known articles and the sentences the earlier
   digests showed (summary and timeline). A new sentence is already stated when it
   falls in a fact with one of those, or when the grouper's pair rule links it to one
   (:class:`~storyline.stories.facts.FactLinker`: the grouping's average linkage may
   keep two linked sentences apart, the test does not), so "the same fact" is judged
   at least as the fact grouper judges it, in other words too. A fact of the new
   articles with one sentence already stated is an old fact.
4. The summary is chosen by the configured summarizer among the sentences of the new
   facts only. Counting the concepts of the sentences the earlier digests showed as
   covered from the start as well (the conditional gain f(S | A) = f(S + A) - f(A) of
   TAC 2008 update summarisers such as Gillick et al.'s ICSI system) was measured and
   left out: on the 8 Timeline17 cases of ``eval updates`` it lowered ROUGE-2 from
   6.95 to 5.51 (the concepts a story keeps repeating are those its references
   repeat too), with no fewer repeats (none either way).
5. The other sections keep what is new: timeline entries of dates that no earlier
   digest's timeline showed, without sentences of old facts; quotes whose words
   (normalised: NFKC, case-folded, words only) no known article and no earlier quote
   holds; disagreements whose claim no earlier digest gave (the same normalised words
   or, as in 3, the same fact); entities named for the first time; the coverage of
   the new facts.
6. *Nothing new* when no summary sentence, timeline entry, quote or disagreement is
   left: :attr:`Update.nothing_new`.

Disagreements are found among the new articles (a claim that a new article denies and
only a known one asserts is not one of them).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from storyline.digest.summary import Guidance, Steering, Summarizer
from storyline.errors import StorylineError
from storyline.model import (
    Article,
    Budget,
    Corpus,
    Digest,
    Fact,
    Granularity,
    Sentence,
    Story,
    Summary,
    Timeline,
    TimeRef,
    date_and_id,
)
from storyline.stories.facts import FactGrouper, links_pairs
from storyline.text.sentences import Segmenter, segment

__all__ = [
    "Baseline",
    "Digester",
    "EarlierDigest",
    "Update",
    "already_stated",
    "digest_new",
    "never_digested",
]

_WORD = re.compile(r"\w+")
_GRANULARITIES: Mapping[str, Granularity] = {
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}


class Digester(Protocol):
    """What an update needs of a pipeline (:class:`storyline.pipeline.Pipeline` is one)."""

    @property
    def segmenter(self) -> Segmenter: ...

    @property
    def fact_grouper(self) -> FactGrouper: ...

    @property
    def summarizer(self) -> Summarizer: ...

    def run(
        self,
        corpus: Corpus,
        budget: Budget,
        *,
        story_id: str = ...,
        on_stage: Callable[[str], None] | None = ...,
        steer: Steering | None = ...,
    ) -> Digest: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class EarlierDigest:
    """A digest delivered before: its id in the store (None when it was not stored), when
    it was delivered, and its JSON document (schema ``storyline.digest``)."""

    id: int | None
    delivered: dt.datetime | None
    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Baseline:
    """What the reader has been given already.

    ``label`` names it for people ("digest 3", "articles before 2026-04-15");
    ``digest_ids`` the stored digests it is made of (oldest first; empty for a day);
    ``delivered`` when the last of them was; ``since`` the day of a baseline of articles
    published before a day. ``article_ids`` are the articles the reader knows of;
    ``sentences``, ``quotes``, ``dates``, ``claims`` and ``names`` what the digests
    showed (summary and timeline sentences, quote texts, timeline dates, disagreement
    claims, entity names and aliases).
    """

    label: str
    digest_ids: tuple[int, ...] = ()
    delivered: dt.datetime | None = None
    since: dt.date | None = None
    article_ids: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    dates: tuple[TimeRef, ...] = ()
    claims: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @classmethod
    def of_digests(cls, earlier: Sequence[EarlierDigest]) -> Baseline:
        """The baseline of the digests ``earlier`` (oldest first; the last one names it).

        A document that is not a ``storyline.digest`` is a
        :class:`~storyline.errors.StorylineError`.
        """
        if not earlier:
            raise StorylineError("an update needs an earlier digest or a day")
        parts = [_read_document(item) for item in earlier]
        last = earlier[-1]
        return cls(
            label=f"digest {last.id}" if last.id is not None else "the earlier digest",
            digest_ids=tuple(item.id for item in earlier if item.id is not None),
            delivered=last.delivered,
            article_ids=tuple(sorted({i for part in parts for i in part.article_ids})),
            sentences=_distinct(text for part in parts for text in part.sentences),
            quotes=_distinct(text for part in parts for text in part.quotes),
            dates=tuple(dict.fromkeys(ref for part in parts for ref in part.dates)),
            claims=_distinct(text for part in parts for text in part.claims),
            names=_distinct(name for part in parts for name in part.names),
        )

    @classmethod
    def of_story(
        cls,
        earlier: Sequence[EarlierDigest],
        articles: Iterable[Article],
        *,
        since: int | dt.date | None = None,
        story_id: str = "the story",
    ) -> Baseline:
        """What the reader of a story has been given: the digests ``earlier`` delivered of it
        (oldest first), up to digest ``since`` when it is an id, or those delivered before
        the day ``since`` (without one: :meth:`before` that day, over ``articles``).

        No digest to start from, or no digest of that id, is a
        :class:`~storyline.errors.StorylineError` naming ``story_id``.
        """
        if isinstance(since, int):
            if since not in {item.id for item in earlier}:
                known = ", ".join(str(item.id) for item in earlier) or "none"
                raise StorylineError(
                    f"no digest {since} of story {story_id} was delivered (its digests: {known})"
                )
            return cls.of_digests([i for i in earlier if i.id is not None and i.id <= since])
        if isinstance(since, dt.date):
            chosen = [
                item
                for item in earlier
                if item.delivered is not None and item.delivered.astimezone(dt.UTC).date() < since
            ]
            return cls.of_digests(chosen) if chosen else cls.before(since, articles)
        if not earlier:
            raise never_digested(story_id)
        return cls.of_digests(earlier)

    @classmethod
    def before(cls, day: dt.date, articles: Iterable[Article]) -> Baseline:
        """The baseline of a reader who knows the ``articles`` published before ``day``
        (undated articles count as known: they are not after it)."""
        known = (a.id for a in articles if a.published is None or a.published < day)
        return cls(
            label=f"articles before {day.isoformat()}",
            since=day,
            article_ids=tuple(sorted(known)),
        )


def never_digested(story_id: str) -> StorylineError:
    """The error of an update asked of a story with no digest to start from."""
    return StorylineError(
        f"no digest of story {story_id} was delivered yet: digest it first "
        f"(storyline digest --story {story_id}) or give --since DATE"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Update:
    """What is new in a story since a baseline.

    ``digest`` is the digest of the new articles (``new_article_ids``) reduced to what
    the reader has not been told; ``known_article_ids`` the articles known before (the
    baseline's); ``old_facts`` how many facts of the new articles were left out as
    already stated.
    """

    story_id: str
    baseline: Baseline
    digest: Digest
    new_article_ids: tuple[str, ...]
    known_article_ids: tuple[str, ...]
    old_facts: int = 0

    @property
    def nothing_new(self) -> bool:
        """Whether the update says nothing new: no summary sentence, timeline entry,
        quote or disagreement."""
        digest = self.digest
        return not (
            any(summary.sentences for summary in digest.summaries)
            or any(timeline.entries for timeline in digest.timelines)
            or digest.quotes
            or digest.disagreements
        )


def digest_new(
    digester: Digester,
    articles: Sequence[Article],
    baseline: Baseline,
    budget: Budget,
    *,
    story_id: str = "story-1",
) -> Update:
    """The update of the story made of ``articles`` since ``baseline`` (module docstring)."""
    known_ids = frozenset(baseline.article_ids)
    ordered = sorted(articles, key=date_and_id)
    new = tuple(article for article in ordered if article.id not in known_ids)
    known = tuple(article for article in ordered if article.id in known_ids)
    known_article_ids = tuple(sorted(known_ids))
    if not new:
        empty = Digest(
            corpus=Corpus(articles=()),
            stories=(Story(id=story_id, article_ids=()),),
            summaries=(Summary(story_id=story_id, budget=budget, sentences=()),),
        )
        return Update(
            story_id=story_id,
            baseline=baseline,
            digest=empty,
            new_article_ids=(),
            known_article_ids=known_article_ids,
        )
    judged: dict[str, frozenset[str]] = {}  # this call's: the sentences already stated

    def steer(story: Story, canonical: Mapping[str, Article]) -> Guidance:
        old = _stated_sentences(story, canonical, known, baseline.sentences, digester)
        judged["old"] = old
        fresh = frozenset(s.id for s in story.sentences if s.id not in old)
        return Guidance(candidates=fresh)

    digest = digester.run(Corpus(articles=new), budget, story_id=story_id, steer=steer)
    old = judged.get("old", frozenset())
    story = digest.stories[0]
    old_facts = {fact.id for fact in story.facts if old.intersection(fact.sentence_ids)}
    claims = [item.claim for item in digest.disagreements]
    repeated = already_stated(claims, baseline.claims, digester.fact_grouper)
    names = {_normal(name) for name in baseline.names}
    heard = _heard(known, baseline.quotes)
    reduced = replace(
        digest,
        timelines=tuple(_new_dates(timeline, baseline.dates, old) for timeline in digest.timelines),
        quotes=tuple(quote for quote in digest.quotes if not _quoted_before(quote.text, heard)),
        entities=tuple(
            entity
            for entity in digest.entities
            if not names.intersection(map(_normal, (entity.name, *entity.aliases)))
        ),
        coverage=tuple(item for item in digest.coverage if item.fact_id not in old_facts),
        disagreements=tuple(
            item for item, stated in zip(digest.disagreements, repeated, strict=True) if not stated
        ),
    )
    return Update(
        story_id=story_id,
        baseline=baseline,
        digest=reduced,
        new_article_ids=tuple(article.id for article in digest.corpus.articles),
        known_article_ids=known_article_ids,
        old_facts=len(old_facts),
    )


def already_stated(
    texts: Sequence[str], earlier: Sequence[str], grouper: FactGrouper
) -> tuple[bool, ...]:
    """For each of ``texts`` (sentences), whether it states a fact of ``earlier``: the same
    normalised words, a fact in common when ``grouper`` groups them all, or a link of
    its pair rule (:class:`~storyline.stories.facts.FactLinker`)."""
    if not texts or not earlier:
        return tuple(False for _ in texts)
    ours = _text_article("new", texts)
    theirs = _text_article("earlier", earlier)
    mine = _text_sentences(ours, texts)
    stated = _stated(
        mine, _text_sentences(theirs, earlier), {ours.id: ours, theirs.id: theirs}, grouper
    )
    exact = {_normal(text) for text in earlier}
    return tuple(
        sentence.id in stated or _normal(text) in exact
        for sentence, text in zip(mine, texts, strict=True)
    )


def _stated_sentences(
    story: Story,
    canonical: Mapping[str, Article],
    known: Sequence[Article],
    shown: Sequence[str],
    digester: Digester,
) -> frozenset[str]:
    """The sentences of ``story`` already stated by the ``known`` articles or the ``shown``
    sentences, widened to whole facts of the story."""
    owners: dict[str, Article] = dict(canonical)
    earlier: list[Sentence] = []
    for article in known:
        owners[article.id] = article
        earlier += segment(article, digester.segmenter)
    if shown:
        name = "earlier-digests"
        while name in owners:
            name += "'"
        pseudo = _text_article(name, shown)
        owners[name] = pseudo
        earlier += _text_sentences(pseudo, shown)
    old = _stated(story.sentences, earlier, owners, digester.fact_grouper)
    for fact in story.facts:
        if old.intersection(fact.sentence_ids):
            old |= set(fact.sentence_ids)
    return frozenset(old)


def _stated(
    sentences: Sequence[Sentence],
    earlier: Sequence[Sentence],
    owners: Mapping[str, Article],
    grouper: FactGrouper,
) -> set[str]:
    """The ids of ``sentences`` in a fact with, or linked to, one of ``earlier``."""
    if not sentences or not earlier:
        return set()
    ours = {sentence.id for sentence in sentences}
    pool = (*sentences, *earlier)
    stated: set[str] = set()
    facts: Sequence[Fact] = grouper.group(pool, owners)
    for fact in facts:
        members = set(fact.sentence_ids)
        if members - ours:
            stated |= members & ours
    if links_pairs(grouper):
        for first, second in grouper.links(pool, owners):
            if (first in ours) != (second in ours):
                stated.add(first if first in ours else second)
    return stated


def _text_article(name: str, texts: Sequence[str]) -> Article:
    """Texts as the lines of one undated article (to be grouped with real sentences)."""
    return Article(id=name, text="\n".join(texts), source=name, origin=name)


def _text_sentences(article: Article, texts: Sequence[str]) -> tuple[Sentence, ...]:
    """The lines of a :func:`_text_article`, one sentence each."""
    sentences = []
    start = 0
    for index, text in enumerate(texts):
        sentences.append(
            Sentence(
                id=f"{article.id}:{index}",
                article_id=article.id,
                index=index,
                start=start,
                end=start + len(text),
            )
        )
        start += len(text) + 1
    return tuple(sentences)


def _new_dates(timeline: Timeline, shown: Collection[TimeRef], old: Collection[str]) -> Timeline:
    """The entries of dates not ``shown`` before, without the sentences of ``old`` facts."""
    entries = []
    for entry in timeline.entries:
        if entry.date in shown:
            continue
        fresh = tuple(item for item in entry.sentences if item.sentence_id not in old)
        if fresh:
            entries.append(replace(entry, sentences=fresh))
    return replace(timeline, entries=tuple(entries))


def _heard(known: Sequence[Article], quotes: Sequence[str]) -> str:
    """The normalised words of the known articles and earlier quotes, one text a line,
    each word between spaces (so that a quote is found as whole words)."""
    return " " + " \n ".join(_normal(text) for text in (*quotes, *(a.text for a in known))) + " "


def _quoted_before(text: str, heard: str) -> bool:
    """Whether the words of a quote are in ``heard`` (see :func:`_heard`)."""
    words = _normal(text)
    return not words or f" {words} " in heard


def _normal(text: str) -> str:
    """``text`` NFKC-normalised, case-folded, its words joined by one space."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(texts))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Read:
    """What one earlier document gave the reader."""

    article_ids: tuple[str, ...]
    sentences: tuple[str, ...]
    quotes: tuple[str, ...]
    dates: tuple[TimeRef, ...]
    claims: tuple[str, ...]
    names: tuple[str, ...]


def _read_document(item: EarlierDigest) -> _Read:
    """The parts of a ``storyline.digest`` document that a reader has seen."""
    document = item.document
    shown = f"digest {item.id}" if item.id is not None else "the earlier digest"
    if document.get("schema") != "storyline.digest":
        raise StorylineError(f"{shown} is not a storyline.digest document")
    try:
        articles = [str(article["id"]) for article in document.get("articles", [])]
        articles += [str(i) for i in (document.get("update") or {}).get("known_article_ids", [])]
        sentences: list[str] = []
        quotes: list[str] = []
        dates: list[TimeRef] = []
        claims: list[str] = []
        names: list[str] = []
        for story in document.get("stories", []):
            sentences += [str(s["text"]) for s in (story.get("summary") or {}).get("sentences", [])]
            for entry in (story.get("timeline") or {}).get("entries", []):
                dates.append(_time_ref(entry["date"]))
                sentences += [str(s["text"]) for s in entry.get("sentences", [])]
            quotes += [str(quote["text"]) for quote in story.get("quotes", [])]
            claims += [str(found["claim"]) for found in story.get("disagreements", [])]
            for entity in story.get("entities", []):
                names += [str(entity["name"]), *map(str, entity.get("aliases", []))]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StorylineError(
            f"{shown} is not a readable storyline.digest document: {error!r}"
        ) from None
    return _Read(
        article_ids=tuple(articles),
        sentences=tuple(sentences),
        quotes=tuple(quotes),
        dates=tuple(dates),
        claims=tuple(claims),
        names=tuple(names),
    )


def _time_ref(data: Mapping[str, Any]) -> TimeRef:
    return TimeRef(
        start=dt.date.fromisoformat(str(data["start"])),
        end=dt.date.fromisoformat(str(data["end"])),
        granularity=_GRANULARITIES[str(data["granularity"])],
    )
