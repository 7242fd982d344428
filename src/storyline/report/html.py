"""HTML report: a digest -> one self-contained HTML page that requests nothing.

Input: a :class:`~storyline.model.Digest` or :class:`~storyline.model.StreamDigest`.
Output: one HTML document (a ``str``) with inline CSS and an inline SVG chart; no script,
no font, no image and no other file, so it opens anywhere, offline, and makes no request.
No paper is followed: this is the presentation layer.

Method: this module computes the view of a digest (:func:`story_view`: frozen records
holding every id, number, label, citation and chart position) and Jinja2 templates lay it
out: ``report/templates/report.html`` holds one macro per section (overview, summary with
its citation marks, timeline and its SVG chart, quotes by speaker, entities, agreement,
disagreements, sources, rejected items, the story index of a stream) and ``page.html``
the document around them. :func:`environment` is the one Jinja2 environment they are
rendered in, loaded from this package (no network, no file outside it); the web app's
environment is the same one with its own templates in front (:func:`environment` takes
them), so the report and the app's story page render the same macros: one look, one
escaping path. Jinja2 replaced string concatenation for that sharing, at a cost measured
with ``bench/bench_html.py``: compiling the templates takes 75-100 ms of CPU once per
process; rendering the example stream's page 45 ms against 41 ms before, and the
86-million-character page of 1,000 Timeline17 articles 7-8.5 s against 5.5 s (both in
``fewer_collections``).

Safety: autoescape is on for every template and StrictUndefined makes a missing value an
error. Every value a template shows passes through the environment's ``finalize`` hook,
:func:`~storyline.report.escaping.neutral` (bidirectional and other control characters
dropped), then through Jinja2's autoescaping (MarkupSafe): the one escaping path, with no
escaping in Python. Each article-derived text that a citation mark follows sits in its own
``<bdi>``, so that neither a control nor right-to-left script moves the marks around it
(``[12]`` read as ``[21]``). Article URLs become links only when their scheme is ``http``
or ``https`` (anything else, ``javascript:`` included, is shown as text). A
Content-Security-Policy ``<meta>`` forbids scripts and every remote load, as a second line
of defence should escaping ever fail.

Sources are numbered as in the Markdown report (reading order: publication date, then
input order) and cited as ``[n]``. Each mark holds a hidden tooltip that CSS reveals on
``:hover`` and ``:focus-within``, so hover-to-source works without script and from the
keyboard: for a summary citation the cited sentence itself (the article text at the
citation's offsets), for a quote, mention or dated expression the sentence holding it with
the span highlighted, then outlet and date. The timeline chart puts each entry on a date
axis (a band for a week, month or year) with a mark whose area grows with its number of
sources. Every section is always present; one whose stage did not run says so in a line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from storyline.errors import ReportError
from storyline.model import (
    Article,
    Citation,
    ClaimSide,
    Digest,
    Disagreement,
    Entity,
    FactCoverage,
    Quote,
    Sentence,
    StoryOverview,
    StreamDigest,
    Summary,
    SummarySentence,
    Timeline,
    TimelineEntry,
    TimeRef,
)
from storyline.report.escaping import neutral
from storyline.stories.copies import reading_order

__all__ = [
    "SECTIONS",
    "STYLESHEET",
    "StoryPage",
    "counted",
    "environment",
    "render_html",
    "story_body",
    "story_view",
]

SECTIONS = (
    ("overview", "Overview"),
    ("summary", "Summary"),
    ("timeline", "Timeline"),
    ("quotes", "Quotes"),
    ("entities", "Entities"),
    ("agreement", "Agreement"),
    ("disagreements", "Disagreements"),
    ("sources", "Sources"),
    ("rejected", "Rejected items"),
)
"""Each section's ``id`` (also its ``data-section``) and heading, in page order."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_KIND_ORDER = {"person": 0, "organisation": 1, "place": 2, "other": 3}
_STANCE_ORDER = {"asserts": 0, "reports": 1, "disputes": 2, "denies": 3}

