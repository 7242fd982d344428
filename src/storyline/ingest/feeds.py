"""Feeds: the bytes of an RSS, Atom or JSON Feed file -> articles and rejections.

:func:`read_feed` turns every entry of a feed into an :class:`~storyline.model.Article`
or a :class:`~storyline.model.Rejection`; :func:`looks_like_feed` tells a feed from
other input by its first bytes, without parsing it.

Method
------
- RSS 0.9x, 1.0 (RDF) and 2.0 and Atom 0.3/1.0 are read by feedparser 6, which
  detects the encoding (an ISO-8859-1 file without a declaration still decodes
  right) and, when a feed is not well-formed, reads it again with its lenient
  parser. feedparser 6.0 does not read JSON Feed (measured: 6.0.14 flags the NPR
  JSON Feed as bad XML and finds no entry), so JSON Feed 1.0/1.1 is read here with
  :mod:`json`, following https://jsonfeed.org/version/1.1 (an ``id`` given as a
  number is turned into a string, as the specification asks; other fields of the
  wrong type count as absent).
- Nothing is fetched: feedparser gets the bytes in a :class:`io.BytesIO` (given a
  ``str`` or ``bytes`` it would treat them as a URL or a file name and open them).
  It removes every ``<!ENTITY>`` declaration but plain string ones before parsing
  and turns off external entities in its SAX parser, so ``SYSTEM`` entities are
  never read or expanded.
- The text of an entry is its full content (RSS ``content:encoded``, Atom
  ``<content>``, JSON Feed ``content_html``, else ``content_text``); without one it
  is the summary (RSS ``<description>``, Atom ``<summary>``, JSON Feed ``summary``)
  and the article is marked ``partial``. HTML becomes plain text with lxml: scripts,
  styles and the like are dropped, entities decoded, each block element (paragraph,
  heading, list item, ...) a paragraph of its own, separated by a blank line. This
  is a small walk of our own, not trafilatura: a feed carries a clean fragment, not
  a page with boilerplate, and on the 119 entries of the Guardian, heise, FeedBurner
  and reddit feeds ``trafilatura.extract`` found no text in 19 and took 0.60 CPU
  seconds against 0.02 here.
- The date is the entry's publication date, else its update date (the first
  report is what a timeline places; an update moves with every correction). It is
  the day as the feed wrote it, in the publisher's own time zone: ISO 8601 / RFC
  3339 and RFC 822 are read here, and so are day-month-year dates with month names
  in English, Portuguese, Spanish, German or Italian (UOL writes "Seg, 24 Set
  2018", which neither :mod:`email.utils` nor feedparser reads); any other form
  feedparser reads is taken from its reading, which is in UTC. A date given but
  unreadable rejects the entry as ``bad-date``, as the file ingestor does.
- ``id`` is the entry's id (RSS ``guid``, Atom ``id``, JSON Feed ``id``), else its
  link, else its origin ``"<origin>#entry-<n>"`` (n counts entries from 1), which is
  unique across inputs. Ids repeated inside a feed are kept here: the ingestor's
  duplicate-id check rejects the later ones, naming the first, as it does across
  files.
- ``source`` is the feed's title, else the host of the feed's link, else the
  input's file name without extension. ``authors`` are the entry's own authors
  (name, else e-mail); the feed-level author that Atom and JSON Feed entries
  inherit is not copied, because it mostly names the outlet ("heise online",
  "NPR"), which ``source`` already gives.

Rejections: an entry without text is ``no-main-text`` (the reason the model keeps
for a page or feed entry with nothing to extract; ``empty-text`` is for records whose
text field is blank); a text over ``max_text_chars`` is ``oversized``; a feed
feedparser flags (``bozo``: not well-formed, or a wrong encoding declaration) is one
``malformed-feed`` rejection for the whole input, beside every entry that could be
read; a feed without entries is ``no-articles`` (as an empty JSON list is for the
file ingestor), unless it was flagged, which already says why; input that is not a
feed at all is ``unsupported-format``, broken JSON ``malformed``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import json
import re
import time
import xml.sax
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType
from urllib.parse import urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from storyline.model import Article, Rejection, RejectionReason

__all__ = ["looks_like_feed", "read_feed"]

_JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
# "version" of a JSON Feed in the first bytes, with or without escaped slashes.
_JSON_FEED_VERSION = re.compile(
    r'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/', re.ASCII
)
# RSS 0.90 and RSS 1.0 both have an rdf:RDF root; other RDF documents are not feeds.
_RSS_RDF_NAMESPACES = ("http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/")
_WHITESPACE = re.compile(r"\s+")
_XML_NAME = re.compile(r"[^\W\d][\w.:-]*")
_SNIFF_CHARS = 65_536

_PLAIN_TYPES = frozenset({"text/plain", "text"})
# Elements whose content is never article text.
_DROPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg"}
    | {"canvas", "audio", "video", "select", "button", "form"}
)
# Elements that start and end a paragraph of text.
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "aside", "header", "footer", "nav", "main"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption"}
    | {"ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th"}
    | {"caption", "hr", "address", "details", "summary", "center", "body", "html"}
)
# Characters lxml refuses (not allowed in XML): C0 controls but tab and newlines,
# surrogates, U+FFFE and U+FFFF.
_NON_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]{3,})\.?,?\s+(\d{4})(?!\d)")
# First three letters of month names in English, Portuguese, Spanish, German and
# Italian: no abbreviation names two different months across these languages.
_MONTHS: Mapping[str, int] = MappingProxyType(
    {
        **dict.fromkeys(("jan", "ene", "gen"), 1),
        **dict.fromkeys(("feb", "fev"), 2),
        **dict.fromkeys(("mar", "mär", "mrz"), 3),
        **dict.fromkeys(("apr", "abr"), 4),
        **dict.fromkeys(("may", "mai", "mag"), 5),
        **dict.fromkeys(("jun", "giu"), 6),
        **dict.fromkeys(("jul", "lug"), 7),
        **dict.fromkeys(("aug", "ago"), 8),
        **dict.fromkeys(("sep", "set"), 9),
        **dict.fromkeys(("oct", "out", "okt", "ott"), 10),
        **dict.fromkeys(("nov",), 11),
        **dict.fromkeys(("dec", "dez", "dic"), 12),
    }
)


@dataclass(frozen=True, slots=True)
class _Body:
    """A text of an entry: its content or summary, as HTML or plain text."""

    value: str
    is_html: bool


@dataclass(frozen=True, slots=True)
class _Stamp:
    """A date as the feed wrote it, and feedparser's reading of it (UTC) if any."""

    raw: str
    utc: time.struct_time | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Entry:
    """One entry, whatever the format, before it becomes an article."""

    id: str | None
    url: str | None
    title: str | None
    stamps: tuple[_Stamp, ...]  # publication date first, then update date
    authors: tuple[str, ...]
    contents: tuple[_Body, ...]
    summary: _Body | None


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: RejectionReason
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Feed:
    """A parsed feed: its title and link, its raw entries and how to read one."""

    title: str | None
    link: str | None
    problem: str | None  # what feedparser flagged, in one line
    items: tuple[object, ...]
    read_entry: Callable[[object], _Entry | _Failure]


