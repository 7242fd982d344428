"""Ingest: paths, directories and globs -> a :class:`~storyline.model.Corpus`.

Every input item ends either as an :class:`~storyline.model.Article` or as a
:class:`~storyline.model.Rejection` with its reason; one bad item never stops
the run. Items are files, or lines of a JSONL file, or elements of a JSON list.

Formats, chosen by file extension:

- ``.txt``: the seeds' format, a first line `` date YYYY-MM-DD `` followed on the
  same line by the first paragraph, paragraphs separated by blank lines; or
  plain text without the header (then the article has no date).
- ``.json``: one article object, or a list of them.
- ``.jsonl`` / ``.ndjson``: one article object a line.

JSON field names are configurable (:class:`~storyline.config.FieldNames`).
Text must be UTF-8 (a BOM is allowed); line endings are normalised to ``\\n``
and character offsets everywhere refer to the stored text.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from storyline.config import IngestConfig
from storyline.model import Article, Corpus, Rejection, RejectionReason

__all__ = ["FileIngestor", "Ingestor", "default_shared_dir", "labelled_article", "parse_date"]

_DATE_HEADER = re.compile(r"\A[ \t]*date[ \t]+(\S+)[ \t]*")
_ISO_DATE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\Z")
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_TEXT_SUFFIXES = frozenset({".txt"})
_JSON_SUFFIXES = frozenset({".json"})


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
class _Item:
    """One input item before validation: an article candidate or a rejection."""

    origin: str
    article: Article | None = None
    rejection: Rejection | None = None


class FileIngestor:
    """Reads files, directories (recursively, sorted) and glob patterns."""

    def __init__(self, *, config: IngestConfig | None = None) -> None:
        self.config = config or IngestConfig()

    def ingest(self, paths: Sequence[str | Path]) -> Corpus:
        articles: list[Article] = []
        rejections: list[Rejection] = []
        first_origin: dict[str, str] = {}
        for item in self._items(paths):
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
            first_origin[article.id] = item.origin
            articles.append(article)
        return Corpus(articles=tuple(articles), rejections=tuple(rejections))

    def _items(self, paths: Sequence[str | Path]) -> Iterator[_Item]:
        for path in _expand(paths):
            if isinstance(path, Rejection):
                yield _Item(origin=path.item, rejection=path)
            else:
                yield from self._read_file(path)

    def _read_file(self, path: Path) -> Iterator[_Item]:
        origin = str(path)
        suffix = path.suffix.lower()
        if suffix not in _TEXT_SUFFIXES | _JSON_SUFFIXES | _JSONL_SUFFIXES:
            detail = f"unsupported file type '{suffix or path.name}'"
            yield _rejected(origin, RejectionReason.UNSUPPORTED_FORMAT, detail)
            return
        try:
            size = path.stat().st_size
            if size > self.config.max_file_bytes:
                detail = f"{size} bytes is over the limit of {self.config.max_file_bytes}"
                yield _rejected(origin, RejectionReason.OVERSIZED, detail)
                return
            data = path.read_bytes()
        except OSError as error:
            yield _rejected(origin, RejectionReason.UNREADABLE, error.strerror or str(error))
            return
        text = _decode(data)
        if isinstance(text, str):
            if suffix in _TEXT_SUFFIXES:
                yield self._from_text(path, text)
            elif suffix in _JSON_SUFFIXES:
                yield from self._from_json(path, text)
            else:
                yield from self._from_jsonl(path, text)
        else:
            yield _rejected(origin, RejectionReason.UNDECODABLE, text.detail)

    def _from_text(self, path: Path, text: str) -> _Item:
        origin = str(path)
        published: dt.date | None = None
        header = _DATE_HEADER.match(text)
        if header is not None:
            published = parse_date(header.group(1))
            if published is None:
                detail = f"date header '{header.group(1)}' is not a YYYY-MM-DD date"
                return _rejected(origin, RejectionReason.BAD_DATE, detail)
            text = text[header.end() :]
        article = Article(
            id=path.stem, text=text, source=path.stem, origin=origin, published=published
        )
        return self._checked(origin, article)

    def _from_json(self, path: Path, text: str) -> Iterator[_Item]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            detail = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            yield _rejected(str(path), RejectionReason.MALFORMED, detail)
            return
        if isinstance(data, list):
            for index, record in enumerate(data):
                yield self._from_record(path, f"{path}[{index}]", f"{path.stem}-{index}", record)
        else:
            yield self._from_record(path, str(path), path.stem, data)

    def _from_jsonl(self, path: Path, text: str) -> Iterator[_Item]:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            origin = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                detail = f"invalid JSON at column {error.colno}: {error.msg}"
                yield _rejected(origin, RejectionReason.MALFORMED, detail)
                continue
            yield self._from_record(path, origin, f"{path.stem}-{number}", record)

    def _from_record(self, path: Path, origin: str, default_id: str, record: object) -> _Item:
        names = self.config.fields
        if not isinstance(record, Mapping):
            detail = f"expected a JSON object, got {type(record).__name__}"
            return _rejected(origin, RejectionReason.MALFORMED, detail)
        fields: dict[str, str | None] = {}
        for attribute in ("id", "title", "text", "date", "url", "source"):
            key = getattr(names, attribute)
            value = record.get(key)
            if value is not None and not isinstance(value, str | int):
                detail = f"field '{key}' must be a string, got {type(value).__name__}"
                return _rejected(origin, RejectionReason.MALFORMED, detail)
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
            source=fields["source"] or path.stem,
            origin=origin,
            title=fields["title"],
            url=fields["url"],
            published=published,
        )
        return self._checked(origin, article)

    def _checked(self, origin: str, article: Article) -> _Item:
        if not article.text.strip():
            return _rejected(origin, RejectionReason.EMPTY_TEXT, "the article has no text")
        if len(article.text) > self.config.max_text_chars:
            detail = (
                f"text of {len(article.text)} characters is over the limit of "
                f"{self.config.max_text_chars}"
            )
            return _rejected(origin, RejectionReason.OVERSIZED, detail)
        return _Item(origin=origin, article=article)


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
    """Yield the files named by ``paths`` in a stable order, or a rejection per miss."""
    seen: set[Path] = set()
    for raw in paths:
        name = str(raw)
        if glob.has_magic(name):
            matches = [Path(match) for match in sorted(glob.glob(name, recursive=True))]
            if not matches:
                yield _reject(name, RejectionReason.NOT_FOUND, "the pattern matches no file")
        else:
            matches = [Path(name)]
        for match in matches:
            if match.is_dir():
                files = sorted(p for p in match.rglob("*") if p.is_file())
            elif match.is_file():
                files = [match]
            else:
                yield _reject(name, RejectionReason.NOT_FOUND, "no such file or directory")
                continue
            for file in files:
                resolved = file.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    yield file


@dataclass(frozen=True, slots=True)
class _DecodeFailure:
    detail: str


def _decode(data: bytes) -> str | _DecodeFailure:
    nul = data.find(b"\x00")
    if nul >= 0:
        return _DecodeFailure(f"binary content (NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _DecodeFailure(f"not UTF-8 text (byte 0x{data[error.start]:02x} at {error.start})")
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject(origin: str, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(item=origin, reason=reason, detail=detail)


def _rejected(origin: str, reason: RejectionReason, detail: str) -> _Item:
    return _Item(origin=origin, rejection=_reject(origin, reason, detail))
