"""Web pages: the bytes of an HTML page -> an :class:`~storyline.model.Article` or a rejection.

Input: a page's bytes (from a file, a crawl record or an HTTP response) with what the caller
knows of it: the URL it was fetched from, the day it was fetched, the charset of the HTTP
header. Output: one article (main text, title, publication date, authors, canonical URL,
outlet) or one :class:`~storyline.model.Rejection`; nothing raises out.

Decoding follows the order of the WHATWG encoding sniffing algorithm (HTML Living Standard,
13.2.3.2): a byte-order mark (first, as in the standard: it cannot be there by accident); else
the charset the caller was given (an HTTP header); else the page's own declaration (``<meta
charset>``, ``<meta http-equiv="Content-Type">``, an XML declaration) found by a prescan of its
head; else detection. Labels are read as browsers read them (``iso-8859-1`` and ``us-ascii``
decode as windows-1252; a ``<meta>`` naming UTF-16 means UTF-8). A declared charset that is
unknown or that the bytes do not decode with is passed over, not trusted. Detection: bytes with
a NUL are binary (``undecodable``); bytes that decode as strict UTF-8 are UTF-8 (non-ASCII
bytes that happen to form valid UTF-8 are vanishingly rare in other charsets; WHATWG's and
trafilatura's detectors start the same way); else charset-normalizer, whose near-ties on short
pages go to the charset the web uses most (French in latin-1 ranks cp1257 first otherwise).
UTF-8 is never assumed.

Extraction is trafilatura's (Barbaresi, ACL 2021 demos), offline, on the tree parsed once:
:func:`trafilatura.bare_extraction` with metadata (htmldate for the date, Barbaresi, JOSS 2020)
and without comments. Its options were chosen by measurement on ``benchmarks/html/fundus_en``
(``storyline eval extraction`` and ``bench/bench_extraction.py``; the table is in
``bench/README.md``): the balanced default beat ``favor_precision``, ``favor_recall`` and
``fast``; tables make no difference; ``deduplicate`` is left off because trafilatura keeps its
duplicate cache at module level, across pages. On top of trafilatura:

- text: trafilatura's lines (one paragraph, heading or list item each) become paragraphs
  separated by a blank line, as in the project's text format; a first line that repeats a
  headline is dropped (the title is stored apart); a text without one line of prose (8 words,
  or 50 letters) is a menu or a label, and a text under 40 words (240 letters) a notice or a
  caption, not an article: ``no-main-text``;
- title: the headline most of the page's sources agree on, each voting once: the article's
  JSON-LD ``headline``, its ``<h1>``, and the meta titles (``og:title``, ``twitter:title``,
  ``<title>``, one vote between them, being one field copied thrice), each read without a
  trailing `` | Site`` part (a separator followed, within 8 words, by the site's name or host)
  and without a leading ``Site | `` part (not ``Site: ``, which is also how a headline
  quotes a speaker or names a place); ties go to that order. The site's names
  are all those the page declares (``og:site_name``, the JSON-LD publisher, a ``WebSite``'s
  name; trafilatura keeps one of them) and its host's labels; a text that is only the site's
  name (a logo in an ``<h1>``) does not vote; an entity reference left after parsing (a title
  escaped twice, ``&amp;#8217;``) is decoded. These rules change no page of fundus_en (which
  has no such page); they are there for the pages that have them. The vote's misses on
  fundus_en are pages that carry two headlines where the gold took the other
  (``bench/README.md``). trafilatura's own title (``og:title`` first, site name kept) is the
  alternative measured;
- date: htmldate's original publication date, no later than the day after ``fetched`` (a page
  is not published after it was fetched; a day of slack for time zones), from the page's
  markup (meta, JSON-LD, ``<time>``, date elements, URL) but without htmldate's extensive
  search of the free text, which scored the same on fundus_en and guesses January 1st from a
  bare year. ``fetched`` is not a
  fallback publication date: for a page fetched long after it appeared (an archive, a backfill)
  it would be wrong, and a wrong date misplaces an article on a timeline where a missing one
  only leaves it off. Undated pages stay undated;
- authors: trafilatura's ``"A; B"`` as a tuple, once each, without the pieces of a URL;
- url: the canonical URL (trafilatura: ``og:url``, JSON-LD, ``<link rel=canonical>``), else the
  ``url`` given; a canonical that is a site's home page while the given URL has a path is a
  template error, and the given URL is kept;
- id: from the URL when there is one, ``host-path-words-hash``: the host without ``www.``, the
  path's words joined by ``-`` and cut to 60 characters, and 8 hex digits of the URL's SHA-256
  so that two URLs do not share an id. Readable, and the same each time the page is read;
  without a URL, the file name of ``origin`` without ``.html``/``.htm``/``.gz``, as for the
  other formats;
- source: trafilatura's site name (``og:site_name``, JSON-LD publisher, else from the URL),
  else the URL's host, else the file name.

Rejections: ``undecodable``; ``not-html`` (text without markup); ``no-main-text`` (the detail
says whether the page had visible text at all, or only menus); ``oversized`` (text over
``max_text_chars``); ``processing-error`` (the parser failed). :func:`read_html_file` reads
``.html``/``.htm`` files and their gzip (``.html.gz``, ``.htm.gz``, or any of them starting with
the gzip magic): a corrupt or truncated gzip is ``malformed``; a file, or its content once
decompressed, over ``max_file_bytes`` is ``oversized``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import html
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import SplitResult, urlsplit

import charset_normalizer
import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from storyline.ingest._gzip import GZIP_MAGIC, inflate
from storyline.model import Article, Rejection, RejectionReason

__all__ = ["HTML_SUFFIXES", "ExtractionOptions", "read_html_file", "read_page"]

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# How far into the page the prescan looks for a declaration: the head of real pages can hold
# tens of kilobytes of inline script before their <meta charset>; the prescan stops at <body.
_PRESCAN_BYTES = 256 * 1024
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"\A<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)")
_BODY_TAG = re.compile(rb"<body\b", re.IGNORECASE)
# WHATWG Encoding Standard labels whose decoder differs from Python's codec of the same name.
_WHATWG_LABELS = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}
_UTF16 = frozenset({"utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be"})
# charset-normalizer ranks by "chaos" (how much of the decoded text looks like mojibake); on
# short pages several single-byte charsets tie (French in latin-1 ranks cp1257 first). Among
# those within this much of the least chaos, the one the web uses most is the better bet:
# legacy charsets by their share of web pages (W3Techs, 2024), windows-1252 first.
_NEAR_CHAOS = 0.02
_WEB_PRIOR = {
    name: rank
    for rank, name in enumerate(
        (
            "cp1252",
            "cp1251",
            "cp932",
            "shift_jis",
            "euc_jp",
            "cp1250",
            "gb18030",
            "gb2312",
            "euc_kr",
            "cp1254",
            "big5",
            "cp1256",
            "iso8859_2",
            "iso8859_15",
            "cp1253",
            "cp1255",
            "koi8_r",
            "cp874",
            "cp1257",
        )
    )
}
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_SEPARATOR = re.compile(r"\s+(?:[|*·•»:]{1,2}|[-–—])\s+")
_SLUG_WORD = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_URL_WORDS = frozenset({"http", "https", "www"})
_GENERIC_LABELS = frozenset({"www", "com", "org", "net", "co", "news", "edition", "amp", "m"})
# Words around a site's name in a title or a logo heading that do not name it (``The``,
# ``News``, ``Online``, the domain of ``Express.co.uk``).
_SITE_FILLER = frozenset({"the", "news", "online", "www", "com", "co", "uk", "net", "org"})
_ORGANIZATION_TYPES = frozenset({"newsmediaorganization", "website"})
# An entity reference left in a text once the parser has decoded the markup: the page escaped
# it twice (``&amp;#8217;`` in its source).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A page's text must hold one line of prose: menus and labels are shorter (fundus_en's
# shortest longest paragraph has 25 words).
_PROSE_WORDS = 8
_PROSE_CHARACTERS = 50
# ... and a news article holds more than a notice: fundus_en's shortest body has 119 words;
# a page left with a cookie notice or a caption (about 20 words) is not an article.
_ARTICLE_WORDS = 40
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg"})
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "webpage",
    }
)


TitleRule = Literal["headline", "trafilatura"]
_TITLE_RULES: tuple[TitleRule, ...] = ("headline", "trafilatura")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractionOptions:
    """How a page is extracted: trafilatura's options (as :func:`trafilatura.bare_extraction`
    names them), htmldate's ``original_date`` and ``extensive_search``, and the title rule
    (``"headline"``, the vote of the module docstring, or ``"trafilatura"``, its metadata title
    as it comes).

    The defaults are the settings measured best on fundus_en (``bench/README.md``).
    """

    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    fast: bool = False
    original_date: bool = True
    extensive_date_search: bool = False
    title: TitleRule = "headline"

    def __post_init__(self) -> None:
        if self.title not in _TITLE_RULES:
            raise ValueError(
                f"The 'title' parameter of ExtractionOptions must be one of "
                f"{', '.join(_TITLE_RULES)}. Got {self.title!r} instead."
            )
        if self.favor_precision and self.favor_recall:
            raise ValueError(
                "The 'favor_precision' and 'favor_recall' parameters of ExtractionOptions "
                "exclude each other. Got both True instead."
            )


@dataclass(frozen=True, slots=True)
class _Failure:
    reason: RejectionReason
    detail: str


def read_page(
    data: bytes,
    *,
    origin: str,
    url: str | None = None,
    fetched: dt.date | None = None,
    charset: str | None = None,
    max_text_chars: int = 2_000_000,
    options: ExtractionOptions | None = None,
) -> Article | Rejection:
    """The article of the HTML page ``data``, or why there is none.

    ``origin`` names the item (a path, ``path:offset``...); ``url`` is where the page was
    fetched from, ``fetched`` the day it was, ``charset`` the charset of its HTTP header.
    """
    options = options or ExtractionOptions()
    if not data.strip():
        return _reject(origin, RejectionReason.NO_MAIN_TEXT, "the page is empty")
    decoded = _decode(data, charset)
    if isinstance(decoded, _Failure):
        return _reject(origin, decoded.reason, decoded.detail)
    try:
        return _extract(
            decoded,
            origin=origin,
            url=url,
            fetched=fetched,
            options=options,
            max_text_chars=max_text_chars,
        )
    except Exception as error:  # a third-party parser failing on one page must not stop the run
        detail = f"the HTML parser failed: {type(error).__name__}: {error}"
        return _reject(origin, RejectionReason.PROCESSING_ERROR, detail[:300])


def read_html_file(
    path: Path, *, origin: str, max_file_bytes: int, max_text_chars: int
) -> Article | Rejection:
    """The article of an ``.html``/``.htm`` file or of its gzip (``.html.gz``, ``.htm.gz``)."""
    name = path.name.lower()
    if not name.endswith(HTML_SUFFIXES):
        detail = f"'{path.name}' is not an .html, .htm, .html.gz or .htm.gz file"
        return _reject(origin, RejectionReason.UNSUPPORTED_FORMAT, detail)
    data = _read_bytes(path, origin=origin, max_bytes=max_file_bytes)
    if isinstance(data, Rejection):
        return data
    if name.endswith(".gz") or data.startswith(GZIP_MAGIC):
        data = inflate(data, origin=origin, max_bytes=max_file_bytes)
        if isinstance(data, Rejection):
            return data
    return read_page(data, origin=origin, max_text_chars=max_text_chars)


# --- decoding ----------------------------------------------------------------------------


def _decode(data: bytes, charset: str | None) -> str | _Failure:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                return _undecodable(encoding, error, "its byte-order mark")
    if charset is not None:
        text = _decode_declared(data, charset, from_meta=False)
        if text is not None:
            return text
    declared = _declared_charset(data)
    if declared is not None:
        text = _decode_declared(data, declared, from_meta=True)
        if text is not None:
            return text
    return _detect(data)


def _decode_declared(data: bytes, label: str, *, from_meta: bool) -> str | None:
    codec = _codec(label, from_meta=from_meta)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _codec(label: str, *, from_meta: bool) -> str | None:
    """Python's codec for the charset label ``label`` as browsers read it, or None."""
    name = label.strip().strip("\"'").lower().replace("_", "-")
    if from_meta and name in _UTF16:
        return "utf-8"  # the prescan read the declaration as ASCII: the page is not UTF-16
    name = _WHATWG_LABELS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared_charset(data: bytes) -> str | None:
    head = data[:_PRESCAN_BYTES]
    xml = _XML_ENCODING.match(head)
    if xml is not None:
        return xml.group(1).decode("ascii")
    body = _BODY_TAG.search(head)
    if body is not None:
        head = head[: body.start()]
    meta = _META_CHARSET.search(head)
    return None if meta is None else meta.group(1).decode("ascii")


