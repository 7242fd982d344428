"""Benchmark: OnlineClusterer's time and peak memory as the stream grows, up to 100,000 headlines.

Input -> output: the UCI headlines (``../shared/benchmarks/clustering/uci_head6k.jsonl``,
6,366 headlines over three days), replicated and perturbed to each size -> a table on
stdout and a JSON record (``bench/results/clusters.json`` unless ``--output`` is given).

Replica ``r`` of the headlines is published ``3 r`` days later (the base covers three days,
so the stream keeps UCI's density, about 2,100 headlines a day, for 48 days at 100,000) and
every capitalised word in it carries the tag ``r`` (``Plosser`` -> ``Plosserq3``), so each
replica brings new names, hence new stories, while the everyday vocabulary stays that of
real headlines; with the 30-day window about ten replicas are open at once. Without the
shared data, synthetic headlines (random words from a Zipf-distributed vocabulary, 80
topics a day) stand in.

Each size runs in a fresh interpreter (``--one N``): wall-clock and CPU seconds of
``OnlineClusterer().cluster`` alone (reading and building the articles excluded), and the
process's peak resident memory. The slope of log time against log size (least squares) is
the empirical exponent (1.0 is linear), of wall-clock and of CPU time (steadier on a
shared machine).

Usage: ``.venv/bin/python bench/bench_clusters.py [--sizes 6250,12500,25000,50000,100000]
[--output PATH]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402

from storyline.model import Article  # noqa: E402
from storyline.stories.clusters import OnlineClusterer  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "clusters.json"
DEFAULT_SIZES = (6_250, 12_500, 25_000, 50_000, 100_000)
_SHIFT_DAYS = 3  # the base covers three days: replicas follow one another
_CAPITALISED = re.compile(r"\b([A-Z][^\W\d_]+)")


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def _base_headlines() -> tuple[str, list[tuple[dt.date, str]]]:
    path = shared_root() / "benchmarks" / "clustering" / "uci_head6k.jsonl"
    if path.is_file():
        rows = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                rows.append((dt.date.fromisoformat(record["date"]), record["title"]))
        return "uci_head6k replicated", rows
    generator = random.Random(7)
    words = [f"w{rank}" for rank in range(20_000)]
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    rows = []
    for day in range(3):
        for topic in range(80):
            names = [f"Name{day}x{topic}x{k}" for k in range(3)]
            for _ in range(26):
                picked = generator.choices(words, weights, k=6) + generator.sample(names, 2)
                rows.append((dt.date(2014, 3, 10 + day), " ".join(picked)))
    return "synthetic headlines", rows


def stream(size: int) -> tuple[str, list[Article]]:
    """``size`` headlines: replicas of the base set, shifted a day and renamed each."""
    name, base = _base_headlines()
    articles: list[Article] = []
    replica = 0
    while len(articles) < size:
        for number, (date, title) in enumerate(base):
            if len(articles) == size:
                break
            text = _CAPITALISED.sub(rf"\1q{replica}", title) if replica else title
            article_id = f"r{replica}-{number}"
            articles.append(
                Article(
                    id=article_id,
                    text=text,
                    title=text,
                    source="bench",
                    origin=article_id,
                    published=date + dt.timedelta(days=_SHIFT_DAYS * replica),
                )
            )
        replica += 1
    return name, articles


def run_one(size: int) -> dict[str, float | int | str]:
    name, articles = stream(size)
    clusterer = OnlineClusterer()
    started, cpu = time.perf_counter(), time.process_time()
    clustering = clusterer.cluster(articles)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "input": name,
        "articles": size,
        "stories": len(clustering.stories),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    print(f"{'articles':>9} {'stories':>8} {'seconds':>8} {'cpu s':>8} {'peak MiB':>9}")
    for size in sizes:
        result = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(result.stdout)
        rows.append(row)
        print(
            f"{row['articles']:>9} {row['stories']:>8} {row['seconds']:>8.2f} "
            f"{row['cpu_seconds']:>8.2f} {row['peak_rss_mib']:>9.1f}",
            flush=True,
        )
    exponent = cpu_exponent = None
    if len(rows) >= 2:
        x = np.log([float(row["articles"]) for row in rows])
        y = np.log([max(float(row["seconds"]), 1e-6) for row in rows])
        exponent = round(float(np.polyfit(x, y, 1)[0]), 3)
        y = np.log([max(float(row["cpu_seconds"]), 1e-6) for row in rows])
        cpu_exponent = round(float(np.polyfit(x, y, 1)[0]), 3)
    largest = max(rows, key=lambda row: int(row["articles"]))
    record = {
        "benchmark": "clusters",
        "clusterer": "OnlineClusterer",
        "parameters": OnlineClusterer().parameters,
        "rows": rows,
        "loglog_exponent": exponent,
        "loglog_exponent_cpu": cpu_exponent,
        "largest": largest,
    }
    print(
        f"log-log exponent of time: {exponent}; {largest['articles']} headlines in "
        f"{largest['seconds']} s, peak {largest['peak_rss_mib']} MiB"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
