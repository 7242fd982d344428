"""A hand-built digest with every section filled, for the HTML report's tests.

One of its articles is hostile: its outlet, title, URL and text carry ``<script>``,
attribute-injection and ``</style>`` text, and a quote, an entity, a rejection and a
disagreement repeat them, so every section shows text that must stay text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from storyline.model import (
    Article,
    Budget,
    Citation,
    ClaimSide,
    Corpus,
    Digest,
    Disagreement,
    DuplicateGroup,
    Entity,
    FactCoverage,
    Mention,
    Quote,
    QuoteSpan,
    Rejection,
    RejectionReason,
    Sentence,
    Story,
    Summary,
    SummarySentence,
    TimeExpression,
    Timeline,
    TimelineEntry,
    TimeRef,
)
from tests.builders import make_article, make_story

__all__ = ["EVIL_SCRIPT", "EVIL_TITLE", "INJECTIONS", "cite", "make_full_digest", "span_of"]

EVIL_SCRIPT = "<script>__pwned=1;alert(1)</script>"
EVIL_ATTRIBUTE = '" onmouseover="__pwned=1" x="'
EVIL_TITLE = "</style><script>__pwned=1</script><b>"
EVIL_IMAGE = '<img src=x onerror="__pwned=1">'
INJECTIONS = (EVIL_SCRIPT, EVIL_ATTRIBUTE, EVIL_TITLE, EVIL_IMAGE)
"""Hostile strings the report must show as text, exactly."""

CABLE = "A suspender cable snapped on Saturday night."
CLOSED = "The mayor closed the bridge on Monday."
QUOTE = "“We will not gamble with lives,” the mayor said."
SAFE = "Engineers said the deck is safe."


def span_of(article: Article, text: str) -> tuple[int, int]:
    """Offsets of the first occurrence of ``text`` in ``article``."""
    start = article.text.index(text)
    return start, start + len(text)


def cite(story: Story, article: Article, text: str) -> Citation:
    """The citation of the sentence of ``article`` that reads ``text``."""
    sentence = _sentence(story, article, text)
    return Citation(
        article_id=article.id, sentence_id=sentence.id, start=sentence.start, end=sentence.end
    )


def _sentence(story: Story, article: Article, text: str) -> Sentence:
    for sentence in story.sentences:
        if sentence.article_id == article.id and sentence.text(article) == text:
            return sentence
    raise KeyError(text)


def _articles() -> tuple[Article, ...]:
    ledger = dataclasses.replace(
        make_article(
            f"{CABLE} {CLOSED} {QUOTE}",
            id="ledger",
            source="Verrin Ledger",
            published="2026-04-13",
            title="Cable snaps on Gull Island Bridge",
        ),
        url="https://example.org/ledger/cable",
    )
    wire = make_article(
        f"{CLOSED} {CABLE} {SAFE}",
        id="wire",
        source="Coastline Press",
        published="2026-04-14",
        title="Bridge shut after cable failure",
    )
    copy = make_article(
        wire.text,
        id="copy",
        source="Tidewater Courier",
        published="2026-04-15",
        title="Bridge shut after cable failure",
    )
    evil = dataclasses.replace(
        make_article(
            f"Officials denied the {EVIL_SCRIPT} report. "
            f"A banner read {EVIL_ATTRIBUTE} and {EVIL_IMAGE} on the deck. "
            f"The deck is not safe, {EVIL_TITLE} inspectors said.",
            id="evil",
            source=f"Evil {EVIL_SCRIPT} News",
            published="2026-04-16",
            title=EVIL_TITLE,
        ),
        url="javascript:window.__pwned=1",
    )
    return ledger, wire, copy, evil


def make_full_digest() -> Digest:
    """A digest of four articles (one a copy, one hostile) with every field populated."""
    ledger, wire, copy, evil = _articles()
    story = make_story(
        ledger,
        wire,
        evil,
        groups=[["ledger:0", "wire:1"], ["ledger:1", "wire:0"]],
        id="story-1",
    )
    copy_sentences = tuple(
        dataclasses.replace(s, id=s.id.replace("wire", "copy"), article_id="copy")
        for s in story.sentences
        if s.article_id == "wire"
    )
    story = dataclasses.replace(
        story,
        article_ids=(*story.article_ids, copy.id),
        sentences=story.sentences + copy_sentences,
        duplicates=(DuplicateGroup(canonical="wire", copies=("copy",)),),
    )
    evil_denial = evil.text.split(". ")[0] + "."
    evil_unsafe = evil.text.split(". ")[2]
    cable = SummarySentence(
        sentence_id="ledger:0",
        text=CABLE,
        fact_id="f0",
        citations=(
            cite(story, ledger, CABLE),
            cite(story, wire, CABLE),
            cite(story, copy, CABLE),
        ),
    )
    closed = SummarySentence(
        sentence_id="ledger:1",
        text=CLOSED,
        fact_id="f1",
        citations=(cite(story, ledger, CLOSED), cite(story, wire, CLOSED)),
    )
    denial = SummarySentence(
        sentence_id="evil:0",
        text=evil_denial,
        fact_id=_fact_of(story, "evil:0"),
        citations=(cite(story, evil, evil_denial),),
    )
    summary = Summary(
        story_id=story.id,
        budget=Budget(unit="words", limit=60),
        sentences=(cable, closed, denial),
    )
    return Digest(
        corpus=Corpus(
            articles=(ledger, wire, copy, evil),
            rejections=(
                Rejection(
                    item=f"feeds/{EVIL_SCRIPT}.xml",
                    reason=RejectionReason.MALFORMED,
                    detail=f"not XML: {EVIL_ATTRIBUTE}",
                ),
                Rejection(item="empty.txt", reason=RejectionReason.EMPTY_TEXT, detail="no text"),
            ),
        ),
        stories=(story,),
        summaries=(summary,),
        timelines=(_timeline(story, ledger, wire, (cable, closed, denial)),),
        quotes=_quotes(ledger, wire, evil),
        entities=_entities(ledger, wire, evil),
        coverage=_coverage(story, evil_unsafe),
        disagreements=(
            Disagreement(
                id="d1",
                claim="The bridge deck is safe.",
                sides=(
                    ClaimSide(
                        stance="asserts", citations=(cite(story, wire, SAFE),), texts=(SAFE,)
                    ),
                    ClaimSide(
                        stance="denies",
                        citations=(cite(story, evil, evil_unsafe),),
                        texts=(evil_unsafe,),
                    ),
                ),
            ),
        ),
        timings={"dedup": 0.002, "segment": 0.004, "select": 0.003},
    )


def _fact_of(story: Story, sentence_id: str) -> str:
    return next(fact.id for fact in story.facts if sentence_id in fact.sentence_ids)


def _timeline(
    story: Story, ledger: Article, wire: Article, sentences: tuple[SummarySentence, ...]
) -> Timeline:
    def expression(article: Article, text: str, ref: TimeRef) -> TimeExpression:
        start, end = span_of(article, text)
        return TimeExpression(
            article_id=article.id, start=start, end=end, text=text, kind="weekday", ref=ref
        )

    saturday = TimeRef(start=dt.date(2026, 4, 11), end=dt.date(2026, 4, 11), granularity="day")
    monday = TimeRef(start=dt.date(2026, 4, 13), end=dt.date(2026, 4, 13), granularity="day")
    cable, closed, denial = sentences
    week = TimeRef(start=dt.date(2026, 4, 13), end=dt.date(2026, 4, 19), granularity="week")
    return Timeline(
        story_id=story.id,
        entries=(
            TimelineEntry(
                date=saturday,
                sentences=(cable,),
                evidence=(
                    expression(ledger, "on Saturday", saturday),
                    expression(wire, "on Saturday", saturday),
                ),
            ),
            TimelineEntry(
                date=monday,
                sentences=(closed,),
                evidence=(expression(ledger, "on Monday", monday),),
            ),
            TimelineEntry(date=week, sentences=(denial,)),
        ),
    )


def _quotes(ledger: Article, wire: Article, evil: Article) -> tuple[Quote, ...]:
    words = "We will not gamble with lives,"
    start, end = span_of(ledger, words)
    safe_start, safe_end = span_of(wire, "the deck is safe")
    evil_start, evil_end = span_of(evil, EVIL_SCRIPT)
    return (
        Quote(
            speaker="Adaeze Hollander",
            text=words,
            kind="direct",
            spans=(QuoteSpan(article_id=ledger.id, start=start, end=end),),
            attribution="role",
        ),
        Quote(
            speaker="Engineers",
            text="the deck is safe",
            kind="indirect",
            spans=(QuoteSpan(article_id=wire.id, start=safe_start, end=safe_end),),
            attribution="same-sentence",
        ),
        Quote(
            speaker=f"{EVIL_ATTRIBUTE}{EVIL_SCRIPT}",
            text=EVIL_SCRIPT,
            kind="direct",
            spans=(QuoteSpan(article_id=evil.id, start=evil_start, end=evil_end),),
            attribution="same-sentence",
        ),
        Quote(
            speaker=None,
            text=EVIL_IMAGE,
            kind="direct",
            spans=(QuoteSpan(article_id=evil.id, **_span(evil, EVIL_IMAGE)),),
            attribution="unknown",
        ),
    )


def _span(article: Article, text: str) -> dict[str, int]:
    start, end = span_of(article, text)
    return {"start": start, "end": end}


def _entities(ledger: Article, wire: Article, evil: Article) -> tuple[Entity, ...]:
    def mention(article: Article, text: str) -> Mention:
        return Mention(article_id=article.id, text=text, **_span(article, text))

    return (
        Entity(
            id="e1",
            name="Gull Island Bridge",
            kind="place",
            aliases=("the bridge",),
            mentions=(mention(ledger, "the bridge"), mention(wire, "the bridge")),
            article_ids=(ledger.id, wire.id),
        ),
        Entity(
            id="e2",
            name="Adaeze Hollander",
            kind="person",
            aliases=("the mayor", "Hollander"),
            mentions=(mention(ledger, "The mayor"), mention(wire, "The mayor")),
            article_ids=(ledger.id, wire.id),
        ),
        Entity(
            id="e3",
            name=f"{EVIL_SCRIPT} Ltd",
            kind="organisation",
            aliases=(EVIL_ATTRIBUTE, EVIL_TITLE),
            mentions=(mention(evil, EVIL_SCRIPT),),
            article_ids=(evil.id,),
        ),
    )


def _coverage(story: Story, evil_unsafe: str) -> tuple[FactCoverage, ...]:
    sources = {"ledger": "Verrin Ledger", "wire": "Coastline Press", "evil": "Evil News"}
    shared = [
        FactCoverage(
            fact_id=fact.id,
            text=CABLE if fact.id == "f0" else CLOSED,
            article_ids=fact.article_ids,
            sources=tuple(sources[a] for a in fact.article_ids),
        )
        for fact in story.facts
        if fact.id in {"f0", "f1"}
    ]
    unsafe = _fact_of(
        story, next(s.id for s in story.sentences if s.article_id == "evil" and s.index == 2)
    )
    single = FactCoverage(
        fact_id=unsafe, text=evil_unsafe, article_ids=("evil",), sources=(f"Evil {EVIL_SCRIPT}",)
    )
    return (*shared, single)
