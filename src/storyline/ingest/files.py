"""Ingest: paths, directories and globs -> a :class:`~storyline.model.Corpus`.

Every input item ends either as an :class:`~storyline.model.Article` or as a
:class:`~storyline.model.Rejection` with its reason; one bad item never stops
the run. Items are files, or lines of a JSONL file, or elements of a JSON list.

Formats:

- ``text`` (``.txt``): the seeds' format, a first line `` date YYYY-MM-DD `` followed on
  the same line by the first paragraph, paragraphs separated by blank lines; or
  plain text without the header (then the article has no date).
- ``json`` (``.json``): one article object, or a list of them.
- ``jsonl`` (``.jsonl`` / ``.ndjson``): one article object a line.
- ``html`` (``.html``, ``.htm``, ``.xhtml``, gzip of either): a saved web page, its main
  text and metadata extracted (:mod:`storyline.ingest.html`).
- ``feed`` (``.xml``, ``.rss``, ``.atom``, ``.rdf``, a JSON Feed): each entry an article
  (:mod:`storyline.ingest.feeds`).
- ``crawl`` (``.warc``, ``.arc``, gzip of either): each HTML response an article
  (:mod:`storyline.ingest.warc`, then the page reader); read as a stream, so the file-size
  limit does not apply to it (a record-size limit does).

The format is read from the content first (:func:`sniff_format`: a gzip, WARC or ARC
header, a feed's root element or JSON Feed version, an HTML document, JSON), and from
the extension when the content does not say (plain text is read only from a ``.txt`` file or
a file with the seeds' date header); ``IngestConfig.format`` (``--format-hint``) forces one.
A URL given by two items (a page saved twice, a crawl record and a feed entry) keeps the
first full article; the other is ``duplicate-url`` (a feed entry with only a summary gives
way to the full page whichever comes first).

JSON field names are configurable (:class:`~storyline.config.FieldNames`).
Text must be UTF-8 (a BOM is allowed) and JSON strings must be Unicode (a lone
surrogate such as ``"\\ud800"`` is ``undecodable``); line endings are
normalised to ``\\n`` and character offsets everywhere refer to the stored text.

Nothing is lost: every path given, matched or found in a directory ends as
articles or rejections. A name that exists is read as that file even if it has
glob characters (``a[1].txt``). Directories are walked in sorted order,
following symbolic links; a FIFO, socket or device is ``not-a-regular-file``
and never opened for reading; a symlink cycle (or a link back to a directory
being walked) is ``symlink-loop``, a link to nothing ``dangling-symlink``, a
directory without entries ``empty-directory``, a JSON list without elements or
a JSONL file without lines ``no-articles``. A file reached twice (named twice,
through a link, or a hard link) is read once.
"""

from __future__ import annotations

import datetime as dt
import errno
import glob
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast
from urllib.parse import urlsplit

from storyline.config import IngestConfig, InputFormat
from storyline.ingest._gzip import GZIP_MAGIC, inflate
from storyline.ingest.feeds import looks_like_feed, read_feed
from storyline.ingest.html import read_page
from storyline.ingest.warc import looks_like_crawl, read_crawl
from storyline.model import Article, Corpus, Rejection, RejectionReason

__all__ = [
    "FileIngestor",
    "Format",
    "Ingestor",
    "InputItem",
    "default_shared_dir",
    "format_of_name",
    "labelled_article",
    "parse_date",
    "sniff_format",
    "url_key",
]

_DATE_HEADER = re.compile(r"\A[ \t]*date[ \t]+(\S+)[ \t]*")
_ISO_DATE = re.compile(
    r"\A(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\Z", re.ASCII
)
Format = InputFormat
_BY_SUFFIX: Mapping[str, Format] = {
    ".txt": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".warc": "crawl",
    ".arc": "crawl",
}
_SNIFF_BYTES = 65_536
# O_NONBLOCK: opening a FIFO that appeared after the walk must not wait for a writer.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_MISSING_ERRNOS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG})


