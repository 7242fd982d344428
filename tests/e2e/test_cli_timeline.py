"""The real CLI as a subprocess: `storyline timeline`, the digest's timeline, `eval timelines`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import shared_path
from tests.e2e.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TXT = ROOT / "examples" / "harbor-bridge" / "txt"
SEEDS = shared_path("seeds")


def _seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS} (set STORYLINE_SHARED)")
    return SEEDS


def test_timeline_of_the_seeds_dates_the_meeting_from_all_three() -> None:
    result = run("timeline", _seeds(), "--quiet")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "## Timeline (" in out
    assert "## Summary" not in out
    entry = out.split("### 2017-05-29")[1].split("### ")[0]
    bullets = [line for line in entry.splitlines() if line.startswith("- ")]
    assert 1 <= len(bullets) <= 2, "two sentences a date by default"
    assert all(line.rstrip().endswith("]") for line in bullets)
    assert "Dated from: “Monday” [1][2][3]" in entry
    assert "## Sources" in out


def test_timeline_size_options_bound_the_json_timeline() -> None:
    result = run(
        "timeline", _seeds(), "--dates", "2", "--sentences-per-date", "1", "--format", "json", "-q"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (story,) = data["stories"]
    timeline = story["timeline"]
    days = [entry["date"]["start"] for entry in timeline["entries"]]
    assert days == sorted(days)
    assert len(days) == 2
    assert "2017-05-29" in days
    assert all(len(entry["sentences"]) == 1 for entry in timeline["entries"])
    ids = {article["id"] for article in data["articles"]}
    for entry in timeline["entries"]:
        for expression in entry["evidence"]:
            assert expression["article_id"] in ids
            assert expression["text"]


@pytest.mark.parametrize("fmt", ["markdown", "json", "html"])
def test_every_digest_format_has_a_timeline(fmt: str) -> None:
    result = run("digest", EXAMPLE_TXT, "--format", fmt, "--quiet")
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        entries = json.loads(result.stdout)["stories"][0]["timeline"]["entries"]
        assert entries
        assert all(entry["sentences"] for entry in entries)
    elif fmt == "markdown":
        section = result.stdout.split("## Timeline")[1].split("\n## ")[0]
        assert "### " in section
        assert "Dated from: “" in section
    else:
        assert "Dated from:" in result.stdout


@pytest.mark.parametrize("option", ["--dates", "--sentences-per-date"])
def test_a_non_positive_timeline_size_is_a_usage_error(option: str) -> None:
    result = run("timeline", EXAMPLE_TXT, option, "0")
    assert result.returncode == 2
    assert "positive integer" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_timelines_scores_both_builders(tmp_path: Path) -> None:
    pytest.importorskip("tilse.evaluation.rouge", reason="tilse (evaluation extra) not installed")
    dataset = tmp_path / "tls.jsonl"
    docs = [
        {
            "id": "a1",
            "date": "2011-01-29",
            "title": None,
            "text": "Protesters stormed the palace in Cairo on Friday after noon prayers .",
        },
        {
            "id": "a2",
            "date": "2011-01-29",
            "title": None,
            "text": "The army moved into the streets of Cairo on Saturday morning .",
        },
    ]
    record = {
        "id": "cairo",
        "docs": docs,
        "timelines": [
            [
                {"date": "2011-01-28", "sentences": ["Protesters storm the palace ."]},
                {"date": "2011-01-29", "sentences": ["The army moves into the streets ."]},
            ]
        ],
        "timeline_names": ["cairo/tl1.txt"],
    }
    dataset.write_text(json.dumps(record) + "\n", encoding="utf-8")
    output = tmp_path / "timelines.jsonl"
    result = run("eval", "timelines", "--dataset", dataset, "--output", output, "--quiet")
    assert result.returncode == 0, result.stderr
    assert "date-F1" in result.stdout
    assert "AR-2 F" in result.stdout
    assert "tilse 0.2.1" in result.stdout
    assert "date-mention" in result.stdout
    assert "publication-centroid" in result.stdout
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["builder"] for line in lines] == ["date-mention", "publication-centroid"]
    assert lines[0]["date_f1"] == 1.0
    assert [entry["date"] for entry in lines[0]["timeline"]] == ["2011-01-28", "2011-01-29"]


def test_eval_timelines_with_a_missing_dataset_exits_1(tmp_path: Path) -> None:
    result = run("eval", "timelines", "--dataset", tmp_path / "absent.jsonl", "--quiet")
    assert result.returncode == 1
    assert "cannot read dataset" in result.stderr
