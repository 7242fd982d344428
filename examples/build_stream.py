"""Build the fictional Port Verrin news stream from its source, as a reader would receive it.

Input: ``examples/stream/source/stream.toml`` (stories, outlets, feeds, the crawl's records and
one table per article) and ``examples/stream/source/txt/NN_<outlet-slug>.txt`` in the seeds'
format (four articles take their text from ``examples/harbor-bridge/txt`` instead).
Output, under ``examples/stream/``:

- ``feeds/``: two RSS 2.0 feeds, one Atom feed and one JSON Feed 1.1; some entries carry the
  whole article (``content:encoded``, Atom ``content``, ``content_html``/``content_text``),
  others only a summary;
- ``pages/``: saved article pages with their outlet's chrome (navigation, cookie banner,
  related links, footer, ``og:`` and ``article:`` metadata, canonical link), one in
  windows-1252 and one gzipped;
- ``crawl/``: one WARC file, one gzip member per record (warcio's ``WARCWriter``), with a
  warcinfo record, request/response pairs for article pages, and the records a reader must
  reject: an image, a 404, a redirect, a page without text and a URL fetched twice;
- ``answers.json``: the gold story of every article (by URL) and, for every feed entry, page and
  crawl response, what it should become (an article of a story, or a rejection with its reason).

Method: plain string templates per outlet and format; every date, record id and digest comes
from the source, so two builds are byte-identical. ``--check`` rebuilds in memory and exits 1
when a file on disk differs (gzip files are compared after decompression, so a different zlib
build cannot fail the check) or when a generated folder holds a file the build does not make.

Usage: ``python examples/build_stream.py [STREAM_DIR] [--check]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html
import io
import json
import re
import struct
import sys
import tomllib
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import (  # type: ignore[import-untyped, unused-ignore]
    StatusAndHeaders,
)
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped, unused-ignore]

__all__ = ["StreamError", "build_stream", "main"]

_EXAMPLES = Path(__file__).resolve().parent
_STREAM = _EXAMPLES / "stream"
_GENERATED_DIRS = ("feeds", "pages", "crawl")
_HEADER = re.compile(r" date (?P<date>\d{4}-\d{2}-\d{2}) ")
_ID = re.compile(r"(?P<number>\d{2})_(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")
_MIN_WORDS, _MAX_WORDS = 150, 400
_CHANNELS = frozenset({"feed", "page", "crawl"})
_FEED_FORMATS = frozenset({"rss", "atom", "json"})
_CRAWL_KINDS = frozenset({"article", "image", "not-found", "redirect", "empty-page"})
_REASONS = frozenset({"no-main-text", "not-html", "http-status", "duplicate-url"})
_UUID_NAMESPACE = uuid.UUID("6f1f5c52-8a0e-4d7e-9b55-3c0f0e0a9d21")
_USER_AGENT = "storyline-example-crawler/1.0 (+https://example.org/crawler)"


class StreamError(ValueError):
    """Source files that do not fit together; the message names the file or table."""


# --------------------------------------------------------------------------------------------
# The source


@dataclass(frozen=True, slots=True, kw_only=True)
class _Outlet:
    slug: str
    name: str
    site: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Article:
    id: str
    story: str
    outlet: _Outlet
    title: str
    url: str
    published: dt.datetime
    authors: tuple[str, ...]
    summary: str
    channel: str
    form: str
    content: str
    gzip: bool
    text: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n\n"))


@dataclass(frozen=True, slots=True, kw_only=True)
class _FeedExtra:
    guid: str
    title: str
    url: str
    published: dt.datetime
    enclosure: str
    enclosure_length: int
    reason: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Feed:
    outlet: _Outlet
    format: str
    file: str
    title: str
    gmt_dates: bool
    extras: tuple[_FeedExtra, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _CrawlRecord:
    kind: str
    url: str
    outlet: _Outlet
    article: _Article | None = None
    location: str = ""
    title: str = ""
    published: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    reason: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Stream:
    name: str
    title: str
    stories: Mapping[str, str]
    outlets: Mapping[str, _Outlet]
    articles: tuple[_Article, ...]
    feeds: tuple[_Feed, ...]
    crawl_file: str
    crawl_started: dt.datetime
    crawl_step: int
    crawl: tuple[_CrawlRecord, ...]


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StreamError(f"stream.toml: {where} must be a table.")
    return value


def _text(table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise StreamError(f"stream.toml: {where} needs a non-empty string {key!r}.")
    return value


def _moment(table: Mapping[str, Any], key: str, where: str) -> dt.datetime:
    value = table.get(key)
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise StreamError(f"stream.toml: {where}.{key} must be a date-time with an offset.")
    return value


def _names(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise StreamError(f"stream.toml: {where}.{key} must be a list of strings.")
    return tuple(value)


def _read_text(path: Path, published: dt.datetime) -> str:
    raw = path.read_text(encoding="utf-8")
    match = _HEADER.match(raw)
    if match is None:
        raise StreamError(f"{path.name}: the first line must start with ' date YYYY-MM-DD '.")
    if match.group("date") != published.date().isoformat():
        raise StreamError(f"{path.name}: date header {match.group('date')} != published date.")
    text = raw[match.end() :]
    if text != text.strip() or "\n\n\n" in text:
        raise StreamError(f"{path.name}: no surrounding whitespace, one blank line per break.")
    words = len(text.split())
    if not _MIN_WORDS <= words <= _MAX_WORDS:
        raise StreamError(f"{path.name}: {words} words; keep to {_MIN_WORDS}-{_MAX_WORDS}.")
    if "]]>" in text:
        raise StreamError(f"{path.name}: ']]>' would end a CDATA section.")
    return text


def _load_article(
    article_id: str, entry: dict[str, Any], source: Path, outlets: Mapping[str, _Outlet]
) -> _Article:
    where = f"articles.{article_id}"
    match = _ID.fullmatch(article_id)
    if match is None or match.group("slug") not in outlets:
        raise StreamError(f"stream.toml: {where}: ids are NN_<outlet-slug> of a known outlet.")
    outlet = outlets[match.group("slug")]
    url = _text(entry, "url", where)
    if not url.startswith(outlet.site + "/"):
        raise StreamError(f"stream.toml: {where}.url is not on {outlet.site}.")
    published = _moment(entry, "published", where)
    channel = _text(entry, "channel", where)
    if channel not in _CHANNELS:
        raise StreamError(f"stream.toml: {where}.channel must be one of {sorted(_CHANNELS)}.")
    form = _text(entry, "form", where, "full" if channel != "feed" else None)
    if form not in {"full", "summary"}:
        raise StreamError(f"stream.toml: {where}.form must be 'full' or 'summary'.")
    content = _text(entry, "content", where, "html")
    if content not in {"html", "text"}:
        raise StreamError(f"stream.toml: {where}.content must be 'html' or 'text'.")
    text_from = entry.get("text_from")
    path = _EXAMPLES / text_from if isinstance(text_from, str) else source / f"{article_id}.txt"
    if not path.is_file():
        raise StreamError(f"stream.toml: {where}: no text file {path}.")
    return _Article(
        id=article_id,
        story=_text(entry, "story", where),
        outlet=outlet,
        title=_text(entry, "title", where),
        url=url,
        published=published,
        authors=_names(entry, "authors", where),
        summary=_text(entry, "summary", where),
        channel=channel,
        form=form,
        content=content,
        gzip=entry.get("gzip", False) is True,
        text=_read_text(path, published),
    )


def _load_feeds(table: dict[str, Any], outlets: Mapping[str, _Outlet]) -> tuple[_Feed, ...]:
    feeds = []
    for slug, raw in _table(table.get("feeds"), "[feeds]").items():
        entry = _table(raw, f"feeds.{slug}")
        where = f"feeds.{slug}"
        if slug not in outlets:
            raise StreamError(f"stream.toml: {where}: unknown outlet.")
        extras = []
        for index, extra_raw in enumerate(entry.get("extra", [])):
            extra = _table(extra_raw, f"{where}.extra[{index}]")
            extra_where = f"{where}.extra[{index}]"
            length = extra.get("enclosure_length")
            if not isinstance(length, int):
                raise StreamError(f"stream.toml: {extra_where}.enclosure_length must be a number.")
            extras.append(
                _FeedExtra(
                    guid=_text(extra, "guid", extra_where),
                    title=_text(extra, "title", extra_where),
                    url=_text(extra, "url", extra_where),
                    published=_moment(extra, "published", extra_where),
                    enclosure=_text(extra, "enclosure", extra_where),
                    enclosure_length=length,
                    reason=_text(extra, "reason", extra_where),
                    detail=_text(extra, "detail", extra_where),
                )
            )
        feed_format = _text(entry, "format", where)
        if feed_format not in _FEED_FORMATS:
            raise StreamError(
                f"stream.toml: {where}.format must be one of {sorted(_FEED_FORMATS)}."
            )
        feeds.append(
            _Feed(
                outlet=outlets[slug],
                format=feed_format,
                file=_text(entry, "file", where),
                title=_text(entry, "title", where),
                gmt_dates=_text(entry, "dates", where) == "gmt",
                extras=tuple(extras),
            )
        )
    return tuple(feeds)


def _load_crawl(
    table: dict[str, Any], outlets: Mapping[str, _Outlet], articles: Mapping[str, _Article]
) -> tuple[_CrawlRecord, ...]:
    records = []
    for index, raw in enumerate(table.get("records", [])):
        entry = _table(raw, f"crawl.records[{index}]")
        where = f"crawl.records[{index}]"
        kind = _text(entry, "kind", where)
        if kind not in _CRAWL_KINDS:
            raise StreamError(f"stream.toml: {where}.kind must be one of {sorted(_CRAWL_KINDS)}.")
        reason = str(entry.get("reason", ""))
        if reason and reason not in _REASONS:
            raise StreamError(f"stream.toml: {where}.reason {reason!r} is not a known reason.")
        if kind == "article":
            article = articles.get(_text(entry, "article", where))
            if article is None or article.channel != "crawl":
                raise StreamError(f"stream.toml: {where}.article must name a crawl article.")
            records.append(
                _CrawlRecord(
                    kind=kind,
                    url=article.url,
                    outlet=article.outlet,
                    article=article,
                    reason=reason,
                    detail=str(entry.get("detail", "")),
                )
            )
            continue
        url = _text(entry, "url", where)
        host = urlsplit(url).hostname or ""
        outlet = next((o for o in outlets.values() if urlsplit(o.site).hostname == host), None)
        if outlet is None:
            raise StreamError(f"stream.toml: {where}.url is on no outlet's site.")
        records.append(
            _CrawlRecord(
                kind=kind,
                url=url,
                outlet=outlet,
                location=str(entry.get("location", "")),
                title=str(entry.get("title", "")),
                published=_moment(entry, "published", where) if "published" in entry else None,
                authors=_names(entry, "authors", where),
                reason=_text(entry, "reason", where),
                detail=_text(entry, "detail", where),
            )
        )
    return tuple(records)


def _load(source: Path) -> _Stream:
    with (source / "stream.toml").open("rb") as handle:
        table = tomllib.load(handle)
    stream = _table(table.get("stream"), "[stream]")
    stories = {
        label: _text(_table(entry, f"stories.{label}"), "title", f"stories.{label}")
        for label, entry in _table(table.get("stories"), "[stories]").items()
    }
    outlets = {
        slug: _Outlet(
            slug=slug,
            name=_text(_table(entry, f"outlets.{slug}"), "name", f"outlets.{slug}"),
            site=_text(entry, "site", f"outlets.{slug}"),
        )
        for slug, entry in _table(table.get("outlets"), "[outlets]").items()
    }
    raw_articles = _table(table.get("articles"), "[articles]")
    articles = tuple(
        _load_article(article_id, _table(entry, f"articles.{article_id}"), source / "txt", outlets)
        for article_id, entry in raw_articles.items()
    )
    _validate_articles(articles, stories, source / "txt")
    by_id = {article.id: article for article in articles}
    feeds = _load_feeds(table, outlets)
    crawl_table = _table(table.get("crawl"), "[crawl]")
    crawl = _load_crawl(crawl_table, outlets, by_id)
    _validate_channels(articles, feeds, crawl)
    step = crawl_table.get("seconds_between_records")
    if not isinstance(step, int) or step < 1:
        raise StreamError("stream.toml: crawl.seconds_between_records must be a positive number.")
    return _Stream(
        name=_text(stream, "name", "[stream]"),
        title=_text(stream, "title", "[stream]"),
        stories=stories,
        outlets=outlets,
        articles=articles,
        feeds=feeds,
        crawl_file=_text(crawl_table, "file", "[crawl]"),
        crawl_started=_moment(crawl_table, "started", "crawl"),
        crawl_step=step,
        crawl=crawl,
    )


def _validate_articles(
    articles: Sequence[_Article], stories: Mapping[str, str], txt_dir: Path
) -> None:
    ids = [article.id for article in articles]
    if ids != sorted(ids) or [a.published for a in articles] != sorted(
        a.published for a in articles
    ):
        raise StreamError("stream.toml: list the articles in publication order, numbered so.")
    if unknown := sorted({a.story for a in articles} - set(stories)):
        raise StreamError(f"stream.toml: unknown stories {', '.join(unknown)}.")
    if unused := sorted(set(stories) - {a.story for a in articles}):
        raise StreamError(f"stream.toml: stories without articles: {', '.join(unused)}.")
    urls = [article.url for article in articles]
    if len(set(urls)) != len(urls):
        raise StreamError("stream.toml: two articles share a url.")
    if extra := sorted({path.stem for path in txt_dir.glob("*.txt")} - set(ids)):
        raise StreamError(f"txt/: no [articles.<id>] table for {', '.join(extra)}.")


def _validate_channels(
    articles: Sequence[_Article], feeds: Sequence[_Feed], crawl: Sequence[_CrawlRecord]
) -> None:
    feed_outlets = {feed.outlet.slug for feed in feeds}
    for article in articles:
        if article.channel == "feed" and article.outlet.slug not in feed_outlets:
            raise StreamError(f"stream.toml: {article.id} is a feed entry but its outlet has none.")
    crawled = [record.article.id for record in crawl if record.article is not None]
    missing = [a.id for a in articles if a.channel == "crawl" and a.id not in crawled]
    if missing:
        raise StreamError(f"stream.toml: crawl articles missing from [crawl]: {missing}.")
    seen: set[str] = set()
    for record in crawl:
        if record.article is None:
            continue
        repeated = record.url in seen
        if repeated != (record.reason == "duplicate-url"):
            raise StreamError(
                f"stream.toml: {record.article.id}: exactly its repeats are duplicate-url."
            )
        seen.add(record.url)


# --------------------------------------------------------------------------------------------
# Web pages


@dataclass(frozen=True, slots=True, kw_only=True)
class _Site:
    """The look of one outlet's pages: what surrounds the article text."""

    layout: str  # "article" (semantic HTML5), "classic" (nested divs), "table" (old tables)
    encoding: str
    section: str
    nav: tuple[str, ...]
    box: str  # a promotion inside the article body, after the third paragraph ("" for none)
    json_ld: bool
    photo: str  # a photo caption above the text ("" for none)
    footer: str
    evergreen: tuple[str, ...]  # headlines of unrelated pieces that fill the related links


