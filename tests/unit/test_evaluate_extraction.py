"""Extraction scoring: the shingle metric on hand-made strings, the scorer, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.errors import EvaluationError
from storyline.evaluate.extraction import (
    page_records,
    score_extraction,
    shingle_counts,
    shingle_scores,
)
from storyline.model import Article, Rejection, RejectionReason
from tests.builders import shared_path

FUNDUS = shared_path("benchmarks", "html", "fundus_en", "gold.jsonl")


def test_shingles_are_lower_cased_word_4_grams_counted_as_a_multiset() -> None:
    assert shingle_counts("The cat sat on the MAT, the cat sat on") == {
        ("the", "cat", "sat", "on"): 2,
        ("cat", "sat", "on", "the"): 1,
        ("sat", "on", "the", "mat"): 1,
        ("on", "the", "mat", "the"): 1,
        ("the", "mat", "the", "cat"): 1,
        ("mat", "the", "cat", "sat"): 1,
    }
    assert shingle_counts("Two words") == {("two", "words"): 1}
    assert shingle_counts(" ... ") == {}


def test_shingle_precision_and_recall_on_tiny_strings() -> None:
    assert shingle_scores("a b c d e", "a b c d") == (1.0, 0.5)
    assert shingle_scores("a b c d", "Menu. A b c d e f") == (1 / 4, 1.0)
    assert shingle_scores("a b c d e", "") == (None, 0.0)
    assert shingle_scores("", "a b c d") == (0.0, None)
    # a shingle repeated in the extraction counts once against one in the gold
    assert shingle_scores("a b c d", "a b c d a b c d") == (1 / 5, 1.0)


def _gold_line(name: str, **fields: object) -> str:
    record: dict[str, object] = {
        "id": name,
        "url": f"https://gazette.example/{name}",
        "crawl_date": "2031-05-01 10:00:00",
        "html_path": f"{name}.html",
        "title": "",
        "text": "",
        "authors": [],
        "publishing_date": None,
    }
    return json.dumps(record | fields)


def test_the_scorer_averages_over_pages_and_counts_a_rejection_against_recall(
    tmp_path: Path,
) -> None:
    lines = [
        _gold_line("one", title="One", text="a b c d e", publishing_date="2031-04-08 23:00:00"),
        _gold_line("two", title="Two  words", text="f g h i", authors=["Ada Ferreira"]),
        _gold_line("three", title="Three", text="j k l m"),
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("one", "two", "three"):
        (tmp_path / f"{name}.html").write_bytes(name.encode())

    def reader(
        data: bytes, *, origin: str, url: str | None, fetched: dt.date | None
    ) -> Article | Rejection:
        assert fetched == dt.date(2031, 5, 1)
        assert url == f"https://gazette.example/{origin}"
        authors: tuple[str, ...]
        if data == b"one":
            text, title, published, authors = "a b c d", "One", dt.date(2031, 4, 9), ()
        elif data == b"two":
            text, title, published, authors = "f g h i", "Two words", None, ("ada ferreira",)
        else:
            return Rejection(item=origin, reason=RejectionReason.NO_MAIN_TEXT, detail="none")
        return Article(
            id=origin,
            text=text,
            source="s",
            origin=origin,
            title=title,
            published=published,
            authors=authors,
        )

    scores = score_extraction(gold, reader=reader, name="fake")
    assert (scores.extractor, scores.pages, scores.articles) == ("fake", 3, 2)
    assert scores.precision == pytest.approx(1.0)  # the rejected page gave no text
    assert scores.recall == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert scores.f1 == pytest.approx(2 * 0.5 / 1.5)
    assert scores.title_accuracy == pytest.approx(2 / 3)  # whitespace does not count
    assert (scores.date_accuracy, scores.date_within_day, scores.undated) == (0.0, 1.0, 2)
    assert scores.authors_f1 == pytest.approx(1.0)
    third = scores.rows[2]
    assert (third.outcome, third.detail, third.precision, third.recall) == (
        "no-main-text",
        "none",
        None,
        0.0,
    )
    records = page_records([scores])
    assert len(records) == 3
    assert records[0]["gold_published"] == "2031-04-08"
    json.dumps(records)


def test_a_malformed_gold_line_is_an_evaluation_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"gold\.jsonl:1"):
        score_extraction(gold)


@pytest.mark.skipif(not FUNDUS.is_file(), reason=f"benchmark missing: {FUNDUS}")
def test_the_cli_scores_storyline_and_the_peer_on_a_slice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "slice.jsonl"
    records = [json.loads(line) for line in FUNDUS.read_text(encoding="utf-8").splitlines()[:3]]
    for record in records:  # absolute paths: the pages stay in the shared folder
        record["html_path"] = str(FUNDUS.parent / record["html_path"])
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rows = tmp_path / "rows.jsonl"
    code = main(["eval", "extraction", "--dataset", str(gold), "--output", str(rows), "-q"])
    assert code == 0
    shown = capsys.readouterr().out
    assert "slice.jsonl: 3 pages" in shown
    assert "storyline" in shown
    assert "trafilatura-default" in shown
    lines = [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()]
    assert [line["extractor"] for line in lines] == ["storyline"] * 3 + ["trafilatura-default"] * 3
    assert {line["id"] for line in lines} == {record["id"] for record in records}


def test_the_cli_reports_a_missing_dataset_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["eval", "extraction", "--dataset", str(tmp_path / "none.jsonl"), "-q"])
    assert code == 1
    assert capsys.readouterr().err.count("\n") == 1