class Ingestor(Protocol):
    """Reads input paths into a corpus of articles and rejections."""

    def ingest(self, paths: Sequence[str | Path]) -> Corpus: ...


def parse_date(value: str) -> dt.date | None:
    """Return the date of an ISO 8601 date or timestamp, or None if it is not one."""
    match = _ISO_DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class InputItem:
    """One input item before the checks across files: an article or a rejection."""

    origin: str
    article: Article | None = None
    rejection: Rejection | None = None


class FileIngestor:
    """Reads files, directories (recursively, sorted) and glob patterns."""

    def __init__(self, *, config: IngestConfig | None = None) -> None:
        self.config = config or IngestConfig()

    def ingest(self, paths: Sequence[str | Path]) -> Corpus:
        """The articles of ``paths`` and the rejected items, in the order they came."""
        return self.collect(self._items(self.expand(paths)))

    @staticmethod
    def expand(paths: Sequence[str | Path]) -> list[Path | Rejection]:
        """The files that ``paths`` name (directories walked, globs matched), in the order
        they are read, and a rejection in place of each path that names none."""
        return list(_expand(paths))

    def read(self, files: Sequence[Path | Rejection]) -> list[InputItem]:
        """The items of some of :meth:`expand`'s files, in order, before the checks across
        files (:meth:`collect`): so that the files of one run can be read in parts."""
        return list(self._items(files))

    def collect(self, items: Iterable[InputItem]) -> Corpus:
        """The corpus of the items of every file, in reading order: an id given twice and
        a URL given twice (the full page replacing a feed's summary of it) are rejected."""
        articles: dict[str, Article] = {}  # by id, in the order they came
        rejections: list[Rejection] = []
        first_origin: dict[str, str] = {}
        by_url: dict[str, str] = {}  # URL -> id of the article kept for it
        for item in items:
            if item.rejection is not None:
                rejections.append(item.rejection)
                continue
            assert item.article is not None
            article = item.article
            if article.id in first_origin:
                rejections.append(
                    _reject(
                        item.origin,
                        RejectionReason.DUPLICATE_ID,
                        f"id '{article.id}' was already used by {first_origin[article.id]}",
                    )
                )
                continue
            url = url_key(article.url)
            kept = articles.get(by_url.get(url, "")) if url else None
            if kept is not None:
                if not (kept.partial and not article.partial):
                    detail = f"URL {article.url} was already given by {kept.origin}"
                    rejections.append(_reject(item.origin, RejectionReason.DUPLICATE_URL, detail))
                    continue
                # the full page replaces a feed entry that held only its summary
                del articles[kept.id]
                detail = f"a summary of {article.url}, whose full text {article.origin} gave"
                rejections.append(_reject(kept.origin, RejectionReason.DUPLICATE_URL, detail))
            first_origin[article.id] = item.origin
            if url:
                by_url[url] = article.id
            articles[article.id] = article
        return Corpus(articles=tuple(articles.values()), rejections=tuple(rejections))

    def _items(self, files: Iterable[Path | Rejection]) -> Iterator[InputItem]:
        for path in files:
            if isinstance(path, Rejection):
                yield InputItem(origin=path.item, rejection=path)
                continue
            try:
                yield from self._read_file(path)
            except MemoryError:
                raise
            except Exception as error:  # a fault of ours must not stop the run: name the file
                detail = f"stage 'ingest': {type(error).__name__}: {error}"
                yield _rejected(_shown(path), RejectionReason.PROCESSING_ERROR, detail)

    def _read_file(self, path: Path) -> Iterator[InputItem]:
        origin = _shown(path)
        named = _format_of_name(path)
        hint = self.config.format
        if hint == "crawl" or (hint == "auto" and named == "crawl"):
            yield from self._from_crawl(path)  # streamed: no file-size limit
            return
        data = self._read_bytes(path)
        if isinstance(data, Rejection):
            yield InputItem(origin=origin, rejection=data)
            return
        chosen = _choose_format(hint, sniff_format(_head(data)), named)
        if chosen is None:
            yield _rejected(origin, RejectionReason.UNSUPPORTED_FORMAT, _unsupported(path))
            return
        if chosen == "crawl":
            yield from self._from_crawl(path)
            return
        if data.startswith(GZIP_MAGIC):
            unpacked = inflate(data, origin=origin, max_bytes=self.config.max_file_bytes)
            if isinstance(unpacked, Rejection):
                yield InputItem(origin=origin, rejection=unpacked)
                return
            data = unpacked
        limit = self.config.max_text_chars
        if chosen == "html":
            yield self._item(origin, read_page(data, origin=origin, max_text_chars=limit))
            return
        if chosen == "feed":
            for entry in read_feed(data, origin=origin, max_text_chars=limit):
                yield self._item(
                    entry.item if isinstance(entry, Rejection) else entry.origin, entry
                )
            return
        text = _decode(data)
        if not isinstance(text, str):
            yield _rejected(origin, RejectionReason.UNDECODABLE, text.detail)
        elif chosen == "text":
            yield self._from_text(path, text)
        elif chosen == "json":
            yield from self._from_json(path, text)
        else:
            yield from self._from_jsonl(path, text)

    def _from_crawl(self, path: Path) -> Iterator[InputItem]:
        """Each HTML response of a WARC or ARC file, through the page reader."""
        origin = _shown(path)
        for record in read_crawl(path, origin=origin):
            if isinstance(record, Rejection):
                yield InputItem(origin=record.item, rejection=record)
                continue
            page = read_page(
                record.body,
                origin=record.origin,
                url=record.url,
                fetched=record.date,
                charset=record.charset,
                max_text_chars=self.config.max_text_chars,
            )
            yield self._item(record.origin, page)

    def _item(self, origin: str, found: Article | Rejection) -> InputItem:
        if isinstance(found, Rejection):
            return InputItem(origin=found.item, rejection=found)
        return self._checked(origin, found)

    def _read_bytes(self, path: Path) -> bytes | Rejection:
        """The file's content, checking on the open file that it is regular and not too big."""
        try:
            descriptor = os.open(path, _READ_FLAGS)
        except OSError as error:
            return _path_error(path, error)
        try:
            with os.fdopen(descriptor, "rb") as handle:
                status = os.fstat(handle.fileno())
                if not stat.S_ISREG(status.st_mode):
                    return _not_regular(path, status.st_mode)
                if status.st_size > self.config.max_file_bytes:
                    detail = (
                        f"{status.st_size} bytes is over the limit of {self.config.max_file_bytes}"
                    )
                    return _reject(_shown(path), RejectionReason.OVERSIZED, detail)
                return handle.read()
        except OSError as error:
            return _path_error(path, error)

    def _from_text(self, path: Path, text: str) -> InputItem:
        origin = _shown(path)
        published: dt.date | None = None
        header = _DATE_HEADER.match(text)
        if header is not None:
            published = parse_date(header.group(1))
            if published is None:
                detail = f"date header '{header.group(1)}' is not a YYYY-MM-DD date"
                return _rejected(origin, RejectionReason.BAD_DATE, detail)
            text = text[header.end() :]
        stem = _shown(path.stem)
        article = Article(id=stem, text=text, source=stem, origin=origin, published=published)
        return self._checked(origin, article)

    def _from_json(self, path: Path, text: str) -> Iterator[InputItem]:
        origin = _shown(path)
        if not text.strip():
            yield _rejected(origin, RejectionReason.NO_ARTICLES, "the file is empty")
            return
        data = _parse_json(text, with_line=True)
        if isinstance(data, _Failure):
            yield _rejected(origin, RejectionReason.MALFORMED, data.detail)
            return
        stem = _shown(path.stem)
        if isinstance(data, list):
            if not data:
                yield _rejected(origin, RejectionReason.NO_ARTICLES, "the JSON list is empty")
            for index, record in enumerate(data):
                yield self._from_record(path, f"{origin}[{index}]", f"{stem}-{index}", record)
        else:
            yield self._from_record(path, origin, stem, data)

    def _from_jsonl(self, path: Path, text: str) -> Iterator[InputItem]:
        origin = _shown(path)
        stem = _shown(path.stem)
        lines = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            lines += 1
            line_origin = f"{origin}:{number}"
            record = _parse_json(line, with_line=False)
            if isinstance(record, _Failure):
                yield _rejected(line_origin, RejectionReason.MALFORMED, record.detail)
                continue
            yield self._from_record(path, line_origin, f"{stem}-{number}", record)
        if not lines:
            yield _rejected(origin, RejectionReason.NO_ARTICLES, "the file has no JSON line")

    def _from_record(self, path: Path, origin: str, default_id: str, record: object) -> InputItem:
        names = self.config.fields
        if not isinstance(record, Mapping):
            detail = f"expected a JSON object, got {type(record).__name__}"
            return _rejected(origin, RejectionReason.MALFORMED, detail)
        fields: dict[str, str | None] = {}
        for attribute in ("id", "title", "text", "date", "url", "source"):
            key = getattr(names, attribute)
            value = record.get(key)
            if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
                detail = f"field '{key}' must be a string, got {type(value).__name__}"
                return _rejected(origin, RejectionReason.MALFORMED, detail)
            if isinstance(value, str) and (surrogate := _lone_surrogate(value)) is not None:
                detail = (
                    f"field '{key}' holds a lone surrogate (U+{ord(value[surrogate]):04X} "
                    f"at character {surrogate}), which is not Unicode text"
                )
                return _rejected(origin, RejectionReason.UNDECODABLE, detail)
            fields[attribute] = None if value is None else str(value)
        published: dt.date | None = None
        if fields["date"] is not None and fields["date"].strip():
            published = parse_date(fields["date"])
            if published is None:
                detail = f"field '{names.date}' value '{fields['date']}' is not an ISO date"
                return _rejected(origin, RejectionReason.BAD_DATE, detail)
        article = Article(
            id=fields["id"] or default_id,
            text=_normalise_newlines(fields["text"] or ""),
            source=fields["source"] or _shown(path.stem),
            origin=origin,
            title=fields["title"],
            url=fields["url"],
            published=published,
        )
        return self._checked(origin, article)

    def _checked(self, origin: str, article: Article) -> InputItem:
        if not article.text.strip():
            return _rejected(origin, RejectionReason.EMPTY_TEXT, "the article has no text")
        if len(article.text) > self.config.max_text_chars:
            detail = (
                f"text of {len(article.text)} characters is over the limit of "
                f"{self.config.max_text_chars}"
            )
            return _rejected(origin, RejectionReason.OVERSIZED, detail)
        return InputItem(origin=origin, article=article)