_SITES: Mapping[str, _Site] = {
    "verrin-ledger": _Site(
        layout="article",
        encoding="utf-8",
        section="Local",
        nav=("News", "Harbor", "Schools", "Business", "Opinion", "Obituaries", "Puzzles"),
        box="Start your day with the Morning Tide, the Ledger’s free newsletter. Sign up here.",
        json_ld=False,
        photo="",
        footer="© 2026 The Port Verrin Ledger. All rights reserved. Terms · Privacy · Contact",
        evergreen=(
            "Tide tables and sunset times for the week",
            "Letters: readers on the harbor plan",
            "Obituaries: the week in Port Verrin",
        ),
    ),
    "civic-beat": _Site(
        layout="article",
        encoding="utf-8",
        section="City Hall",
        nav=("Investigations", "City Hall", "Education", "Environment", "About", "Donate"),
        box="Civic Beat is a nonprofit newsroom. Readers like you pay for this reporting: donate.",
        json_ld=True,
        photo="",
        footer="Civic Beat is a nonprofit newsroom covering Port Verrin. Republish our stories.",
        evergreen=(
            "How we report on City Hall",
            "Meet the Civic Beat newsroom",
            "Ask Civic Beat: how a council vote works",
        ),
    ),
    "maritime-freight-weekly": _Site(
        layout="article",
        encoding="utf-8",
        section="Labor",
        nav=("Ports", "Shipping", "Labor", "Trucking", "Events", "Subscribe"),
        box="Get the MFW Daily Brief: port news before your first shift. Subscribe free.",
        json_ld=True,
        photo="",
        footer="© 2026 Maritime Freight Weekly. Reprints and permissions. Advertise with us.",
        evergreen=(
            "Container rates ease on transpacific lanes",
            "Top 30 ports ranking: methodology",
            "Chassis shortage eases at inland yards",
        ),
    ),
    "northshore-post": _Site(
        layout="article",
        encoding="utf-8",
        section="Nation",
        nav=("Nation", "World", "Politics", "Business", "Sports", "Video"),
        box="",
        json_ld=True,
        photo="The Port Verrin waterfront seen from Market Pier. (Northshore Evening Post)",
        footer="© 2026 Northshore Evening Post. Your privacy choices. Terms of service.",
        evergreen=(
            "Markets close higher as energy shares rally",
            "The week in photos",
            "Five weekend trips along the coast",
        ),
    ),
    "tidewater-courier": _Site(
        layout="classic",
        encoding="utf-8",
        section="Region",
        nav=("Home", "Region", "Coast", "Sports", "Weather", "Classifieds"),
        box="Read more: the Courier’s guide to getting around Port Verrin this spring.",
        json_ld=False,
        photo="",
        footer="Tidewater Courier, serving the coast since 1911. Contact the newsroom.",
        evergreen=(
            "High school rowers win the regional title",
            "Coast weather: a mild week ahead",
            "Classifieds: boats and moorings",
        ),
    ),
    "westbank-examiner": _Site(
        layout="table",
        encoding="windows-1252",
        section="News",
        nav=("Home", "News", "Neighbors", "Events", "Letters", "Contact"),
        box="",
        json_ld=False,
        photo="",
        footer="The Westbank Examiner · a neighborhood paper · Café Corner ads: call the office.",
        evergreen=(
            "Neighbors: the Sorrel Creek clean-up",
            "Events this week in Westbank",
            "Letters to the Examiner",
        ),
    ),
}