def read_feed(
    data: bytes, *, origin: str, max_text_chars: int = 2_000_000
) -> list[Article | Rejection]:
    """Every entry of the feed in ``data`` as an article or a rejection, in feed order.

    ``origin`` names the input (a path); entry ``n`` (from 1) is the item
    ``f"{origin}#entry-{n}"``. A problem of the whole feed (flagged by the parser,
    no entries, not a feed) is a rejection whose item is ``origin``. Never raises
    for bad input and never fetches anything.
    """
    try:
        feed = _parse(data)
    except MemoryError:
        raise
    except Exception as error:  # a fault of the parser's or ours must not stop the run
        detail = f"stage 'ingest': {type(error).__name__}: {_one_line(str(error))}"
        return [_reject(origin, RejectionReason.PROCESSING_ERROR, detail)]
    if isinstance(feed, _Failure):
        return [_reject(origin, feed.reason, feed.detail)]
    results: list[Article | Rejection] = []
    if feed.problem is not None:
        results.append(_reject(origin, RejectionReason.MALFORMED_FEED, feed.problem))
    elif not feed.items:
        results.append(_reject(origin, RejectionReason.NO_ARTICLES, "the feed has no entries"))
    source = feed.title or _host(feed.link) or PurePath(origin).stem or origin
    for number, raw in enumerate(feed.items, start=1):
        item = f"{origin}#entry-{number}"
        try:
            entry = feed.read_entry(raw)
            if isinstance(entry, _Failure):
                results.append(_reject(item, entry.reason, entry.detail))
            else:
                results.append(_article(entry, item, source, max_text_chars))
        except MemoryError:
            raise
        except Exception as error:  # one entry's fault must not lose the others
            detail = f"stage 'ingest': {type(error).__name__}: {_one_line(str(error))}"
            results.append(_reject(item, RejectionReason.PROCESSING_ERROR, detail))
    return results


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a feed.

    True for an XML document whose root element is ``rss``, Atom's ``feed`` or an
    ``rdf:RDF`` declaring the RSS 0.90 or 1.0 namespace, and for a JSON object
    whose ``"version"`` starts with ``https://jsonfeed.org/version/``. Reads no
    more than the first 64 KiB of ``head``; it does not check the rest is valid.
    """
    text = _sniff_text(head)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _JSON_FEED_VERSION.search(stripped) is not None
    root = _root_name(text)
    if root is None:
        return False
    local = root.rpartition(":")[2]
    if local in ("rss", "feed"):
        return True
    return local == "RDF" and any(namespace in text for namespace in _RSS_RDF_NAMESPACES)


def _parse(data: bytes) -> _Feed | _Failure:
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        return _Failure(RejectionReason.NO_ARTICLES, "the file is empty")
    if start[:1] in (b"{", b"["):
        return _parse_json_feed(data)
    return _parse_xml_feed(data)


def _parse_xml_feed(data: bytes) -> _Feed | _Failure:
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except (ValueError, LookupError) as error:  # e.g. a NUL or 0xFF in the declared encoding
        detail = f"feedparser could not read it: {type(error).__name__}: {_one_line(str(error))}"
        return _Failure(RejectionReason.MALFORMED, detail)
    problem = None
    if parsed.get("bozo"):
        problem = _problem(parsed.get("bozo_exception"), data, parsed.get("encoding"))
    if not parsed.get("version"):
        root = _root_name(_sniff_text(data))
        if root is not None:
            detail = f"not an RSS, Atom or JSON feed: the root element is <{root}>"
        elif problem is not None:
            detail = f"not an RSS, Atom or JSON feed: {problem}"
        else:
            detail = "not an RSS, Atom or JSON feed"
        return _Failure(RejectionReason.UNSUPPORTED_FORMAT, detail)
    channel = parsed.get("feed") or {}
    return _Feed(
        title=_title(channel.get("title"), channel.get("title_detail")),
        link=_string(channel.get("link")),
        problem=problem,
        items=tuple(parsed.get("entries") or ()),
        read_entry=_feedparser_entry,
    )


def _feedparser_entry(entry: object) -> _Entry | _Failure:
    if not isinstance(entry, dict):
        return _Failure(RejectionReason.MALFORMED, "the entry is not a mapping")
    # A plain dict: feedparser's own answers "updated" with the publication date
    # (and a DeprecationWarning) when an entry has none.
    raw = dict(entry)
    stamps = []
    for key in ("published", "updated"):
        value = _string(raw.get(key))
        if value is not None:
            parsed = raw.get(f"{key}_parsed")
            stamps.append(_Stamp(value, parsed if isinstance(parsed, time.struct_time) else None))
    names: list[str | None] = []
    for person in raw.get("authors") or ():
        if isinstance(person, Mapping):
            names.append(_string(person.get("name")) or _string(person.get("email")))
    if not names:
        names.append(_string(raw.get("author")))
    contents = []
    for content in raw.get("content") or ():
        if isinstance(content, Mapping) and (value := _string(content.get("value"))):
            contents.append(_Body(value, _is_html(content.get("type"))))
    summary = _string(raw.get("summary"))
    detail = raw.get("summary_detail")
    summary_type = detail.get("type") if isinstance(detail, Mapping) else None
    return _Entry(
        id=_string(raw.get("id")),
        url=_string(raw.get("link")),
        title=_title(raw.get("title"), raw.get("title_detail")),
        stamps=tuple(stamps),
        authors=_unique(names),
        contents=tuple(contents),
        summary=None if summary is None else _Body(summary, _is_html(summary_type)),
    )


def _parse_json_feed(data: bytes) -> _Feed | _Failure:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        detail = f"not UTF-8 text (byte 0x{data[error.start]:02x} at {error.start})"
        return _Failure(RejectionReason.UNDECODABLE, detail)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        detail = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        return _Failure(RejectionReason.MALFORMED, detail)
    except RecursionError:
        return _Failure(RejectionReason.MALFORMED, "JSON nested too deeply to read")
    except ValueError as error:  # an integer longer than Python's int-string limit
        return _Failure(RejectionReason.MALFORMED, f"a JSON number could not be read: {error}")
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(_JSON_FEED_VERSIONS):
        detail = "JSON, but not a JSON Feed (no \"version\" 'https://jsonfeed.org/version/...')"
        return _Failure(RejectionReason.UNSUPPORTED_FORMAT, detail)
    items = document.get("items")
    problem = None
    if not isinstance(items, list):
        got = "missing" if items is None else f"a {type(items).__name__}"
        problem = f'the JSON Feed\'s "items" must be a list, got {got}'
        items = []
    title = _string(document.get("title"))
    return _Feed(
        title=None if title is None else _one_line(title),
        link=_string(document.get("home_page_url")) or _string(document.get("feed_url")),
        problem=problem,
        items=tuple(items),
        read_entry=_json_feed_entry,
    )


def _json_feed_entry(raw: object) -> _Entry | _Failure:
    if not isinstance(raw, dict):
        detail = f"a JSON Feed item must be an object, got {type(raw).__name__}"
        return _Failure(RejectionReason.MALFORMED, detail)
    identifier = raw.get("id")
    if isinstance(identifier, int | float) and not isinstance(identifier, bool):
        identifier = str(identifier)
    people = raw.get("authors")
    if not isinstance(people, list):
        people = [raw.get("author")]  # JSON Feed 1.0: one author object
    names = [_string(p.get("name")) for p in people if isinstance(p, dict)]
    contents = []
    for key, is_html in (("content_html", True), ("content_text", False)):
        if value := _string(raw.get(key)):
            contents.append(_Body(value, is_html))
    summary = _string(raw.get("summary"))
    title = _string(raw.get("title"))
    stamps = (_string(raw.get("date_published")), _string(raw.get("date_modified")))
    return _Entry(
        id=_string(identifier),
        url=_string(raw.get("url")) or _string(raw.get("external_url")),
        title=None if title is None else _one_line(title),
        stamps=tuple(_Stamp(stamp) for stamp in stamps if stamp is not None),
        authors=_unique(names),
        contents=tuple(contents),
        summary=None if summary is None else _Body(summary, is_html=False),
    )


def _article(entry: _Entry, item: str, source: str, max_text_chars: int) -> Article | Rejection:
    text, partial = "", False
    for body in entry.contents:
        text = _body_text(body)
        if text:
            break
    if not text and entry.summary is not None:
        text, partial = _body_text(entry.summary), True
    if not text:
        if entry.contents or entry.summary is not None:
            detail = "the entry's content and summary have no text once markup is removed"
        else:
            detail = "the entry has neither content nor a summary"
        return _reject(item, RejectionReason.NO_MAIN_TEXT, detail)
    if len(text) > max_text_chars:
        detail = f"text of {len(text)} characters is over the limit of {max_text_chars}"
        return _reject(item, RejectionReason.OVERSIZED, detail)
    fields: dict[str, str | None] = {"text": text, "title": entry.title, "id": entry.id}
    fields |= {"link": entry.url} | {f"author {n}": a for n, a in enumerate(entry.authors, 1)}
    if (problem := _not_unicode(fields)) is not None:
        return _reject(item, RejectionReason.UNDECODABLE, problem)
    published = next(filter(None, map(_day, entry.stamps)), None)
    if published is None and entry.stamps:
        shown = " / ".join(f"'{_one_line(stamp.raw)}'" for stamp in entry.stamps)
        return _reject(item, RejectionReason.BAD_DATE, f"date {shown} could not be read")
    return Article(
        id=entry.id or entry.url or item,
        text=text,
        source=source,
        origin=item,
        title=entry.title,
        url=entry.url,
        published=published,
        authors=entry.authors,
        partial=partial,
    )


def _body_text(body: _Body) -> str:
    if body.is_html:
        return _html_text(body.value)
    return _tidy(body.value.replace("\r\n", "\n").replace("\r", "\n"))


def _html_text(markup: str) -> str:
    """Plain text of an HTML fragment: a paragraph per block element, blank lines between."""
    markup = _NON_XML_CHARS.sub("", markup)
    if not markup.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):  # nothing an HTML parser can build a tree from
        return ""
    chunks: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event in ("comment", "pi"):
            chunks.append(_spaced(element.tail))
        elif event == "start":
            tag = element.tag
            if tag in _DROPPED_TAGS:
                walker.skip_subtree()  # its "end" event still comes, with the tail
            elif tag == "br":
                chunks.append("\n")
            else:
                chunks.append("\n\n" if tag in _BLOCK_TAGS else "")
                chunks.append(_spaced(element.text))
        else:
            chunks.append("\n\n" if element.tag in _BLOCK_TAGS else "")
            if element is not root:
                chunks.append(_spaced(element.tail))
    return _tidy("".join(chunks))


def _spaced(text: str | None) -> str:
    """HTML text as it renders: every run of whitespace, newlines too, one space."""
    return _WHITESPACE.sub(" ", text) if text else ""


def _tidy(text: str) -> str:
    """Lines with single spaces, no blank lines but one between paragraphs."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _day(stamp: _Stamp) -> dt.date | None:
    """The day of a date as written, else feedparser's UTC reading of it, else None."""
    raw = stamp.raw.strip()
    try:
        return dt.datetime.fromisoformat(raw).date()
    except ValueError:
        pass
    rfc822 = email.utils.parsedate_tz(raw)
    parts = None if rfc822 is None else (rfc822[0], rfc822[1], rfc822[2])
    if parts is None and (match := _DAY_MONTH_YEAR.search(raw)) is not None:
        month = _MONTHS.get(match.group(2)[:3].casefold())
        parts = None if month is None else (int(match.group(3)), month, int(match.group(1)))
    if parts is None and stamp.utc is not None:
        parts = (stamp.utc.tm_year, stamp.utc.tm_mon, stamp.utc.tm_mday)
    if parts is None:
        return None
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _title(value: object, detail: object) -> str | None:
    text = _string(value)
    if text is None:
        return None
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    if _is_html(kind):
        text = _html_text(text)
    return _one_line(text) or None


