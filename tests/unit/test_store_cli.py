"""The store's commands in-process (``storyline.cli.main``): output, exit codes, and every
error as one line on stderr, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "harbor-bridge" / "txt"


@pytest.fixture
def store(tmp_path: Path) -> str:
    location = str(tmp_path / "store.db")
    assert main(["ingest", str(EXAMPLE), "--store", location, "--quiet"]) == 0
    return location


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (("digest", "--story", "s-000000000000"), 1, "error: no story 's-000000000000'"),
        (("show", "missing-article"), 1, "error: no article 'missing-article'"),
        (("stories", "--search", "!!"), 2, "The search text must hold a word"),
        (("stories", str(EXAMPLE)), 2, "give PATH... or --store"),
        (("digest",), 2, "give PATH... [--story ID] or --story ID"),
        (("digest", str(EXAMPLE)), 2, "or --story ID [--store PATH|URL]"),
        (("stories", "--since", "yesterday"), 2, "must be a date YYYY-MM-DD"),
    ],
)
def test_errors_are_one_line(
    store: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], code: int, expected: str
) -> None:
    assert main([*args, "--store", store]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) <= 2  # a usage error adds "Try --help"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("mysql://u@h/db", "is neither a file path nor a postgresql:// URL"),
        ("postgresql://u:secret@127.0.0.1:1/db", "cannot open the store postgresql://u:***@"),
        ("postgresql://u:secret@h:port/db", "is not a valid store URL"),
    ],
)
def test_a_bad_store_url_is_one_line_without_its_password(
    capsys: pytest.CaptureFixture[str], location: str, expected: str
) -> None:
    assert main(["stories", "--store", location]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "secret" not in err
    assert len(err.strip().splitlines()) == 1


def test_ingest_counts_and_the_listing(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ingest", str(EXAMPLE), str(EXAMPLE / "none.txt"), "--store", store]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "new: 0",
        "already stored: 14 (id 14)",
        "rejected: 1 (not-found 1)",
        "stories: 0 new, 0 grown, 0 merged",
    ]
    assert main(["stories", "--store", store, "--format", "json"]) == 0
    (story,) = json.loads(capsys.readouterr().out)["stories"]
    assert main(["stories", "--store", store, "--search", "suspender cable"]) == 0
    assert f"| {story['id']} |" in capsys.readouterr().out
    assert main(["stories", "--store", store, "--search", "volcano"]) == 0
    assert "0 stories" in capsys.readouterr().out
    assert main(["show", story["article_ids"][0], "--store", store]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"# {story['article_ids'][0]}\n")
    assert f"- story: `{story['id']}`" in shown
    assert main(["show", "01_verrin-ledger", "--store", store, "--format", "json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["story"] == story["id"]
    assert article["text"].startswith("A steel suspender cable on the Gull Island Bridge")
    assert article["published"] == "2026-04-13"


def test_an_ingest_of_nothing_usable_fails_after_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = str(tmp_path / "store.db")
    assert main(["ingest", str(tmp_path / "missing"), "--store", location]) == 1
    captured = capsys.readouterr()
    assert "rejected: 1 (not-found 1)" in captured.out
    assert "no usable article" in captured.err


def test_a_story_digested_from_the_store_is_recorded_as_delivered(
    store_location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(EXAMPLE), "--store", store_location, "-q", "--format", "json"]) == 0
    (story_id,) = json.loads(capsys.readouterr().out)["stories"]["new"]
    digest = ["digest", "--story", story_id, "--store", store_location, "--sentences", "3"]
    assert main([*digest, "--format", "json", "--no-timings"]) == 0
    captured = capsys.readouterr()
    assert f"digest 1 of story {story_id} recorded as delivered" in captured.err
    with Store.open(store_location) as opened:
        (delivered,) = opened.digests(story_id)
    assert delivered.document == json.loads(captured.out)
    assert (delivered.budget.unit, delivered.budget.limit) == ("sentences", 3)
    assert main([*digest, "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# storyline digest\n")
    assert captured.err == ""


def test_reading_a_store_that_does_not_exist_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = str(tmp_path / "none.db")
    for args in (
        ["stories", "--store", location],
        ["show", "a", "--store", location],
        ["digest", "--story", "s-1", "--store", location],
        ["store", "upgrade", "--store", location],
    ):
        assert main(args) == 1
        assert capsys.readouterr().err == (
            f"storyline: error: there is no store at {location} (`storyline ingest` creates one)\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_every_story_is_digested_into_its_file_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = str(tmp_path / "stream.db")
    assert main(["ingest", str(ROOT / "examples" / "stream" / "feeds"), "--store", location]) == 0
    with Store.open(location) as opened:
        sizes = {story.id: len(story.article_ids) for story in opened.stories()}
    out = tmp_path / "digests"
    common = ["--format", "json", "--no-timings", "--store", location, "--quiet"]
    assert main(["digest", "--all", "--min-articles", "3", "-o", str(out), *common]) == 0
    chosen = sorted(story for story, size in sizes.items() if size >= 3)
    assert len(chosen) == 3
    assert sorted(path.stem for path in out.iterdir()) == chosen
    for story in chosen:  # the workers' digest is the one `digest --story` makes alone
        alone = tmp_path / f"{story}.json"
        assert main(["digest", "--story", story, "-o", str(alone), *common]) == 0
        assert (out / f"{story}.json").read_bytes() == alone.read_bytes()
    with Store.open(location) as opened:
        delivered = [digest.story_id for digest in opened.digests()]
    assert sorted(delivered[:3]) == chosen
    assert main(["digest", "--all", str(EXAMPLE), "--store", location]) == 2
    assert "storyline digest --all: give -o DIR" in capsys.readouterr().err
