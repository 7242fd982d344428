"""``storyline stories`` through the real CLI: the example stream's story index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STREAM = REPO / "examples" / "stream"


def _stories(*options: str) -> subprocess.CompletedProcess[str]:
    paths = [str(STREAM / name) for name in ("feeds", "pages", "crawl")]
    return subprocess.run(
        [sys.executable, "-m", "storyline", "stories", *paths, "--quiet", *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_stream_is_listed_as_stories_with_every_article_once() -> None:
    done = _stories("--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "storyline.stories"
    answers = json.loads((STREAM / "answers.json").read_text(encoding="utf-8"))
    gold = {item["url"]: item["story"] for item in answers["items"] if "article" in item}
    listed = [article for story in data["stories"] for article in story["article_ids"]]
    assert len(listed) == len(set(listed)) == len(gold), "every article in exactly one story"
    sizes = [len(story["article_ids"]) for story in data["stories"]]
    assert sizes == sorted(sizes, reverse=True), "largest first"
    for story in data["stories"]:
        assert story["headline"]
        assert story["sources"]
        assert story["first"] <= story["last"]
    # the two water-main breaks, four months apart, are two stories
    spans = {(story["first"][:7], story["last"][:7]) for story in data["stories"]}
    assert ("2026-01", "2026-01") in spans
    assert ("2026-05", "2026-05") in spans
    reasons = {item["reason"] for item in data["rejected"]}
    assert {"http-status", "not-html", "duplicate-url", "no-main-text"} <= reasons


def test_the_markdown_index_has_a_row_a_story() -> None:
    done = _stories()
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| story-")]
    assert rows
    assert rows[0].startswith("| story-1 |")
