"""Crawl files -> pages and rejections: every record ends as exactly one of them.

The real files of ``../shared/benchmarks/warc`` are checked against warcio, read
independently here (record counts, and the decoded body of every page); the other cases
are crawl files this module writes with warcio's writer, holding fictional pages.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastwarc.stream_io import BrotliWriter
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest.warc import CrawlPage, looks_like_crawl, read_crawl
from storyline.model import Rejection, RejectionReason
from tests.builders import shared_path

Item = CrawlPage | Rejection

REAL = shared_path("benchmarks", "warc")
REAL_FILES = (
    "warcfile.warc.gz",
    "example.warc.gz",
    "example-iana.org-chunked.warc",
    "example.arc.gz",
    "clipped.warc.gz",
)
PAGE = (
    b"<!doctype html><html><head><title>Harbour ferry</title></head>"
    b"<body><p>The ferry runs.</p></body></html>"
)


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"shared crawl file missing: {path}")
    return path


def _read(path: Path, **options: int) -> list[Item]:
    return list(read_crawl(path, origin=path.name, **options))


def _record_number(item: Item) -> int | None:
    name = item.origin if isinstance(item, CrawlPage) else item.item
    _, marker, number = name.rpartition("#record-")
    return int(number) if marker else None


def _reasons(items: Iterable[Item]) -> list[str]:
    return ["page" if isinstance(i, CrawlPage) else i.reason.value for i in items]


def _warcio_records(path: Path) -> list[tuple[str, str | None, bytes]]:
    """(type, target URI, decoded body) of every record, as warcio reads them."""
    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            uri = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header(
                "uri"
            )
            found.append((record.rec_type, uri, record.content_stream().read()))
    return found


# ---------------------------------------------------------------------------- real files


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_record_of_a_real_file_ends_as_one_page_or_rejection(name: str) -> None:
    path = _real(name)
    expected = _warcio_records(path)
    items = _read(path)
    numbers = [_record_number(item) for item in items]
    assert numbers == list(range(1, len(expected) + 1))
    for item, (kind, uri, body) in zip(items, expected, strict=True):
        if isinstance(item, CrawlPage):
            assert kind == "response"
            assert item.url == uri
            if name != "clipped.warc.gz":
                assert item.body == body  # de-chunked and decoded as warcio does


def test_the_common_crawl_sample_gives_its_sixteen_pages() -> None:
    items = _read(_real("warcfile.warc.gz"))
    counts = Counter(_reasons(items))
    assert counts == {"page": 16, "not-a-response": 34}
    details = Counter(i.detail for i in items if isinstance(i, Rejection))
    assert details == {
        "a WARC 'warcinfo' record, not a response": 1,
        "a WARC 'request' record, not a response": 17,
        "a WARC 'metadata' record, not a response": 16,
    }
    pages = [i for i in items if isinstance(i, CrawlPage)]
    assert {page.date for page in pages} == {dt.date(2020, 8, 8)}
    assert {"windows-1251", "gb2312", "utf-8"} <= {page.charset for page in pages}
    assert all(page.content_type == "text/html" for page in pages)


def test_the_truncated_file_lists_its_break_with_the_offset() -> None:
    items = _read(_real("clipped.warc.gz"))
    assert len(items) == 1
    (item,) = items
    assert isinstance(item, Rejection)
    assert item.reason is RejectionReason.TRUNCATED
    assert item.item == "clipped.warc.gz#record-1"
    assert "starts at byte 0" in item.detail
    assert "13,068 of its 88,038 payload bytes are missing" in item.detail


def test_the_arc_file_gives_its_page() -> None:
    items = _read(_real("example.arc.gz"))
    assert _reasons(items) == ["not-a-response", "page"]
    page = items[1]
    assert isinstance(page, CrawlPage)
    assert page.url == "http://example.com/"
    assert page.date == dt.date(2014, 2, 16)
    assert page.body.startswith(b"<!doctype html>")
    assert page.origin == "example.arc.gz#record-2"


def test_the_chunked_body_is_dechunked() -> None:
    items = _read(_real("example-iana.org-chunked.warc"))
    pages = [i for i in items if isinstance(i, CrawlPage)]
    assert len(pages) == 1
    body = pages[0].body
    assert body.startswith(b"<!doctype html>")
    assert body.rstrip().endswith(b"</html>")
    assert b"\r\n0\r\n" not in body
    assert not body.startswith(b"001c37")
    assert pages[0].charset == "utf-8"


def test_the_revisit_of_a_page_in_the_same_file_names_it() -> None:
    items = _read(_real("example.warc.gz"))
    assert _reasons(items) == [
        "not-a-response",
        "not-a-response",
        "page",
        "not-a-response",
        "duplicate-url",
        "not-a-response",
    ]
    page, revisit = items[2], items[4]
    assert isinstance(page, CrawlPage)
    assert isinstance(revisit, Rejection)
    assert page.body.startswith(b"<!doctype html>")  # its gzip content-encoding undone
    assert "a revisit of record 3 (http://example.com/" in revisit.detail


# ---------------------------------------------------------------------------- written files


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """An HTTP response to write; ``raw`` is the whole HTTP message when given."""

    url: str
    body: bytes = PAGE
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    raw: bytes | None = None


def _write(path: Path, records: Sequence[Response | str], *, layout: str = "per-record") -> Path:
    """A WARC of ``records`` (a :class:`Response`, or the WARC type of another record:
    "warcinfo", "request", "metadata", "revisit-elsewhere", "resource-html"), gzip per
    record, uncompressed ("plain") or gzipped whole ("whole")."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=layout == "per-record")
    dated = {"WARC-Date": "2024-05-01T10:00:00Z"}
    for record in records:
        if isinstance(record, Response):
            if record.raw is not None:
                built = writer.create_warc_record(
                    record.url, "response", payload=io.BytesIO(record.raw), warc_headers_dict=dated
                )
            else:
                http = StatusAndHeaders(record.status, list(record.headers), protocol="HTTP/1.1")
                built = writer.create_warc_record(
                    record.url,
                    "response",
                    payload=io.BytesIO(record.body),
                    http_headers=http,
                    warc_headers_dict=dated,
                )
        elif record == "warcinfo":
            built = writer.create_warcinfo_record(path.name, {"software": "storyline tests"})
        elif record == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "harbour.example")])
            built = writer.create_warc_record(
                "http://harbour.example/", "request", http_headers=http
            )
        elif record == "metadata":
            built = writer.create_warc_record(
                "http://harbour.example/",
                "metadata",
                payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
                warc_content_type="application/warc-fields",
            )
        elif record == "revisit-elsewhere":
            built = writer.create_revisit_record(
                "http://harbour.example/old",
                "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "http://harbour.example/old",
                "2019-01-01T00:00:00Z",
            )
        elif record == "resource-html":
            built = writer.create_warc_record(
                "http://harbour.example/notes.html",
                "resource",
                payload=io.BytesIO(PAGE),
                warc_content_type="text/html",
            )
        else:
            raise ValueError(record)
        writer.write_record(built)
    data = buffer.getvalue()
    path.write_bytes(gzip.compress(data) if layout == "whole" else data)
    return path


