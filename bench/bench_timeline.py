"""Benchmark: storyline's timeline against the publication-centroid peer on Timeline17, one run.

Input -> output: the Timeline17 TLS JSONL of the shared benchmark area
(``../shared/benchmarks/t17/t17_topics.jsonl``, or ``$STORYLINE_SHARED``) -> a table on
stdout and a JSON record (``bench/results/timeline.json`` unless ``--output`` is given).

Both builders run in the same process on the same prepared topics (segmented and tagged
once per topic), with the tilse / news-tls protocol of :mod:`storyline.evaluate.timelines`:
date-F1, AR-1 F and AR-2 F (tilse 0.2.1, ``align_date_content_costs_many_to_one``), the
F1 of the precision and recall averaged over the 19 timelines as news-tls reports them,
and the mean of per-timeline F1. Times: preparation (shared), building per builder, and
scoring, apart. ``--rouge perl`` uses the ROUGE-1.5.5 script bundled with tilse (slow).

Usage: ``.venv/bin/python bench/bench_timeline.py [--rouge python|perl] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from storyline.digest.timeline import DateMentionTimelineBuilder, PublicationCentroidTimelineBuilder
from storyline.evaluate.timelines import (
    TimelineEvaluation,
    evaluate_timelines,
    read_timeline_topics,
)
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter
from storyline.text.temporal import RuleTimeTagger

REPO = Path(__file__).resolve().parents[1]


def _shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def _record(evaluation: TimelineEvaluation) -> dict[str, Any]:
    return {
        "mean": dataclasses.asdict(evaluation.mean),
        "mean_of_f1": dataclasses.asdict(evaluation.mean_of_f1),
        "preparation_seconds": round(evaluation.preparation_seconds, 3),
        "build_seconds": round(evaluation.build_seconds, 3),
        "score_seconds": round(evaluation.score_seconds, 3),
        "timelines": [
            {
                "topic": result.topic_id,
                "reference": result.reference,
                "date_f1": round(result.scores.dates.f1, 4),
                "ar1_f1": round(result.scores.rouge1.f1, 4),
                "ar2_f1": round(result.scores.rouge2.f1, 4),
            }
            for result in evaluation.results
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rouge", choices=("python", "perl"), default="python")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "timeline.json")
    args = parser.parse_args()
    dataset = _shared_root() / "benchmarks" / "t17" / "t17_topics.jsonl"
    if not dataset.is_file():
        print(f"Timeline17 not found at {dataset}: nothing to measure", file=sys.stderr)
        return 0
    evaluations = evaluate_timelines(
        list(read_timeline_topics(dataset)),
        {
            "date-mention": DateMentionTimelineBuilder(fact_grouper=LexicalFactGrouper()),
            "publication-centroid": PublicationCentroidTimelineBuilder(),
        },
        segmenter=RuleSegmenter(),
        tagger=RuleTimeTagger(),
        rouge=args.rouge,
    )
    print(
        f"{'builder':22} {'date-F1':>8} {'AR-1 F':>8} {'AR-2 F':>8} {'build s':>8} {'score s':>8}"
    )
    for evaluation in evaluations:
        mean = evaluation.mean
        print(
            f"{evaluation.builder:22} {mean.dates.f1:8.3f} {mean.rouge1.f1:8.4f} "
            f"{mean.rouge2.f1:8.4f} {evaluation.build_seconds:8.1f} {evaluation.score_seconds:8.1f}"
        )
    print(f"preparation (shared): {evaluations[0].preparation_seconds:.1f} s")
    print(f"scorer: {evaluations[0].scorer}")
    record = {
        "python": platform.python_version(),
        "tilse": version("tilse"),
        "cpus": os.cpu_count(),
        "dataset": dataset.name,
        "scorer": evaluations[0].scorer,
        "builders": {evaluation.builder: _record(evaluation) for evaluation in evaluations},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
