"""Ingest: each file's format from its content, then its name; one run reads every format."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.config import IngestConfig
from storyline.errors import ConfigError
from storyline.ingest.files import FileIngestor, sniff_format
from storyline.model import RejectionReason

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry service resumes after repairs | Verrin Ledger</title>
<link rel="canonical" href="https://ledger.example/ferry-resumes">
<meta property="article:published_time" content="2026-05-04T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry service resumes after repairs</h1>
<p>The Gull Island ferry carried its first passengers in nine days on Monday morning, after
engineers replaced a cracked drive shaft that had kept the vessel tied up at the north pier.</p>
<p>Harbour master Lena Ostrova said the crossing would run every forty minutes until the
evening rush, and that the spare shaft ordered last winter had arrived just in time.</p>
<p>Commuters who had driven the long way round the bay said the week had added an hour to
each trip, and several asked the council to keep a second vessel on standby.</p>
</article><footer>Copyright Verrin Ledger</footer></body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Coastline Press</title><link>https://coast.example/</link>
<item><title>Ferry back in service</title><link>https://ledger.example/ferry-resumes</link>
<guid>coast-1</guid><pubDate>Mon, 04 May 2026 09:00:00 GMT</pubDate>
<description>The ferry is running again after nine days out of service.</description></item>
<item><title>Council weighs a second ferry</title><link>https://coast.example/second-ferry</link>
<guid>coast-2</guid><pubDate>Tue, 05 May 2026 09:00:00 GMT</pubDate>
<description>Councillors asked for a standby vessel after the nine-day outage of the
Gull Island ferry left commuters driving around the bay.</description></item>
</channel></rss>
"""


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "crawl"),
        (RSS.encode(), "feed"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}', "feed"),
        (PAGE.encode(), "html"),
        (b"\xef\xbb\xbf  <html><body>x</body></html>", "html"),
        (b'[{"id": "a", "text": "t"}]', "json"),
        (b'{"id": "a", "text": "t"}\n{"id": "b", "text": "u"}\n', "jsonl"),
        (b'{"id": "a", "text": "t"}', "json"),
        (b" date 2026-05-04 The ferry runs again.", None),
        (b"Plain words, no markup.", None),
    ],
)
def test_the_content_names_its_format(head: bytes, expected: str | None) -> None:
    assert sniff_format(head) == expected


def test_every_format_in_one_run_whatever_the_names(tmp_path: Path) -> None:
    _write(tmp_path, "ferry.html", PAGE)
    _write(tmp_path, "coast.xml", RSS)  # a feed named .xml
    _write(tmp_path, "page-without-extension", PAGE.replace("ferry-resumes", "ferry-2"))
    _write(tmp_path, "records.html", json.dumps([{"id": "j1", "text": "A JSON article."}]))
    _write(tmp_path, "note.txt", "[Updated] The ferry timetable changes on Monday.")
    _write(tmp_path, "zipped.html.gz", gzip.compress(PAGE.replace("ferry-resumes", "z").encode()))
    corpus = FileIngestor().ingest([tmp_path])
    by_origin = {article.origin: article for article in corpus.articles}
    reasons = {rejection.item: rejection.reason for rejection in corpus.rejections}
    assert set(by_origin) | set(reasons) >= {
        str(tmp_path / name)
        for name in ("ferry.html", "page-without-extension", "records.html[0]", "note.txt")
    }
    page = by_origin[str(tmp_path / "ferry.html")]
    assert page.url == "https://ledger.example/ferry-resumes"
    assert "drive shaft" in page.text
    assert "Home" not in page.text, "the navigation is not the article"
    assert by_origin[str(tmp_path / "records.html[0]")].text == "A JSON article."
    assert by_origin[str(tmp_path / "note.txt")].text.startswith("[Updated]"), "a .txt stays text"
    assert "drive shaft" in by_origin[str(tmp_path / "zipped.html.gz")].text
    entries = [a for a in corpus.articles if a.origin.startswith(str(tmp_path / "coast.xml"))]
    assert [a.title for a in entries] == ["Council weighs a second ferry"]
    # the feed's first entry is a summary of ferry.html's page: the full page wins
    assert RejectionReason.DUPLICATE_URL in reasons.values()
    accounted = len(corpus.articles) + len(corpus.rejections)
    assert accounted == 1 + 2 + 1 + 1 + 1 + 1, "every page, entry and record accounted for"


def test_a_file_of_no_known_kind_is_unsupported_not_an_article(tmp_path: Path) -> None:
    _write(tmp_path, "README", "Notes for whoever keeps this folder.")
    _write(tmp_path, "data.bin", b"\x00\x01\x02binary")
    corpus = FileIngestor().ingest([tmp_path])
    assert not corpus.articles
    assert {r.reason for r in corpus.rejections} == {RejectionReason.UNSUPPORTED_FORMAT}


def test_a_corrupt_gzip_is_malformed(tmp_path: Path) -> None:
    data = gzip.compress(PAGE.encode())
    _write(tmp_path, "broken.html.gz", data[: len(data) // 2])
    (rejection,) = FileIngestor().ingest([tmp_path]).rejections
    assert rejection.reason is RejectionReason.MALFORMED
    assert "gzip" in rejection.detail


def test_the_hint_forces_a_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "page.txt", PAGE)
    as_text = FileIngestor(config=IngestConfig(format="text")).ingest([path])
    assert as_text.articles[0].text.startswith("<!DOCTYPE html>")
    as_page = FileIngestor().ingest([path])
    assert "drive shaft" in as_page.articles[0].text
    assert "<p>" not in as_page.articles[0].text


def test_an_unknown_hint_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"'ingest\.format' parameter"):
        IngestConfig(format="pdf")


def test_the_cli_takes_a_format_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "feed.txt", RSS)
    code = main(["entities", str(path), "--format-hint", "feed", "--format", "json", "--quiet"])
    assert code == 0
    (story,) = json.loads(capsys.readouterr().out)["stories"]
    assert story["entities"]


def test_a_gzip_that_inflates_past_the_file_limit_is_oversized(tmp_path: Path) -> None:
    _write(tmp_path, "bomb.html.gz", gzip.compress(b" " * 20_000))
    corpus = FileIngestor(config=IngestConfig(max_file_bytes=10_000)).ingest([tmp_path])
    (rejection,) = corpus.rejections
    assert rejection.reason is RejectionReason.OVERSIZED
    assert "once decompressed" in rejection.detail
