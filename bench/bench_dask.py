"""Benchmark: the local engine against a 2-worker Dask LocalCluster, on the same stream.

Input -> output: the synthetic stream of ``bench/make_stream.py`` (remixed from
``../shared/benchmarks/``, or ``$STORYLINE_SHARED``), N articles -> a table on stdout and
a JSON record (``bench/results/dask.json`` unless ``--output`` is given). Nothing is
written into the repository: the stream, the stores and the digests live in a temporary
directory (``--keep DIR`` to keep them and reuse the stream).

For each N (``--sizes``, default 10,000 and 100,000; ``--quick``: 300 articles) and each
engine, in the same run, through the real CLI, each phase a process of its own polled
every 50 ms (as ``bench_stream.py`` does):

1. **ingest**: ``storyline ingest`` of the N articles (files of 1,000 lines) into a new
   SQLite store, ``--engine local`` or ``--engine dask --workers 2`` (the files read as
   Dask tasks, clustering and the store's writes where the command runs);
2. **digest**: ``storyline digest --all --min-articles M --format json --no-timings``:
   every story of at least M articles (default 2), local (two story worker processes) or
   one Dask task a story, each task reading its story's articles from the store.

Reported per engine and phase: wall and CPU seconds (the process and the processes it
waited for; Dask's workers are the cluster's, counted by polling; and the command's own
process apart, the serial part), peak memory of the
process tree and the largest peak of any single process (``VmHWM``), the digests' count
and JSON size, and for Dask the engine's own count (its last line on stderr) of tasks,
bytes sent to the workers and bytes of results back (each pickled, as they travel); then
the Dask engine's time over the local engine's and whether the digests are the same
bytes; between sizes, the growth exponent of each (wall and CPU). Targets (issue 12): at
100,000 articles the LocalCluster at most 1.3x slower than the local engine, and under
2 GB in every process.

Usage: ``python bench/bench_dask.py [--sizes 10000,100000] [--quick] [--min-articles 2]
[--seed 1] [--output PATH] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_scale import _status_kb
from bench_stream import _environment, _split

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "bench" / "results" / "dask.json"
DEFAULT_SIZES = (10_000, 100_000)
_POLL = 0.05
ENGINES = {"local": ["--engine", "local"], "dask": ["--engine", "dask", "--workers", "2"]}


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants now (the children of every thread: Dask's nannies start
    their workers from threads other than the main one)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            threads = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                with open(f"/proc/{current}/task/{thread}/children", encoding="ascii") as kids:
                    pending.extend(int(child) for child in kids.read().split())
            except (OSError, ValueError):
                continue
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a live process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def monitored(command: list[str]) -> dict[str, Any]:
    """Run ``command``: wall seconds, CPU seconds of every process of its tree (the last
    reading of each process, plus what the command's own children reported on exit),
    peak memory of the tree at once and of its largest process, and its stderr."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=err, env=_environment()
        )
        tree_kb = single_kb = 0
        cpu: dict[int, float] = {}
        while True:
            held = 0
            for pid in _tree(process.pid):
                rss, hwm = _status_kb(pid, ("VmRSS:", "VmHWM:"))
                held += rss
                single_kb = max(single_kb, hwm)
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_seconds(pid))
            tree_kb = max(tree_kb, held)
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(_POLL)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command[:6])}... failed ({code}): {stderr.strip()[-2000:]}")
    own = usage.ru_utime + usage.ru_stime  # the command and the children it waited for
    main = cpu.pop(process.pid, 0.0)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(max(own, main + sum(cpu.values())), 2),
        # the command's own process, last read while it ran (its serial part: clustering,
        # the store's writes, rendering and writing the digests)
        "main_cpu_seconds": round(main, 2),
        "peak_tree_mib": round(tree_kb / 1024, 1),
        "peak_process_mib": round(single_kb / 1024, 1),
        "stderr": stderr,
    }


def run_engine(
    engine: str, batches: list[Path], work: Path, size: int, min_articles: int
) -> dict[str, Any]:
    """Ingest and digest the stream with one engine; its phases and where the digests are."""
    store, digests = work / f"store-{size}-{engine}.db", work / f"digests-{size}-{engine}"
    for leftover in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(digests, ignore_errors=True)
    cli = [sys.executable, "-m", "storyline"]
    ingest = monitored(
        [*cli, "ingest", *map(str, batches), "--store", str(store), *ENGINES[engine]]
    )
    options = ["--min-articles", str(min_articles), "--format", "json", "--no-timings"]
    target = ["-o", str(digests), *ENGINES[engine]]
    digest = monitored([*cli, "digest", "--all", "--store", str(store), *options, *target])
    files = sorted(digests.iterdir())
    for phase in (ingest, digest):
        phase.update(_traffic(phase.pop("stderr")))
    digest["stories"] = len(files)
    digest["digest_mib"] = round(sum(f.stat().st_size for f in files) / 2**20, 1)
    if files:  # the largest story's digest sets a bound on any engine's digest phase
        largest = max(files, key=lambda f: f.stat().st_size)
        document = json.loads(largest.read_text(encoding="utf-8"))
        digest["largest_story_articles"] = len(document["articles"])
    ingest["files"] = len(batches)
    total = ingest["seconds"] + digest["seconds"]
    return {
        "engine": engine,
        "ingest": ingest,
        "digest": digest,
        "total_seconds": round(total, 2),
        "total_cpu_seconds": round(ingest["cpu_seconds"] + digest["cpu_seconds"], 2),
        "peak_process_mib": max(ingest["peak_process_mib"], digest["peak_process_mib"]),
        "peak_tree_mib": max(ingest["peak_tree_mib"], digest["peak_tree_mib"]),
        "digests": str(digests),
    }