def _detect(data: bytes) -> str | _Failure:
    nul = data.find(b"\x00")
    if nul >= 0:
        detail = f"binary content (NUL byte at offset {nul}) and no charset declared"
        return _Failure(RejectionReason.UNDECODABLE, detail)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        detail = "no charset declared and none detected (charset-normalizer found no fit)"
        return _Failure(RejectionReason.UNDECODABLE, detail)
    least = min(match.chaos for match in matches)
    near = [match.encoding for match in matches if match.chaos <= least + _NEAR_CHAOS]
    encoding = min(near, key=lambda name: _WEB_PRIOR.get(name, len(_WEB_PRIOR)))
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        return _Failure(RejectionReason.UNDECODABLE, f"detected {encoding} fails: {error}")


def _undecodable(encoding: str, error: UnicodeDecodeError, why: str) -> _Failure:
    detail = (
        f"not {encoding} as {why} says (byte 0x{error.object[error.start]:02x} at {error.start})"
    )
    return _Failure(RejectionReason.UNDECODABLE, detail)


# --- extraction --------------------------------------------------------------------------


def _extract(
    page: str,
    *,
    origin: str,
    url: str | None,
    fetched: dt.date | None,
    options: ExtractionOptions,
    max_text_chars: int,
) -> Article | Rejection:
    tree = load_html(page)
    if tree is None:
        detail = "not an HTML document (no <html> tag and no markup to parse)"
        return _reject(origin, RejectionReason.NOT_HTML, detail)
    url = url if _split(url) is not None else None  # an unparseable URL is no URL
    latest = (fetched or dt.date.today()) + dt.timedelta(days=1)
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        include_tables=options.include_tables,
        fast=options.fast,
        date_extraction_params={
            "original_date": options.original_date,
            "extensive_search": options.extensive_date_search,
            "max_date": latest.isoformat(),
        },
    )
    document = result if isinstance(result, Document) else None
    paragraphs = _paragraphs(document.text if document is not None else None)
    if document is None or not paragraphs:
        words = _visible_words(tree)
        detail = (
            f"trafilatura found no main text among the page's {words} words of visible text"
            if words
            else "the page has no visible text"
        )
        return _reject(origin, RejectionReason.NO_MAIN_TEXT, detail)
    if not any(map(_is_prose, paragraphs)):
        longest = max(paragraphs, key=len)
        detail = (
            f"no main text: trafilatura kept only {len(paragraphs)} short line(s) such as menus, "
            f"labels or links, the longest '{longest[:60]}'"
        )
        return _reject(origin, RejectionReason.NO_MAIN_TEXT, detail)
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    if words < _ARTICLE_WORDS and sum(map(len, paragraphs)) < _ARTICLE_WORDS * 6:
        detail = (
            f"no main text: {words} words, fewer than an article's {_ARTICLE_WORDS} "
            f"(such as a notice or a caption): '{paragraphs[0][:60]}'"
        )
        return _reject(origin, RejectionReason.NO_MAIN_TEXT, detail)
    canonical = _canonical_url(document.url, url)
    json_ld = _json_ld(tree)
    sources = _title_sources(tree, json_ld)
    if options.title == "headline":
        names = (document.sitename, *_declared_site_names(tree, json_ld))
        title = _headline(sources, _site(names, canonical))
    else:
        title = _clean(document.title)
    headlines = {_fold(text) for texts in sources for text in texts} | {_fold(title or "")}
    if len(paragraphs) > 1 and _fold(paragraphs[0]) in headlines:
        paragraphs = paragraphs[1:]  # the headline repeated as the first line of the text
    text = "\n\n".join(paragraphs)
    if len(text) > max_text_chars:
        detail = f"text of {len(text)} characters is over the limit of {max_text_chars}"
        return _reject(origin, RejectionReason.OVERSIZED, detail)
    return Article(
        id=_article_id(canonical, origin),
        text=text,
        source=_clean(document.sitename) or _host(canonical) or _origin_name(origin),
        origin=origin,
        title=title or _clean(document.title),
        url=canonical,
        published=_date(document.date),
        authors=_authors(document.author),
    )


