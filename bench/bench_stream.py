"""Benchmark: a stream of N articles into the SQLite store, every story digested, 1,000 more.

Input -> output: the synthetic stream of ``bench/make_stream.py`` (remixed from
``../shared/benchmarks/``, or ``$STORYLINE_SHARED``), N + ``--more`` articles in
publication order -> a table on stdout and a JSON record (``bench/results/stream.json``
unless ``--output`` is given). Nothing is written into the repository: the stream, the
store and the digests live in a temporary directory (``--keep DIR`` to keep them).

For each N (``--sizes``, default 10,000 and 100,000; ``--quick``: 400 articles, batches
of 100, 100 more, a smoke test), each phase in a fresh process, polled every 50 ms:

1. **ingest**: the first N articles in batches of ``--batch`` (1,000; a store fed as the
   stream comes, not one transaction of N articles) into a new SQLite store, through
   :meth:`storyline.store.Store.ingest_all` (dedup against the store, clustering, writing;
   a worker process reads the next batch's words meanwhile);
   the seconds of each batch are kept, so that the first and the last batches show
   whether an ingest's cost grows with the store;
2. **digest**: ``storyline digest --all --min-articles M --format json`` (the real CLI,
   two story worker processes): every story of at least M articles (default 2: a story
   of one article is a lone report, whose digest is that article; every story of two or
   more is the honest count) digested into its file and recorded as delivered;
3. **+more**: the next ``--more`` (1,000) articles of the same stream, a later slice,
   ingested into the N-article store in one batch: the cost of 1,000 more articles.

Reported per phase: wall seconds, CPU seconds (the process and the workers it waited
for), peak memory of the process tree (the sum of the processes' ``VmRSS``, or the
largest ``VmHWM`` if higher, as ``bench_scale.py`` reads it) and of the main process
alone (its ``VmHWM``); articles per second; between the two sizes, the growth factor of
each phase's time and its log-log exponent (1.0 is linear). Targets (issue 10): 100,000
articles ingested and digested in under 10 minutes and 4 GB on 2 cores, growth at most
11x, the cost of 1,000 more independent of the store's size.

Usage: ``python bench/bench_stream.py [--sizes 10000,100000] [--quick] [--batch 1000]
[--more 1000] [--min-articles 2] [--no-digest] [--seed 1] [--output PATH] [--keep DIR]``
(a stream kept in ``--keep DIR`` is reused: the same count and seed give the same bytes).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_scale import _status_kb, _tree_memory_kb

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "bench" / "results" / "stream.json"
DEFAULT_SIZES = (10_000, 100_000)
_POLL = 0.05
# the digest phase when skipped (--no-digest): no time, no memory, no stories
_SKIPPED = {
    "seconds": 0.0,
    "cpu_seconds": 0.0,
    "peak_tree_mib": 0.0,
    "peak_main_mib": 0.0,
    "stories": 0,
    "articles_per_second": None,
    "skipped": True,
}


def _environment() -> dict[str, str]:
    """This checkout's sources first, so that the phases run the code beside this file."""
    environment = dict(os.environ)
    paths = [str(REPO / "src"), str(REPO / "bench")]
    if environment.get("PYTHONPATH"):
        paths.append(environment["PYTHONPATH"])
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    return environment