def _only(items: Sequence[Item]) -> Item:
    assert len(items) == 1
    return items[0]


def test_a_200_html_response_is_a_page(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.warc.gz", [Response(url="http://harbour.example/ferry")])
    page = _only(_read(path))
    assert isinstance(page, CrawlPage)
    assert page.origin == "one.warc.gz#record-1"
    assert page.url == "http://harbour.example/ferry"
    assert page.body == PAGE
    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert page.date == dt.date(2024, 5, 1)


def test_statuses_other_than_2xx_are_rejected_with_the_status(tmp_path: Path) -> None:
    records = [
        Response(url="http://harbour.example/gone", status="404 Not Found"),
        Response(
            url="http://harbour.example/moved",
            status="301 Moved Permanently",
            headers=(("Location", "http://harbour.example/new"), ("Content-Type", "text/html")),
        ),
        Response(url="http://harbour.example/error", status="503 Service Unavailable"),
    ]
    items = _read(_write(tmp_path / "status.warc.gz", records))
    assert _reasons(items) == ["http-status"] * 3
    details = [i.detail for i in items if isinstance(i, Rejection)]
    assert details == [
        "HTTP 404 Not Found",
        "HTTP 301 Moved Permanently: a redirect to http://harbour.example/new",
        "HTTP 503 Service Unavailable",
    ]


def test_a_non_html_body_is_rejected(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(40)
    records = [
        Response(
            url="http://harbour.example/a.png", body=png, headers=(("Content-Type", "image/png"),)
        ),
        Response(
            url="http://harbour.example/a.json",
            body=b"{}",
            headers=(("Content-Type", "application/json"),),
        ),
    ]
    items = _read(_write(tmp_path / "media.warc.gz", records))
    assert _reasons(items) == ["not-html", "not-html"]
    assert [i.detail for i in items if isinstance(i, Rejection)] == [
        "content type image/png",
        "content type application/json",
    ]


def test_a_body_without_content_type_is_sniffed(tmp_path: Path) -> None:
    records = [
        Response(url="http://harbour.example/bare", headers=()),
        Response(url="http://harbour.example/blob", body=b"\x00\x01binary", headers=()),
        Response(
            url="http://harbour.example/unknown",
            body=b"  \n<HTML><p>Council vote</p></HTML>",
            headers=(("Content-Type", "unknown/unknown"),),
        ),
    ]
    items = _read(_write(tmp_path / "sniff.warc.gz", records))
    assert _reasons(items) == ["page", "not-html", "page"]
    first = items[0]
    assert isinstance(first, CrawlPage)
    assert first.content_type is None
    assert first.charset is None
    assert isinstance(items[1], Rejection)
    assert "does not start like HTML" in items[1].detail


def test_a_later_response_for_the_same_url_is_a_duplicate(tmp_path: Path) -> None:
    records = [
        Response(url="http://harbour.example/gone", status="404 Not Found"),
        Response(url="http://harbour.example/gone"),  # the first page for the URL
        Response(url="http://harbour.example/gone", body=PAGE.replace(b"runs", b"stops")),
    ]
    items = _read(_write(tmp_path / "dup.warc.gz", records))
    assert _reasons(items) == ["http-status", "page", "duplicate-url"]
    last = items[2]
    assert isinstance(last, Rejection)
    assert last.detail == "http://harbour.example/gone was already read from record 2"


def test_content_encodings_are_undone(tmp_path: Path) -> None:
    brotli = io.BytesIO()
    with BrotliWriter(brotli) as writer:
        writer.write(PAGE)
    records = [
        Response(
            url="http://harbour.example/gz",
            body=gzip.compress(PAGE),
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        Response(
            url="http://harbour.example/br",
            body=brotli.getvalue(),
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "br")),
        ),
        Response(
            url="http://harbour.example/stored-decoded",
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        Response(
            url="http://harbour.example/broken",
            body=gzip.compress(PAGE)[:40],  # breaks off
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        Response(
            url="http://harbour.example/lzw",
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "compress")),
        ),
    ]
    items = _read(_write(tmp_path / "encoded.warc.gz", records))
    assert _reasons(items) == ["page", "page", "page", "undecodable", "undecodable"]
    assert [i.body for i in items[:3] if isinstance(i, CrawlPage)] == [PAGE] * 3
    details = [i.detail for i in items[3:] if isinstance(i, Rejection)]
    assert details[0].startswith("the gzip body breaks off after")
    assert details[1] == "the content-encoding 'compress' is not supported"


def test_a_chunked_body_is_dechunked_and_an_unchunked_one_kept(tmp_path: Path) -> None:
    chunked = (
        b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (PAGE[:40], PAGE[40:]))
        + b"0\r\n\r\n"
    )
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    records = [
        Response(url="http://harbour.example/chunked", raw=head + chunked),
        Response(url="http://harbour.example/plain", raw=head + PAGE),
    ]
    items = _read(_write(tmp_path / "chunked.warc", records, layout="plain"))
    assert [i.body for i in items if isinstance(i, CrawlPage)] == [PAGE, PAGE]