def _paragraphs(text: str | None) -> list[str]:
    """The lines of trafilatura's text (one paragraph, heading or list item each)."""
    if not text:
        return []
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line]


def _is_prose(paragraph: str) -> bool:
    """Whether a line reads as a sentence rather than a menu item or label: at least 8 words,
    or 50 letters for the scripts written without spaces."""
    words = paragraph.split()
    return len(words) >= _PROSE_WORDS or sum(map(len, words)) >= _PROSE_CHARACTERS


def _visible_words(tree: HtmlElement) -> int:
    words = 0
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in _INVISIBLE and element.text:
            words += len(element.text.split())
        parent = element.getparent()
        if element.tail and (parent is None or parent.tag not in _INVISIBLE):
            words += len(element.tail.split())
    return words


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _authors(value: str | None) -> tuple[str, ...]:
    """trafilatura's ``"A; B"`` as names, once each (``Chuck-Ross`` is ``Chuck Ross``), without
    the pieces of a URL that a page gave as its author."""
    if not value:
        return ()
    names: dict[str, str] = {}
    for piece in value.split(";"):
        name = " ".join(piece.split())
        words = _SLUG_WORD.findall(name.casefold())
        if not words or _URL_WORDS.intersection(words):
            continue
        names.setdefault(" ".join(words), name)
    return tuple(names.values())


