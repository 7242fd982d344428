"""Sensitivity: OnlineClusterer's B-cubed F1 on the three clustering sets, each parameter at
half, once and twice its default (the others at their defaults).

Input -> output: the UCI headlines, the Multi-News val stories and the Timeline17 topics
(``../shared/benchmarks/``) -> a table on stdout and a JSON record
(``bench/results/clusters_sensitivity.json`` unless ``--output`` is given). About 13
clusterer runs over the three sets: some 3 minutes of CPU on this machine.

Usage: ``.venv/bin/python bench/sensitivity_clusters.py [--output PATH]``.
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

from storyline.evaluate.clustering import evaluate_clustering, read_labelled_stream  # noqa: E402
from storyline.stories.clusters import OnlineClusterer  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "clusters_sensitivity.json"


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    settings: list[tuple[str, float, dict[str, Any]]] = [("default", 1.0, {})]
    for name, value in defaults.items():
        for factor in (0.5, 2.0):
            changed = value * factor
            if isinstance(value, int):
                changed = round(changed)
            if name == "threshold":
                changed = min(changed, 1.0)
            if name == "lead_weight":
                changed = max(changed, 1.0)
            settings.append((name, factor, {name: changed}))
    rows = []
    print(f"{'parameter':>12} {'x':>4} {'value':>7} " + " ".join(f"{n:>9}" for n in streams))
    for name, factor, options in settings:
        clusterer = OnlineClusterer(**options)
        scores = {n: evaluate_clustering(s, clusterer).bcubed.f1 for n, s in streams.items()}
        shown = options.get(name, "")
        rows.append({"parameter": name, "factor": factor, "value": shown, "bcubed_f1": scores})
        print(
            f"{name:>12} {factor:>4} {shown!s:>7} "
            + " ".join(f"{scores[n]:>9.3f}" for n in streams),
            flush=True,
        )
    record = {"benchmark": "clusters_sensitivity", "defaults": defaults, "rows": rows}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