_TRAFFIC = re.compile(
    r"dask: ([\d,]+) tasks, ([\d,.]+) MiB sent to the workers, ([\d,.]+) MiB of results back"
)


def _traffic(stderr: str) -> dict[str, Any]:
    """The Dask engine's own count of its tasks and bytes (its last line on stderr), or
    nothing for the local engine."""
    found = _TRAFFIC.findall(stderr)
    if not found:
        return {}
    tasks, sent, received = (value.replace(",", "") for value in found[-1])
    return {"tasks": int(tasks), "sent_mib": float(sent), "received_mib": float(received)}


def _same_digests(first: Path, second: Path) -> bool:
    names = sorted(p.name for p in first.iterdir())
    if names != sorted(p.name for p in second.iterdir()):
        return False
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    return not mismatch and not errors and len(match) == len(names)


def run_size(size: int, *, min_articles: int, seed: int, work: Path) -> dict[str, Any]:
    stream = work / f"stream-{size}-seed{seed}.jsonl"
    if not stream.is_file():
        maker = [sys.executable, str(REPO / "bench" / "make_stream.py"), str(size)]
        subprocess.run(
            [*maker, "--output", str(stream), "--seed", str(seed)],
            check=True,
            env=_environment(),
        )
    batches, _ = _split(stream, size, 1_000, work / f"batches-{size}")
    runs = {name: run_engine(name, batches, work, size, min_articles) for name in ("local", "dask")}
    local, dask = runs["local"], runs["dask"]
    return {
        "articles": size,
        "min_articles": min_articles,
        "local": local,
        "dask": dask,
        "dask_over_local": round(dask["total_seconds"] / local["total_seconds"], 3),
        "digest_dask_over_local": round(dask["digest"]["seconds"] / local["digest"]["seconds"], 3),
        "same_digests": _same_digests(Path(local["digests"]), Path(dask["digests"])),
    }


def _exponent(small: dict[str, Any], large: dict[str, Any], engine: str) -> dict[str, float]:
    ratio = large["articles"] / small["articles"]
    exponents = {}
    for measure in ("total_seconds", "total_cpu_seconds"):
        grown = large[engine][measure] / small[engine][measure]
        exponents[measure.removeprefix("total_")] = round(math.log(grown) / math.log(ratio), 3)
    return exponents


def _print(row: dict[str, Any]) -> None:
    for engine in ("local", "dask"):
        run = row[engine]
        moved = "".join(
            f"; {phase}: {run[phase]['tasks']} tasks, {run[phase]['sent_mib']} MiB out, "
            f"{run[phase]['received_mib']} MiB back"
            for phase in ("ingest", "digest")
            if "tasks" in run[phase]
        )
        print(
            f"{row['articles']:>7} {engine:>5}: ingest {run['ingest']['seconds']:8.1f} s, "
            f"digest {run['digest']['seconds']:8.1f} s ({run['digest']['stories']} stories), "
            f"total {run['total_seconds']:8.1f} s wall / {run['total_cpu_seconds']:8.1f} s CPU; "
            f"largest process {run['peak_process_mib']:7.1f} MiB, "
            f"tree {run['peak_tree_mib']:7.1f} MiB{moved}"
        )
    print(
        f"{row['articles']:>7} dask / local: {row['dask_over_local']:.2f}x "
        f"(digest phase {row['digest_dask_over_local']:.2f}x); "
        f"digests the same bytes: {row['same_digests']}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--quick", action="store_true", help="300 articles: a smoke test")
    parser.add_argument("--min-articles", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--keep", type=Path, help="keep the stream, stores and digests here")
    args = parser.parse_args()
    sizes = [300] if args.quick else [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in sizes:
            rows.append(run_size(size, min_articles=args.min_articles, seed=args.seed, work=work))
            _print(rows[-1])
    record: dict[str, Any] = {"benchmark": "dask", "cores": os.cpu_count(), "sizes": rows}
    if len(rows) > 1:
        record["exponents"] = {
            engine: _exponent(rows[0], rows[-1], engine) for engine in ("local", "dask")
        }
        print(f"growth exponent {rows[0]['articles']} -> {rows[-1]['articles']}:", end=" ")
        print(", ".join(f"{k} {v}" for k, v in record["exponents"].items()))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0 if all(row["same_digests"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