# --- title -------------------------------------------------------------------------------


def _headline(sources: list[list[str]], site: _Site) -> str | None:
    """The headline that most title sources give, each source voting once.

    ``sources`` are, in order, JSON-LD headlines, ``<h1>`` texts, and the meta titles
    (``og:title``, ``twitter:title``, ``<title>``), which vote together: they are usually one
    field of the publisher's system copied three times. Site names are cut off first; a text
    that is only the site's name (a logo in an ``<h1>``, the ``<title>`` of a bare template)
    does not vote; a tie goes to the earlier source.
    """
    meta = [text for texts in sources[2:] for text in texts]
    votes: dict[str, set[int]] = {}
    for index, texts in enumerate((*sources[:2], meta)):
        for text in texts:
            if not _is_site_name(text, site):
                votes.setdefault(_without_site(text, site), set()).add(index)
    if not votes:
        return None
    order = {key: rank for rank, key in enumerate(votes)}
    return max(votes, key=lambda key: (len(votes[key]), -order[key]))


def _fold(text: str) -> str:
    return text.translate(_QUOTES).casefold()


def _without_site(text: str, site: _Site) -> str:
    """``text`` without a leading ``Site | `` (the part before the first separator is only the
    site's name) and without a trailing `` | Site`` (with the segments after it, and a section
    before it): cut at the first separator after which, within 8 words, the site is named."""
    if not site.names:
        return text
    first = _SEPARATOR.search(text)
    if first is not None and _is_site_name(text[: first.start()], site):
        rest = text[first.end() :].strip()
        if len(rest.split()) >= 2:
            text = rest
    for match in _SEPARATOR.finditer(text):
        rest = text[match.end() :]
        if len(rest.split()) > 8:
            continue
        squashed = _squash(rest)
        if any(name in squashed for name in site.names):
            head = text[: match.start()].strip()
            return head if len(head.split()) >= 2 else text
    return text


