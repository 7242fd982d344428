"""Sensitivity: OnlineClusterer's B-cubed F1 on the three clustering sets, each parameter moved
over a grid of neighbouring values (the others at their defaults), and a transfer check.

Input -> output: the UCI headlines, the Multi-News val stories and the Timeline17 topics
(``../shared/benchmarks/``) -> a table on stdout and a JSON record
(``bench/results/clusters_sensitivity.json`` unless ``--output`` is given).

For each parameter the table gives the F1 of every value on the three sets (a flat row is
what one default configuration needs), then the transfer check: the value best on each set
alone and what that value gives on the other two. About 40 clusterer runs over the three
sets: some 15 minutes of CPU on this machine (Timeline17's long articles are most of it).
``--parameters a,b`` measures only those.

Usage: ``.venv/bin/python bench/sensitivity_clusters.py [--parameters NAMES] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

from storyline.evaluate.clustering import (  # noqa: E402
    LabelledStream,
    evaluate_clustering,
    read_labelled_stream,
)
from storyline.stories.clusters import OnlineClusterer  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "clusters_sensitivity.json"
GRID: dict[str, tuple[float, ...]] = {
    "threshold": (0.14, 0.16, 0.18, 0.2, 0.22, 0.25, 0.3),
    "size_weight": (0.0, 0.005, 0.01, 0.015, 0.02, 0.03),
    "undated_weight": (0.4, 0.5, 0.6, 0.7, 0.8, 1.0),
    "name_weight": (0.0, 1.0, 1.5, 2.0, 3.0, 4.0),
    "window_days": (15, 30, 60),
    "lead_words": (30, 60, 120),
    "lead_weight": (1.0, 1.5, 3.0, 6.0),
    "max_terms": (100, 200, 400),
}


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def _scores(streams: dict[str, LabelledStream], options: dict[str, Any]) -> dict[str, float]:
    clusterer = OnlineClusterer(**options)
    return {n: round(evaluate_clustering(s, clusterer).bcubed.f1, 4) for n, s in streams.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parameters", default=",".join(GRID))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    root = shared_root() / "benchmarks"
    paths = {
        "uci": root / "clustering" / "uci_head6k.jsonl",
        "multinews": root / "clustering" / "multinews_val250_stories.jsonl",
        "t17": root / "t17" / "t17_topics.jsonl",
    }
    streams = {name: read_labelled_stream(path) for name, path in paths.items() if path.is_file()}
    if not streams:
        print(f"no clustering benchmark under {root}: nothing to measure")
        return 0
    defaults = OnlineClusterer().parameters
    default_scores = _scores(streams, {})
    header = f"{'parameter':>15} {'value':>7} " + " ".join(f"{n:>9}" for n in streams)
    print(header)
    print(f"{'default':>15} {'':>7} " + " ".join(f"{default_scores[n]:>9.3f}" for n in streams))
    rows: list[dict[str, Any]] = []
    transfer: list[dict[str, Any]] = []
    for name in args.parameters.split(","):
        measured: dict[float, dict[str, float]] = {}
        integer = isinstance(defaults[name], int)
        for value in (int(v) if integer else v for v in GRID[name]):
            scores = default_scores if value == defaults[name] else _scores(streams, {name: value})
            measured[value] = scores
            rows.append({"parameter": name, "value": value, "bcubed_f1": scores})
            mark = "*" if value == defaults[name] else " "
            print(
                f"{name:>15} {value!s:>6}{mark} " + " ".join(f"{scores[n]:>9.3f}" for n in streams),
                flush=True,
            )
        for best_on in streams:
            value = max(measured, key=lambda v: (measured[v][best_on], -abs(v - defaults[name])))
            scores = measured[value]
            transfer.append(
                {"parameter": name, "best_on": best_on, "value": value, "bcubed_f1": scores}
            )
            others = ", ".join(f"{n} {scores[n]:.3f}" for n in streams if n != best_on)
            print(
                f"{'':>15} best on {best_on}: {value} ({scores[best_on]:.3f}); there {others}",
                flush=True,
            )
    record = {
        "benchmark": "clusters_sensitivity",
        "defaults": defaults,
        "default_bcubed_f1": default_scores,
        "rows": rows,
        "transfer": transfer,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
