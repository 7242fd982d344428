"""Quality gate: alias merging on the project's Multi-News alias set may not fall below pinned
floors (issue 13, point 2).

``bench/data/aliases_multinews.jsonl`` (25 clusters of Multi-News val250, labels in
``bench/data/README.md``), every cluster's documents read from ../shared as one story:
pairwise merge P 1.000, R 0.792, F1 0.884 and 0 of 18 look-alike pairs merged when the rules
of the alias22 session landed (0.763 before them; dev half 0.944, held-out half 0.800 by
``bench/bench_aliases.py``); R 0.883, F1 0.938 (dev half 0.951, held-out half 0.922) with the
rules of the alias25 session, unchanged by those of the alias26 session.
``bench/data/aliases_multinews_b.jsonl`` (a second set, labelled blind, development data of the
alias26 session): P 0.981, R 0.639, F1 0.774 and 3 of 27 look-alike pairs merged after the
alias25 session; P 0.979, R 0.763, F1 0.858 and 3 of 27 with the rules of the alias26 session.
``bench/data/aliases_multinews_c.jsonl`` (a third set, labelled blind, scored once on the alias26
rules: P 0.930, R 0.641, F1 0.759, 5 of 55; development data of the alias27 session). With the
rules of the alias27 session: first P 1.000, R 0.890, F1 0.942, 0 of 18; second P 0.989, R
0.780, F1 0.872, 2 of 27; third P 0.946, R 0.675, F1 0.788, 3 of 55.
``bench/data/aliases_multinews_d.jsonl`` (a fourth set, labelled blind, scored once on the alias27
rules: P 0.952, R 0.619, F1 0.750, 5 of 89; development data of the alias28 session). With the
rules of the alias28 session: first unchanged; second P 0.990, R 0.793, F1 0.880, 2 of 27; third
P 0.947, R 0.694, F1 0.801, 3 of 55; fourth P 0.958, R 0.714, F1 0.818, 4 of 89.
Floors are those scores rounded down by about 0.005; a floor may only be raised. About 1 s of
CPU a set. Without ../shared the gate is skipped with the reason shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.evaluate.entities import evaluate_aliases, read_alias_clusters, sum_alias_scores
from tests.builders import shared_path

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
MULTINEWS = shared_path("benchmarks", "multinews", "val250.jsonl")

# each set's file, its floors and the most look-alike pairs it may merge
GATES = {
    "first": (
        DATA / "aliases_multinews.jsonl",
        {"precision": 0.995, "recall": 0.885, "f1": 0.937},
        0,
    ),
    "second": (
        DATA / "aliases_multinews_b.jsonl",
        {"precision": 0.985, "recall": 0.788, "f1": 0.875},
        2,
    ),
    "third": (
        DATA / "aliases_multinews_c.jsonl",
        {"precision": 0.942, "recall": 0.689, "f1": 0.796},
        3,
    ),
    "fourth": (
        DATA / "aliases_multinews_d.jsonl",
        {"precision": 0.953, "recall": 0.709, "f1": 0.813},
        4,
    ),
}


@pytest.mark.parametrize("name", sorted(GATES))
def test_alias_merging_stays_above_its_floors(name: str) -> None:
    if not MULTINEWS.is_file():
        pytest.skip(f"benchmark missing: {MULTINEWS}")
    aliases, floors, most_distinct = GATES[name]
    scores = sum_alias_scores(
        evaluate_aliases(
            read_alias_clusters(aliases),
            RuleEntityRecognizer(),
            quote_extractor=RuleQuoteExtractor(),
            shared_dir=MULTINEWS.parents[2],
        )
    )
    pairs = scores.pairs
    measured = {"precision": pairs.precision, "recall": pairs.recall, "f1": pairs.f1}
    for measure, floor in floors.items():
        assert measured[measure] >= floor, f"{name} alias set {measure} {measured[measure]:.4f}"
    assert scores.distinct_merged <= most_distinct, f"{scores.distinct_merged} look-alikes merged"
