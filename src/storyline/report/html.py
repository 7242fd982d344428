"""HTML report: a digest -> one self-contained HTML page that requests nothing.

Input: a :class:`~storyline.model.Digest`. Output: one HTML document (a ``str``) with
inline CSS and an inline SVG chart; no script, no font, no image and no other file, so it
opens anywhere, offline, and makes no request. No paper is followed: this is the
presentation layer.

Safety: every piece of text and every attribute value goes through :func:`html.escape`,
after :func:`~storyline.report.escaping.neutral` has dropped the bidirectional controls;
each article-derived text that a citation mark follows sits in its own ``<bdi>``, so that
neither a control nor right-to-left script moves the marks around it (``[12]`` read as
``[21]``). Article URLs become links only when their scheme is ``http`` or ``https``
(anything else, ``javascript:`` included, is shown as text). A Content-Security-Policy
``<meta>`` forbids scripts and every remote load, as a second line of defence should
escaping ever fail.

Method: sources are numbered as in the Markdown report (reading order: publication date,
then input order) and cited as ``[n]``. Each mark holds a hidden tooltip that CSS reveals
on ``:hover`` and ``:focus-within``, so hover-to-source works without script and from the
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
from html import escape as html_escape
from urllib.parse import urlsplit

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

__all__ = ["SECTIONS", "STYLESHEET", "counted", "render_html", "story_body"]

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

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)

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


@dataclass(frozen=True, slots=True, kw_only=True)
class _Ref:
    """A place in an article a mark points to; ``start``/``end`` are ``None`` for the article."""

    article_id: str
    start: int | None = None
    end: int | None = None
    exact: bool = False


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


def _escape(text: str) -> str:
    """``text`` for an HTML text node or attribute value, bidirectional controls dropped."""
    return html_escape(neutral(text))


def _isolated(text: str) -> str:
    """Article-derived ``text`` escaped and isolated, so that its direction stays inside it."""
    return f"<bdi>{_escape(text)}</bdi>"


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
    return _page(_title(digest), [story_body(digest)], _footer(digest.timings, timings=timings))


def story_body(digest: Digest) -> str:
    """The body of one story's page (its overview, sections and rejected items), without the
    document around it: the web app's story page shows it inside its own layout, with
    :data:`STYLESHEET` served as a file."""
    index = _index(digest)
    body = [_overview(digest, index), *_story_sections(digest, index), _rejected_section(digest)]
    return "".join(body)


def _page(title: str, body: Sequence[str], footer: str) -> str:
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            f"<title>{_escape(title)}</title>\n",
            f"<style>{_CSS}</style>\n</head>\n<body>\n",
            '<div class="page">\n',
            *body,
            footer,
            "</div>\n</body>\n</html>\n",
        ]
    )


def _story_sections(digest: Digest, index: _Index) -> list[str]:
    """The sections of one story, summary to sources."""
    return [
        _summary_section(digest, index),
        _timeline_section(digest, index),
        _quotes_section(digest.quotes, index),
        _entities_section(digest.entities, index),
        _agreement_section(digest.coverage, index),
        _disagreements_section(digest.disagreements, index),
        _sources_section(index),
    ]


def _stream_page(stream: StreamDigest, *, timings: bool) -> str:
    """The page of several stories: the index, each digested story, the rejected items."""
    digested = {digest.stories[0].id: digest for digest in stream.digests}
    articles = stream.corpus.articles
    counts = [
        ("stories", len(stream.stories), "stories" if len(stream.stories) != 1 else "story"),
        ("digested", len(stream.digests), "digested"),
        ("articles", len(articles), "articles"),
        ("outlets", len({article.source for article in articles}), "outlets"),
        ("rejected", len(stream.corpus.rejections), "rejected"),
    ]
    items = "".join(
        f'<li data-count="{key}"><b>{n}</b> <span>{_escape(label)}</span></li>'
        for key, n, label in counts
    )
    header = (
        '<header id="overview" data-section="overview">\n'
        '<p class="meta">storyline digest</p>\n'
        f"<h1>{_escape(counted(len(stream.stories), 'story', 'stories'))}</h1>\n"
        f'<p class="meta" data-field="dates">{_escape(_date_range(articles) or "undated")}</p>\n'
        f'<ul class="counts">{items}</ul>\n'
        '<nav aria-label="Sections"><ul><li><a href="#stories">Stories</a></li>'
        '<li><a href="#rejected">Rejected items</a></li></ul></nav>\n'
        "</header>\n"
    )
    body = [header, _story_index(stream, digested)]
    for overview in stream.stories:
        digest = digested.get(overview.id)
        if digest is not None:
            body.append(_story_article(overview, digest))
    body.append(_rejected_section(stream))
    title = f"storyline digest: {counted(len(stream.stories), 'story', 'stories')}"
    return _page(title, body, _footer(stream.timings, timings=timings))


def _story_index(stream: StreamDigest, digested: Mapping[str, Digest]) -> str:
    rows = []
    for overview in stream.stories:
        headline = _isolated(overview.headline)
        if overview.id in digested:
            name = f'<a href="#{_escape(overview.id)}">{_escape(overview.id)}</a>'
            headline = f'<a href="#{_escape(overview.id)}">{headline}</a>'
        else:
            name = f'{_escape(overview.id)}<br><span class="badge">not digested</span>'
        outlets = ", ".join(overview.sources[:4]) + (" …" if len(overview.sources) > 4 else "")
        rows.append(
            f'<tr data-story="{_escape(overview.id)}"><th scope="row">{name}</th>'
            f"<td>{headline}</td>"
            f"<td>{_escape(_span(overview))}</td>"
            f'<td class="n">{len(overview.article_ids)}</td>'
            f'<td class="outlets">{_isolated(outlets)}</td></tr>\n'
        )
    table = (
        '<div class="scroll"><table class="index"><thead><tr><th scope="col">Story</th>'
        '<th scope="col">Headline</th><th scope="col">Dates</th>'
        '<th scope="col">Articles</th><th scope="col" class="outlets">Outlets</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>\n"
    )
    return (
        '<section id="stories" data-section="stories" aria-labelledby="stories-heading">\n'
        f'<h2 id="stories-heading">Stories ({len(stream.stories)})</h2>\n'
        '<p class="meta">Largest and most recent first.</p>\n'
        f"{table}</section>\n"
    )


def _story_article(overview: StoryOverview, digest: Digest) -> str:
    """One story of a page of several: its heading, links to its sections, the sections."""
    prefix = f"{overview.id}-"
    index = _index(digest, prefix=prefix, level=3)
    links = "".join(
        f'<li><a href="#{_escape(prefix + key)}">{_escape(heading)}</a></li>'
        for key, heading in SECTIONS[1:-1]
    )
    meta = (
        f"{overview.id} · {counted(len(overview.article_ids), 'article', 'articles')} · "
        f"{counted(len(overview.sources), 'outlet', 'outlets')} · {_span(overview)}"
    )
    return (
        f'<article class="story" id="{_escape(overview.id)}" '
        f'data-story="{_escape(overview.id)}" aria-labelledby="{_escape(prefix)}heading">\n'
        f'<h2 id="{_escape(prefix)}heading">{_isolated(overview.headline)}</h2>\n'
        f'<p class="meta">{_escape(meta)}</p>\n'
        f'<nav aria-label="Sections of {_escape(overview.id)}"><ul>{links}</ul></nav>\n'
        + "".join(_story_sections(digest, index))
        + "</article>\n"
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


def _section(index: _Index | None, key: str, content: str, *, count: int | None = None) -> str:
    """A section of a story (``index``, whose prefix its id takes) or of the page (None)."""
    heading = dict(SECTIONS)[key]
    shown = heading if count is None else f"{heading} ({count})"
    prefix, level = (index.prefix, index.level) if index is not None else ("", 2)
    name = f"{prefix}{key}"
    return (
        f'<section id="{name}" data-section="{key}" aria-labelledby="{name}-heading">\n'
        f'<h{level} id="{name}-heading">{_escape(shown)}</h{level}>\n{content}</section>\n'
    )


def _empty(text: str) -> str:
    return f'<p class="empty">{_escape(text)}</p>\n'


# Overview


def _overview(digest: Digest, index: _Index) -> str:
    articles = digest.corpus.articles
    outlets = {article.source for article in articles}
    dates = _date_range(articles) or "undated"
    counts = [
        ("articles", len(articles), "articles"),
        ("outlets", len(outlets), "outlets"),
        ("copies", len(index.copy_of), "copies"),
        ("stories", len(digest.stories), "stories" if len(digest.stories) != 1 else "story"),
        ("rejected", len(digest.corpus.rejections), "rejected"),
    ]
    items = "".join(
        f'<li data-count="{key}"><b>{n}</b> <span>{_escape(label)}</span></li>'
        for key, n, label in counts
    )
    links = "".join(
        f'<li><a href="#{key}">{_escape(heading)}</a></li>' for key, heading in SECTIONS[1:]
    )
    return (
        '<header id="overview" data-section="overview">\n'
        '<p class="meta">storyline digest</p>\n'
        f"<h1>{_escape(_headline(digest))}</h1>\n"
        f'<p class="meta" data-field="dates">{_escape(dates)}</p>\n'
        f'<ul class="counts">{items}</ul>\n'
        f'<nav aria-label="Sections"><ul>{links}</ul></nav>\n'
        "</header>\n"
    )


def _headline(digest: Digest) -> str:
    """The page's heading: for one story, the earliest report's title; else a neutral one."""
    titled = [article for article in digest.corpus.articles if article.title]
    if len(digest.stories) != 1 or not titled:
        return "News digest"
    order = reading_order(titled)
    return min(titled, key=lambda article: order[article.id]).title or "News digest"


# Marks and tooltips


def _marks(refs: Iterable[_Ref], index: _Index) -> str:
    """One ``[n]`` mark per cited article, in source order, each with its tooltip."""
    grouped: dict[str, list[_Ref]] = {}
    for ref in refs:
        if ref.article_id not in index.number:
            raise ReportError(f"the digest cites an unknown article {ref.article_id!r}")
        grouped.setdefault(ref.article_id, []).append(ref)
    return "".join(
        _mark(article_id, grouped[article_id], index)
        for article_id in sorted(grouped, key=lambda article_id: index.number[article_id])
    )


def _mark(article_id: str, refs: Sequence[_Ref], index: _Index) -> str:
    article = index.articles[article_id]
    number = index.number[article_id]
    passages = list(
        dict.fromkeys(_passage(ref, article, index) for ref in refs if ref.start is not None)
    )
    quoted = "".join(f'<q class="tip-text">{passage}</q>' for passage in passages if passage)
    return (
        f'<span class="cite" data-article="{_escape(article_id)}">'
        f'<a href="#{index.prefix}source-{number}" aria-label="source {number}">[{number}]</a>'
        f'<span class="tip" role="tooltip">{quoted}'
        f"<small>{_escape(_article_label(article, number))}</small></span></span>"
    )


def _passage(ref: _Ref, article: Article, index: _Index) -> str:
    """The escaped text a tooltip shows for ``ref``: its sentence, the span highlighted."""
    start, end = ref.start or 0, ref.end or 0
    if not 0 <= start <= end <= len(article.text):
        raise ReportError(
            f"the digest points outside article {article.id!r} ({start}:{end} of "
            f"{len(article.text)} characters)"
        )
    if ref.exact:
        return _escape(article.text[start:end].strip())
    sentence = _enclosing(article.id, start, end, index)
    if sentence is None or (sentence.start, sentence.end) == (start, end):
        return _escape(article.text[start:end].strip())
    text = article.text
    return (
        _escape(text[sentence.start : start].lstrip())
        + f"<mark>{_escape(text[start:end])}</mark>"
        + _escape(text[end : sentence.end].rstrip())
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


def _summary_section(digest: Digest, index: _Index) -> str:
    if not digest.summaries:
        return _section(index, "summary", _empty("No summary: the digest holds no story."))
    parts = []
    for number, summary in enumerate(digest.summaries, start=1):
        parts.append(_story_heading(digest, summary.story_id, number))
        unit = summary.budget.unit
        parts.append(f'<p class="meta">At most {summary.budget.limit} {_escape(unit)}.</p>\n')
        parts.append(_summary_list(summary, index))
    return _section(index, "summary", "".join(parts))


def _story_heading(digest: Digest, story_id: str, number: int) -> str:
    if len(digest.stories) <= 1:
        return ""
    size = next((len(story.article_ids) for story in digest.stories if story.id == story_id), 0)
    return f'<h3>Story {number} <span class="meta">({size} articles)</span></h3>\n'


def _summary_list(summary: Summary, index: _Index) -> str:
    if not summary.sentences:
        return _empty("No sentence could be selected.")
    items = "".join(_summary_item(item, index) for item in summary.sentences)
    return f'<ul class="facts">{items}</ul>\n'


def _summary_item(item: SummarySentence, index: _Index) -> str:
    marks = _marks(_citation_refs(item.citations), index)
    return f'<li data-fact="{_escape(item.fact_id)}">{_isolated(item.text)} {marks}</li>\n'


# Timeline


def _timeline_section(digest: Digest, index: _Index) -> str:
    timelines = [timeline for timeline in digest.timelines if timeline.entries]
    if not timelines:
        return _section(index, "timeline", _empty("No timeline: the timeline stage did not run."))
    story_number = {story.id: n for n, story in enumerate(digest.stories, start=1)}
    parts = []
    for position, timeline in enumerate(timelines, start=1):
        number = story_number.get(timeline.story_id, position)
        parts.append(_story_heading(digest, timeline.story_id, number))
        parts.append(_timeline(timeline, position, index))
    return _section(index, "timeline", "".join(parts))


def _timeline(timeline: Timeline, position: int, index: _Index) -> str:
    ids = [f"{index.prefix}timeline-{position}-{n}" for n in range(1, len(timeline.entries) + 1)]
    entries = "".join(
        _timeline_entry(entry, entry_id, index)
        for entry, entry_id in zip(timeline.entries, ids, strict=True)
    )
    return (
        _chart(timeline, ids)
        + '<p class="meta">A mark’s area grows with the number of articles behind the date; '
        "a band spans a week, month or year.</p>\n" + f'<ol class="entries">{entries}</ol>\n'
    )


def _entry_sources(entry: TimelineEntry) -> set[str]:
    cited = {c.article_id for item in entry.sentences for c in item.citations}
    return cited | {expression.article_id for expression in entry.evidence}


def _chart(timeline: Timeline, ids: Sequence[str]) -> str:
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
    parts = [
        f'<line class="axis" x1="{left - 10}" y1="{axis_y:.1f}" x2="{width - right + 10}" '
        f'y2="{axis_y:.1f}"/>',
        *(
            f'<text class="end" x="{x(day):.1f}" y="{axis_y + 20:.1f}" text-anchor="middle">'
            f"{_escape(day.isoformat())}</text>"
            for day in dict.fromkeys((first, last))
        ),
    ]
    for (entry, start, end, middle, label, level, sources, radius), entry_id in zip(
        placed, ids, strict=True
    ):
        top = axis_y - 30 - level * row
        described = f"{_long_ref(entry.date)}: {len(entry.sentences)} sentences, {sources} sources"
        band = (
            f'<rect class="band" x="{start:.1f}" y="{axis_y - 6:.1f}" width="{end - start:.1f}" '
            f'height="12" rx="3"/>'
            if entry.date.granularity != "day"
            else ""
        )
        parts.append(
            f'<a href="#{entry_id}" data-entry="{entry_id}">'
            f"<title>{_escape(described)}</title>{band}"
            f'<line class="stem" x1="{middle:.1f}" y1="{axis_y:.1f}" x2="{middle:.1f}" '
            f'y2="{top + radius:.1f}"/>'
            f'<circle class="dot" cx="{middle:.1f}" cy="{top:.1f}" r="{radius:.1f}" '
            f'data-sources="{sources}"/>'
            f'<text x="{middle:.1f}" y="{top - radius - 5:.1f}" text-anchor="middle">'
            f"{_escape(label)}</text></a>"
        )
    summary = f"Timeline chart of {len(timeline.entries)} dates from {first} to {last}"
    return (
        f'<div class="chart-wrap"><svg class="chart" viewBox="0 0 {width} {axis_y + 30:.0f}" '
        f'role="img" aria-label="{_escape(summary)}">' + "".join(parts) + "</svg></div>\n"
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


def _timeline_entry(entry: TimelineEntry, entry_id: str, index: _Index) -> str:
    ref = entry.date
    sentences = "".join(_summary_item(item, index) for item in entry.sentences)
    body = f'<ul class="facts">{sentences}</ul>' if sentences else _empty("No sentence.")
    evidence = ""
    if entry.evidence:
        words = "; ".join(
            f"“{_isolated(expression.text)}”"
            + _marks(
                [
                    _Ref(
                        article_id=expression.article_id, start=expression.start, end=expression.end
                    )
                ],
                index,
            )
            for expression in entry.evidence
        )
        evidence = f'<p class="meta">Dated from: {words}</p>'
    else:
        evidence = '<p class="meta">Dated by publication date.</p>'
    return (
        f'<li id="{entry_id}" data-entry="{entry_id}">'
        f'<h{index.level + 2}><time datetime="{_escape(ref.start.isoformat())}">'
        f"{_escape(_long_ref(ref))}</time></h{index.level + 2}>{body}{evidence}</li>\n"
    )


# Quotes


def _quotes_section(quotes: Sequence[Quote], index: _Index) -> str:
    if not quotes:
        return _section(
            index, "quotes", _empty("No quotes: the quote stage did not run or found none.")
        )
    parts = []
    for kind, heading in (("direct", "Direct quotes"), ("indirect", "Reported speech")):
        chosen = [quote for quote in quotes if quote.kind == kind]
        if not chosen:
            continue
        h3 = f"h{index.level + 1}"
        parts.append(f'<div data-kind="{kind}"><{h3}>{heading} ({len(chosen)})</{h3}>\n')
        for speaker, said in _by_speaker(chosen):
            name = speaker if speaker is not None else "Speaker not identified"
            widest = sorted(said, key=lambda quote: -len({s.article_id for s in quote.spans}))
            items = "".join(_quote_item(quote, index) for quote in widest)
            parts.append(
                f'<h{index.level + 2} data-speaker="{_escape(name)}">{_escape(name)} '
                f'<span class="badge">{len(said)}</span></h{index.level + 2}>\n'
                f'<ul class="quotes">{items}</ul>\n'
            )
        parts.append("</div>\n")
    return _section(index, "quotes", "".join(parts), count=len(quotes))


def _by_speaker(quotes: Sequence[Quote]) -> list[tuple[str | None, list[Quote]]]:
    """Quotes grouped by speaker: most quoted first, the unidentified speaker last."""
    grouped: dict[str | None, list[Quote]] = {}
    for quote in quotes:
        grouped.setdefault(quote.speaker, []).append(quote)
    return sorted(
        grouped.items(),
        key=lambda item: (item[0] is None, -len(item[1]), (item[0] or "").casefold()),
    )


def _quote_item(quote: Quote, index: _Index) -> str:
    marks = _marks(
        [_Ref(article_id=s.article_id, start=s.start, end=s.end) for s in quote.spans], index
    )
    outlets = len({index.articles[s.article_id].source for s in quote.spans})
    # reported speech with the words that report it ("denied that"): a denial reads as one
    cue = (
        f'<span class="cue">{_escape(quote.cue)}</span> '
        if quote.kind == "indirect" and quote.cue
        else ""
    )
    return (
        f"<li>{cue}<blockquote>{_escape(quote.text)}</blockquote>"
        f'<span class="meta">{outlets} outlet{"s" if outlets != 1 else ""} '
        f'<span class="badge">attribution: {_escape(quote.attribution)}</span></span> '
        f"{marks}</li>\n"
    )


# Entities


def _entities_section(entities: Sequence[Entity], index: _Index) -> str:
    if not entities:
        return _section(index, "entities", _empty("No entities: the entity stage did not run."))
    ordered = sorted(
        entities,
        key=lambda e: (_KIND_ORDER.get(e.kind, 9), -len(e.article_ids), -len(e.mentions), e.name),
    )
    rows = "".join(_entity_row(entity, index) for entity in ordered)
    table = (
        '<div class="scroll"><table><thead><tr><th scope="col">Name</th>'
        '<th scope="col">Kind</th><th scope="col">Also called</th>'
        '<th scope="col">Mentions</th><th scope="col">Sources</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>\n"
    )
    return _section(index, "entities", table, count=len(entities))


def _entity_row(entity: Entity, index: _Index) -> str:
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
    aliases = ", ".join(_escape(alias) for alias in entity.aliases) or "–"
    return (
        f'<tr data-entity="{_escape(entity.id)}"><th scope="row">{_escape(entity.name)}</th>'
        f"<td>{_escape(entity.kind)}</td><td>{aliases}</td>"
        f'<td class="n">{len(entity.mentions)}</td><td>{_marks(refs, index)}</td></tr>\n'
    )


# Agreement and disagreements


def _agreement_section(coverage: Sequence[FactCoverage], index: _Index) -> str:
    if not coverage:
        return _section(
            index, "agreement", _empty("No agreement data: the compare stage did not run.")
        )
    outlets = {fact.fact_id: len(set(fact.sources)) for fact in coverage}
    shared = sorted(
        (fact for fact in coverage if outlets[fact.fact_id] > 1),
        key=lambda fact: -outlets[fact.fact_id],
    )
    single = [fact for fact in coverage if outlets[fact.fact_id] <= 1]
    parts = []
    if shared:
        items = "".join(_coverage_item(fact, outlets[fact.fact_id], index) for fact in shared)
        sub = f"h{index.level + 1}"
        parts.append(
            f"<{sub}>Reported by several outlets ({len(shared)})</{sub}>\n"
            f'<ul class="facts" data-kind="shared">{items}</ul>\n'
        )
    else:
        parts.append(_empty("No fact is reported by more than one outlet."))
    if single:
        items = "".join(_coverage_item(fact, 1, index) for fact in single)
        parts.append(
            f'<details data-kind="single"><summary>Reported by one outlet only ({len(single)})'
            f'</summary><ul class="facts">{items}</ul></details>\n'
        )
    return _section(index, "agreement", "".join(parts), count=len(coverage))


def _coverage_item(fact: FactCoverage, outlets: int, index: _Index) -> str:
    sentences = index.fact_sentences.get((fact.fact_id, frozenset(fact.article_ids)), ())
    refs = [_Ref(article_id=s.article_id, start=s.start, end=s.end, exact=True) for s in sentences]
    found = {ref.article_id for ref in refs}
    refs += [_Ref(article_id=a) for a in fact.article_ids if a not in found]
    label = f"{outlets} outlet{'s' if outlets != 1 else ''}"
    names = ", ".join(dict.fromkeys(fact.sources))
    return (
        f'<li data-fact="{_escape(fact.fact_id)}">{_isolated(fact.text)} {_marks(refs, index)} '
        f'<span class="badge" title="{_escape(names)}">{label}</span></li>\n'
    )


def _disagreements_section(disagreements: Sequence[Disagreement], index: _Index) -> str:
    if not disagreements:
        return _section(
            index,
            "disagreements",
            _empty("No disagreement found, or the compare stage did not run."),
        )
    cards = "".join(_disagreement(item, index) for item in disagreements)
    return _section(index, "disagreements", cards, count=len(disagreements))


def _disagreement(item: Disagreement, index: _Index) -> str:
    sides = sorted(item.sides, key=lambda side: _STANCE_ORDER.get(side.stance, 9))
    return (
        f'<article class="claim" data-disagreement="{_escape(item.id)}">'
        f"<h{index.level + 1}>{_escape(item.claim)}</h{index.level + 1}>"
        + "".join(_side(side, index) for side in sides)
        + "</article>\n"
    )


def _side(side: ClaimSide, index: _Index) -> str:
    cues = side.cues or tuple("" for _ in side.texts)
    texts = "".join(
        f"<blockquote>{_escape(text)}"
        + (f' <span class="meta cue">(“{_escape(cue)}”)</span>' if cue else "")
        + "</blockquote>"
        for text, cue in zip(side.texts, cues, strict=False)
    )
    sources = len({c.article_id for c in side.citations})
    return (
        f'<div class="side" data-stance="{_escape(side.stance)}">'
        f'<span class="badge stance-{_escape(side.stance)}">{_escape(side.stance)}</span> '
        f'<span class="meta">{sources} source{"s" if sources != 1 else ""}</span> '
        f"{_marks(_citation_refs(side.citations), index)}{texts}</div>\n"
    )


# Sources and rejections


def _sources_section(index: _Index) -> str:
    if not index.ranked:
        return _section(index, "sources", _empty("No article was ingested."))
    items = "".join(_source_item(article, index) for article in index.ranked)
    return _section(
        index, "sources", f'<ol class="sources">{items}</ol>\n', count=len(index.ranked)
    )


def _source_item(article: Article, index: _Index) -> str:
    number = index.number[article.id]
    date = _long_date(article.published) if article.published else "undated"
    title = f" “{_isolated(article.title)}”" if article.title else ""
    if article.url and _linkable(article.url):
        where = (
            f' <a href="{_escape(article.url)}" rel="noopener noreferrer nofollow">'
            f"{_escape(article.url)}</a>"
        )
    elif article.url:
        where = f" <code>{_escape(article.url)}</code>"
    else:
        where = f" <code>{_escape(article.origin)}</code>"
    copy = ""
    if article.id in index.copy_of:
        original = index.number[index.copy_of[article.id]]
        copy = (
            f' <span class="badge" data-copy-of="{original}">copy of '
            f'<a href="#{index.prefix}source-{original}">[{original}]</a></span>'
        )
    return (
        f'<li id="{index.prefix}source-{number}" value="{number}" '
        f'data-article="{_escape(article.id)}">'
        f"<b>{_isolated(article.source)}</b>, {_escape(date)}{title}{where}{copy}</li>\n"
    )


def _linkable(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    plain = neutral(url) == url
    return plain and parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _rejected_section(digest: Digest | StreamDigest) -> str:
    rejections = digest.corpus.rejections
    if not rejections:
        return _section(None, "rejected", _empty("None: every input item was used."), count=0)
    rows = "".join(
        f"<tr><td><code>{_escape(r.item)}</code></td><td>{_escape(r.reason.value)}</td>"
        f"<td>{_escape(r.detail)}</td></tr>\n"
        for r in rejections
    )
    table = (
        '<div class="scroll"><table><thead><tr><th scope="col">Item</th>'
        '<th scope="col">Reason</th><th scope="col">Detail</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>\n"
    )
    return _section(None, "rejected", table, count=len(rejections))


def _footer(stage_times: Mapping[str, float], *, timings: bool) -> str:
    if not (timings and stage_times):
        return "<footer><p>Made by storyline.</p></footer>\n"
    times = ", ".join(
        f"{_escape(stage)} {1000 * seconds:.0f} ms" for stage, seconds in stage_times.items()
    )
    return f"<footer><p>Made by storyline. Stage times: {times}.</p></footer>\n"


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