def test_records_that_are_not_responses_are_listed(tmp_path: Path) -> None:
    records: list[Response | str] = [
        "warcinfo",
        "request",
        Response(url="http://harbour.example/"),
        "metadata",
        "revisit-elsewhere",
        "resource-html",
    ]
    items = _read(_write(tmp_path / "kinds.warc.gz", records))
    assert _reasons(items) == [
        "not-a-response",
        "not-a-response",
        "page",
        "not-a-response",
        "revisit",
        "page",
    ]
    revisit = items[4]
    assert isinstance(revisit, Rejection)
    assert revisit.detail == (
        "a revisit of http://harbour.example/old captured 2019-01-01T00:00:00Z, "
        "whose record is not in this file"
    )
    resource = items[5]
    assert isinstance(resource, CrawlPage)
    assert resource.body == PAGE


def test_a_response_that_is_no_http_message_is_judged_by_its_record_type(
    tmp_path: Path,
) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for uri, content_type, body in (
        ("dns:harbour.example", "text/dns", b"20240501 harbour.example. 300 IN A 10.0.0.1\n"),
        ("urn:harbour:bare-page", "text/html", PAGE),  # no http: URI, so no HTTP parse
    ):
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), warc_content_type=content_type
        )
        writer.write_record(record)
    path = tmp_path / "bare.warc.gz"
    path.write_bytes(buffer.getvalue())
    items = _read(path)
    assert _reasons(items) == ["not-html", "page"]
    assert isinstance(items[0], Rejection)
    assert items[0].detail == "content type text/dns"


