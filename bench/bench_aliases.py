"""Benchmark: alias merging on two fixed halves of the alias set (issue 13, point 2).

Input -> output: an alias set (``bench/data/aliases_multinews.jsonl`` by default; format in
``bench/data/README.md``) whose clusters are split by a fixed rule, the cluster ids sorted
and taken in turn (even positions -> ``dev``, odd positions -> ``held``), the rule recognizer
run over each cluster's documents from ``../shared/benchmarks`` -> pairwise merge P / R / F1
of each half and of all on stdout, then, with ``--misses dev`` (or ``held``), every missed
and wrongly merged pair of that half with whether each form was found, and a JSON record
(``bench/results/aliases.json`` unless ``--output`` is given).

The rules of ``digest/entities.py`` are developed on the ``dev`` half only; the ``held``
half is scored to report, never read for misses. There is no peer.

Usage: ``.venv/bin/python bench/bench_aliases.py [--dataset PATH] [--misses dev]
[--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.errors import EvaluationError
from storyline.evaluate.entities import (
    AliasCluster,
    AliasScores,
    evaluate_aliases,
    read_alias_clusters,
    sum_alias_scores,
)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dataset",
        type=Path,
        default=Path(__file__).parent / "data" / "aliases_multinews.jsonl",
    )
    parser.add_argument("--misses", choices=("dev", "held"), default=None)
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).parent / "results" / "aliases.json"
    )
    return parser.parse_args()


def halves(clusters: tuple[AliasCluster, ...]) -> dict[str, tuple[AliasCluster, ...]]:
    """The clusters in two halves: ids sorted, even positions ``dev``, odd ``held``."""
    ordered = sorted(clusters, key=lambda cluster: cluster.cluster)
    return {"dev": tuple(ordered[0::2]), "held": tuple(ordered[1::2])}


def _row(name: str, score: AliasScores) -> dict[str, object]:
    pairs = score.pairs
    return {
        "half": name,
        "clusters": score.cluster,
        "forms": score.forms,
        "found": score.found,
        "true_pairs": score.same,
        "precision": round(pairs.precision, 3),
        "recall": round(pairs.recall, 3),
        "f1": round(pairs.f1, 3),
        "distinct_merged": score.distinct_merged,
        "distinct": score.distinct,
    }


def main() -> int:
    args = _parse()
    clusters = read_alias_clusters(args.dataset)
    split = halves(clusters)
    started = time.process_time()
    try:
        scored = {
            name: evaluate_aliases(
                part, RuleEntityRecognizer(), quote_extractor=RuleQuoteExtractor()
            )
            for name, part in split.items()
        }
    except EvaluationError as error:
        print(f"missing: {error}", file=sys.stderr)
        return 1
    cpu = time.process_time() - started
    rows = []
    for name, scores in (*scored.items(), ("all", scored["dev"] + scored["held"])):
        total = sum_alias_scores(scores)
        rows.append(_row(name, total) | {"clusters": len(scores)})
    header = f"{'half':<5} {'clusters':>8} {'forms':>5} {'found':>5} {'pairs':>5}"
    print(f"{header}   P     R     F1  distinct")
    for row in rows:
        print(
            f"{row['half']:<5} {row['clusters']:>8} {row['forms']:>5} {row['found']:>5} "
            f"{row['true_pairs']:>5} {row['precision']:.3f} {row['recall']:.3f} {row['f1']:.3f} "
            f"{row['distinct_merged']}/{row['distinct']}"
        )
    print(f"cpu {cpu:.1f} s (quotes and entities)")
    if args.misses is not None:
        for score in scored[args.misses]:
            for kind, pairs in (("missed", score.missed), ("wrong", score.wrong)):
                for first, second in pairs:
                    print(f"{score.cluster} {kind}: {first!r} / {second!r}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    record = {"dataset": str(args.dataset), "split": "sorted ids, even=dev odd=held", "rows": rows}
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
