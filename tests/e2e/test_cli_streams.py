"""The real CLI on feeds, pages and crawls: the example stream and the real files in ../shared."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.builders import shared_path

REPO = Path(__file__).resolve().parents[2]
STREAM = REPO / "examples" / "stream"


def _digest_json(*paths: Path) -> dict[str, object]:
    options = ["--format", "json", "--quiet", "--no-timings", "--words", "80"]
    done = subprocess.run(
        [sys.executable, "-m", "storyline", "digest", *map(str, paths), *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def test_the_example_stream_ends_as_its_answer_key_says() -> None:
    answers = json.loads((STREAM / "answers.json").read_text(encoding="utf-8"))
    data = _digest_json(STREAM / "feeds", STREAM / "pages", STREAM / "crawl")
    articles = data["articles"]
    rejected = data["rejected"]
    assert isinstance(articles, list)
    assert isinstance(rejected, list)
    expected_urls = {item["url"] for item in answers["items"] if "article" in item}
    assert {article["url"] for article in articles} == expected_urls
    reasons = Counter(item["reason"] for item in rejected)
    expected = Counter(item["reason"] for item in answers["rejections"])
    assert reasons - Counter({"not-a-response": reasons["not-a-response"]}) == expected
    # the crawl's request and warcinfo records are listed too: every record is accounted for
    assert reasons["not-a-response"] == 12


@pytest.mark.parametrize("folder", ["feeds", "warc"])
def test_every_real_feed_entry_and_crawl_record_is_accounted_for(folder: str) -> None:
    path = shared_path("benchmarks", folder)
    if not path.is_dir():
        pytest.skip(f"real {folder} files missing: {path}")
    data = _digest_json(path)
    articles, rejected = data["articles"], data["rejected"]
    assert isinstance(articles, list)
    assert isinstance(rejected, list)
    assert articles, "the real files hold articles"
    for item in rejected:
        assert item["reason"], item
        assert item["detail"], item
    origins = [a["origin"] for a in articles] + [r["item"] for r in rejected]
    assert len(origins) == len(set(origins)), "each entry or record once"
    if folder == "feeds":
        # 55 + 15 + 15 + 25 + 24 + 25 entries (counted by the feed tests against lxml/json),
        # plus the one malformed-feed note on the ISO-8859-1 feed
        assert len(origins) == 159 + 1
    else:
        # 50 + 6 + 3 + 2 + 1 records (counted by the crawl tests against warcio)
        assert len(origins) == 62
