"""The store through the real CLI, on real files: ingest, stories, show, digest --story and
store upgrade (the one-line errors are tested in-process in tests/unit/test_store_cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.store import Store
from tests.builders import shared_path
from tests.e2e.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "harbor-bridge" / "txt"
STREAM = ROOT / "examples" / "stream"
SEEDS = shared_path("seeds")


def ingest(store: str, *paths: str | Path) -> dict:  # type: ignore[type-arg]
    done = run("ingest", *paths, "--store", store, "--format", "json", "--quiet")
    assert done.returncode == 0, done.stderr
    data: dict = json.loads(done.stdout)  # type: ignore[type-arg]
    return data


def test_ingest_list_show_digest_and_search_the_store(tmp_path: Path) -> None:
    _list_show_digest_and_search(str(tmp_path / "store.db"))


def test_a_postgresql_store_through_the_cli(postgres_location: str) -> None:
    first = ingest(postgres_location, EXAMPLE)
    listed = run("stories", "--store", postgres_location, "--format", "json", "--quiet")
    assert listed.returncode == 0, listed.stderr
    (story,) = json.loads(listed.stdout)["stories"]
    assert [story["id"]] == first["stories"]["new"]
    assert len(story["article_ids"]) == 14


def _list_show_digest_and_search(store_location: str) -> None:
    first = ingest(store_location, EXAMPLE)
    assert first["counts"]["new"] == 14
    listed = run("stories", "--store", store_location, "--format", "json", "--quiet")
    assert listed.returncode == 0, listed.stderr
    (story,) = json.loads(listed.stdout)["stories"]
    assert story["id"] == first["stories"]["new"][0]
    assert len(story["article_ids"]) == 14

    digest = run(
        "digest", "--story", story["id"], "--store", store_location,
        "--words", "60", "--format", "json", "--no-timings",
    )  # fmt: skip
    assert digest.returncode == 0, digest.stderr
    assert f"recorded as delivered in {store_location}" in digest.stderr
    document = json.loads(digest.stdout)
    assert len(document["articles"]) == 14
    assert [s["id"] for s in document["stories"]] == [story["id"]], "the store's story id"
    assert {article["story_id"] for article in document["articles"]} == {story["id"]}
    with Store.open(store_location) as store:
        (delivered,) = store.digests(story["id"])
    assert delivered.document == document
    assert (delivered.budget.unit, delivered.budget.limit) == ("words", 60)

    # the example stream repeats four bridge reports in its feeds, under other ids
    report = ingest(store_location, *(STREAM / part for part in ("feeds", "pages", "crawl")))
    counts = report["counts"]
    assert counts["already_stored_by"] == {"content": 4}
    assert counts["new"] == 24
    assert {"http-status", "not-html", "duplicate-url", "no-main-text"} <= set(
        counts["rejected_by_reason"]
    )
    assert report["stories"]["grown"] == [story["id"]]
    found = run(
        "stories", "--store", store_location, "--search", "boil water", "--since", "2026-01-20"
    )
    assert found.returncode == 0, found.stderr
    rows = [line for line in found.stdout.splitlines() if line.startswith("| s-")]
    assert rows
    assert all("2026-01-19 |" not in row for row in rows)
    assert any("boil-water" in row for row in rows)


def test_the_seeds_come_in_two_ingests_and_stay_one_story(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared missing: {SEEDS}")
    store = str(tmp_path / "seeds.db")
    first = ingest(store, SEEDS / "000_efdf624d9a0f06d2.txt", SEEDS / "001_a25e4f94ef6d72b0.txt")
    second = ingest(store, SEEDS)
    assert first["counts"]["new"] == 2
    assert second["new"] == ["004_398f97218536d7fd"]
    assert second["counts"]["already_stored"] == 2
    assert second["stories"]["grown"] == first["stories"]["new"]


def test_a_file_that_is_no_store_is_left_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("a file of mine, not a store\n")
    before = notes.read_bytes()
    done = run("ingest", EXAMPLE, "--store", notes)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"storyline: error: {notes} is not a storyline store: not an SQLite database "
        "(left untouched)"
    ]
    assert notes.read_bytes() == before


def test_the_default_store_is_the_environments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "env.db"
    monkeypatch.setenv("STORYLINE_STORE", str(store))
    done = run("ingest", EXAMPLE, "--quiet")
    assert done.returncode == 0, done.stderr
    assert f"stored in {store} (run 1)" in done.stdout
    upgraded = run("store", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout == "the store is at schema version 0003 already\n"