_COOKIES = (
    "We use cookies to remember your settings and to measure how our site is used. "
    "Accept all cookies or choose which to allow."
)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _e(value: str) -> str:
    """Escaped for an attribute value."""
    return html.escape(value, quote=True)


def _x(value: str) -> str:
    """Escaped for text between tags."""
    return html.escape(value, quote=False)


def _shown_time(moment: dt.datetime) -> str:
    hour = moment.hour % 12 or 12
    half = "a.m." if moment.hour < 12 else "p.m."
    return f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}, {hour}:{moment:%M} {half}"


def _byline(authors: Sequence[str]) -> str:
    if len(authors) < 2:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _slug(headline: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")


def _related(outlet: _Outlet, moment: dt.datetime, articles: Sequence[_Article]) -> list[_Link]:
    """Up to two of the outlet's own stream articles nearest in time (not the page's own), then
    its unrelated evergreen pieces: four links, as a "related" box shows them."""
    own = [a for a in articles if a.outlet.slug == outlet.slug and a.published != moment]
    own.sort(key=lambda a: (abs((a.published - moment).total_seconds()), a.id))
    links = [_Link(url=a.url, title=a.title) for a in own[:2]]
    site = _SITES[outlet.slug]
    for headline in site.evergreen[: 4 - len(links)]:
        links.append(
            _Link(url=f"{outlet.site}/{_slug(site.section)}/{_slug(headline)}", title=headline)
        )
    return links


@dataclass(frozen=True, slots=True, kw_only=True)
class _Link:
    url: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _PageContent:
    url: str
    title: str
    summary: str
    published: dt.datetime
    authors: tuple[str, ...]
    paragraphs: tuple[str, ...]
    body_html: str = ""  # replaces the paragraphs (a video player, a "not found" notice)
    dated: bool = True  # False for pages that are no article (an error page): no date, no byline


def _head(site: _Site, outlet: _Outlet, page: _PageContent) -> str:
    names = ", ".join(page.authors)
    stamp = page.published.isoformat()
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        f'<meta charset="{site.encoding}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(page.title)} | {_e(outlet.name)}</title>",
        f'<link rel="canonical" href="{_e(page.url)}">',
        f'<meta name="description" content="{_e(page.summary)}">',
        *([f'<meta name="author" content="{_e(names)}">'] if names else []),
        f'<meta property="og:site_name" content="{_e(outlet.name)}">',
        f'<meta property="og:title" content="{_e(page.title)}">',
        f'<meta property="og:url" content="{_e(page.url)}">',
        f'<meta property="og:description" content="{_e(page.summary)}">',
        f'<meta property="og:image" content="{_e(outlet.site)}/static/share-card.png">',
        f'<link rel="stylesheet" href="{_e(outlet.site)}/static/site.css">',
        f'<link rel="alternate" type="application/rss+xml" href="{_e(outlet.site)}/feed">',
    ]
    if not page.dated:
        return "\n".join([*lines, '<meta name="robots" content="noindex">', "</head>"])
    lines += [
        '<meta property="og:type" content="article">',
        f'<meta property="article:published_time" content="{stamp}">',
        f'<meta property="article:section" content="{_e(site.section)}">',
    ]
    if site.json_ld:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title,
            "datePublished": stamp,
            "author": [{"@type": "Person", "name": name} for name in page.authors],
            "publisher": {"@type": "Organization", "name": outlet.name},
            "mainEntityOfPage": page.url,
        }
        ld = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        lines.append(f'<script type="application/ld+json">{ld}</script>')
    lines += ["</head>"]
    return "\n".join(lines)