def _monitored(command: list[str]) -> dict[str, Any]:
    """Run ``command``; its wall and CPU seconds (with the children it waited for), peak
    memory of its process tree and of itself, and its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=_environment())
        tree_kb = main_kb = 0
        while True:
            held, largest = _tree_memory_kb(process.pid)
            tree_kb = max(tree_kb, held, largest)
            main_kb = max(main_kb, _status_kb(process.pid, ("VmHWM:",))[0])
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(_POLL)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command[:4])}... failed ({code}): {stderr.strip()[-2000:]}")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_tree_mib": round(tree_kb / 1024, 1),
        "peak_main_mib": round(main_kb / 1024, 1),
        "stdout": stdout,
    }


def _split(stream: Path, size: int, batch: int, directory: Path) -> tuple[list[Path], Path]:
    """The first ``size`` lines of ``stream`` as batch files of ``batch`` lines, the rest as
    one file."""
    directory.mkdir(parents=True, exist_ok=True)
    batches: list[Path] = []
    handle = None
    more = directory / "more.jsonl"
    with stream.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number % batch == 0 or number == size:
                if handle is not None:
                    handle.close()
                if number < size:
                    batches.append(directory / f"batch-{len(batches):05d}.jsonl")
                    handle = batches[-1].open("w", encoding="utf-8")
                else:
                    handle = more.open("w", encoding="utf-8")
            assert handle is not None
            handle.write(line)
    if handle is not None:
        handle.close()
    return batches, more


def ingest_files(store: str, paths: list[str]) -> list[dict[str, Any]]:
    """Ingest each file into the store in turn (one transaction each): its counts and
    seconds (what the ``ingest`` phase runs, in a process of its own)."""
    from storyline.ingest.files import FileIngestor  # noqa: PLC0415
    from storyline.store import Store  # noqa: PLC0415

    done = []
    with Store.open(store) as opened:
        corpora = (FileIngestor().ingest([path]) for path in paths)
        # several files: Store.ingest_all, whose worker reads the next file's words while
        # one is stored (its CPU seconds are in the phase's, not in a batch's)
        reports = opened.ingest_all(corpora) if len(paths) > 1 else map(opened.ingest, corpora)
        started, cpu = time.perf_counter(), time.process_time()
        for report in reports:
            counts = report.counts()
            done.append(
                {
                    "seconds": round(time.perf_counter() - started, 3),
                    "cpu_seconds": round(time.process_time() - cpu, 3),
                    "new": counts["new"],
                    "already_stored": counts["already_stored"],
                    "stories_new": counts["stories_new"],
                }
            )
            started, cpu = time.perf_counter(), time.process_time()
    return done


def _ingest_phase(store: Path, paths: list[Path]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--ingest", str(store), *map(str, paths)]
    phase = _monitored(command)
    phase["batches"] = json.loads(phase.pop("stdout"))
    phase["articles"] = sum(b["new"] + b["already_stored"] for b in phase["batches"])
    phase["articles_per_second"] = round(phase["articles"] / phase["seconds"], 1)
    return phase


def run_size(
    size: int, *, batch: int, more: int, min_articles: int, seed: int, work: Path, digest: bool
) -> dict[str, Any]:
    """Every phase for a stream of ``size`` articles (see the module docstring)."""
    stream = work / f"stream-{size + more}-seed{seed}.jsonl"
    generated = {"seconds": None}
    if not stream.is_file():  # a kept stream is reused: the same count and seed, the same bytes
        maker = [sys.executable, str(REPO / "bench" / "make_stream.py"), str(size + more)]
        generated = _monitored([*maker, "--output", str(stream), "--seed", str(seed)])
    batches, later = _split(stream, size, batch, work / f"batches-{size}")
    store, digests = work / f"store-{size}.db", work / f"digests-{size}"
    for leftover in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(digests, ignore_errors=True)
    ingest = _ingest_phase(store, batches)
    stories = _stories(store)
    made = _digest_phase(store, digests, size, min_articles) if digest else _SKIPPED
    plus = _ingest_phase(store, [later])
    first = ingest["batches"][: min(5, len(batches))]
    last = ingest["batches"][-min(5, len(batches)) :]
    total = ingest["seconds"] + made["seconds"]
    return {
        "articles": size,
        "batch": batch,
        "min_articles": min_articles,
        "generate_seconds": generated["seconds"],
        "store_mib": round(store.stat().st_size / 2**20, 1),
        "stories": stories,
        "ingest": ingest,
        "digest": made,
        "more": plus,
        "total_seconds": round(total, 2),
        "total_cpu_seconds": round(ingest["cpu_seconds"] + made["cpu_seconds"], 2),
        "total_articles_per_second": round(size / total, 1),
        "peak_tree_mib": max(ingest["peak_tree_mib"], made["peak_tree_mib"]),
        "first_batches_seconds": round(sum(b["seconds"] for b in first) / len(first), 3),
        "last_batches_seconds": round(sum(b["seconds"] for b in last) / len(last), 3),
        "more_seconds": plus["seconds"],
        "more_ingest_seconds": plus["batches"][0]["seconds"],
    }


def _digest_phase(store: Path, digests: Path, size: int, min_articles: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "storyline", "digest", "--all", "--store", str(store)]
    options = ["--min-articles", str(min_articles), "--format", "json", "--no-timings"]
    phase = _monitored([*command, *options, "-o", str(digests), "--quiet"])
    phase.pop("stdout")
    phase["stories"] = sum(1 for _ in digests.iterdir())
    phase["articles_per_second"] = round(size / phase["seconds"], 1)
    return phase


def _stories(store: Path) -> dict[str, int]:
    from storyline.store import Store  # noqa: PLC0415

    with Store.open(str(store), create=False) as opened:
        sizes = [len(story.article_ids) for story in opened.stories()]
    return {
        "all": len(sizes),
        "of_2_or_more": sum(size >= 2 for size in sizes),
        "largest": max(sizes, default=0),
    }


def _growth(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """Growth factor and log-log exponent of each phase's time between two sizes."""
    ratio = large["articles"] / small["articles"]
    found: dict[str, Any] = {"from": small["articles"], "to": large["articles"]}
    for name, small_s, large_s in (
        ("ingest", small["ingest"]["seconds"], large["ingest"]["seconds"]),
        ("digest", small["digest"]["seconds"], large["digest"]["seconds"]),
        ("total", small["total_seconds"], large["total_seconds"]),
        ("total_cpu", small["total_cpu_seconds"], large["total_cpu_seconds"]),
        ("more_1000", small["more_ingest_seconds"], large["more_ingest_seconds"]),
    ):
        if small_s > 0 and large_s > 0:
            factor = large_s / small_s
            exponent = round(math.log(factor) / math.log(ratio), 3)
            found[name] = {"factor": round(factor, 2), "exponent": exponent}
        else:  # a phase skipped
            found[name] = {"factor": None, "exponent": None}
    return found


