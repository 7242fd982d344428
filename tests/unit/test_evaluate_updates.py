"""Update evaluation: cuts in a topic's date range, the update against a plain digest of the
week, ROUGE against the week's reference sentences, repeats of the first digest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.config import Config
from storyline.errors import EvaluationError
from storyline.evaluate.timelines import read_timeline_topics
from storyline.evaluate.updates import evaluate_updates
from storyline.model import Budget
from storyline.registry import build_pipeline

OLD = (
    "Protesters stormed the palace in Cairo on Friday after a week of marches . "
    "Police fired tear gas at the crowd outside the palace gates on Friday night . "
)
NEW = (
    "The army moved tanks into the main square of Cairo on Monday morning . "
    "The president resigned on Monday evening and handed power to the army council . "
)


def write_topic(path: Path) -> Path:
    docs = [
        {"id": f"d{n}", "date": f"2011-01-{day:02d}", "title": None, "text": text}
        for n, (day, text) in enumerate(
            [
                (1, OLD + "Shops in the capital stayed closed all week long ."),
                (2, OLD + "Banks in the capital stayed shut until further notice ."),
                (10, OLD + NEW),  # the cut at 50%: day 10; its week: days 10 to 16
                (11, NEW + "Crowds celebrated in the square until dawn on Tuesday ."),
                (20, "Elections were promised for the autumn by the army council ."),
            ]
        )
    ]
    timelines = [
        [
            {"date": "2011-01-10", "sentences": ["The president resigned ."]},
            {"date": "2011-01-11", "sentences": ["Crowds celebrated in Cairo ."]},
            {"date": "2011-01-20", "sentences": ["Elections were promised ."]},
        ]
    ]
    record = {"id": "cairo", "docs": docs, "timelines": timelines, "timeline_names": ["t"]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_an_update_repeats_nothing_of_the_first_digest(tmp_path: Path) -> None:
    topics = list(read_timeline_topics(write_topic(tmp_path / "topic.jsonl")))
    pipeline = build_pipeline(Config(), analyses=False)
    evaluation = evaluate_updates(topics, pipeline, Budget(unit="words", limit=40))
    first, second = evaluation.cases
    assert (first.fraction, first.cut) == (0.5, dt.date(2011, 1, 10))
    assert (first.articles_before, first.articles_in_week, first.references) == (2, 2, 1)
    assert (second.fraction, second.cut) == (0.75, dt.date(2011, 1, 15))
    assert (second.articles_in_week, second.references) == (1, 1)
    assert evaluation.scored == evaluation.cases
    assert all("Protesters stormed" not in s.text for s in first.update.sentences)
    assert first.update_repeats == 0
    assert evaluation.update_repeat_rate == 0.0
    assert evaluation.update_rouge.f1["rouge1"] > 0
    assert set(evaluation.update_rouge.f1) == {"rouge1", "rouge2", "rougeLsum"}


def test_a_dataset_without_a_week_to_score_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    record = {
        "id": "one",
        "docs": [{"id": "d", "date": "2011-01-01", "title": None, "text": OLD}],
        "timelines": [[{"date": "2011-01-01", "sentences": ["x ."]}]],
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    pipeline = build_pipeline(Config(), analyses=False)
    with pytest.raises(EvaluationError, match="no topic has articles"):
        evaluate_updates(list(read_timeline_topics(path)), pipeline, Budget(unit="words", limit=40))