def _story_html(site: _Site, page: _PageContent) -> str:
    if page.body_html:
        return page.body_html
    parts = []
    for index, paragraph in enumerate(page.paragraphs):
        parts.append(f"<p>{_x(paragraph)}</p>")
        if index == 2 and site.box:
            parts.append(f'<aside class="promo-box"><p>{_x(site.box)}</p></aside>')
    return "\n".join(parts)


def _links(related: Sequence[_Link]) -> str:
    return "\n".join(f'<li><a href="{_e(o.url)}">{_e(o.title)}</a></li>' for o in related)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Chrome:
    """The pieces of one page that every layout places somewhere."""

    home: str
    outlet: str
    nav: str
    cookie: str
    title: str
    byline: str  # empty for a page without a date (then no byline or date line either)
    shown: str
    stamp: str
    summary: str
    story: str
    related: str
    footer: str
    section: str


def _table_body(site: _Site, c: _Chrome) -> list[str]:
    dateline = [f'<p class="byline">{c.byline} &middot; Posted {c.shown}</p>'] if c.shown else []
    return [
        '<body bgcolor="#fdfaf2">',
        c.cookie,
        '<table width="960" align="center" cellpadding="0" cellspacing="0" id="wrapper">',
        f'<tr><td colspan="2" class="masthead"><a href="{c.home}/">'
        f'<img src="/img/masthead.gif" alt="{c.outlet}"></a>',
        '<div class="tagline">News from Westbank, Calloway Ridge and the Sorrel Creek valley'
        "</div></td></tr>",
        f'<tr><td colspan="2" class="menu"><ul>{c.nav}</ul></td></tr>',
        "<tr>",
        '<td valign="top" class="maincol">',
        f'<h1 class="headline">{c.title}</h1>',
        *dateline,
        '<div class="storytext">',
        c.story,
        "</div>",
        '<p class="tools"><a href="javascript:window.print()">Print this story</a> | '
        f'<a href="mailto:?subject={c.title}">Email a friend</a></p>',
        "</td>",
        '<td valign="top" class="sidecol" width="240">',
        "<h3>More news</h3>",
        f"<ul>{c.related}</ul>",
        "<h3>Weather</h3><p>Westbank: 61&deg;F, light wind</p>",
        "</td>",
        "</tr>",
        f'<tr><td colspan="2" class="footer">{c.footer}</td></tr>',
        "</table>",
        "</body>",
    ]