_CSS = """
:root { --ink: #1c2230; --muted: #5a6372; --rule: #d9dde3; --accent: #0a58a8;
  --paper: #ffffff; --tint: #f4f6f9; --tip: #fffdf2; --tip-rule: #d6c98e; --hl: #fde68a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 1.0625rem/1.6 Charter, "Bitstream Charter", "Iowan Old Style", Georgia, serif; }
.page { max-width: 48rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1, h2, h3, h4, nav, .meta, .badge, table, .counts, .chart, .tip small, footer {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: .2rem 0 .6rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: .95rem; margin: 0 0 .25rem; }
p { margin: .4rem 0; }
a { color: var(--accent); }
.meta, .empty { color: var(--muted); font-size: .9rem; }
.empty { font-style: italic; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; padding: 0;
  list-style: none; }
.counts li { display: flex; flex-direction: column; }
.counts b { font-size: 1.35rem; line-height: 1.1; }
.counts span { color: var(--muted); font-size: .8rem; text-transform: uppercase;
  letter-spacing: .04em; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem .9rem; padding: 0; margin: 0;
  list-style: none; font-size: .9rem; }
section { position: relative; }
ul.facts, ol.entries { padding-left: 1.2rem; }
ul.quotes { list-style: none; padding-left: 0; }
ul.facts > li, ul.quotes > li { margin: .45rem 0; }
ol.entries { list-style: none; padding: 0; }
ol.entries > li { margin: 1rem 0; padding-left: .8rem; border-left: 3px solid var(--rule); }
.cite { white-space: nowrap; font-family: system-ui, sans-serif; font-size: .78em;
  vertical-align: .25em; line-height: 1; }
.cite > a { text-decoration: none; padding: 0 .05em; border-radius: 3px; }
.cite > a:hover, .cite > a:focus { background: var(--tint); text-decoration: underline; }
.tip { display: none; position: absolute; left: 0; z-index: 20; max-width: min(34rem, 100%);
  margin-top: .3rem; padding: .55rem .75rem; background: var(--tip);
  border: 1px solid var(--tip-rule); border-radius: 6px; box-shadow: 0 4px 14px rgb(0 0 0 / .15);
  color: var(--ink); font: .95rem/1.45 Charter, Georgia, serif; white-space: normal;
  vertical-align: baseline; text-align: left; }
.tip q { display: block; quotes: "“" "”"; }
.tip q + q { margin-top: .35rem; }
.tip small { display: block; margin-top: .35rem; color: var(--muted); font-size: .8rem; }
.tip mark { background: var(--hl); padding: 0 .1em; }
.cite:hover > .tip, .cite:focus-within > .tip { display: block; }
blockquote { margin: .2rem 0 .15rem; padding: .1rem 0 .1rem .8rem;
  border-left: 3px solid var(--tip-rule); }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px;
  background: var(--tint); color: var(--muted); font-size: .75rem; white-space: nowrap; }
.stance-asserts { background: #e3f4e8; color: #17603a; }
.stance-denies { background: #fbe4e4; color: #9b1c1c; }
.stance-disputes { background: #fdf1d8; color: #8a5a00; }
.claim { margin: 1rem 0; padding: .6rem .9rem; background: var(--tint); border-radius: 8px; }
.claim h3, .claim h4 { margin-top: .2rem; }
table.index th, table.index td.n { white-space: nowrap; overflow-wrap: normal; }
.story { margin-top: 3rem; padding-top: .5rem; border-top: 4px solid var(--ink); }
.story > h2 { border-bottom: 0; margin-top: .5rem; font-size: 1.5rem; }
.story > section > h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--ink); }
.story h5 { font-size: .95rem; margin: 0 0 .25rem; }
.side { margin: .5rem 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
thead th { font-weight: 600; border-bottom: 2px solid var(--ink); }
tbody th { font-weight: 600; }
td, th { overflow-wrap: anywhere; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
ol.sources { padding-left: 2.2rem; }
ol.sources li { margin: .25rem 0; overflow-wrap: anywhere; }
ol.sources li:target, ol.entries li:target { background: var(--hl); }
code { font-size: .85em; overflow-wrap: anywhere; }
.chart-wrap { overflow-x: auto; }
.chart { display: block; width: 100%; min-width: 34rem; height: auto; margin: .5rem 0; }
.chart .axis { stroke: var(--ink); stroke-width: 1.5; }
.chart .band { fill: #b8d3f0; opacity: .55; }
.chart .stem { stroke: #9aa4b2; stroke-width: 1; }
.chart .dot { fill: var(--accent); fill-opacity: .8; stroke: #fff; stroke-width: 1.5; }
.chart a:hover .dot, .chart a:focus .dot { fill: #e07b00; }
.chart text { font-size: 12px; fill: var(--ink); }
.chart .end { fill: var(--muted); font-size: 11px; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }
@media (max-width: 32rem) {
  body { font-size: 1rem; }
  table.index .outlets { display: none; }
  .page { padding: .8rem .7rem 2rem; }
  h1 { font-size: 1.45rem; }
}
@media print {
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  nav, .tip { display: none !important; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  li, .claim, tr { break-inside: avoid; }
}
"""