def _squash(text: str) -> str:
    return "".join(_SLUG_WORD.findall(text.casefold()))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Site:
    """The site's names, squashed (``thetimesofindia``), which a title's suffix contains, and
    their keys without filler words (``timesofindia``), which a text naming only the site has."""

    names: tuple[str, ...]
    keys: frozenset[str]


def _site_key(text: str) -> str:
    words = _SLUG_WORD.findall(text.casefold())
    return "".join(word for word in words if word not in _SITE_FILLER)


def _is_site_name(text: str, site: _Site) -> bool:
    """Whether ``text`` names the site and nothing else (``The Daily Planet``, ``BBC News``,
    ``Express.co.uk``): its words but ``The``, ``News``, ``Online`` and domain endings are
    those of one of the site's names."""
    key = _site_key(text)
    return len(key) >= 3 and (key in site.keys or _squash(text) in site.names)


def _site(sitenames: tuple[str | None, ...], url: str | None) -> _Site:
    """The site of a page: the names it declares (trafilatura's site name, ``og:site_name``,
    the JSON-LD publisher) and its host's labels (``timesofindia``...)."""
    declared = [sitename for sitename in sitenames if sitename]
    host = _host(url)
    labels = [
        label
        for label in (host.split(".")[:-1] if host else [])
        if len(label) >= 3 and label not in _GENERIC_LABELS
    ]
    names = [_squash(sitename) for sitename in declared] + labels
    keys = [_site_key(sitename) for sitename in declared] + labels
    return _Site(
        names=tuple(
            dict.fromkeys(name for name in names if len(name) >= 3 and name not in _GENERIC_LABELS)
        ),
        keys=frozenset(key for key in keys if len(key) >= 3 and key not in _GENERIC_LABELS),
    )


