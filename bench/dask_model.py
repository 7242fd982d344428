"""A model, not a measurement: N articles on M machines, from the costs ``bench_dask.py`` measured.

Input -> output: the JSON record of ``bench/bench_dask.py`` (``bench/results/dask.json``
unless given) -> the modelled time of ingesting and digesting ``--articles`` (1,000,000)
articles with the Dask engine on ``--machines`` (10) machines of ``--cores`` (2) worker
processes each, the client and the scheduler on a machine of their own, over a network
of ``--network-mib`` (110 MiB/s, about 1 Gbit/s); printed, and written as JSON with
``--output``.

The model takes the Dask run of the largest measured size (N0 articles) and splits each
phase into its serial part, the command's own process (``main_cpu_seconds``: clustering,
the store's writes and the reading's check across files for the ingest; unpacking,
rendering, writing and recording each digest for the digest phase), and its parallel
part, the workers' CPU seconds (the rest of the phase's CPU). Each part grows with the
articles by the exponent measured between the two sizes of the record (the phase's CPU
exponent; linear when the record has one size), and (``--split RECORD``: for a record made
before the bench measured the main process's CPU, the serial shares of another's run):

- the parallel part is shared by the ``machines * cores`` workers;
- the serial part runs on one core, overlapping the workers (each digest is delivered as
  it comes), so a phase takes the longer of the two, never less than the largest story's
  digest (its articles, measured, grown by the exponent of the largest story's size
  between the two sizes, at the measured CPU per article of the digest phase);
- what travels back (the results' pickled bytes, measured by the engine) crosses the
  network to the client once, not overlapped (a pessimistic choice);
- the scheduler's cost per task (``--task-ms``, 1 ms: Dask's documented order of
  magnitude) is paid serially.

What the model leaves out: a PostgreSQL store's write rate (the measured writes are
SQLite's, on the client's disk), stragglers other than the largest story, workers'
start-up, and any change of the stories' size distribution beyond the measured growth.

Usage: ``python bench/dask_model.py [RECORD] [--articles 1000000] [--machines 10]
[--cores 2] [--network-mib 110] [--task-ms 1] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RECORD = REPO / "bench" / "results" / "dask.json"


def _exponent(small: float, large: float, ratio: float) -> float:
    if small <= 0 or large <= 0 or ratio <= 1:
        return 1.0
    return math.log(large / small) / math.log(ratio)


def _phase(
    measured: dict[str, Any],
    smaller: dict[str, Any] | None,
    *,
    scale: float,
    ratio: float,
    workers: int,
    network_mib: float,
    task_ms: float,
) -> dict[str, float]:
    """One phase at the modelled size: its serial and parallel seconds, transfer, tasks."""
    cpu, main = measured["cpu_seconds"], measured.get("main_cpu_seconds")
    if main is None:  # a record from before the split: the share given, else all serial
        main = cpu * measured.get("serial_share", 1.0)
    parallel = max(cpu - main, 0.0)
    growth = 1.0
    if smaller is not None:
        growth = _exponent(smaller["cpu_seconds"], cpu, ratio)
    factor = scale**growth
    tasks = measured.get("tasks", 0) * scale
    transfer = measured.get("received_mib", 0.0) * scale / network_mib
    serial = main * factor
    spread = parallel * factor / workers
    return {
        "exponent": round(growth, 3),
        "serial_seconds": round(serial, 1),
        "parallel_seconds": round(spread, 1),
        "transfer_seconds": round(transfer, 1),
        "scheduler_seconds": round(tasks * task_ms / 1000, 1),
        "tasks": round(tasks),
    }


def with_serial_shares(record: dict[str, Any], split: dict[str, Any]) -> dict[str, Any]:
    """``record`` with each Dask phase that lacks its main process's CPU given the serial
    share (main over total CPU) of that phase in ``split``'s largest Dask run."""
    reference = max(split["sizes"], key=lambda row: row["articles"])["dask"]
    for row in record["sizes"]:
        for name in ("ingest", "digest"):
            phase, known = row["dask"][name], reference[name]
            if "main_cpu_seconds" not in phase and known.get("cpu_seconds"):
                phase["serial_share"] = known["main_cpu_seconds"] / known["cpu_seconds"]
    return record