def _classic_body(site: _Site, c: _Chrome) -> list[str]:
    meta = (
        [
            f'<div class="meta"><span class="author">{c.byline}</span> '
            f'<span class="date" data-time="{c.stamp}">{c.shown}</span></div>',
            '<div class="share"><a href="#">Share</a> <a href="#">Email</a> '
            '<a href="#">Print</a></div>',
        ]
        if c.shown
        else []
    )
    return [
        '<body class="story-page">',
        c.cookie,
        '<div id="page">',
        f'<div class="masthead"><a class="logo" href="{c.home}/">{c.outlet}</a>',
        '<form class="search" action="/search"><input type="text" name="q" '
        'placeholder="Search"></form></div>',
        f'<div id="menu"><ul>{c.nav}</ul></div>',
        '<div id="content">',
        f'<div class="breadcrumbs"><a href="{c.home}/">Home</a> &rsaquo; '
        f'<a href="{c.home}/{_slug(c.section)}">{c.section}</a></div>',
        f'<h1 class="headline">{c.title}</h1>',
        *([f'<div class="dek">{c.summary}</div>'] if c.summary else []),
        *meta,
        '<div class="story-text">',
        c.story,
        "</div>",
        *(
            ['<div class="comments-count"><a href="#comments">Comments (14)</a></div>']
            * bool(c.shown)
        ),
        f'<div class="related"><h2>You may also like</h2><ul>{c.related}</ul></div>',
        "</div>",
        f'<div id="footer"><p>{c.footer}</p></div>',
        "</div>",
        "</body>",
    ]


def _article_body(site: _Site, c: _Chrome) -> list[str]:
    dateline = (
        [f'<p class="byline">{c.byline}</p>', f'<time datetime="{c.stamp}">{c.shown}</time>']
        if c.shown
        else []
    )
    photo = (
        [
            f'<figure class="lead-photo"><img src="{c.home}/media/lead.jpg" alt="">'
            f"<figcaption>{_e(site.photo)}</figcaption></figure>"
        ]
        if site.photo and c.shown and "<p>" in c.story
        else []
    )
    return [
        "<body>",
        c.cookie,
        '<header class="site-header">',
        '<a class="skip-link" href="#main">Skip to content</a>',
        f'<a class="logo" href="{c.home}/">{c.outlet}</a>',
        f'<nav class="primary-nav" aria-label="Sections"><ul>{c.nav}</ul></nav>',
        f'<a class="subscribe-button" href="{c.home}/subscribe">Subscribe</a>',
        "</header>",
        '<main id="main">',
        '<article class="story">',
        '<header class="story-header">',
        f'<p class="kicker"><a href="{c.home}/{_slug(c.section)}">{c.section}</a></p>',
        f"<h1>{c.title}</h1>",
        *dateline,
        "</header>",
        *photo,
        '<div class="story-body">',
        c.story,
        "</div>",
        '<footer class="story-footer"><ul class="share"><li><a href="#">Share</a></li>'
        '<li><a href="#">Copy link</a></li></ul></footer>',
        "</article>",
        f'<aside class="related-stories"><h2>Related</h2><ul>{c.related}</ul></aside>',
        "</main>",
        '<footer class="site-footer">',
        '<nav><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
        '<li><a href="/privacy">Privacy</a></li></ul></nav>',
        f"<p>{c.footer}</p>",
        "</footer>",
        f'<script src="{c.home}/static/site.js" defer></script>',
        "</body>",
    ]


