"""Clustering evaluation: B-cubed on hand-made partitions, reading both dataset shapes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import EvaluationError
from storyline.evaluate.clustering import bcubed, evaluate_clustering, read_labelled_stream
from storyline.stories.clusters import OnlineClusterer

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}


def test_the_gold_partition_scores_one() -> None:
    scores = bcubed([("a", "b", "c"), ("d", "e")], GOLD)
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


def test_one_story_of_everything_has_full_recall() -> None:
    scores = bcubed([("a", "b", "c", "d", "e")], GOLD)
    # precision: a, b, c see 3/5 of their story right, d and e 2/5
    assert scores.precision == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)
    assert scores.recall == 1.0


def test_singletons_have_full_precision() -> None:
    scores = bcubed([(item,) for item in GOLD], GOLD)
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx((3 * 1 / 3 + 2 * 1 / 2) / 5)


def test_a_mixed_partition_matches_the_per_item_definition() -> None:
    predicted = [("a", "b", "d"), ("c",), ("e",)]
    precision = (2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5
    recall = (2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2) / 5
    scores = bcubed(predicted, GOLD)
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.f1 == pytest.approx(2 * precision * recall / (precision + recall))


@pytest.mark.parametrize(
    ("predicted", "message"),
    [
        ([("a", "b"), ("b", "c", "d", "e")], "more than one"),
        ([("a", "b", "c", "d", "e", "z")], "no gold label"),
        ([("a", "b", "c")], "in no story"),
    ],
)
def test_a_partition_that_does_not_cover_the_items_once_is_an_error(
    predicted: list[tuple[str, ...]], message: str
) -> None:
    with pytest.raises(EvaluationError, match=message):
        bcubed(predicted, GOLD)


def _write(path: Path, records: Sequence[Any]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_a_clustering_file_is_read_in_canonical_order_and_scored(tmp_path: Path) -> None:
    records = [
        {
            "id": "t2",
            "date": "2024-05-02",
            "title": "Quillon fraud trial: Zentrix accountant testifies",
            "text": "Quillon fraud trial: Zentrix accountant testifies",
            "label": "T",
        },
        {
            "id": "q1",
            "date": "2024-05-01",
            "title": "Valdoria earthquake hits Marrenburg",
            "text": "Valdoria earthquake hits Marrenburg",
            "label": "Q",
        },
        {
            "id": "q2",
            "date": "2024-05-01",
            "title": "Marrenburg counts dead after Valdoria earthquake",
            "text": "Marrenburg counts dead after Valdoria earthquake",
            "label": "Q",
        },
        {
            "id": "t1",
            "date": None,
            "title": None,
            "text": "Zentrix founder Quillon denies fraud at trial",
            "label": "T",
        },
    ]
    stream = read_labelled_stream(_write(tmp_path / "stream.jsonl", records))
    assert [article.id for article in stream.articles] == ["q1", "q2", "t2", "t1"]
    assert stream.articles[-1].published is None
    assert stream.articles[-1].title is None
    evaluation = evaluate_clustering(stream, OnlineClusterer())
    assert evaluation.stories == (("q1", "q2"), ("t2", "t1"))
    assert evaluation.bcubed.f1 == 1.0
    assert evaluation.adjusted_rand == 1.0
    assert (evaluation.found, evaluation.gold_stories, evaluation.articles) == (2, 2, 4)


def test_a_topic_file_labels_each_doc_with_its_topic(tmp_path: Path) -> None:
    topics = [
        {
            "id": "quake",
            "docs": [
                {
                    "id": "d1",
                    "date": "2010-01-12",
                    "title": None,
                    "text": "An earthquake struck Valdoria .",
                }
            ],
            "timelines": [],
        },
        {
            "id": "trial",
            "docs": [
                {
                    "id": "d2",
                    "date": "2010-01-11",
                    "title": None,
                    "text": "The Quillon trial began .",
                }
            ],
            "timelines": [],
        },
    ]
    stream = read_labelled_stream(_write(tmp_path / "topics.jsonl", topics))
    assert stream.labels == {"d1": "quake", "d2": "trial"}
    assert [article.id for article in stream.articles] == ["d2", "d1"]


def test_a_malformed_or_empty_file_is_an_evaluation_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="is not a clustering record"):
        read_labelled_stream(_write(tmp_path / "bad.jsonl", [{"id": "x", "text": "no label"}]))
    with pytest.raises(EvaluationError, match="holds no article"):
        read_labelled_stream(_write(tmp_path / "empty.jsonl", []))
    duplicate = [{"id": "x", "date": None, "text": "a", "label": "1"}] * 2
    with pytest.raises(EvaluationError, match="appears twice"):
        read_labelled_stream(_write(tmp_path / "twice.jsonl", duplicate))


def test_the_eval_clustering_command_prints_scores_and_writes_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from storyline.cli import main  # noqa: PLC0415

    records = [
        {
            "id": "q1",
            "date": "2024-05-01",
            "text": "Valdoria earthquake hits Marrenburg",
            "title": None,
            "label": "Q",
        },
        {
            "id": "q2",
            "date": "2024-05-01",
            "text": "Marrenburg earthquake: Valdoria counts dead",
            "title": None,
            "label": "Q",
        },
    ]
    dataset = _write(tmp_path / "stream.jsonl", records)
    output = tmp_path / "rows.jsonl"
    assert main(["eval", "clustering", "--dataset", str(dataset), "-o", str(output)]) == 0
    assert "B-cubed F1" in capsys.readouterr().out
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"story": 0, "articles": ["q1", "q2"], "labels": ["Q", "Q"]}]
    assert main(["eval", "clustering", "--dataset", str(tmp_path / "missing.jsonl")]) == 1