def model(
    record: dict[str, Any],
    *,
    articles: int,
    machines: int,
    cores: int,
    network_mib: float,
    task_ms: float,
) -> dict[str, Any]:
    rows = sorted(record["sizes"], key=lambda row: row["articles"])
    large = rows[-1]
    small = rows[0] if len(rows) > 1 else None
    measured_at = large["articles"]
    scale = articles / measured_at
    ratio = measured_at / small["articles"] if small is not None else 1.0
    workers = machines * cores
    dask, dask_small = large["dask"], small["dask"] if small is not None else None
    options: dict[str, Any] = {
        "ratio": ratio,
        "workers": workers,
        "network_mib": network_mib,
        "task_ms": task_ms,
    }
    ingest = _phase(
        dask["ingest"], dask_small["ingest"] if dask_small else None, scale=scale, **options
    )
    digest = _phase(
        dask["digest"], dask_small["digest"] if dask_small else None, scale=scale, **options
    )
    # the largest story bounds the digest phase: one task, one core
    largest = dask["digest"].get("largest_story_articles", 0)
    story_growth = 1.0
    if dask_small is not None and dask_small["digest"].get("largest_story_articles"):
        story_growth = _exponent(dask_small["digest"]["largest_story_articles"], largest, ratio)
    per_article = dask["digest"]["cpu_seconds"] - dask["digest"].get("main_cpu_seconds", 0.0)
    per_article /= max(measured_at, 1)
    largest_then = largest * scale**story_growth
    digest["largest_story_articles"] = round(largest_then)
    digest["largest_story_seconds"] = round(largest_then * per_article, 1)
    totals = {}
    for name, phase in (("ingest", ingest), ("digest", digest)):
        bound = max(
            phase["serial_seconds"],
            phase["parallel_seconds"],
            phase.get("largest_story_seconds", 0.0),
        )
        totals[name] = round(bound + phase["transfer_seconds"] + phase["scheduler_seconds"], 1)
    return {
        "model": True,
        "articles": articles,
        "machines": machines,
        "cores_per_machine": cores,
        "measured_at": measured_at,
        "ingest": ingest,
        "digest": digest,
        "phase_seconds": totals,
        "total_seconds": round(sum(totals.values()), 1),
        "total_hours": round(sum(totals.values()) / 3600, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record", nargs="?", type=Path, default=DEFAULT_RECORD)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--machines", type=int, default=10)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--network-mib", type=float, default=110.0)
    parser.add_argument("--task-ms", type=float, default=1.0)
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--split",
        type=Path,
        metavar="RECORD",
        help="a bench_dask record with the main process's CPU, whose serial shares stand in "
        "for a RECORD made before bench_dask measured them",
    )
    args = parser.parse_args()
    record = json.loads(args.record.read_text(encoding="utf-8"))
    if args.split is not None:
        record = with_serial_shares(record, json.loads(args.split.read_text(encoding="utf-8")))
    result = model(
        record,
        articles=args.articles,
        machines=args.machines,
        cores=args.cores,
        network_mib=args.network_mib,
        task_ms=args.task_ms,
    )
    print(f"MODEL (not a measurement), from the Dask run of {result['measured_at']:,} articles:")
    for name in ("ingest", "digest"):
        phase = result[name]
        print(
            f"  {name}: serial {phase['serial_seconds']:,.0f} s (the client's one core), "
            f"parallel {phase['parallel_seconds']:,.0f} s (over "
            f"{args.machines * args.cores} workers), transfer {phase['transfer_seconds']:,.0f} s, "
            f"scheduler {phase['scheduler_seconds']:,.0f} s ({phase['tasks']:,} tasks), "
            f"CPU exponent {phase['exponent']}"
            + (
                f"; largest story {phase['largest_story_articles']:,} articles, "
                f"{phase['largest_story_seconds']:,.0f} s"
                if "largest_story_seconds" in phase
                else ""
            )
            + f" -> {result['phase_seconds'][name]:,.0f} s"
        )
    print(
        f"  {result['articles']:,} articles on {args.machines} machines x {args.cores} cores: "
        f"about {result['total_seconds']:,.0f} s ({result['total_hours']} h)"
    )
    if args.output is not None:
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