@pytest.mark.parametrize("layout", ["per-record", "plain", "whole"])
def test_each_gzip_layout_gives_the_same_items(tmp_path: Path, layout: str) -> None:
    records: list[Response | str] = [
        "warcinfo",
        Response(url="http://harbour.example/1"),
        Response(url="http://harbour.example/2", status="404 Not Found"),
        Response(
            url="http://harbour.example/3", body=b"GIF89a", headers=(("Content-Type", "image/gif"),)
        ),
        Response(url="http://harbour.example/1"),
    ]
    items = _read(_write(tmp_path / "layout.warc.gz", records, layout=layout))
    assert _reasons(items) == [
        "not-a-response",
        "page",
        "http-status",
        "not-html",
        "duplicate-url",
    ]
    assert [_record_number(i) for i in items] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("layout", ["per-record", "plain", "whole"])
def test_a_file_cut_anywhere_keeps_the_records_before_the_break(
    tmp_path: Path, layout: str
) -> None:
    full = _write(
        tmp_path / "full.warc.gz",
        [Response(url=f"http://harbour.example/{n}") for n in range(3)],
        layout=layout,
    ).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    kept = 0
    # every 5th byte from the middle of the file on: records break in their headers, their
    # bodies, their gzip members and trailers
    for end in range(len(full) // 2, len(full), 5):
        cut.write_bytes(full[:end])
        items = _read(cut)
        pages = [i for i in items if isinstance(i, CrawlPage)]
        assert [p.body for p in pages] == [PAGE] * len(pages)
        assert len(pages) >= kept  # what was kept at a shorter cut stays kept
        kept = len(pages)
        if len(items) == len(pages):  # cut between two records: nothing breaks off
            # the rest starts a record: its gzip member (gzip per record) or its header; the
            # record ids are random, so where the members end differs from run to run
            start = b"\x1f\x8b\x08" if layout == "per-record" else b"WARC/"
            assert full[end:].lstrip(b"\r\n").startswith(start), end
            continue
        assert len(items) == len(pages) + 1, (end, items)
        last = items[-1]
        assert isinstance(last, Rejection)
        assert last.reason is RejectionReason.TRUNCATED, (end, last)
    cut.write_bytes(full)
    assert _reasons(_read(cut)) == ["page"] * 3


def test_trailing_bytes_that_are_no_record_are_listed_once(tmp_path: Path) -> None:
    for layout, junk in (("plain", b"this is not a record\r\n\r\n"), ("per-record", b"junk")):
        path = _write(
            tmp_path / f"junk-{layout}.warc",
            [Response(url="http://harbour.example/")],
            layout=layout,
        )
        path.write_bytes(path.read_bytes() + junk)
        items = _read(path)
        assert _reasons(items) == ["page", "malformed"]
        last = items[1]
        assert isinstance(last, Rejection)
        assert last.item == path.name  # the file, not a record
        assert "the record before it is kept" in last.detail


@pytest.mark.parametrize("layout", ["per-record", "plain", "whole"])
def test_nul_padding_after_the_last_record_is_allowed(tmp_path: Path, layout: str) -> None:
    records = [Response(url=f"http://harbour.example/{n}") for n in range(2)]
    path = _write(tmp_path / "padded.warc.gz", records, layout=layout)
    path.write_bytes(path.read_bytes() + bytes(512))
    assert _reasons(_read(path)) == ["page", "page"]


def test_records_over_the_size_limit_are_rejected(tmp_path: Path) -> None:
    big = PAGE + b"<p>" + b"tide " * 400 + b"</p>"
    bomb = gzip.compress(b"<html>" + b" " * 50_000)
    records = [
        Response(url="http://harbour.example/big", body=big),
        Response(
            url="http://harbour.example/bomb",
            body=bomb,
            headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        ),
        Response(url="http://harbour.example/small"),
    ]
    items = _read(_write(tmp_path / "big.warc.gz", records), max_record_bytes=1_000)
    assert _reasons(items) == ["oversized", "oversized", "page"]


def test_an_empty_file_and_a_file_that_is_no_crawl(tmp_path: Path) -> None:
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    assert [(i.reason, i.item) for i in _read(empty) if isinstance(i, Rejection)] == [
        (RejectionReason.EMPTY_TEXT, "empty.warc")
    ]
    other = tmp_path / "notes.warc"
    other.write_bytes(b"Harbour council minutes\n")
    (item,) = _read(other)
    assert isinstance(item, Rejection)
    assert item.reason is RejectionReason.UNSUPPORTED_FORMAT
    assert item.detail == "not a WARC or ARC file (it starts with 'Harbour council ')"
    missing = tmp_path / "missing.warc"
    assert _reasons(_read(missing)) == ["unreadable"]


def test_an_arc_file_gzipped_whole_and_cut(tmp_path: Path) -> None:
    data = gzip.decompress(_real("example.arc.gz").read_bytes())
    whole = tmp_path / "whole.arc.gz"
    whole.write_bytes(gzip.compress(data))
    assert _reasons(_read(whole)) == ["not-a-response", "page"]
    plain = tmp_path / "cut.arc"
    plain.write_bytes(data[: len(data) - 100])
    items = _read(plain)
    assert _reasons(items) == ["not-a-response", "truncated"]
    assert isinstance(items[1], Rejection)
    assert items[1].item == "cut.arc#record-2"


def test_looks_like_crawl(tmp_path: Path) -> None:
    per_record = _write(tmp_path / "a.warc.gz", [Response(url="http://harbour.example/")])
    plain = _write(tmp_path / "a.warc", [Response(url="http://harbour.example/")], layout="plain")
    whole = _write(
        tmp_path / "b.warc.gz", [Response(url="http://harbour.example/")], layout="whole"
    )
    for path in (per_record, plain, whole):
        assert looks_like_crawl(path.read_bytes()[:4096])
    assert looks_like_crawl(_real("example.arc.gz").read_bytes()[:4096])
    assert looks_like_crawl(gzip.decompress(_real("example.arc.gz").read_bytes())[:4096])
    assert not looks_like_crawl(PAGE)
    assert not looks_like_crawl(gzip.compress(PAGE))
    assert not looks_like_crawl(b"")
