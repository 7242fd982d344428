"""Crawl files -> web pages: every record of a WARC or ARC file ends as a page or a rejection.

Input -> output: a crawl file (WARC 1.0 / 1.1 or legacy ARC 1.0; gzip per record, gzip over
the whole file, or uncompressed) -> one :class:`CrawlPage` or one
:class:`~storyline.model.Rejection` per record, in file order, and at most one more rejection
for a break (a file that ends inside a record, or bytes that are no record). A page is a
successful (2xx) HTTP response, or a ``resource`` record, whose body is HTML; its body is
de-chunked and content-decoded, ready for :func:`storyline.ingest.html.read_page`, which
extracts the article (not this module's job).

What each record becomes (``origin#record-N`` names record N, counted from 1):

- ``response`` (WARC) or any ARC record after the file header: a page, or
  ``HTTP_STATUS`` (not 2xx; a 3xx names its ``Location``), ``NOT_HTML`` (the declared
  type is not ``text/html`` / ``application/xhtml+xml``; with no usable declared type the
  body is sniffed as the WHATWG MIME Sniffing standard does, section 7.1),
  ``DUPLICATE_URL`` (an earlier record of this file already gave a page for the URL; the
  first capture is kept), ``EMPTY_TEXT``, ``UNDECODABLE`` (a content-encoding this module
  cannot undo, or a broken compressed body), ``OVERSIZED`` (over ``max_record_bytes``
  raw or decoded); a response that is no HTTP message (a DNS lookup, a crawler that
  stored the bare document) is judged by the record's own ``Content-Type``, as a
  ``resource`` is;
- ``revisit``: it carries no payload of its own. When the record it revisits is earlier in
  this file (found by ``WARC-Refers-To``, else by payload digest, else by
  ``WARC-Refers-To-Target-URI`` and ``-Date``) it is a ``DUPLICATE_URL`` rejection naming
  that record, whose own outcome stands (a page is never read twice, which is also what
  the rule for repeated responses says); otherwise a ``REVISIT`` rejection: the original
  payload lives in another file;
- ``resource`` holding HTML: a page (its WARC ``Content-Type`` is the page's); otherwise
  ``NOT_HTML``;
- ``warcinfo``, ``request``, ``metadata``, ``conversion``, ``continuation`` and the ARC
  file header are not pages: one ``NOT_A_RESPONSE`` rejection each ("a WARC 'request'
  record, not a response"), so that every record is accounted for and counts add up;
- a record the file breaks off inside: ``TRUNCATED``, naming where; the records before it
  are kept. A break that cannot be tied to one record (a whole-file gzip stream that breaks
  off between records, bytes after the last record that are no record: ``MALFORMED``) is
  one rejection named by the file itself (``origin``, no record number). NUL padding after
  the last record is no break.

A file that cannot be opened is ``UNREADABLE``, an empty one ``EMPTY_TEXT``, one that breaks
off before its first record can be read ``TRUNCATED``, one that is no WARC or ARC
``UNSUPPORTED_FORMAT``: each one rejection named ``origin``.

Libraries, chosen by ``bench/bench_warc.py`` (numbers in bench/README.md): FastWARC 2.0.1
reads WARC, in a fourth to a sixth of warcio 1.8.1's time on the same files, and it reads
whole-file gzip, which warcio's own reader refuses; warcio reads ARC, which FastWARC cannot.
Neither library reports a file that breaks off (both return the short record as if whole),
so the checks are ours: a record's raw payload is compared with its declared length, a
record whose own headers break off has no usable ``Content-Length``, and the gzip stream
must end at the end of a member (:func:`_gzip_end`: only the last record's member is
decompressed again in a file gzipped per record). Because the raw length is needed for that,
HTTP bodies are read undecoded and decoded here: chunked transfer-encoding by
:func:`_dechunked` (like warcio's reader, a body that is not really chunked is kept as it
is), content-encodings by :mod:`zlib` and FastWARC's Brotli and Zstandard readers. All this
costs 25 - 35 microseconds a record beyond FastWARC's own reading (measured on 20,000
records), small beside extracting the article from a page.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from fastwarc.stream_io import BrotliReader, ZstdReader
from fastwarc.warc import ArchiveIterator, WarcRecord
from warcio.archiveiterator import ArchiveIterator as ArcIterator

from storyline.ingest._gzip import GZIP_MAGIC
from storyline.model import Rejection, RejectionReason

__all__ = ["CrawlPage", "looks_like_crawl", "read_crawl"]

_HEAD_BYTES = 4096  # enough for a WARC or ARC header, compressed or not
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Declared types that say nothing: WHATWG MIME Sniffing sniffs these as if absent.
_UNKNOWN_TYPES = frozenset({"", "unknown/unknown", "application/unknown", "*/*"})
# WHATWG MIME Sniffing 7.1: after leading whitespace, these tags (case-insensitive) followed
# by a space or ">" mark an HTML body; "<!--" needs nothing after it.
_HTML_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
)
# The first line of an ARC 1.0 record: URL, IP address, 14-digit date, content type, length.
_ARC_LINE = re.compile(rb"\S+ \d{1,3}(?:\.\d{1,3}){3} \d{14} \S+ \d+\r?\n")
_CHARSET = re.compile(r""";\s*charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_NOT_PAGES = frozenset({"warcinfo", "request", "metadata", "conversion", "continuation"})


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlPage:
    """An HTML page captured in a crawl file, as the crawler received it.

    ``origin`` names the record (``path#record-N``); ``date`` is the capture date (the
    record's ``WARC-Date``, or the ARC archive date), not the publication date;
    ``content_type`` is the declared media type (``None`` when the body was sniffed) and
    ``charset`` the declared one, if any; ``body`` is de-chunked and content-decoded.
    """

    origin: str
    url: str
    date: dt.date | None
    content_type: str | None
    charset: str | None
    body: bytes