_LAYOUTS: Mapping[str, Callable[[_Site, _Chrome], list[str]]] = {
    "table": _table_body,
    "classic": _classic_body,
    "article": _article_body,
}


def _render_page(outlet: _Outlet, page: _PageContent, articles: Sequence[_Article]) -> bytes:
    """The whole HTML document of one page, encoded as its site encodes pages."""
    site = _SITES[outlet.slug]
    home = _e(outlet.site)
    chrome = _Chrome(
        home=home,
        outlet=_e(outlet.name),
        nav="\n".join(
            f'<li><a href="{home}/{_slug(item)}">{_e(item)}</a></li>' for item in site.nav
        ),
        cookie=(
            f'<div id="cookie-consent" class="cookie-banner" role="dialog"><p>{_COOKIES}</p>'
            '<button type="button">Accept all</button>'
            '<button type="button">Settings</button></div>'
        ),
        title=_e(page.title),
        byline=_e(f"By {_byline(page.authors)}" if page.authors else ""),
        shown=_e(_shown_time(page.published)) if page.dated else "",
        stamp=page.published.isoformat(),
        summary=_e(page.summary) if page.dated else "",
        story=_story_html(site, page),
        related=_links(_related(outlet, page.published, articles)),
        footer=_e(site.footer),
        section=_e(site.section),
    )
    lines = [_head(site, outlet, page), *_LAYOUTS[site.layout](site, chrome), "</html>", ""]
    return "\n".join(lines).encode(site.encoding, errors="xmlcharrefreplace")


def _article_page(article: _Article, articles: Sequence[_Article]) -> bytes:
    page = _PageContent(
        url=article.url,
        title=article.title,
        summary=article.summary,
        published=article.published,
        authors=article.authors,
        paragraphs=article.paragraphs,
    )
    return _render_page(article.outlet, page, articles)


def _page_name(article: _Article) -> str:
    slug = urlsplit(article.url).path.rstrip("/").rsplit("/", 1)[-1]
    return f"pages/{article.outlet.slug}_{slug}.html" + (".gz" if article.gzip else "")


# --------------------------------------------------------------------------------------------
# Feeds


def _entry_html(article: _Article) -> str:
    return "".join(f"<p>{_x(paragraph)}</p>" for paragraph in article.paragraphs)


def _feed_entries(feed: _Feed, articles: Sequence[_Article]) -> list[_Article | _FeedExtra]:
    """Entries newest first, as feeds list them."""
    own: list[_Article | _FeedExtra] = [
        a for a in articles if a.channel == "feed" and a.outlet.slug == feed.outlet.slug
    ]
    own += feed.extras
    return sorted(own, key=lambda entry: entry.published, reverse=True)


def _rss_date(moment: dt.datetime, feed: _Feed) -> str:
    if feed.gmt_dates:
        return format_datetime(moment.astimezone(dt.UTC), usegmt=True)
    return format_datetime(moment)


def _rss_guid(feed: _Feed, entry: _Article | _FeedExtra) -> tuple[str, bool]:
    """The guid and whether it is a permalink (the Ledger uses URLs, the radio its own ids)."""
    if isinstance(entry, _FeedExtra):
        return entry.guid, False
    if feed.gmt_dates:
        return f"vpr-news-{entry.published:%Y%m%d-%H%M}", False
    return entry.url, True


def _render_rss(feed: _Feed, entries: Sequence[_Article | _FeedExtra]) -> str:
    site = feed.outlet.site
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{_x(feed.title)}</title>",
        f"<link>{_x(site)}/</link>",
        f"<description>Latest stories from {_x(feed.outlet.name)}</description>",
        "<language>en-us</language>",
        f"<lastBuildDate>{_rss_date(entries[0].published, feed)}</lastBuildDate>",
        f'<atom:link href="{_x(site)}/{Path(feed.file).name}" rel="self"'
        ' type="application/rss+xml"/>',
    ]
    for entry in entries:
        guid, permalink = _rss_guid(feed, entry)
        lines += [
            "<item>",
            f"<title>{_x(entry.title)}</title>",
            f"<link>{_x(entry.url)}</link>",
            f'<guid isPermaLink="{str(permalink).lower()}">{_x(guid)}</guid>',
            f"<pubDate>{_rss_date(entry.published, feed)}</pubDate>",
        ]
        if isinstance(entry, _FeedExtra):
            lines.append(
                f'<enclosure url="{_e(entry.enclosure)}" length="{entry.enclosure_length}"'
                ' type="audio/mpeg"/>'
            )
        else:
            lines += [f"<dc:creator>{_x(name)}</dc:creator>" for name in entry.authors]
            lines.append(f"<description>{_x(entry.summary)}</description>")
            if entry.form == "full":
                lines.append(f"<content:encoded><![CDATA[{_entry_html(entry)}]]></content:encoded>")
        lines.append("</item>")
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines)


def _atom_id(feed: _Feed, entry: _Article | _FeedExtra) -> str:
    host = urlsplit(feed.outlet.site).hostname
    key = entry.guid if isinstance(entry, _FeedExtra) else entry.id.split("_", 1)[0]
    return f"tag:{host},2026:story-{key}"


