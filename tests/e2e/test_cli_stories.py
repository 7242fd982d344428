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


def _digest(*options: str) -> subprocess.CompletedProcess[str]:
    paths = [str(STREAM / name) for name in ("feeds", "pages", "crawl")]
    return subprocess.run(
        [sys.executable, "-m", "storyline", "digest", *paths, "--quiet", "--words", "50", *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_digest_of_the_stream_writes_one_digest_per_story_of_the_index() -> None:
    listed = json.loads(_stories("--format", "json").stdout)["stories"]
    done = _digest("--format", "json", "--no-timings")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["version"] == 3
    stories = data["stories"]
    index_keys = ("id", "headline", "first", "last", "article_ids", "sources")
    assert [{key: s[key] for key in index_keys} for s in stories] == listed, "the same stories"
    assert len(stories) > 1
    for story in stories:
        assert story["digested"]
        members = set(story["article_ids"])
        cited = {
            citation["article_id"]
            for sentence in story["summary"]["sentences"]
            for citation in sentence["citations"]
        }
        assert cited, story["id"]
        assert cited <= members, f"{story['id']} cites only its own articles"
        for quote in story["quotes"]:
            assert set(quote["article_ids"]) <= members
    story_of = {article["id"]: article["story_id"] for article in data["articles"]}
    assert all(story_of[a] == s["id"] for s in stories for a in s["article_ids"])


def test_the_markdown_digest_starts_with_the_index_and_links_each_story() -> None:
    done = _digest()
    assert done.returncode == 0, done.stderr
    text = done.stdout
    index, _, rest = text.partition('<a id="story-1"></a>')
    assert "## Stories" in index
    rows = [line for line in index.splitlines() if line.startswith("| [story-")]
    assert len(rows) == text.count("<a id=")
    assert "## story-1: " in rest
    assert "### Summary" in rest
    assert "### Sources" in rest
    assert rest.count("## Rejected items") == 1


def test_min_articles_and_story_bound_what_is_digested() -> None:
    small = _digest("--min-articles", "4", "--format", "json", "--no-timings")
    assert small.returncode == 0, small.stderr
    stories = json.loads(small.stdout)["stories"]
    assert [s["digested"] for s in stories] == [len(s["article_ids"]) >= 4 for s in stories]
    assert not all(s["digested"] for s in stories)
    one = _digest("--story", "story-2", "--format", "json", "--no-timings")
    assert [s["id"] for s in json.loads(one.stdout)["stories"] if s["digested"]] == ["story-2"]
    missing = _digest("--story", "story-99")
    assert missing.returncode == 1
    assert missing.stderr.startswith("storyline: error: no story 'story-99'")
    assert "Traceback" not in missing.stderr


def test_the_html_digest_of_the_stream_has_an_article_per_story() -> None:
    done = _digest("--format", "html")
    assert done.returncode == 0, done.stderr
    page = done.stdout
    assert page.count('<article class="story"') == page.count('<tr data-story="')
    assert 'id="stories"' in page
    assert page.count('id="rejected"') == 1