def _declared_site_names(tree: HtmlElement, json_ld: list[Any]) -> list[str]:
    """The names a page gives its site: ``og:site_name``, and in JSON-LD the publisher of any
    item and the name of a ``WebSite`` or ``NewsMediaOrganization``."""
    names = [
        str(content)
        for content in tree.xpath(
            '//meta[@property="og:site_name" or @name="og:site_name"]/@content'
        )
    ]
    for item in _json_ld_items(json_ld, depth=0):
        if _has_type(item, _ORGANIZATION_TYPES):
            names.extend(_names_of(item))
        publisher = item.get("publisher")
        for organization in publisher if isinstance(publisher, list) else [publisher]:
            if isinstance(organization, dict):
                names.extend(_names_of(organization))
    return [cleaned for name in names if (cleaned := _clean(_unescaped(name)))]


def _names_of(item: dict[str, Any]) -> Iterator[str]:
    for key in ("name", "alternateName"):
        value = item.get(key)
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str):
                yield name


def _has_type(data: dict[str, Any], types: frozenset[str]) -> bool:
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.lower() in types for kind in kinds)


def _unescaped(text: str) -> str:
    """``text`` with the entity references that survived parsing decoded (a page that escaped
    its title twice): lxml has decoded the markup's own."""
    return html.unescape(text) if _ENTITY.search(text) else text