def _render_atom(feed: _Feed, entries: Sequence[_Article | _FeedExtra]) -> str:
    site = feed.outlet.site
    host = urlsplit(site).hostname
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<title>{_x(feed.title)}</title>",
        "<subtitle>Nonprofit news for Port Verrin</subtitle>",
        f'<link href="{_e(site)}/" rel="alternate" type="text/html"/>',
        f'<link href="{_e(site)}/{Path(feed.file).name}" rel="self" type="application/atom+xml"/>',
        f"<id>tag:{host},2026:feed</id>",
        f"<updated>{entries[0].published.isoformat()}</updated>",
    ]
    for entry in entries:
        if isinstance(entry, _FeedExtra):
            raise StreamError(f"{feed.file}: extra entries are only written to RSS feeds.")
        stamp = entry.published.isoformat()
        lines += [
            "<entry>",
            f"<title>{_x(entry.title)}</title>",
            f'<link rel="alternate" type="text/html" href="{_e(entry.url)}"/>',
            f"<id>{_atom_id(feed, entry)}</id>",
            f"<published>{stamp}</published>",
            f"<updated>{stamp}</updated>",
        ]
        lines += [f"<author><name>{_x(name)}</name></author>" for name in entry.authors]
        lines.append(f'<summary type="text">{_x(entry.summary)}</summary>')
        if entry.form == "full":
            lines.append(f'<content type="html">{_x(_entry_html(entry))}</content>')
        lines.append("</entry>")
    lines += ["</feed>", ""]
    return "\n".join(lines)


def _render_json_feed(feed: _Feed, entries: Sequence[_Article | _FeedExtra]) -> str:
    items = []
    for entry in entries:
        if isinstance(entry, _FeedExtra):
            raise StreamError(f"{feed.file}: extra entries are only written to RSS feeds.")
        item: dict[str, object] = {
            "id": entry.url,
            "url": entry.url,
            "title": entry.title,
            "summary": entry.summary,
        }
        # JSON Feed needs content in every item: a summary-only item repeats its summary.
        if entry.form == "summary":
            item["content_text"] = entry.summary
        elif entry.content == "text":
            item["content_text"] = entry.text
        else:
            item["content_html"] = _entry_html(entry)
        item["date_published"] = entry.published.isoformat()
        item["authors"] = [{"name": name} for name in entry.authors]
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.outlet.site + "/",
        "feed_url": f"{feed.outlet.site}/{Path(feed.file).name}",
        "language": "en-US",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _feed_key(feed: _Feed, entry: _Article | _FeedExtra) -> str:
    """The entry's identity in its feed: RSS guid, Atom id, JSON Feed id."""
    if feed.format == "rss":
        return _rss_guid(feed, entry)[0]
    if feed.format == "atom":
        return _atom_id(feed, entry)
    return entry.url


# --------------------------------------------------------------------------------------------
# The crawl


def _png(width: int = 24, height: int = 16) -> bytes:
    """A small solid-colour PNG, built from its chunks so the bytes never change."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((30, 90, 140)) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


def _record_id(*parts: object) -> str:
    return f"<urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, '|'.join(map(str, parts)))}>"


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _response_body(
    record: _CrawlRecord, when: dt.datetime, articles: Sequence[_Article]
) -> tuple[str, str, list[tuple[str, str]], bytes]:
    """Status line, content type, extra headers and body of one crawled response."""
    site = _SITES[record.outlet.slug]
    html_type = f"text/html; charset={site.encoding}"
    if record.kind == "article" and record.article is not None:
        return "200 OK", html_type, [], _article_page(record.article, articles)
    if record.kind == "image":
        return "200 OK", "image/png", [], _png()
    if record.kind == "redirect":
        body = (
            f"<html><head><title>301 Moved Permanently</title></head><body><h1>Moved</h1><p>"
            f'<a href="{_e(record.location)}">{_e(record.location)}</a></p></body></html>\n'
        ).encode()
        return "301 Moved Permanently", "text/html", [("Location", record.location)], body
    if record.kind == "not-found":
        page = _PageContent(
            url=record.url,
            title="Page not found",
            summary="",
            published=when,
            authors=(),
            paragraphs=(),
            body_html=(
                "<p>Sorry, we could not find that page.</p>"
                f'<form action="{_e(record.outlet.site)}/search"><input name="q"></form>'
            ),
            dated=False,
        )
        body = _render_page(record.outlet, page, articles)
        return "404 Not Found", html_type, [], body
    page = _PageContent(
        url=record.url,
        title=record.title,
        summary=record.title,
        published=record.published or when,
        authors=record.authors,
        paragraphs=(),
        body_html=(
            '<div class="video-player" data-video-id="nsp-vid-20260428-01">'
            f'<video controls preload="none" poster="{_e(record.outlet.site)}/media/poster.jpg">'
            f'<source src="{_e(record.outlet.site)}/media/burn-scar.mp4" type="video/mp4">'
            "</video></div>"
        ),
    )
    return "200 OK", html_type, [], _render_page(record.outlet, page, articles)


def _render_warc(stream: _Stream) -> tuple[bytes, list[dict[str, object]]]:
    """The crawl as one gzipped WARC file, and the answer-key rows of its responses."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    started = stream.crawl_started
    info_id = _record_id(stream.crawl_file, "warcinfo")
    info = (
        "software: storyline examples/build_stream.py\r\n"
        "format: WARC File Format 1.0\r\n"
        f"isPartOf: {stream.name}\r\n"
        "description: a fictional crawl of Port Verrin news sites\r\n"
    ).encode()
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_headers_dict={
                "WARC-Record-ID": info_id,
                "WARC-Date": _warc_date(started),
                "WARC-Filename": Path(stream.crawl_file).name,
                "Content-Type": "application/warc-fields",
            },
        )
    )
    index = 1
    rows: list[dict[str, object]] = []
    for position, record in enumerate(stream.crawl):
        when = started + dt.timedelta(seconds=stream.crawl_step * (position + 1))
        parts = urlsplit(record.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response_id = _record_id(stream.crawl_file, position, record.url, "response")
        address = f"192.0.2.{10 + sorted(stream.outlets).index(record.outlet.slug)}"
        request = writer.create_warc_record(
            record.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {target} HTTP/1.1",
                [
                    ("Host", parts.netloc),
                    ("User-Agent", _USER_AGENT),
                    ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
                ],
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Record-ID": _record_id(stream.crawl_file, position, record.url, "request"),
                "WARC-Date": _warc_date(when),
                "WARC-Concurrent-To": response_id,
                "WARC-Warcinfo-ID": info_id,
            },
        )
        writer.write_record(request)
        index += 1
        status, content_type, extra, body = _response_body(record, when, stream.articles)
        headers = [
            ("Date", format_datetime(when.astimezone(dt.UTC), usegmt=True)),
            ("Server", "nginx"),
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            *extra,
            ("Cache-Control", "max-age=300"),
        ]
        response = writer.create_warc_record(
            record.url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={
                "WARC-Record-ID": response_id,
                "WARC-Date": _warc_date(when),
                "WARC-IP-Address": address,
                "WARC-Warcinfo-ID": info_id,
            },
        )
        offset = out.tell()
        writer.write_record(response)
        row: dict[str, object] = {
            "file": stream.crawl_file,
            "record": index,
            "offset": offset,
            "url": record.url,
        }
        if record.reason:
            row |= {"rejection": record.reason, "detail": record.detail}
        elif record.article is not None:
            row |= _article_row(record.article, partial=False)
        rows.append(row)
        index += 1
    return out.getvalue(), rows


