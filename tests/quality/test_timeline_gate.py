"""Quality gate: Timeline17 date-F1 and AR-2 may not fall below pinned floors.

The floors are the scores of :class:`~storyline.digest.timeline.DateMentionTimelineBuilder`
when the day-before share of same-day mentions landed (date-F1 0.5718, AR-2 0.0397
with tilse 0.2.1's pure-Python ROUGE over the 19 reference timelines; 0.565 and 0.0388
before), rounded down; a floor may only be raised. The run takes about 30 s on 2
cores (segmenting and tagging 4,624 articles, building 19 timelines, scoring them).
The data is read from ../shared (never copied into the project); without it, or
without tilse, the gate is skipped with the reason shown.
"""

from __future__ import annotations

import importlib.util

import pytest

from storyline.digest.timeline import DateMentionTimelineBuilder
from storyline.evaluate.timelines import evaluate_timelines, read_timeline_topics
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter
from storyline.text.temporal import RuleTimeTagger
from tests.builders import shared_path

T17 = shared_path("benchmarks", "t17", "t17_topics.jsonl")

# tilse 0.2.1, pure-Python ROUGE, news-tls averaging (F1 of mean precision and recall).
T17_FLOORS = {"date_f1": 0.570, "ar2_f1": 0.0395}


@pytest.mark.skipif(not T17.is_file(), reason=f"benchmark not found at {T17}")
@pytest.mark.skipif(importlib.util.find_spec("tilse") is None, reason="tilse is not installed")
def test_timeline17_scores_stay_above_their_floors() -> None:
    (evaluation,) = evaluate_timelines(
        list(read_timeline_topics(T17)),
        {"date-mention": DateMentionTimelineBuilder(fact_grouper=LexicalFactGrouper())},
        segmenter=RuleSegmenter(),
        tagger=RuleTimeTagger(),
        rouge="python",
    )
    assert len(evaluation.results) == 19
    date_f1, ar2_f1 = evaluation.mean.dates.f1, evaluation.mean.rouge2.f1
    assert date_f1 >= T17_FLOORS["date_f1"], f"date-F1 {date_f1:.4f} < {T17_FLOORS['date_f1']}"
    assert ar2_f1 >= T17_FLOORS["ar2_f1"], f"AR-2 F1 {ar2_f1:.4f} < {T17_FLOORS['ar2_f1']}"