def default_shared_dir() -> Path:
    """``$STORYLINE_SHARED``, else ``../shared`` beside the source checkout (seeds, benchmarks)."""
    configured = os.environ.get("STORYLINE_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "shared"


def labelled_article(
    record: Mapping[str, object], *, shared: Path, ingestor: FileIngestor
) -> Article | None:
    """The article of a labelled-data record: its ``text``, or the seed file it names.

    Records name a seed (``"seed": "seeds/000_….txt"``, read under ``shared``) instead
    of copying real article text into the project; ``None`` when that file is absent,
    so that callers can skip it visibly. ``id``, ``source`` and ``published`` come from
    the record, the date falling back to the seed's header.
    """
    identifier = str(record["id"])
    published = parse_date(str(record["published"])) if record.get("published") else None
    if "seed" in record:
        path = shared / str(record["seed"])
        if not path.is_file():
            return None
        corpus = ingestor.ingest([path])
        if not corpus.articles:
            raise ValueError(f"seed {path} was rejected: {corpus.rejections[0].detail}")
        text = corpus.articles[0].text
        published = published or corpus.articles[0].published
    else:
        text = str(record["text"])
    return Article(
        id=identifier,
        text=text,
        source=str(record.get("source") or identifier),
        origin=f"labelled:{identifier}",
        published=published,
    )


def _expand(paths: Sequence[str | Path]) -> Iterator[Path | Rejection]:
    """Yield the files named by ``paths`` in a stable order, or a rejection per other path."""
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        name = os.fspath(raw)
        if glob.has_magic(name) and not os.path.lexists(name):
            matches = [Path(match) for match in sorted(glob.glob(name, recursive=True))]
            if not matches:
                detail = "the pattern matches no file"
                yield _reject(_shown(name), RejectionReason.NOT_FOUND, detail)
        else:
            matches = [Path(name)]
        for match in matches:
            yield from _walk(match, seen, ancestors=frozenset())


def _walk(
    path: Path, seen: set[tuple[int, int]], *, ancestors: frozenset[tuple[int, int]]
) -> Iterator[Path | Rejection]:
    """The regular files at or under ``path`` (sorted), and a rejection for anything else.

    ``seen`` holds the (device, inode) of every file and directory yielded so far, so
    that a file reached twice is read once; ``ancestors`` the directories being walked,
    so that a link back to one of them is a loop rather than an endless walk.
    """
    try:
        status = path.stat()
    except (OSError, ValueError) as error:
        yield _path_error(path, error)
        return
    key = (status.st_dev, status.st_ino)
    if stat.S_ISREG(status.st_mode):
        if key not in seen:
            seen.add(key)
            yield path
    elif not stat.S_ISDIR(status.st_mode):
        yield _not_regular(path, status.st_mode)
    elif key in ancestors:
        detail = f"leads back to the directory {_shown(path.resolve())} that contains it"
        yield _reject(_shown(path), RejectionReason.SYMLINK_LOOP, detail)
    elif key not in seen:
        seen.add(key)
        try:
            with os.scandir(path) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as error:
            yield _path_error(path, error)
            return
        if not names:
            yield _reject(_shown(path), RejectionReason.EMPTY_DIRECTORY, "the directory is empty")
        for name in names:
            yield from _walk(path / name, seen, ancestors=ancestors | {key})


def _path_error(path: Path, error: OSError | ValueError) -> Rejection:
    """The rejection of a path that could not be opened or examined, by its error."""
    origin = _shown(path)
    if isinstance(error, ValueError):  # an embedded NUL byte
        return _reject(origin, RejectionReason.NOT_FOUND, f"not a usable path: {error}")
    detail = error.strerror or str(error)
    if error.errno == errno.ELOOP:
        return _reject(origin, RejectionReason.SYMLINK_LOOP, "symbolic links lead in a circle")
    if error.errno in _MISSING_ERRNOS:
        if path.is_symlink():
            target = _shown(os.readlink(path))
            return _reject(origin, RejectionReason.DANGLING_SYMLINK, f"points to missing {target}")
        return _reject(origin, RejectionReason.NOT_FOUND, "no such file or directory")
    if error.errno == errno.ENXIO:  # opening a socket
        return _reject(origin, RejectionReason.NOT_A_REGULAR_FILE, detail)
    return _reject(origin, RejectionReason.UNREADABLE, detail)


def _not_regular(path: Path, mode: int) -> Rejection:
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return _reject(_shown(path), RejectionReason.NOT_A_REGULAR_FILE, f"{kind}, not read")


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as printable text: bytes of a non-UTF-8 file name as ``\\\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class _Failure:
    detail: str


def _parse_json(text: str, *, with_line: bool) -> object:
    """The JSON value of ``text``, or a :class:`_Failure` saying why there is none."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}" if with_line else ""
        where = where or f"column {error.colno}"
        return _Failure(f"invalid JSON at {where}: {error.msg}")
    except RecursionError:
        return _Failure("JSON nested too deeply to read")
    except ValueError as error:  # an integer longer than Python's int-string limit
        return _Failure(f"a JSON number could not be read: {error}")


def _lone_surrogate(value: str) -> int | None:
    """The index of the first unpaired surrogate in ``value`` (not encodable as UTF-8), or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def _decode(data: bytes) -> str | _Failure:
    nul = data.find(b"\x00")
    if nul >= 0:
        return _Failure(f"binary content (NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _Failure(f"not UTF-8 text (byte 0x{data[error.start]:02x} at {error.start})")
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject(origin: str, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(item=origin, reason=reason, detail=detail)


def _rejected(origin: str, reason: RejectionReason, detail: str) -> InputItem:
    return InputItem(origin=origin, rejection=_reject(origin, reason, detail))


def sniff_format(head: bytes) -> Format | None:
    """The format the first bytes of a file show, or None when they show none (plain text).

    ``head`` is the start of the file, already un-gzipped (see :func:`_head`). Strong
    signatures only: a WARC or ARC header, a feed (RSS, RDF, Atom root element or a JSON
    Feed version), an HTML document, a JSON value (a list or an object; an object on each
    of the first two lines is JSONL).
    """
    if looks_like_crawl(head):
        return "crawl"
    if looks_like_feed(head):
        return "feed"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = start[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (
        lowered.startswith((b"<!--", b"<?xml", b"<!doctype"))
        and (b"<html" in lowered or b"<!doctype html" in lowered)
    ):
        return "html"
    if start[:1] == b"[":
        return "json"
    if start[:1] == b"{":
        lines = [line for line in start.split(b"\n", 2)[:2] if line.strip()]
        if len(lines) == 2 and lines[1].lstrip()[:1] == b"{" and _is_json(lines[0]):
            return "jsonl"
        return "json"
    return None


def _choose_format(hint: str, sniffed: Format | None, named: Format | None) -> Format | None:
    """The hint if given; else what the content shows, else what the name says.

    Plain text is read only from a text file (by name): a file of unknown kind is not an
    article. A ``.txt`` file is JSON only if it says so by name, not because it starts with
    a bracket ("[Updated] ..."), and a ``.json`` or ``.jsonl`` name keeps its own kind of
    JSON (a JSON-lines file whose first line does not parse is still JSON lines).
    """
    if hint != "auto":
        return cast(Format, hint)
    if sniffed is None:
        return named
    if named in ("text", "json", "jsonl") and sniffed in ("json", "jsonl"):
        return named  # the name tells JSON from JSON lines better than a glance does
    return sniffed


def format_of_name(name: str) -> Format | None:
    """The format a file name's extension names (``.gz`` looked through), or None."""
    return _format_of_name(Path(name))


def _format_of_name(path: Path) -> Format | None:
    """The format a file's extension names, looking through a ``.gz`` ending."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    return _BY_SUFFIX.get(suffix)


def _unsupported(path: Path) -> str:
    if path.suffix:
        suffix = _shown(path.suffix.lower())
        return f"unsupported file type '{suffix}' (its content is no known format either)"
    return f"'{_shown(path.name)}' has no extension and its content is no known format"


def _head(data: bytes) -> bytes:
    """The first bytes of ``data`` to sniff, un-gzipped if it is a gzip (as far as it goes)."""
    if not data.startswith(GZIP_MAGIC):
        return data[:_SNIFF_BYTES]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(
            data[: _SNIFF_BYTES * 4], _SNIFF_BYTES
        )
    except zlib.error:
        return b""


def _is_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def url_key(url: str | None) -> str:
    """A URL compared loosely: the scheme, the host's case, a fragment and a final slash do
    not count."""
    if not url or not url.strip():
        return ""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return f"{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")