STYLESHEET = _CSS
"""The report's CSS: inline in the report, a served stylesheet in the web app."""


def environment(*loaders: BaseLoader) -> Environment:
    """The Jinja2 environment of the report's templates, ``loaders`` looked in first.

    The web app passes its own templates' loader, so its pages can import the report's
    macros and render through the same escaping (``finalize`` drops control characters,
    then autoescaping) as the report does.
    """

    def shown(value: object) -> object:
        # exactly str: Markup (a macro's output, already escaped) and numbers pass as they are
        return neutral(value) if type(value) is str else value

    made = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("storyline.report", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        finalize=shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    made.globals["headings"] = dict(SECTIONS)
    made.globals["sections"] = SECTIONS
    return made


# The view: what the templates lay out


@dataclass(frozen=True, slots=True, kw_only=True)
class _Ref:
    """A place in an article a mark points to; ``start``/``end`` are ``None`` for the article."""

    article_id: str
    start: int | None = None
    end: int | None = None
    exact: bool = False


class Passage(NamedTuple):
    """What a tooltip quotes: ``before``, the highlighted span (if any), ``after``.

    A named tuple, not a dataclass: a large page holds hundreds of thousands, made and
    compared (a mark quotes each passage once) at a third of a dataclass's cost.
    """

    before: str
    marked: str | None = None
    after: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    """One ``[number]`` citation mark, its link and its tooltip."""

    article_id: str
    number: int
    href: str
    passages: tuple[Passage, ...]
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """One figure of a page's counts: ``data-count`` key, number, label."""

    key: str
    n: int
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Overview:
    """The header of a one-story page."""

    headline: str
    dates: str
    counts: tuple[Count, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """A sentence or fact of a list, with its marks (``badge``/``names``: agreement only)."""

    fact_id: str
    text: str
    marks: tuple[Mark, ...]
    badge: str = ""
    names: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryHeading:
    """The heading above one story's part of a section, when the digest holds several."""

    number: int
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryPart:
    heading: StoryHeading | None
    limit: int
    unit: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChartMark:
    """One entry on the chart, its positions computed here."""

    entry_id: str
    described: str
    band: tuple[float, float, float] | None  # x, y, width of a week, month or year
    middle: float
    top: float
    radius: float
    sources: int
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    width: int
    left: int
    right: int
    axis_y: float
    ends: tuple[tuple[float, str], ...]
    marks: tuple[ChartMark, ...]
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Dated:
    """A dated expression an entry was dated from, with its mark."""

    text: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    entry_id: str
    iso: str
    when: str
    items: tuple[Item, ...]
    evidence: tuple[Dated, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelinePart:
    heading: StoryHeading | None
    chart: Chart
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteItem:
    cue: str
    text: str
    outlets: int
    attribution: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    name: str
    quotes: tuple[QuoteItem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteKind:
    kind: str
    heading: str
    count: int
    speakers: tuple[Speaker, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRow:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: int
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    stance: str
    sources: int
    marks: tuple[Mark, ...]
    texts: tuple[tuple[str, str], ...]  # (text, cue)


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    id: str
    claim: str
    sides: tuple[Side, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    number: int
    article_id: str
    outlet: str
    date: str
    title: str | None
    link: str | None
    code: str
    copy_of: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryView:
    """Every section of one story, summary to sources, ready for the templates.

    ``prefix`` starts each id (a story's part of a page of several stories); ``level`` is
    the level of the sections' headings.
    """

    prefix: str
    level: int
    summaries: tuple[SummaryPart, ...]
    timelines: tuple[TimelinePart, ...]
    quotes: tuple[QuoteKind, ...]
    quote_count: int
    entities: tuple[EntityRow, ...]
    shared: tuple[Item, ...]
    single: tuple[Item, ...]
    coverage_count: int
    disagreements: tuple[Claim, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    item: str
    reason: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """A one-story page's body: its header, its sections and the rejected items."""

    overview: Overview
    story: StoryView
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Index:
    """Look-ups shared by every section: articles, their numbers and their sentences."""

    articles: Mapping[str, Article]
    number: Mapping[str, int]
    ranked: tuple[Article, ...]
    copy_of: Mapping[str, str]
    sentences: Mapping[str, tuple[Sentence, ...]]
    starts: Mapping[str, tuple[int, ...]]
    fact_sentences: Mapping[tuple[str, frozenset[str]], tuple[Sentence, ...]]
    prefix: str = ""  # of the ids in a story's part of a page of several stories
    level: int = 2  # of the story's section headings


def render_html(digest: Digest | StreamDigest, *, timings: bool = True) -> str:
    """The digest as one self-contained HTML document; ``timings`` adds the stage times.

    A stream of several stories gets a page with the story index, then each digested
    story in its own ``<article>`` (its ids prefixed with the story's id); a one-story
    stream is that story's page.
    """
    if isinstance(digest, StreamDigest):
        if len(digest.stories) == 1 and len(digest.digests) == 1:
            digest = digest.digests[0]
        else:
            return _stream_page(digest, timings=timings)
    return _render(
        title=_title(digest),
        story=story_view(digest),
        stream=None,
        times=_times(digest.timings, timings=timings),
    )


# Built once, read-only afterwards (its compiled templates are Jinja2's own cache): compiling
# the templates takes about 0.1 s of CPU, rendering a page of one story a few milliseconds.
_PAGES = environment()


def _render(**values: object) -> str:
    return _PAGES.get_template("page.html").render(css=Markup(_CSS), **values)


def story_view(digest: Digest) -> StoryPage:
    """The view of one story's page body (its overview, sections and rejected items): the
    report lays it out in its page, the web app's story page in its own layout, both with
    the ``story_body`` macro of ``report.html``."""
    index = _index(digest)
    return StoryPage(
        overview=_overview(digest, index),
        story=_story(digest, index),
        rejected=_rejected(digest),
    )


def story_body(digest: Digest) -> str:
    """The HTML of one story's page body (the ``story_body`` macro over :func:`story_view`)."""
    # getattr: a template module's attributes are its macros, which mypy cannot see
    macro = getattr(_PAGES.get_template("report.html").module, "story_body")  # noqa: B009
    return str(macro(story_view(digest)))


def _story(digest: Digest, index: _Index) -> StoryView:
    coverage = digest.coverage
    outlets = {fact.fact_id: len(set(fact.sources)) for fact in coverage}
    shared = sorted(
        (fact for fact in coverage if outlets[fact.fact_id] > 1),
        key=lambda fact: -outlets[fact.fact_id],
    )
    return StoryView(
        prefix=index.prefix,
        level=index.level,
        summaries=_summaries(digest, index),
        timelines=_timelines(digest, index),
        quotes=_quotes(digest.quotes, index),
        quote_count=len(digest.quotes),
        entities=_entities(digest.entities, index),
        shared=tuple(_coverage_item(fact, outlets[fact.fact_id], index) for fact in shared),
        single=tuple(
            _coverage_item(fact, 1, index) for fact in coverage if outlets[fact.fact_id] <= 1
        ),
        coverage_count=len(coverage),
        disagreements=tuple(_claim(item, index) for item in digest.disagreements),
        sources=tuple(_source(article, index) for article in index.ranked),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRow:
    """A row of a stream's story index; ``digested`` when the page holds the story."""

    id: str
    headline: str
    span: str
    articles: int
    outlets: str
    digested: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamStory:
    """One digested story of a page of several."""

    id: str
    prefix: str
    headline: str
    meta: str
    story: StoryView


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamView:
    """A page of several stories: counts, the index, each digested story, rejections."""

    title: str
    dates: str
    counts: tuple[Count, ...]
    rows: tuple[StoryRow, ...]
    stories: tuple[StreamStory, ...]
    rejected: tuple[Rejected, ...]


def _stream_page(stream: StreamDigest, *, timings: bool) -> str:
    """The page of several stories: the index, each digested story, the rejected items."""
    digested = {digest.stories[0].id: digest for digest in stream.digests}
    articles = stream.corpus.articles
    counts = (
        Count(key="stories", n=len(stream.stories), label=_plural(len(stream.stories))),
        Count(key="digested", n=len(stream.digests), label="digested"),
        Count(key="articles", n=len(articles), label="articles"),
        Count(key="outlets", n=len({article.source for article in articles}), label="outlets"),
        Count(key="rejected", n=len(stream.corpus.rejections), label="rejected"),
    )
    rows = tuple(
        StoryRow(
            id=overview.id,
            headline=overview.headline,
            span=_span(overview),
            articles=len(overview.article_ids),
            outlets=", ".join(overview.sources[:4]) + (" …" if len(overview.sources) > 4 else ""),
            digested=overview.id in digested,
        )
        for overview in stream.stories
    )
    stories = tuple(
        _stream_story(overview, digested[overview.id])
        for overview in stream.stories
        if overview.id in digested
    )
    heading = counted(len(stream.stories), "story", "stories")
    view = StreamView(
        title=heading,
        dates=_date_range(articles) or "undated",
        counts=counts,
        rows=rows,
        stories=stories,
        rejected=_rejected(stream),
    )
    return _render(
        title=f"storyline digest: {heading}",
        story=None,
        stream=view,
        times=_times(stream.timings, timings=timings),
    )


def _plural(stories: int) -> str:
    return "stories" if stories != 1 else "story"


def _stream_story(overview: StoryOverview, digest: Digest) -> StreamStory:
    """One story of a page of several: its heading, links to its sections, the sections."""
    prefix = f"{overview.id}-"
    meta = (
        f"{overview.id} · {counted(len(overview.article_ids), 'article', 'articles')} · "
        f"{counted(len(overview.sources), 'outlet', 'outlets')} · {_span(overview)}"
    )
    return StreamStory(
        id=overview.id,
        prefix=prefix,
        headline=overview.headline,
        meta=meta,
        story=_story(digest, _index(digest, prefix=prefix, level=3)),
    )


def _span(overview: StoryOverview) -> str:
    if overview.first is None or overview.last is None:
        return "undated"
    first, last = _long_date(overview.first), _long_date(overview.last)
    return first if first == last else f"{first} – {last}"


def counted(n: int, one: str, many: str) -> str:
    """``n`` and the noun in the number it takes: "1 story", "6 stories"."""
    return f"{n} {one if n == 1 else many}"


def _index(digest: Digest, *, prefix: str = "", level: int = 2) -> _Index:
    articles = digest.corpus.articles
    order = reading_order(articles)
    ranked = tuple(sorted(articles, key=lambda article: order[article.id]))
    by_article: dict[str, list[Sentence]] = defaultdict(list)
    by_id: dict[str, Sentence] = {}
    for story in digest.stories:
        for sentence in story.sentences:
            if sentence.id not in by_id:
                by_id[sentence.id] = sentence
                by_article[sentence.article_id].append(sentence)
    sentences = {
        article_id: tuple(sorted(found, key=lambda s: (s.start, s.end)))
        for article_id, found in by_article.items()
    }
    fact_sentences = {
        (fact.id, frozenset(fact.article_ids)): tuple(
            by_id[sentence_id] for sentence_id in fact.sentence_ids if sentence_id in by_id
        )
        for story in digest.stories
        for fact in story.facts
    }
    return _Index(
        articles={article.id: article for article in articles},
        number={article.id: n for n, article in enumerate(ranked, start=1)},
        ranked=ranked,
        copy_of={
            copy: group.canonical
            for story in digest.stories
            for group in story.duplicates
            for copy in group.copies
        },
        sentences=sentences,
        starts={key: tuple(s.start for s in found) for key, found in sentences.items()},
        fact_sentences=fact_sentences,
        prefix=prefix,
        level=level,
    )


def _title(digest: Digest) -> str:
    dates = _date_range(digest.corpus.articles)
    return f"storyline digest: {len(digest.corpus.articles)} articles" + (
        f", {dates}" if dates else ""
    )


def _date_range(articles: Sequence[Article]) -> str:
    dates = sorted(article.published for article in articles if article.published)
    if not dates:
        return ""
    first, last = _long_date(dates[0]), _long_date(dates[-1])
    return first if first == last else f"{first} – {last}"


# Overview


def _overview(digest: Digest, index: _Index) -> Overview:
    articles = digest.corpus.articles
    return Overview(
        headline=_headline(digest),
        dates=_date_range(articles) or "undated",
        counts=(
            Count(key="articles", n=len(articles), label="articles"),
            Count(key="outlets", n=len({article.source for article in articles}), label="outlets"),
            Count(key="copies", n=len(index.copy_of), label="copies"),
            Count(key="stories", n=len(digest.stories), label=_plural(len(digest.stories))),
            Count(key="rejected", n=len(digest.corpus.rejections), label="rejected"),
        ),
    )


def _headline(digest: Digest) -> str:
    """The page's heading: for one story, the earliest report's title; else a neutral one."""
    titled = [article for article in digest.corpus.articles if article.title]
    if len(digest.stories) != 1 or not titled:
        return "News digest"
    order = reading_order(titled)
    return min(titled, key=lambda article: order[article.id]).title or "News digest"


# Marks and tooltips


def _marks(refs: Iterable[_Ref], index: _Index) -> tuple[Mark, ...]:
    """One ``[n]`` mark per cited article, in source order, each with its tooltip."""
    grouped: dict[str, list[_Ref]] = {}
    for ref in refs:
        if ref.article_id not in index.number:
            raise ReportError(f"the digest cites an unknown article {ref.article_id!r}")
        grouped.setdefault(ref.article_id, []).append(ref)
    return tuple(
        _mark(article_id, grouped[article_id], index)
        for article_id in sorted(grouped, key=lambda article_id: index.number[article_id])
    )


def _mark(article_id: str, refs: Sequence[_Ref], index: _Index) -> Mark:
    article = index.articles[article_id]
    number = index.number[article_id]
    passages = dict.fromkeys(_passage(ref, article, index) for ref in refs if ref.start is not None)
    return Mark(
        article_id=article_id,
        number=number,
        href=f"#{index.prefix}source-{number}",
        passages=tuple(p for p in passages if p.marked is not None or neutral(p.before)),
        label=_article_label(article, number),
    )


def _passage(ref: _Ref, article: Article, index: _Index) -> Passage:
    """The text a tooltip shows for ``ref``: its sentence, the span highlighted."""
    start, end = ref.start or 0, ref.end or 0
    if not 0 <= start <= end <= len(article.text):
        raise ReportError(
            f"the digest points outside article {article.id!r} ({start}:{end} of "
            f"{len(article.text)} characters)"
        )
    text = article.text
    if ref.exact:
        return Passage(before=text[start:end].strip())
    sentence = _enclosing(article.id, start, end, index)
    if sentence is None or (sentence.start, sentence.end) == (start, end):
        return Passage(before=text[start:end].strip())
    return Passage(
        before=text[sentence.start : start].lstrip(),
        marked=text[start:end],
        after=text[end : sentence.end].rstrip(),
    )


def _enclosing(article_id: str, start: int, end: int, index: _Index) -> Sentence | None:
    sentences = index.sentences.get(article_id, ())
    position = bisect.bisect_right(index.starts.get(article_id, ()), start) - 1
    if position >= 0 and sentences[position].end >= end:
        return sentences[position]
    return None


def _article_label(article: Article, number: int) -> str:
    date = _long_date(article.published) if article.published else "undated"
    title = f" · “{article.title}”" if article.title else ""
    return f"[{number}] {article.source}, {date}{title}"


def _citation_refs(citations: Iterable[Citation]) -> list[_Ref]:
    return [_Ref(article_id=c.article_id, start=c.start, end=c.end, exact=True) for c in citations]


# Summary


def _summaries(digest: Digest, index: _Index) -> tuple[SummaryPart, ...]:
    return tuple(
        SummaryPart(
            heading=_story_heading(digest, summary.story_id, number),
            limit=summary.budget.limit,
            unit=summary.budget.unit,
            items=_summary_items(summary, index),
        )
        for number, summary in enumerate(digest.summaries, start=1)
    )


def _story_heading(digest: Digest, story_id: str, number: int) -> StoryHeading | None:
    if len(digest.stories) <= 1:
        return None
    size = next((len(story.article_ids) for story in digest.stories if story.id == story_id), 0)
    return StoryHeading(number=number, size=size)


def _summary_items(summary: Summary, index: _Index) -> tuple[Item, ...]:
    return tuple(_summary_item(item, index) for item in summary.sentences)


def _summary_item(item: SummarySentence, index: _Index) -> Item:
    return Item(
        fact_id=item.fact_id, text=item.text, marks=_marks(_citation_refs(item.citations), index)
    )


# Timeline


def _timelines(digest: Digest, index: _Index) -> tuple[TimelinePart, ...]:
    timelines = [timeline for timeline in digest.timelines if timeline.entries]
    story_number = {story.id: n for n, story in enumerate(digest.stories, start=1)}
    parts = []
    for position, timeline in enumerate(timelines, start=1):
        number = story_number.get(timeline.story_id, position)
        ids = [
            f"{index.prefix}timeline-{position}-{n}" for n in range(1, len(timeline.entries) + 1)
        ]
        parts.append(
            TimelinePart(
                heading=_story_heading(digest, timeline.story_id, number),
                chart=_chart(timeline, ids),
                entries=tuple(
                    _timeline_entry(entry, entry_id, index)
                    for entry, entry_id in zip(timeline.entries, ids, strict=True)
                ),
            )
        )
    return tuple(parts)


def _entry_sources(entry: TimelineEntry) -> set[str]:
    cited = {c.article_id for item in entry.sentences for c in item.citations}
    return cited | {expression.article_id for expression in entry.evidence}


def _chart(timeline: Timeline, ids: Sequence[str]) -> Chart:
    """An SVG date axis with one mark per entry, its area proportional to its sources."""
    width, left, right, row = 720, 40, 40, 34
    first = min(entry.date.start for entry in timeline.entries)
    last = max(entry.date.end for entry in timeline.entries)
    low = first.toordinal() - 1
    span = max(last.toordinal() + 2 - low, 1)

    def x(day: dt.date) -> float:
        return left + (day.toordinal() - low) / span * (width - left - right)

    label_ends: list[float] = []
    placed = []
    for entry in timeline.entries:
        start, end = x(entry.date.start), x(entry.date.end + dt.timedelta(days=1))
        middle = start if entry.date.granularity == "day" else (start + end) / 2
        label = _short_date(entry.date)
        level = _free_level(label_ends, middle, len(label) * 6.5 + 8)
        sources = len(_entry_sources(entry))
        placed.append(
            (entry, start, end, middle, label, level, sources, 4 + 3 * math.sqrt(sources))
        )
    levels = max(item[5] for item in placed)
    axis_y = 60 + levels * row + max(item[7] for item in placed)
    marks = []
    for (entry, start, end, middle, label, level, sources, radius), entry_id in zip(
        placed, ids, strict=True
    ):
        described = f"{_long_ref(entry.date)}: {len(entry.sentences)} sentences, {sources} sources"
        marks.append(
            ChartMark(
                entry_id=entry_id,
                described=described,
                band=(start, axis_y - 6, end - start) if entry.date.granularity != "day" else None,
                middle=middle,
                top=axis_y - 30 - level * row,
                radius=radius,
                sources=sources,
                label=label,
            )
        )
    return Chart(
        width=width,
        left=left,
        right=right,
        axis_y=axis_y,
        ends=tuple((x(day), day.isoformat()) for day in dict.fromkeys((first, last))),
        marks=tuple(marks),
        summary=f"Timeline chart of {len(timeline.entries)} dates from {first} to {last}",
    )


def _free_level(label_ends: list[float], middle: float, label_width: float) -> int:
    """The lowest label row (of three) where a label centred at ``middle`` fits."""
    begin = middle - label_width / 2
    for level, end in enumerate(label_ends):
        if end <= begin:
            label_ends[level] = middle + label_width / 2
            return level
    if len(label_ends) < 3:
        label_ends.append(middle + label_width / 2)
        return len(label_ends) - 1
    level = min(range(3), key=lambda row: label_ends[row])
    label_ends[level] = middle + label_width / 2
    return level


def _timeline_entry(entry: TimelineEntry, entry_id: str, index: _Index) -> Entry:
    evidence = tuple(
        Dated(
            text=expression.text,
            marks=_marks(
                [
                    _Ref(
                        article_id=expression.article_id, start=expression.start, end=expression.end
                    )
                ],
                index,
            ),
        )
        for expression in entry.evidence
    )
    return Entry(
        entry_id=entry_id,
        iso=entry.date.start.isoformat(),
        when=_long_ref(entry.date),
        items=tuple(_summary_item(item, index) for item in entry.sentences),
        evidence=evidence,
    )


# Quotes


def _quotes(quotes: Sequence[Quote], index: _Index) -> tuple[QuoteKind, ...]:
    kinds = []
    for kind, heading in (("direct", "Direct quotes"), ("indirect", "Reported speech")):
        chosen = [quote for quote in quotes if quote.kind == kind]
        if not chosen:
            continue
        speakers = []
        for speaker, said in _by_speaker(chosen):
            widest = sorted(said, key=lambda quote: -len({s.article_id for s in quote.spans}))
            speakers.append(
                Speaker(
                    name=speaker if speaker is not None else "Speaker not identified",
                    quotes=tuple(_quote_item(quote, index) for quote in widest),
                )
            )
        kinds.append(
            QuoteKind(kind=kind, heading=heading, count=len(chosen), speakers=tuple(speakers))
        )
    return tuple(kinds)


def _by_speaker(quotes: Sequence[Quote]) -> list[tuple[str | None, list[Quote]]]:
    """Quotes grouped by speaker: most quoted first, the unidentified speaker last."""
    grouped: dict[str | None, list[Quote]] = {}
    for quote in quotes:
        grouped.setdefault(quote.speaker, []).append(quote)
    return sorted(
        grouped.items(),
        key=lambda item: (item[0] is None, -len(item[1]), (item[0] or "").casefold()),
    )


def _quote_item(quote: Quote, index: _Index) -> QuoteItem:
    refs = [_Ref(article_id=s.article_id, start=s.start, end=s.end) for s in quote.spans]
    return QuoteItem(
        # reported speech with the words that report it ("denied that"): a denial reads as one
        cue=quote.cue if quote.kind == "indirect" and quote.cue else "",
        text=quote.text,
        outlets=len({index.articles[s.article_id].source for s in quote.spans}),
        attribution=quote.attribution,
        marks=_marks(refs, index),
    )


# Entities


def _entities(entities: Sequence[Entity], index: _Index) -> tuple[EntityRow, ...]:
    ordered = sorted(
        entities,
        key=lambda e: (_KIND_ORDER.get(e.kind, 9), -len(e.article_ids), -len(e.mentions), e.name),
    )
    return tuple(_entity_row(entity, index) for entity in ordered)


def _entity_row(entity: Entity, index: _Index) -> EntityRow:
    first_mention: dict[str, _Ref] = {}
    for mention in entity.mentions:
        first_mention.setdefault(
            mention.article_id,
            _Ref(article_id=mention.article_id, start=mention.start, end=mention.end),
        )
    refs = [
        first_mention.get(article_id, _Ref(article_id=article_id))
        for article_id in dict.fromkeys((*entity.article_ids, *first_mention))
    ]
    return EntityRow(
        id=entity.id,
        name=entity.name,
        kind=entity.kind,
        aliases=tuple(entity.aliases),
        mentions=len(entity.mentions),
        marks=_marks(refs, index),
    )


# Agreement and disagreements


def _coverage_item(fact: FactCoverage, outlets: int, index: _Index) -> Item:
    sentences = index.fact_sentences.get((fact.fact_id, frozenset(fact.article_ids)), ())
    refs = [_Ref(article_id=s.article_id, start=s.start, end=s.end, exact=True) for s in sentences]
    found = {ref.article_id for ref in refs}
    refs += [_Ref(article_id=a) for a in fact.article_ids if a not in found]
    return Item(
        fact_id=fact.fact_id,
        text=fact.text,
        marks=_marks(refs, index),
        badge=f"{outlets} outlet{'s' if outlets != 1 else ''}",
        names=", ".join(dict.fromkeys(fact.sources)),
    )


def _claim(item: Disagreement, index: _Index) -> Claim:
    sides = sorted(item.sides, key=lambda side: _STANCE_ORDER.get(side.stance, 9))
    return Claim(id=item.id, claim=item.claim, sides=tuple(_side(side, index) for side in sides))


def _side(side: ClaimSide, index: _Index) -> Side:
    cues = side.cues or tuple("" for _ in side.texts)
    return Side(
        stance=side.stance,
        sources=len({c.article_id for c in side.citations}),
        marks=_marks(_citation_refs(side.citations), index),
        texts=tuple(zip(side.texts, cues, strict=False)),
    )


# Sources and rejections


def _source(article: Article, index: _Index) -> Source:
    url = article.url
    return Source(
        number=index.number[article.id],
        article_id=article.id,
        outlet=article.source,
        date=_long_date(article.published) if article.published else "undated",
        title=article.title or None,
        link=url if url and _linkable(url) else None,
        code=url or article.origin,
        copy_of=index.number[index.copy_of[article.id]] if article.id in index.copy_of else None,
    )


def _linkable(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    plain = neutral(url) == url
    return plain and parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _rejected(digest: Digest | StreamDigest) -> tuple[Rejected, ...]:
    return tuple(
        Rejected(item=r.item, reason=r.reason.value, detail=r.detail)
        for r in digest.corpus.rejections
    )


def _times(stage_times: Mapping[str, float], *, timings: bool) -> str:
    if not (timings and stage_times):
        return ""
    return ", ".join(f"{stage} {1000 * seconds:.0f} ms" for stage, seconds in stage_times.items())


# Dates


def _long_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _long_ref(ref: TimeRef) -> str:
    if ref.granularity == "day":
        return f"{_WEEKDAYS[ref.start.weekday()]} {_long_date(ref.start)}"
    if ref.granularity == "week":
        return f"Week of {_long_date(ref.start)}"
    if ref.granularity == "month":
        return f"{_MONTHS[ref.start.month - 1]} {ref.start.year}"
    return str(ref.start.year)


def _short_date(ref: TimeRef) -> str:
    month = _MONTHS[ref.start.month - 1][:3]
    if ref.granularity == "day":
        return f"{ref.start.day} {month}"
    if ref.granularity == "week":
        return f"wk {ref.start.day} {month}"
    if ref.granularity == "month":
        return f"{month} {ref.start.year}"
    return str(ref.start.year)
