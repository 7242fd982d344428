"""Checks on the fictional example stream in examples/stream.

The committed files must equal a rebuild from examples/stream/source, every feed, page and crawl
record must parse with the libraries a reader would use (feedparser, lxml, warcio), and the
answer key (answers.json) must name every feed entry, saved page and crawl response exactly once,
each as an article of a known story or as a rejection with one of storyline's reasons. How
storyline itself ingests the stream is tested with the readers, not here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped, unused-ignore]
import lxml.html  # type: ignore[import-untyped, unused-ignore]
import pytest
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped, unused-ignore]

from storyline.model import RejectionReason

_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_STREAM = _EXAMPLES / "stream"
_BUILD = _EXAMPLES / "build_stream.py"
_WARC = "crawl/port-verrin-2026-05-08.warc.gz"


def _answers() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_STREAM / "answers.json").read_text(encoding="utf-8"))
    return loaded


def _run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(_BUILD), *args], capture_output=True, text=True, check=False
    )


def _generated(folder: str) -> list[Path]:
    return sorted((_STREAM / folder).iterdir())


def _page_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _warc_responses() -> list[tuple[int, int, Any, bytes]]:
    """(record index, offset, record, body) of every response record, in file order."""
    responses = []
    with (_STREAM / _WARC).open("rb") as handle:
        records = ArchiveIterator(handle)
        for index, record in enumerate(records):
            if record.rec_type == "response":
                body = record.content_stream().read()
                responses.append((index, records.get_record_offset(), record, body))
    return responses


def test_committed_stream_equals_a_rebuild() -> None:
    completed = _run_build("--check")
    assert completed.returncode == 0, completed.stderr


def test_check_names_a_stale_file(tmp_path: Path) -> None:
    copy = tmp_path / "stream"
    shutil.copytree(_STREAM, copy)
    feed = copy / "feeds" / "verrin-ledger.rss"
    feed.write_text(feed.read_text(encoding="utf-8").replace("Alder", "Elder"), encoding="utf-8")
    (copy / "pages" / "stray.html").write_text("<p>not made by the build</p>", encoding="utf-8")
    completed = _run_build(str(copy), "--check")
    assert completed.returncode == 1
    assert "feeds/verrin-ledger.rss" in completed.stderr
    assert "pages/stray.html (not made by the build)" in completed.stderr
    assert _run_build(str(copy)).returncode == 0
    assert _run_build(str(copy), "--check").returncode == 0
    assert not (copy / "pages" / "stray.html").exists()


@pytest.mark.parametrize(
    ("name", "version", "entries"),
    [
        ("verrin-ledger.rss", "rss20", 5),
        ("verrin-public-radio.rss", "rss20", 6),
        ("civic-beat.atom", "atom10", 4),
    ],
)
def test_xml_feeds_parse_cleanly(name: str, version: str, entries: int) -> None:
    parsed = feedparser.parse(str(_STREAM / "feeds" / name))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert len(parsed.entries) == entries
    full = [entry for entry in parsed.entries if entry.get("content")]
    assert 0 < len(full) < entries  # some entries whole, some a summary only
    for entry in parsed.entries:
        assert all(entry.get(key) for key in ("id", "link", "published_parsed"))


def test_json_feed_is_json_feed_1_1() -> None:
    feed = json.loads((_STREAM / "feeds" / "coastline-press.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    items = feed["items"]
    assert len(items) == 4
    assert {"content_html", "content_text"} <= {key for item in items for key in item}
    for item in items:
        assert all(item[key] for key in ("id", "url", "title", "authors"))
        assert "content_html" in item or "content_text" in item
        dt.datetime.fromisoformat(item["date_published"])
    assert sum(item.get("content_text") == item["summary"] for item in items) == 1


def test_saved_pages_parse_and_carry_their_metadata() -> None:
    urls = {item["file"]: item["url"] for item in _answers()["items"] if "entry" not in item}
    pages = _generated("pages")
    assert {path.suffix for path in pages} == {".html", ".gz"}
    for path in pages:
        data = _page_bytes(path)
        tree = lxml.html.document_fromstring(data)
        head = tree.head
        assert head.xpath("meta/@charset")
        assert head.xpath("link[@rel='canonical']/@href") == [urls[f"pages/{path.name}"]]
        assert head.xpath("meta[@property='og:title']/@content")
        assert head.xpath("meta[@name='author']/@content")
        published = head.xpath("meta[@property='article:published_time']/@content")
        assert dt.datetime.fromisoformat(published[0]).tzinfo is not None
        assert tree.xpath("//nav|//*[@id='menu']|//*[@class='menu']")
        assert tree.xpath("//*[@id='cookie-consent']")


def test_one_page_is_windows_1252_with_accented_names() -> None:
    data = (_STREAM / "pages" / "westbank-examiner_harbor-high-shelter.html").read_bytes()
    assert b'<meta charset="windows-1252">' in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    for name in ("Renée Duchâteau", "Inés Carvalho", "Joaquín Ibáñez", "Amélie Fournier"):
        assert name in text


def test_warc_records_parse() -> None:
    with (_STREAM / _WARC).open("rb") as handle:
        kinds = Counter(record.rec_type for record in ArchiveIterator(handle))
    assert kinds == {"warcinfo": 1, "request": 11, "response": 11}
    statuses: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for _, _, record, body in _warc_responses():
        statuses[record.http_headers.get_statuscode()] += 1
        content_type = record.http_headers.get_header("Content-Type")
        types[content_type.split(";")[0]] += 1
        assert record.rec_headers.get_header("WARC-Date").startswith("2026-05-08T")
        if content_type.startswith("text/html"):
            assert lxml.html.document_fromstring(body).xpath("//title")
        else:
            assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert statuses == {"200": 9, "404": 1, "301": 1}
    assert types == {"text/html": 10, "image/png": 1}


def _stream_items() -> list[tuple[str, str]]:
    """Every item of the stream as (file, key), read from the files themselves."""
    items = []
    for path in _generated("feeds"):
        name = f"feeds/{path.name}"
        if path.suffix == ".json":
            feed = json.loads(path.read_text(encoding="utf-8"))
            items += [(name, item["id"]) for item in feed["items"]]
        else:
            items += [(name, entry.id) for entry in feedparser.parse(str(path)).entries]
    items += [(f"pages/{path.name}", "") for path in _generated("pages")]
    items += [(_WARC, f"{index}@{offset}") for index, offset, _, _ in _warc_responses()]
    return items


def _answer_key(item: dict[str, Any]) -> tuple[str, str]:
    if "entry" in item:
        return item["file"], item["entry"]
    if "record" in item:
        return item["file"], f"{item['record']}@{item['offset']}"
    return item["file"], ""


def test_answers_cover_every_item_exactly_once() -> None:
    answers = _answers()
    keys = [_answer_key(item) for item in answers["items"]]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(_stream_items())


def test_every_item_is_an_article_of_a_story_or_a_known_rejection() -> None:
    answers = _answers()
    reasons = {reason.value for reason in RejectionReason}
    stories = answers["stories"]
    accepted: Counter[str] = Counter()
    for item in answers["items"]:
        assert ("story" in item) != ("rejection" in item), item
        if "story" in item:
            assert item["story"] in stories
            assert answers["articles"][item["url"]] == item["story"]
            accepted[item["url"]] += 1
        else:
            assert item["rejection"] in reasons
    assert set(accepted.values()) == {1}
    assert set(accepted) == set(answers["articles"])
    rejected = Counter(rejection["reason"] for rejection in answers["rejections"])
    assert rejected == {"no-main-text": 2, "not-html": 1, "http-status": 2, "duplicate-url": 1}


def test_rejected_records_are_what_the_key_says() -> None:
    by_key = {_answer_key(item): item for item in _answers()["items"]}
    seen: set[str] = set()
    for index, offset, record, body in _warc_responses():
        item = by_key[(_WARC, f"{index}@{offset}")]
        url = record.rec_headers.get_header("WARC-Target-URI")
        assert item["url"] == url
        status = record.http_headers.get_statuscode()
        if url in seen:
            assert item["rejection"] == "duplicate-url"
        elif not status.startswith("2"):
            assert item["rejection"] == "http-status"
        elif not record.http_headers.get_header("Content-Type").startswith("text/html"):
            assert item["rejection"] == "not-html"
        elif b"<p>" not in body.split(b"story-body", 1)[-1].split(b"</article>", 1)[0]:
            assert item["rejection"] == "no-main-text"
        else:
            assert "story" in item
        seen.add(url)


def test_stream_keeps_its_promises() -> None:
    answers = _answers()
    stories = answers["stories"]
    articles = [item for item in answers["items"] if "story" in item]
    assert len(stories) >= 7
    for label, story in stories.items():
        own = [item for item in articles if item["story"] == label]
        assert len(own) == len(story["articles"])
        assert 3 <= len(own) <= 6, label
        assert len({item["source"] for item in own}) >= 2, label
    # The two water-main breaks are the same kind of story, months apart.
    january = max(i["published"] for i in articles if i["story"] == "water-main-january")
    may = min(i["published"] for i in articles if i["story"] == "water-main-may")
    assert (dt.date.fromisoformat(may) - dt.date.fromisoformat(january)).days > 90
    # The harbor-bridge articles are the corpus's own texts, unchanged.
    for article_id in stories["harbor-bridge"]["articles"]:
        assert not (_STREAM / "source" / "txt" / f"{article_id}.txt").exists()
    assert any(item["partial"] for item in articles)
    size = sum(path.stat().st_size for path in _STREAM.rglob("*") if path.is_file())
    assert size < 300_000