def _print_row(row: dict[str, Any]) -> None:
    ingest, digest, plus = row["ingest"], row["digest"], row["more"]
    print(
        f"{row['articles']:>8} | ingest {ingest['seconds']:>7.1f} s "
        f"(cpu {ingest['cpu_seconds']:.1f}, {ingest['articles_per_second']:.0f}/s, "
        f"peak {ingest['peak_tree_mib']:.0f} MiB) "
        + (
            "| digest skipped "
            if digest.get("skipped")
            else f"| digest {digest['stories']} stories {digest['seconds']:>7.1f} s "
            f"(cpu {digest['cpu_seconds']:.1f}, {digest['articles_per_second']:.0f}/s, peak tree "
            f"{digest['peak_tree_mib']:.0f} MiB, main {digest['peak_main_mib']:.0f}) "
        )
        + f"| total {row['total_seconds']:.1f} s | +{plus['articles']}: "
        f"{row['more_ingest_seconds']:.2f} s (first batches {row['first_batches_seconds']:.2f}, "
        f"last {row['last_batches_seconds']:.2f})",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--quick", action="store_true", help="400 articles, a smoke test")
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--more", type=int, default=1_000)
    parser.add_argument("--min-articles", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--keep", type=Path, help="keep the stream, stores and digests here")
    parser.add_argument(
        "--no-digest", dest="digest", action="store_false", help="skip the digest phase"
    )
    parser.add_argument("--ingest", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest:
        print(json.dumps(ingest_files(args.ingest[0], args.ingest[1:])))
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.quick:
        sizes, args.batch, args.more = [400], 100, 100
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            row = run_size(
                size,
                batch=args.batch,
                more=args.more,
                min_articles=args.min_articles,
                seed=args.seed,
                work=work,
                digest=args.digest,
            )
            rows.append(row)
            _print_row(row)
    growth = [_growth(small, large) for small, large in itertools.pairwise(rows)]
    for step in growth:
        print(
            f"{step['from']} -> {step['to']}: "
            + ", ".join(
                f"{name} x{step[name]['factor']} (exponent {step[name]['exponent']})"
                for name in ("ingest", "digest", "total", "total_cpu", "more_1000")
            )
        )
    record = {"benchmark": "stream", "cores": os.cpu_count(), "rows": rows, "growth": growth}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
