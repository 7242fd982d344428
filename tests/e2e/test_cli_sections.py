"""The real CLI: quotes, entities and their evaluations, and the sections of a digest."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import EXAMPLE_JSONL, ROOT, SEEDS, run


def test_quotes_command_prints_quotes_alone() -> None:
    result = run("quotes", EXAMPLE_JSONL, "--quiet")
    assert result.returncode == 0, result.stderr
    assert "## Who said what" in result.stdout
    assert "## Summary" not in result.stdout
    assert "## Who is involved" not in result.stdout
    assert "## Sources" in result.stdout


def test_entities_command_as_json_merges_aliases() -> None:
    result = run("entities", EXAMPLE_JSONL, "--format", "json", "--quiet")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (story,) = data["stories"]
    assert "summary" not in story
    assert "quotes" not in story
    answers = json.loads((ROOT / "examples" / "harbor-bridge" / "answers.json").read_text())
    mayor = next(e for e in answers["entities"] if "Ms Hollander" in e["aliases"])
    found = next(e for e in story["entities"] if e["name"] == mayor["name"])
    assert "Hollander" in found["aliases"], "honorifics are stripped, the surname merged"
    assert all(m["text"] for m in found["mentions"])


def test_digest_json_has_every_section() -> None:
    result = run("digest", EXAMPLE_JSONL, "--format", "json", "--quiet")
    data = json.loads(result.stdout)
    (story,) = data["stories"]
    for key in ("quotes", "entities", "coverage", "disagreements"):
        assert story[key], f"{key} is empty"
    assert story["summary"]["sentences"]
    assert story["timeline"]["entries"]
    assert any(len(item["sources"]) > 1 for item in story["coverage"])
    # one speaker for each entity: an organisation's other forms ("PVTA") speak by its name
    speakers = {quote["speaker"] for quote in story["quotes"]}
    for entity in story["entities"]:
        if entity["kind"] == "organisation" and entity["name"] in speakers:
            assert speakers.isdisjoint(entity["aliases"]), entity["name"]
    assert "Port Verrin Transit Authority" in speakers


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seeds not found at {SEEDS}")
def test_seed_disagreement_and_red_line_quote_in_json() -> None:
    data = json.loads(run("digest", SEEDS, "--format", "json", "--quiet").stdout)
    (story,) = data["stories"]
    red_line = next(q for q in story["quotes"] if q["text"].startswith("There is a clear red line"))
    assert red_line["speaker"] == "Emmanuel Macron"
    assert red_line["article_ids"] == ["000_efdf624d9a0f06d2", "001_a25e4f94ef6d72b0"]
    stances = {side["stance"] for item in story["disagreements"] for side in item["sides"]}
    assert {"reports", "denies"} <= stances  # Macron's aides "claimed": reported, not asserted
    cues = {
        text: cue
        for item in story["disagreements"]
        for side in item["sides"]
        for text, cue in zip(side["texts"], side["cues"], strict=True)
        if side["stance"] == "reports"
    }
    assert any("aides also claimed" in text and cue == "claimed" for text, cue in cues.items())


@pytest.mark.parametrize(
    ("kind", "dataset", "measure"),
    [
        ("quotes", "quotes_labelled.jsonl", "speaker accuracy"),
        ("entities", "entities_labelled.jsonl", "alias clustering"),
    ],
)
def test_eval_labelled_sets(kind: str, dataset: str, measure: str, tmp_path: object) -> None:
    result = run("eval", kind, "--dataset", ROOT / "tests" / "data" / dataset)
    assert result.returncode == 0, result.stderr
    assert measure in result.stdout


def test_eval_missing_dataset_is_one_line_error() -> None:
    result = run("eval", "summaries", "--dataset", ROOT / "nope.jsonl", "--words", "10")
    assert result.returncode == 1
    assert "cannot read dataset" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seeds not found at {SEEDS}")
def test_the_readme_sample_is_what_the_cli_prints_on_the_seeds() -> None:
    # the README shows `storyline digest ../shared/seeds --words 100` with lines left out
    # ("..."); every line it shows is in the real output, in the same order
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```markdown\n## Summary (100 words at most)")
    sample = readme[start : readme.index("```", start + 3)].splitlines()[1:]
    result = run("digest", SEEDS, "--words", "100", "--quiet")
    assert result.returncode == 0, result.stderr
    printed = result.stdout.replace(str(SEEDS), "../shared/seeds").splitlines()
    position = 0
    for line in sample:
        if line in ("...", ""):
            continue
        assert line in printed[position:], line
        position = printed.index(line, position) + 1
