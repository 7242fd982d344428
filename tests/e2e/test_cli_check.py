"""`storyline check` and `storyline eval stance` through the real CLI, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import shared_path
from tests.e2e.test_cli import EXAMPLE_TXT, ROOT, SEEDS, run

STANCE = shared_path("benchmarks", "stance")
BRIDGE = "Inspectors warned the city about corrosion in the Gull Island Bridge's cables"


def _articles(stdout: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {item["article_id"]: item for item in json.loads(stdout)["articles"]}


def test_the_seeds_show_the_allegation_and_putin_s_denial() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds missing: {SEEDS}")
    claim = "Russia meddled in France's presidential election"
    result = run("check", claim, SEEDS, "--format", "json")
    assert result.returncode == 0, result.stderr
    articles = {key[:3]: value for key, value in _articles(result.stdout).items()}
    reported = [
        item["text"]
        for key in ("000", "001")
        for item in articles[key]["evidence"]
        if item["stance"] == "reports"
    ]
    assert any("allegations of Russian meddling" in text for text in reported)
    for key, words in (("000", "Putin denied that Moscow meddled"), ("004", "Putin has rejected")):
        assert articles[key]["stance"] == "denies"
        denials = [item for item in articles[key]["evidence"] if item["stance"] == "denies"]
        assert any(words in item["text"] for item in denials)
    markdown = run("check", claim, SEEDS)
    assert markdown.returncode == 0, markdown.stderr
    assert "**2 outlets deny" in markdown.stdout
    assert "Putin denied that Moscow meddled in France’s presidential election" in markdown.stdout


def test_the_example_corpus_shows_both_sides_with_offsets() -> None:
    result = run("check", BRIDGE, EXAMPLE_TXT, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    articles = _articles(result.stdout)
    assert articles["09_verrin-public-radio"]["stance"] == "denies"
    assert articles["12_coastline-press"]["stance"] == "denies"
    report = articles["06_civic-beat"]["evidence"][0]
    text = (EXAMPLE_TXT / "06_civic-beat.txt").read_text(encoding="utf-8")
    assert report["text"] in text
    assert report["end"] - report["start"] == len(report["text"])
    sides = {side["stance"]: side for side in data["sides"]}
    assert sides["denies"]["first_outlet"] == "09_verrin-public-radio"
    assert data["tally"].startswith("2 outlets deny")


def test_html_escapes_and_bad_items_are_rejected_not_raised(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run(
        "check",
        "<b>bridge</b> cables",
        EXAMPLE_TXT,
        broken,
        tmp_path / "gone.txt",
        "--format",
        "html",
    )
    assert result.returncode == 0, result.stderr
    assert "&lt;b&gt;bridge&lt;/b&gt;" in result.stdout
    assert "<b>bridge" not in result.stdout
    assert "Rejected items (2)" in result.stdout
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2_and_nothing_usable_exits_1(tmp_path: Path) -> None:
    empty = run("check", "  ", EXAMPLE_TXT)
    assert empty.returncode == 2
    assert "CLAIM is empty" in empty.stderr
    both = run("check", "a claim", EXAMPLE_TXT, "--store", str(tmp_path / "s.db"))
    assert both.returncode == 2
    missing = run("check", "a claim", tmp_path / "gone.txt")
    assert missing.returncode == 1
    assert "no usable article" in missing.stderr


def test_check_reads_a_stored_story(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    ingested = run("ingest", EXAMPLE_TXT, "--store", store, "--format", "json", "--quiet")
    assert ingested.returncode == 0, ingested.stderr
    result = run("check", BRIDGE, "--store", store, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert _articles(result.stdout)["09_verrin-public-radio"]["stance"] == "denies"
    listed = run("stories", "--store", store, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    story = json.loads(listed.stdout)["stories"][0]["id"]
    one = run("check", BRIDGE, "--store", store, "--story", story, "--format", "json")
    assert one.returncode == 0, one.stderr
    assert _articles(one.stdout)["12_coastline-press"]["stance"] == "denies"


def test_eval_stance_prints_the_targets() -> None:
    path = STANCE / "emergent_train.jsonl"
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    result = run("eval", "stance", "--dataset", path)
    assert result.returncode == 0, result.stderr
    assert "5-fold cross-validation grouped by claim" in result.stdout
    assert "target stance macro-F1 >= 0.75" in result.stdout
    assert "denial-word rule" in result.stdout


def test_eval_stance_rebuilds_the_shipped_model_byte_for_byte(tmp_path: Path) -> None:
    paths = [STANCE / "emergent_train.jsonl", STANCE / "claimdiff_train.jsonl"]
    if not all(path.is_file() for path in paths):
        pytest.skip(f"benchmark missing: {STANCE}")
    output = tmp_path / "model.json"
    result = run(
        "eval", "stance", "--dataset", paths[0], "--dataset", paths[1], "--write-model", output
    )
    assert result.returncode == 0, result.stderr
    shipped = ROOT / "src" / "storyline" / "digest" / "stance_model.json"
    assert output.read_bytes() == shipped.read_bytes()