# --------------------------------------------------------------------------------------------
# The whole stream and its answer key


def _article_row(article: _Article, *, partial: bool) -> dict[str, object]:
    return {
        "article": article.id,
        "story": article.story,
        "source": article.outlet.name,
        "title": article.title,
        "published": article.published.date().isoformat(),
        "published_at": article.published.isoformat(),
        "authors": list(article.authors),
        "partial": partial,
    }


_FEED_RENDERERS: Mapping[str, Callable[[_Feed, Sequence[_Article | _FeedExtra]], str]] = {
    "rss": _render_rss,
    "atom": _render_atom,
    "json": _render_json_feed,
}


def _answers(stream: _Stream, rows: Sequence[dict[str, object]]) -> str:
    accepted = Counter(str(row["url"]) for row in rows if "story" in row)
    expected = {article.url: article.story for article in stream.articles}
    if accepted != Counter(expected.keys()):
        raise StreamError("the stream does not hold every article exactly once.")
    stories = {
        label: {
            "title": title,
            "articles": [a.id for a in stream.articles if a.story == label],
        }
        for label, title in stream.stories.items()
    }
    rejections = []
    for row in rows:
        if "rejection" in row:
            where = {key: value for key, value in row.items() if key not in {"rejection", "detail"}}
            rejections.append(where | {"reason": row["rejection"], "detail": row["detail"]})
    document = {
        "stream": stream.name,
        "title": stream.title,
        "stories": stories,
        "articles": expected,
        "items": list(rows),
        "rejections": rejections,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def build_stream(source: Path) -> dict[str, bytes]:
    """Every generated file of the stream, by path relative to the stream folder."""
    stream = _load(source)
    files: dict[str, bytes] = {}
    rows: list[dict[str, object]] = []
    for feed in stream.feeds:
        entries = _feed_entries(feed, stream.articles)
        files[feed.file] = _FEED_RENDERERS[feed.format](feed, entries).encode()
        for entry in entries:
            row: dict[str, object] = {
                "file": feed.file,
                "entry": _feed_key(feed, entry),
                "url": entry.url,
            }
            if isinstance(entry, _FeedExtra):
                row |= {"rejection": entry.reason, "detail": entry.detail}
            else:
                row |= _article_row(entry, partial=entry.form == "summary")
            rows.append(row)
    for article in stream.articles:
        if article.channel != "page":
            continue
        name = _page_name(article)
        document = _article_page(article, stream.articles)
        files[name] = (
            gzip.compress(document, compresslevel=9, mtime=0) if article.gzip else document
        )
        rows.append({"file": name, "url": article.url} | _article_row(article, partial=False))
    warc, warc_rows = _render_warc(stream)
    files[stream.crawl_file] = warc
    rows += warc_rows
    files["answers.json"] = _answers(stream, rows).encode()
    return files


def _comparable(name: str, data: bytes) -> bytes:
    return gzip.decompress(data) if name.endswith(".gz") else data


def _stale(stream_dir: Path, files: Mapping[str, bytes]) -> Iterator[str]:
    for name, data in sorted(files.items()):
        path = stream_dir / name
        if not path.is_file() or _comparable(name, path.read_bytes()) != _comparable(name, data):
            yield name
    for folder in _GENERATED_DIRS:
        for path in sorted((stream_dir / folder).glob("*")):
            if path.relative_to(stream_dir).as_posix() not in files:
                yield f"{path.relative_to(stream_dir).as_posix()} (not made by the build)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "stream_dir",
        nargs="?",
        type=Path,
        default=_STREAM,
        help="the stream folder, holding source/ (default: examples/stream)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the files on disk differ from a rebuild"
    )
    args = parser.parse_args(argv)
    stream_dir: Path = args.stream_dir.resolve()
    try:
        files = build_stream(stream_dir / "source")
    except (StreamError, OSError, tomllib.TOMLDecodeError) as exc:
        print(f"build_stream: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if stale := list(_stale(stream_dir, files)):
            print(
                f"build_stream: out of date in {stream_dir}: {', '.join(stale)}; "
                "run without --check.",
                file=sys.stderr,
            )
            return 1
        return 0
    for folder in _GENERATED_DIRS:
        for path in (stream_dir / folder).glob("*"):
            if path.relative_to(stream_dir).as_posix() not in files:
                path.unlink()
    for name, data in files.items():
        path = stream_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