def _title_sources(tree: HtmlElement, json_ld: list[Any]) -> list[list[str]]:
    """Title texts by source, in order of trust: JSON-LD, <h1>, og, twitter, <title>."""

    def meta(attribute: str, value: str) -> list[str]:
        return [
            str(content)
            for content in tree.xpath(f"//meta[@{attribute}=$value]/@content", value=value)
        ]

    headings = [element.text_content() for element in tree.iter("h1")]
    titles = [str(tree.xpath("string((//head/title)[1])"))]
    sources = [
        [
            # entities, which JSON in a <script> may hold, are decoded below
            item["headline"]
            for item in _json_ld_items(json_ld, depth=0)
            if isinstance(item.get("headline"), str) and _has_type(item, _ARTICLE_TYPES)
        ],
        headings,
        meta("property", "og:title") or meta("name", "og:title"),
        meta("name", "twitter:title") or meta("property", "twitter:title"),
        titles,
    ]
    return [
        [cleaned for text in texts if (cleaned := _clean(_unescaped(text)))] for texts in sources
    ]


def _json_ld(tree: HtmlElement) -> list[Any]:
    """The parsed JSON-LD blocks of the page; a block that does not parse is left out."""
    blocks = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            blocks.append(json.loads(script.text_content()))
        except (ValueError, RecursionError):
            continue
    return blocks


def _json_ld_items(data: Any, *, depth: int) -> Iterator[dict[str, Any]]:
    """Every object of the JSON-LD ``data`` that may describe the page: the top ones, those of
    lists and ``@graph``, and the ``mainEntity`` or ``mainEntityOfPage`` of each."""
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_items(item, depth=depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _json_ld_items(data[key], depth=depth + 1)


# --- url, id and source ------------------------------------------------------------------


def _canonical_url(found: str | None, given: str | None) -> str | None:
    """The page's own URL if it is usable, else the one given."""
    given_parts = _split(given)
    found_parts = _split(found)
    if found_parts is None or found_parts.scheme not in ("http", "https"):
        return given
    if given_parts is not None and given_parts.path.strip("/") and not found_parts.path.strip("/"):
        return given  # a canonical home page on an article: a template error
    return found


def _split(url: str | None) -> SplitResult | None:
    if not url:
        return None
    try:
        return urlsplit(url)
    except ValueError:  # an unbalanced IPv6 bracket and the like
        return None


def _host(url: str | None) -> str | None:
    parts = _split(url)
    if parts is None:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host or None


def _article_id(url: str | None, origin: str) -> str:
    if url is None:
        return _origin_name(origin)
    parts = _split(url)
    host = _host(url) or ""
    words = _SLUG_WORD.findall(parts.path.lower() if parts else "")
    slug = "-".join(words)
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] if "-" in slug[:60] else slug[:60]
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return "-".join(part for part in (host, slug, digest) if part)


def _origin_name(origin: str) -> str:
    name = origin.replace("\\", "/").rsplit("/", 1)[-1]
    lowered = name.lower()
    for suffix in (".gz", ".html", ".htm"):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            name, lowered = name[: -len(suffix)], lowered[: -len(suffix)]
    return name or origin


# --- files -------------------------------------------------------------------------------


def _read_bytes(path: Path, *, origin: str, max_bytes: int) -> bytes | Rejection:
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        return _os_rejection(origin, error)
    try:
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return _reject(origin, RejectionReason.NOT_A_REGULAR_FILE, "not a regular file")
            if status.st_size > max_bytes:
                detail = f"{status.st_size} bytes is over the limit of {max_bytes}"
                return _reject(origin, RejectionReason.OVERSIZED, detail)
            return handle.read()
    except OSError as error:
        return _os_rejection(origin, error)


def _os_rejection(origin: str, error: OSError) -> Rejection:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return _reject(origin, RejectionReason.NOT_FOUND, "no such file or directory")
    return _reject(origin, RejectionReason.UNREADABLE, error.strerror or str(error))


def _reject(origin: str, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(item=origin, reason=reason, detail=detail)