def _is_html(kind: object) -> bool:
    """Whether a feedparser content type is markup (anything but plain text)."""
    return not (isinstance(kind, str) and kind.lower() in _PLAIN_TYPES)


def _string(value: object) -> str | None:
    """A non-blank string, stripped; None for anything else."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _unique(names: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_one_line(name) for name in names if name))


def _not_unicode(fields: Mapping[str, str | None]) -> str | None:
    """Why one of the fields is not Unicode text (JSON can hold a lone surrogate), or None."""
    for name, value in fields.items():
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError as error:
            assert value is not None
            return (
                f"the {name} holds a lone surrogate (U+{ord(value[error.start]):04X} "
                f"at character {error.start}), which is not Unicode text"
            )
    return None


def _host(link: str | None) -> str | None:
    if link is None:
        return None
    try:
        return urlsplit(link).hostname or None
    except ValueError:
        return None


def _problem(error: object, data: bytes, encoding: object) -> str:
    """What feedparser flagged, in one line."""
    if isinstance(error, xml.sax.SAXParseException):
        message = f"not well-formed XML: {error.getMessage()}"
        # feedparser parses a copy: with an XML declaration put in front (one more line)
        # when the input had none, and with the DOCTYPE rewritten (lines lost); a line
        # number is given only when it can be mapped back to the input.
        line, column = error.getLineNumber(), error.getColumnNumber()
        if line is None or column is None or b"<!DOCTYPE" in data[:_SNIFF_CHARS]:
            return message
        line -= 0 if data.startswith(b"<?xml") else 1
        return f"{message} at line {line}, column {column}"
    if isinstance(error, feedparser.CharacterEncodingOverride):
        return f"not in its declared encoding (UTF-8 if none is declared): read as {encoding}"
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {_one_line(str(error))}"
    return "flagged by feedparser without a reason"


def _sniff_text(data: bytes) -> str:
    """The start of ``data`` as text, good enough to find its root element."""
    head = data[:_SNIFF_CHARS]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _root_name(text: str) -> str | None:
    """The root element's name, past the XML declaration, comments and DOCTYPE."""
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if text.startswith("<?", at):
            end = text.find("?>", at)
            at = -1 if end < 0 else end + 2
        elif text.startswith("<!--", at):
            end = text.find("-->", at)
            at = -1 if end < 0 else end + 3
        elif text.startswith("<!", at):  # DOCTYPE, perhaps with an internal subset in [...]
            close = text.find(">", at)
            subset = text.find("[", at)
            if 0 <= subset < close:
                close = text.find(">", text.find("]", subset))
            at = -1 if close < 0 else close + 1
        elif text.startswith("<", at):
            match = _XML_NAME.match(text, at + 1)
            return None if match is None else match.group()
        else:
            return None
        if at < 0:
            return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reject(item: str, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(item=item, reason=reason, detail=detail)
