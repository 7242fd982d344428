"""Quality gate: benchmark scores may not fall below pinned floors.

The floors are the scores measured when each method landed, rounded down; a
change that lowers one fails here. A floor may only ever be raised. The data is
read from ../shared (never copied into the project); without it the gate is
skipped with the reason shown.
"""

from __future__ import annotations

import pytest

from storyline.config import Config
from storyline.evaluate import evaluate_summaries, read_clusters
from storyline.model import Budget
from storyline.registry import build_pipeline
from tests.builders import shared_path

MULTINEWS = shared_path("benchmarks", "multinews", "val250.jsonl")

# rouge-score 0.1.2, stemmed, F1 over the 250 clusters at 250 words.
MULTINEWS_FLOORS = {"rouge1": 46.5, "rouge2": 16.8, "rougeLsum": 42.6}
# The lead baseline, measured the same way: the summarizer must clearly beat it.
LEAD_ROUGE2 = 14.58


@pytest.mark.skipif(not MULTINEWS.is_file(), reason=f"benchmark not found at {MULTINEWS}")
def test_multinews_rouge_stays_above_its_floors() -> None:
    clusters = list(read_clusters(MULTINEWS))
    pipeline = build_pipeline(Config(), analyses=False)
    result = evaluate_summaries(clusters, pipeline, Budget(unit="words", limit=250))
    for name, floor in MULTINEWS_FLOORS.items():
        assert result.mean.f1[name] >= floor, f"{name} F1 {result.mean.f1[name]:.2f} < {floor}"
    assert result.mean.f1["rouge2"] >= LEAD_ROUGE2 + 2.0