def looks_like_crawl(head: bytes) -> bool:
    """Whether ``head`` (the first kilobytes of a file) starts a WARC or an ARC file.

    A gzip head is decompressed first, so gzip per record and whole-file gzip are both
    recognised; give at least 1 KiB of a gzip file (the deflate block header comes first).
    """
    return _crawl_format(head) in {"warc", "arc"}


def read_crawl(
    path: Path, *, origin: str, max_record_bytes: int = 50_000_000
) -> Iterator[CrawlPage | Rejection]:
    """Every record of the crawl file at ``path`` as a page or a rejection, in file order.

    ``origin`` names the file in every item (``f"{origin}#record-{n}"``, n from 1). Records
    over ``max_record_bytes`` (raw payload or decoded body) are rejected as oversized
    without being held in memory. Never raises for a bad file: that is a rejection too.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as error:
        yield _reject(origin, RejectionReason.UNREADABLE, error.strerror or str(error))
        return
    if not head:
        yield _reject(origin, RejectionReason.EMPTY_TEXT, "the crawl file is empty")
        return
    kind = _crawl_format(head)
    if kind == "cut" and len(head) < _HEAD_BYTES:
        detail = f"the file breaks off at byte {len(head):,}, before its first record can be read"
        yield _reject(origin, RejectionReason.TRUNCATED, detail)
        return
    if kind not in {"warc", "arc"}:
        shown = head[:16].decode("ascii", "backslashreplace")
        detail = f"not a WARC or ARC file (it starts with {shown!r})"
        yield _reject(origin, RejectionReason.UNSUPPORTED_FORMAT, detail)
        return
    records = (_warc_records if kind == "warc" else _arc_records)(path, max_record_bytes)
    yield from _Judge(origin=origin, max_bytes=max_record_bytes).judge(records)


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, kw_only=True)
class _Http:
    """The HTTP response head of a record."""

    status: int | None
    reason: str
    content_type: str | None
    transfer_encoding: str
    content_encoding: str
    location: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Record:
    """One record as read, before it is judged. ``payload`` is raw (still encoded);
    ``None`` when it was not read (not needed, or over the size limit)."""

    number: int
    offset: int | None
    kind: str
    url: str
    date: dt.date | None
    record_id: str | None = None
    payload_digest: str | None = None
    refers_to: str | None = None
    refers_to_url: str | None = None
    refers_to_date: str | None = None
    warc_date: str | None = None
    http: _Http | None = None
    content_type: str | None = None
    payload: bytes | None = None
    length: int = 0  # declared payload length
    block: int = 0  # declared length of the whole block (WARC Content-Length)
    missing: int = 0  # bytes of the declared length that the file lacks
    headers_cut: bool = False  # the record's own headers break off


@dataclass(frozen=True, slots=True, kw_only=True)
class _Break:
    """Where a file stops being readable: inside record ``number``, or, when ``number`` is
    ``None``, at a place that cannot be tied to one record (named by the file)."""

    number: int | None
    reason: RejectionReason
    detail: str


def _crawl_format(head: bytes) -> Literal["warc", "arc", "cut"] | None:
    """``"warc"``, ``"arc"``, ``"cut"`` (too short to tell, but the start of a crawl file
    as far as it goes) or ``None``."""
    data = head
    if head.startswith(GZIP_MAGIC):
        decompressor = zlib.decompressobj(31)
        try:
            data = decompressor.decompress(head, _HEAD_BYTES)
        except zlib.error:
            return None
        if not data and not decompressor.eof:
            return "cut"
    data = data.lstrip(b"\r\n")
    if data.startswith(b"WARC/"):
        return "warc"
    if data.startswith(b"filedesc://") or _ARC_LINE.match(data):
        return "arc"
    if data and (b"WARC/".startswith(data) or b"filedesc://".startswith(data)):
        return "cut"
    return None


def _warc_records(path: Path, max_bytes: int) -> Iterator[_Record | _Break]:
    """The records of a WARC file, read by FastWARC, then any break at its end."""
    number = 0
    last: _Record | None = None
    failure = ""
    with path.open("rb") as handle:
        gzipped = handle.read(2) == GZIP_MAGIC
        handle.seek(0)
        # An open file, not the path: FastWARC picks its decompression from a path's suffix.
        records = iter(ArchiveIterator(handle, parse_http=True, auto_decode="none"))
        while True:
            try:
                record = next(records)
                number += 1
                last = _warc_record(record, number, max_bytes)
            except StopIteration:
                break
            except (OSError, ValueError) as error:
                failure = str(error) or type(error).__name__
                break
            yield last
        if last is not None and (last.missing or last.headers_cut):
            return  # the break is that record, already reported
        size = os.fstat(handle.fileno()).st_size
        if gzipped:
            member = last.offset if last is not None and last.offset else None
            if member is not None and not _member_starts(handle, member):
                member = None  # whole-file gzip: record positions are not member starts
            end = _gzip_end(handle, member or 0)
            if member and end.what in {"corrupt", "garbage"} and end.offset == member:
                end = _gzip_end(handle, 0)  # the position only looked like a member start
                member = None
            if end.what in {"truncated", "corrupt", "garbage"}:
                yield _gzip_break_item(end, records=number, last_member=member, size=size)
                return
            if failure and end.what == "padded":
                # FastWARC reports NUL padding as a gzip error; every member before it
                # decompressed whole above, so a gzip error can only be the padding's
                if "decompression" in failure.lower():
                    failure = ""
                else:
                    failure += f" (the file ends in NUL bytes from byte {end.offset:,} on)"
        elif failure:
            broken = _plain_warc_break(handle, last, failure=failure, size=size)
            if broken is not None:
                yield broken
            return
    if failure:
        where = f"after record {number}" if number else "at its first record"
        detail = f"the file cannot be read {where}: {failure}; {_kept(number)}"
        yield _Break(number=None, reason=RejectionReason.MALFORMED, detail=detail)


def _plain_warc_break(
    handle: BinaryIO, last: _Record | None, *, failure: str, size: int
) -> _Break | None:
    """The break of an uncompressed WARC file that FastWARC stopped reading.

    The bytes after the last good record (found from its header length and declared block
    length) are either the start of a record header that breaks off at the end of the file
    (truncated), NUL padding (no break), or something that is no record (malformed).
    """
    records = 0 if last is None else last.number
    start = 0 if last is None else _record_end(handle, last)
    if start is None:
        detail = f"the file cannot be read after record {records}: {failure}; {_kept(records)}"
        return _Break(number=None, reason=RejectionReason.MALFORMED, detail=detail)
    handle.seek(start)
    tail = handle.read(1 << 16)
    skipped = len(tail) - len(tail.lstrip(b"\r\n"))
    tail = tail[skipped:]
    if (
        tail
        and not tail.strip(b"\x00")
        and not any(block.strip(b"\x00") for block in _rest(handle))
    ):
        return None
    opened = tail.startswith(b"WARC/") or b"WARC/".startswith(tail)
    if opened and b"\r\n\r\n" not in tail and start + skipped + len(tail) == size:
        detail = (
            f"the file breaks off at byte {size:,}, inside the headers of this record (which "
            f"start at byte {start + skipped:,}); {_kept(records)}"
        )
        return _Break(number=records + 1, reason=RejectionReason.TRUNCATED, detail=detail)
    detail = (
        f"bytes from {start + skipped:,} on are not a WARC record ({failure}); {_kept(records)}"
    )
    return _Break(number=None, reason=RejectionReason.MALFORMED, detail=detail)


def _record_end(handle: BinaryIO, record: _Record) -> int | None:
    """Where the uncompressed ``record`` ends: its headers, its block, its closing CRLFs."""
    if record.offset is None:
        return None
    handle.seek(record.offset)
    head = handle.read(1 << 16)
    end = head.find(b"\r\n\r\n")
    return None if end < 0 else record.offset + end + 4 + record.block


def _warc_record(record: WarcRecord, number: int, max_bytes: int) -> _Record:
    """One FastWARC record, reading only what judging it needs.

    The headers are copied into a dict in one call (FastWARC's ``get`` is a lookup per
    call; this halved the reader's own time per record), falling back to the
    case-insensitive ``get`` when a writer spelt a name differently.
    """
    source = record.headers
    headers = dict(source.items())

    def field(name: str) -> str | None:
        value = headers.get(name)
        return source.get(name) if value is None else value

    kind = (field("WARC-Type") or "unknown").strip().lower()
    declared = (field("Content-Length") or "").strip()
    headers_cut = not declared.isdigit()
    http = None
    if kind in {"response", "revisit"} and record.is_http:
        answer = record.http_headers
        status = answer.status_code
        success = status is not None and 200 <= status < 300
        http = _Http(
            status=status,
            reason=answer.reason_phrase or "",
            content_type=answer.get("Content-Type") if success else None,
            transfer_encoding=(answer.get("Transfer-Encoding") or "").lower() if success else "",
            content_encoding=(answer.get("Content-Encoding") or "").lower() if success else "",
            location=answer.get("Location") if status is not None and 300 <= status < 400 else None,
        )
    payload: bytes | None = None
    missing = 0
    length = record.content_length
    if kind in {"response", "resource"} and not headers_cut:
        if length > max_bytes:
            missing = max(0, length - record.reader.consume())
        else:
            payload = record.reader.read()
            missing = max(0, length - len(payload))
    warc_date = field("WARC-Date")
    revisit = kind == "revisit"
    return _Record(
        number=number,
        offset=record.stream_pos,
        kind=kind,
        url=_clean_url(field("WARC-Target-URI")),
        date=_iso_date(warc_date),
        record_id=field("WARC-Record-ID"),
        payload_digest=field("WARC-Payload-Digest"),
        refers_to=field("WARC-Refers-To") if revisit else None,
        refers_to_url=_clean_url(field("WARC-Refers-To-Target-URI")) or None if revisit else None,
        refers_to_date=field("WARC-Refers-To-Date") if revisit else None,
        warc_date=warc_date,
        http=http,
        content_type=None if http is not None else field("Content-Type"),
        payload=payload,
        length=length,
        block=int(declared) if not headers_cut else 0,
        missing=missing,
        headers_cut=headers_cut,
    )


def _arc_records(path: Path, max_bytes: int) -> Iterator[_Record | _Break]:
    """The records of an ARC file, read by warcio (over :class:`_Gunzip` when gzipped:
    warcio refuses whole-file gzip itself)."""
    number = 0
    failure = ""
    with path.open("rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        stream = io.BufferedReader(_Gunzip(raw)) if gzipped else raw
        reader = _QuietArcIterator(stream, arc2warc=False)
        records = iter(reader)
        while True:
            try:
                record = next(records)
                number += 1
                item = _arc_record(record, number, max_bytes)
            except StopIteration:
                break
            except Exception as error:  # warcio raises its own and plain exceptions alike
                lines = str(error).strip().splitlines()
                failure = lines[0] if lines else type(error).__name__
                break
            yield item
            if item.missing:
                return  # the break is that record, already reported
        size = os.fstat(raw.fileno()).st_size
        if gzipped:
            end = _gzip_end(raw, 0)
            if end.what in {"truncated", "corrupt", "garbage"}:
                yield _gzip_break_item(end, records=number, last_member=None, size=size)
                return
        else:
            # warcio ends quietly at a record header that breaks off: look at what is left
            start = int(reader.offset)
            raw.seek(start)
            tail = raw.read(1 << 16)
            skipped = len(tail) - len(tail.lstrip(b"\r\n"))
            left = tail[skipped:]
            one_line = b"\n" not in left.rstrip(b"\r\n")
            if left and one_line and start + len(tail) == size:
                detail = (
                    f"the file breaks off at byte {size:,}, inside the header line of this "
                    f"record (which starts at byte {start + skipped:,}); {_kept(number)}"
                )
                yield _Break(number=number + 1, reason=RejectionReason.TRUNCATED, detail=detail)
                return
            if left and not failure:
                failure = f"bytes from {start + skipped:,} on are not an ARC record"
    if failure:
        where = f"after record {number}" if number else "at its first record"
        detail = f"the file cannot be read {where}: {failure}; {_kept(number)}"
        yield _Break(number=None, reason=RejectionReason.MALFORMED, detail=detail)


def _arc_record(record: Any, number: int, max_bytes: int) -> _Record:
    """One warcio ARC record (``arc2warc=False``: ARC header names)."""
    headers = record.rec_headers
    url = _clean_url(headers.get_header("uri"))
    stamp = headers.get_header("archive-date") or ""
    date = None
    if len(stamp) >= 8 and stamp[:8].isdigit():
        try:
            date = dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
        except ValueError:
            date = None
    if record.rec_type == "arc_header":
        stream = record.raw_stream
        expected = int(stream.limit)
        stream.read()
        missing = int(stream.limit)
        return _Record(
            number=number,
            offset=None,
            kind="arc header",
            url=url,
            date=date,
            length=expected,
            missing=missing,
        )
    answer = record.http_headers
    http = None
    if answer is not None:
        code = answer.get_statuscode()
        http = _Http(
            status=int(code) if code and code.isdigit() else None,
            reason=answer.statusline.partition(" ")[2],
            content_type=answer.get_header("Content-Type"),
            transfer_encoding=(answer.get_header("Transfer-Encoding") or "").lower(),
            content_encoding=(answer.get_header("Content-Encoding") or "").lower(),
            location=answer.get_header("Location"),
        )
    stream = record.raw_stream
    expected = int(stream.limit)
    payload: bytes | None = None
    if expected > max_bytes:
        while stream.read(1 << 16):
            pass
    else:
        payload = bytes(stream.read())
    return _Record(
        number=number,
        offset=None,
        kind="response",
        url=url,
        date=date,
        http=http,
        content_type=headers.get_header("content-type"),
        payload=payload,
        length=expected,
        missing=int(stream.limit),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _GzipEnd:
    """How a gzip stream ends after ``members`` complete members: ``"clean"``, ``"padded"``
    (NUL bytes from ``offset`` on), ``"truncated"`` (the member starting at ``offset``
    breaks off at the end of the file), ``"corrupt"`` (that member's data cannot be
    decompressed) or ``"garbage"`` (bytes at ``offset`` that are no gzip member)."""

    what: Literal["clean", "padded", "truncated", "corrupt", "garbage"]
    offset: int
    members: int


def _gzip_end(handle: BinaryIO, start: int) -> _GzipEnd:
    """How the gzip stream of ``handle`` ends, read from ``start``, where a member begins
    (the last record's member in a file gzipped per record: only it is decompressed again;
    the whole stream otherwise)."""
    handle.seek(start)
    position = start  # file offset of pending[0]
    member = start
    members = 0
    pending = b""
    decompressor: zlib._Decompress | None = None
    while True:
        if not pending:
            pending = handle.read(1 << 16)
            if not pending:
                what: Literal["clean", "truncated"] = (
                    "clean" if decompressor is None else "truncated"
                )
                return _GzipEnd(
                    what=what, offset=member if decompressor else position, members=members
                )
        if decompressor is None:
            if pending.startswith(b"\x00"):
                padded = not pending.strip(b"\x00") and not any(
                    block.strip(b"\x00") for block in _rest(handle)
                )
                return _GzipEnd(
                    what="padded" if padded else "garbage", offset=position, members=members
                )
            if not pending.startswith(GZIP_MAGIC[: len(pending)]):
                return _GzipEnd(what="garbage", offset=position, members=members)
            member = position
            decompressor = zlib.decompressobj(31)
        data = pending
        try:
            while data and not decompressor.eof:
                decompressor.decompress(data, 1 << 20)
                data = decompressor.unconsumed_tail
        except zlib.error:
            return _GzipEnd(what="corrupt", offset=member, members=members)
        if decompressor.eof:
            rest = decompressor.unused_data
            position += len(pending) - len(rest)
            pending = rest
            decompressor = None
            members += 1
        else:
            position += len(pending)
            pending = b""


def _rest(handle: BinaryIO) -> Iterator[bytes]:
    while block := handle.read(1 << 16):
        yield block


class _QuietArcIterator(ArcIterator):  # type: ignore[misc]  # warcio is untyped
    """warcio's reader without its warning on stderr about a record not followed by a
    newline (the record's shortfall, if any, is reported as a rejection instead)."""

    INC_RECORD = ""


class _Gunzip(io.RawIOBase):
    """The decompressed bytes of a gzip file, member after member, for warcio.

    Where the gzip data breaks off or stops being gzip, the stream just ends, as a file
    would: the record being read comes out short (a shortfall the judge reports) and
    :func:`_gzip_end` names the place. (Python's ``gzip`` raises instead, and at its
    read-ahead, so the complete records before the break would be lost.)
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._decompressor = zlib.decompressobj(31)
        self._input = b""
        self._position = 0

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: Any) -> int:
        while True:
            if not self._input:
                self._input = self._raw.read(1 << 16)
                if not self._input:
                    return 0
            if self._decompressor.eof:
                if not self._input.startswith(GZIP_MAGIC[: len(self._input)]):
                    return 0
                self._decompressor = zlib.decompressobj(31)
            try:
                out = self._decompressor.decompress(self._input, len(buffer))
            except zlib.error:
                return 0
            done = self._decompressor.eof
            self._input = (
                self._decompressor.unused_data if done else self._decompressor.unconsumed_tail
            )
            if out:
                buffer[: len(out)] = out
                self._position += len(out)
                return len(out)


def _member_starts(handle: BinaryIO, offset: int) -> bool:
    handle.seek(offset)
    return handle.read(3) == GZIP_MAGIC + b"\x08"


def _gzip_break_item(end: _GzipEnd, *, records: int, last_member: int | None, size: int) -> _Break:
    """The rejection of a gzip stream that does not end cleanly after ``records`` records.

    In a file gzipped per record (``last_member`` is the last record's member), a broken
    member after it is the next record, whose headers cannot be read; otherwise the break
    cannot be tied to one record and is named by the file.
    """
    if end.what == "truncated":
        if last_member is not None and end.offset > last_member:
            detail = (
                f"the file breaks off at byte {size:,}, inside this record (its gzip member "
                f"starts at byte {end.offset:,}) before its headers can be read; {_kept(records)}"
            )
            return _Break(number=records + 1, reason=RejectionReason.TRUNCATED, detail=detail)
        detail = (
            f"the gzip stream breaks off at byte {size:,} (in the member that starts at byte "
            f"{end.offset:,}) after record {records}: {_kept(records)}, whatever followed is lost"
        )
        return _Break(number=None, reason=RejectionReason.TRUNCATED, detail=detail)
    if end.what == "corrupt":
        detail = f"the gzip member at byte {end.offset:,} is corrupt; {_kept(records)}"
    else:
        detail = f"bytes from {end.offset:,} on are not gzip data; {_kept(records)}"
    return _Break(number=None, reason=RejectionReason.MALFORMED, detail=detail)


def _kept(records: int) -> str:
    if records == 0:
        return "no record before it"
    if records == 1:
        return "the record before it is kept"
    return f"the {records} records before it are kept"


# ---------------------------------------------------------------------------- judging


@dataclass(slots=True)
class _Original:
    """An earlier response a revisit may refer to, and what became of it."""

    number: int
    url: str
    date: dt.date | None
    outcome: str


class _Judge:
    """Turns the records of one file into pages and rejections.

    It remembers, for this file only, which URL gave which page (for duplicates) and every
    response by record id, payload digest and URL + date (for revisits).
    """

    def __init__(self, *, origin: str, max_bytes: int) -> None:
        self.origin = origin
        self.max_bytes = max_bytes
        self.pages: dict[str, int] = {}
        self.by_id: dict[str, _Original] = {}
        self.by_digest: dict[str, _Original] = {}
        self.by_capture: dict[tuple[str, str], _Original] = {}

    def judge(self, records: Iterator[_Record | _Break]) -> Iterator[CrawlPage | Rejection]:
        for record in records:
            if isinstance(record, _Break):
                name = self.origin if record.number is None else self._name(record.number)
                yield _reject(name, record.reason, record.detail)
                continue
            item = self._one(record)
            if record.kind in {"response", "resource"} and not (
                record.missing or record.headers_cut
            ):
                self._remember(record, item)
            yield item

    def _name(self, number: int) -> str:
        return f"{self.origin}#record-{number}"

    def _one(self, record: _Record) -> CrawlPage | Rejection:
        name = self._name(record.number)
        if record.headers_cut or record.missing:
            where = f" (it starts at byte {record.offset:,})" if record.offset is not None else ""
            lacking = (
                "its headers break off"
                if record.headers_cut
                else f"{record.missing:,} of its {record.length:,} payload bytes are missing"
            )
            detail = (
                f"the file breaks off inside this record{where}: {lacking}; "
                f"{_kept(record.number - 1)}"
            )
            return _reject(name, RejectionReason.TRUNCATED, detail)
        if record.kind == "revisit":
            return self._revisit(name, record)
        if record.kind in _NOT_PAGES:
            detail = f"a WARC '{record.kind}' record, not a response"
            return _reject(name, RejectionReason.NOT_A_RESPONSE, detail)
        if record.kind == "arc header":
            detail = "the ARC file's 'filedesc' header record, not a response"
            return _reject(name, RejectionReason.NOT_A_RESPONSE, detail)
        if record.kind not in {"response", "resource"}:
            detail = f"a '{record.kind}' record, not a response"
            return _reject(name, RejectionReason.NOT_A_RESPONSE, detail)
        if not record.url:
            return _reject(name, RejectionReason.MALFORMED, "a response without a target URI")
        if record.payload is None:
            detail = f"a payload of {record.length:,} bytes is over the limit of {self.max_bytes:,}"
            return _reject(name, RejectionReason.OVERSIZED, detail)
        declared = record.content_type  # of the block, when it is no HTTP message
        body = record.payload
        http = record.http
        if http is not None:
            if http.status is None or not 200 <= http.status < 300:
                return _reject(name, RejectionReason.HTTP_STATUS, _status_detail(http))
            declared = http.content_type
            decoded = _decoded(record.payload, http, self.max_bytes)
            if isinstance(decoded, _Failure):
                return _reject(name, decoded.reason, decoded.detail)
            body = decoded
        media_type = _media_type(declared)
        sniffed = media_type in _UNKNOWN_TYPES or "/" not in media_type
        if not sniffed and media_type not in _HTML_TYPES:
            return _reject(name, RejectionReason.NOT_HTML, f"content type {media_type}")
        if not body.strip():
            return _reject(name, RejectionReason.EMPTY_TEXT, "the body is empty")
        if sniffed and not _sniffs_html(body):
            shown = f" ({declared.strip()!r})" if declared and declared.strip() else ""
            detail = f"no content type{shown}, and the body does not start like HTML: {body[:24]!r}"
            return _reject(name, RejectionReason.NOT_HTML, detail)
        first = self.pages.get(record.url)
        if first is not None:
            detail = f"{record.url} was already read from record {first}"
            return _reject(name, RejectionReason.DUPLICATE_URL, detail)
        self.pages[record.url] = record.number
        return CrawlPage(
            origin=name,
            url=record.url,
            date=record.date,
            content_type=None if sniffed else media_type,
            charset=_charset(declared),
            body=body,
        )

    def _revisit(self, name: str, record: _Record) -> Rejection:
        original = None
        if record.refers_to:
            original = self.by_id.get(record.refers_to)
        if original is None and record.payload_digest:
            original = self.by_digest.get(record.payload_digest)
        if original is None and record.refers_to_url and record.refers_to_date:
            original = self.by_capture.get((record.refers_to_url, record.refers_to_date))
        if original is None:
            target = record.refers_to_url or record.url or "an unnamed URL"
            when = f" captured {record.refers_to_date}" if record.refers_to_date else ""
            detail = f"a revisit of {target}{when}, whose record is not in this file"
            return _reject(name, RejectionReason.REVISIT, detail)
        when = f", captured {original.date.isoformat()}" if original.date else ""
        detail = (
            f"a revisit of record {original.number} ({original.url}{when}), "
            f"which stands for it: {original.outcome}"
        )
        return _reject(name, RejectionReason.DUPLICATE_URL, detail)

    def _remember(self, record: _Record, item: CrawlPage | Rejection) -> None:
        outcome = "read there as a page" if isinstance(item, CrawlPage) else item.reason.value
        if isinstance(item, Rejection):
            outcome = f"rejected there ({outcome})"
        original = _Original(
            number=record.number, url=record.url, date=record.date, outcome=outcome
        )
        if record.record_id:
            self.by_id.setdefault(record.record_id, original)
        if record.payload_digest:
            self.by_digest.setdefault(record.payload_digest, original)
        if record.warc_date:
            self.by_capture.setdefault((record.url, record.warc_date), original)


def _status_detail(http: _Http) -> str:
    if http.status is None:
        return "the HTTP status line cannot be read"
    shown = f"HTTP {http.status}" + (f" {http.reason.strip()}" if http.reason.strip() else "")
    if 300 <= http.status < 400:
        target = f" to {http.location.strip()}" if http.location and http.location.strip() else ""
        return f"{shown}: a redirect{target}"
    return shown


# ---------------------------------------------------------------------------- bodies


@dataclass(frozen=True, slots=True, kw_only=True)
class _Failure:
    """Why a body cannot be decoded: undecodable, or over the size limit once decoded."""

    reason: RejectionReason
    detail: str


def _decoded(payload: bytes, http: _Http, limit: int) -> bytes | _Failure:
    """The body without its transfer and content encodings, or why it cannot be had."""
    body = _dechunked(payload) if "chunked" in http.transfer_encoding else payload
    codings = [c.strip() for c in http.content_encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in {"identity", "none"}:
            continue
        decoded = _uncompressed(body, coding, limit)
        if isinstance(decoded, _Failure):
            return decoded
        body = decoded
    return body


def _dechunked(payload: bytes) -> bytes:
    """``payload`` without HTTP/1.1 chunked framing (RFC 9112 section 7.1).

    As warcio's reader does, a payload that does not start with a chunk header is taken as
    already de-chunked (some crawlers store it so and keep the header); framing that breaks
    off keeps what was read.
    """
    parts: list[bytes] = []
    position = 0
    while position < len(payload):
        end = payload.find(b"\r\n", position, position + 1024)
        if end < 0:
            break
        size_text = payload[position:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            size = -1
        if size < 0 or not size_text:
            if not parts:
                return payload
            break
        if size == 0:
            return b"".join(parts)
        start = end + 2
        parts.append(payload[start : start + size])
        position = start + size + 2
    return b"".join(parts) if parts else payload


def _uncompressed(body: bytes, coding: str, limit: int) -> bytes | _Failure:
    """``body`` without one content-coding (RFC 9110 section 8.4.1), at most ``limit`` bytes."""
    out: bytes | None = None
    problem = ""
    if coding in {"gzip", "x-gzip"} and not body.startswith(GZIP_MAGIC):
        return body  # stored decoded with the header left on, as some crawlers do
    if coding in {"gzip", "x-gzip", "deflate"}:
        # deflate is zlib-wrapped by the standard, raw by some servers: try both
        for wbits in (31,) if coding != "deflate" else (15, -15):
            decompressor = zlib.decompressobj(wbits)
            try:
                out = decompressor.decompress(body, limit + 1)
            except zlib.error as error:
                problem = str(error)
                continue
            if not decompressor.eof and len(out) <= limit:
                detail = f"the {coding} body breaks off after {len(out):,} decoded bytes"
                return _Failure(reason=RejectionReason.UNDECODABLE, detail=detail)
            break
    elif coding in {"br", "zstd"}:
        reader = BrotliReader if coding == "br" else ZstdReader
        try:
            out = reader(io.BytesIO(body)).read(limit + 1)
        except OSError as error:
            problem = str(error)
    else:
        detail = f"the content-encoding {coding!r} is not supported"
        return _Failure(reason=RejectionReason.UNDECODABLE, detail=detail)
    if out is None:
        detail = f"the {coding} content-encoding cannot be undone: {problem}"
        return _Failure(reason=RejectionReason.UNDECODABLE, detail=detail)
    if len(out) > limit:
        detail = f"the body decoded from {coding} is over the limit of {limit:,} bytes"
        return _Failure(reason=RejectionReason.OVERSIZED, detail=detail)
    return out


def _sniffs_html(body: bytes) -> bool:
    """WHATWG MIME Sniffing 7.1: whether an undeclared body is HTML."""
    text = body[:1024].lstrip(b"\t\n\x0c\r ")
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:].lstrip(b"\t\n\x0c\r ")
    lowered = text[:16].lower()
    if lowered.startswith(b"<!--"):
        return True
    return any(
        lowered.startswith(tag) and lowered[len(tag) : len(tag) + 1] in {b" ", b">"}
        for tag in _HTML_TAGS
    )


# ---------------------------------------------------------------------------- small parts


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


def _clean_url(value: str | None) -> str:
    """A target URI as written, without the angle brackets some WARC 1.0 writers add."""
    text = (value or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _reject(origin: str, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(item=origin, reason=reason, detail=detail)
