"""Benchmark: how each stage of one digest grows with its input, and the pathological inputs.

Input -> output: the first N articles of Timeline17 (``../shared/benchmarks/t17/t17_topics.jsonl``,
or ``$STORYLINE_SHARED``; all topics' documents as one pile, in file order) for N = 250, 1,000
and all 4,624, plus the pathological inputs of :mod:`pathological` at half and full size -> a
table on stdout and a JSON record (``bench/results/scale.json`` unless ``--output`` is given).

Each input is digested as one story (so that one digest's growth is measured, whatever
stories the pile holds) by the real CLI (``storyline digest FILE --format json --one-story``)
in a fresh process, as a user runs it: wall time, CPU time (user + system, ``os.wait4``: the
CLI and the worker processes it waited for) and peak resident memory of the whole process
tree (the CLI and its workers, see :func:`_tree_memory_kb`), and the seconds of every stage from the
digest's ``run`` section. The quotes and entities stages run in worker processes beside the
core stages, so stage seconds overlap and add up to more than the wall time.
Growth is the log-log slope of a stage's time between consecutive
sizes and between the smallest and the largest; a stage that takes under ``--floor`` seconds
at the larger size is marked as too small to read a slope from (timer noise dominates there).
There is no peer: no other tool produces the same digest.

Targets (issue 8, 2 cores): all 4,624 articles in under 60 s and 2 GB; every stage's slope at
most 1.2; each pathological input under 10 s; 10,000 tiny articles under 30 s.

The stages run as the package is installed: compiled when the build of
:mod:`storyline.native` is current (the first line printed says which); ``--python-peer``
digests the largest pile once more with the Python modules, for the ratio.

Usage: ``.venv/bin/python bench/bench_scale.py [--sizes 250,1000,4624] [--skip-t17]
[--skip-pathological] [--python-peer] [--timeout SECONDS] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pathological
from storyline import native

REPO = Path(__file__).resolve().parents[1]
STORYLINE = Path(sys.executable).with_name("storyline")
SLOPE_TARGET = 1.2
TOTAL_TARGET_SECONDS = 60.0
MEMORY_TARGET_MB = 2048.0
PATHOLOGICAL_TARGET_SECONDS = 10.0
TINY_TARGET_SECONDS = 30.0

# Each pathological case at two sizes (half, full), the full one being the input.
PATHOLOGICAL_SIZES: Mapping[str, tuple[Callable[[int], Iterator[dict[str, str]]], int]] = {
    "tiny-articles": (pathological.tiny_articles, 10_000),
    "identical-sentences": (pathological.identical_sentences, 5_000),
    "templated-dates": (pathological.templated_dates, 2_500),
    "long-article": (pathological.long_article, 200_000),
    "no-punctuation": (pathological.no_punctuation, 1_000_000),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One digest of one input by the CLI in a fresh process."""

    case: str
    size: int
    articles: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    exit_code: int | None
    stages: Mapping[str, float] = field(default_factory=dict)
    error: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "size": self.size,
            "articles": self.articles,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "peak_mb": round(self.peak_mb, 1),
            "exit_code": self.exit_code,
            "stages": {name: round(value, 4) for name, value in self.stages.items()},
            "error": self.error,
        }


def _shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def _t17_articles(path: Path) -> list[dict[str, str]]:
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            topic = json.loads(line)
            for doc in topic["docs"]:
                articles.append(
                    {
                        "id": doc["id"],
                        "source": doc["id"].split("/")[0],
                        "published": doc["date"],
                        "title": doc.get("title") or "",
                        "text": doc["text"],
                    }
                )
    return articles


def _stage_seconds(document: Mapping[str, Any]) -> dict[str, float]:
    run = document.get("run")
    if isinstance(run, Mapping) and isinstance(run.get("timings"), Mapping):
        return {str(k): float(v) for k, v in run["timings"].items()}
    return {}


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """Resident memory of process ``pid`` and its descendants now: (sum of ``VmRSS``, largest
    ``VmHWM``), in KiB.

    The sum, polled, is the memory the run holds at once (an upper bound: pages of shared
    libraries count once per process); the largest high-water mark is exact for the process
    that holds it, between two polls too. Both are read from ``/proc`` rather than from
    ``ru_maxrss``: Linux carries a parent's peak into a forked child's ``ru_maxrss`` across
    ``exec``, so a benchmark that holds the whole pile in memory would read its own size as
    the child's; ``VmHWM`` belongs to the address space that ``exec`` creates.
    """
    total = largest = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        rss, hwm = _status_kb(current, ("VmRSS:", "VmHWM:"))
        total += rss
        largest = max(largest, hwm)
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total, largest


def _status_kb(pid: int, fields: tuple[str, ...]) -> tuple[int, ...]:
    """The given ``/proc/PID/status`` fields in KiB (0 for a process that is gone)."""
    found = dict.fromkeys(fields, 0)
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                name = line.split(maxsplit=1)[0] if line.strip() else ""
                if name in found:
                    found[name] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return tuple(found[name] for name in fields)


def digest(
    case: str, size: int, path: Path, articles: int, *, timeout: float, compiled: bool = True
) -> Run:
    """Digest ``path`` with the real CLI; time, peak RSS and stage seconds of that process.
    ``compiled=False`` runs the Python modules even when the compiled build is current
    (``STORYLINE_NATIVE=0``, see :mod:`storyline.native`)."""
    output = path.with_suffix(".digest.json")
    command = [str(STORYLINE), "digest", str(path), "--format", "json", "--quiet", "--one-story"]
    command += ["--output", str(output)]
    started = time.perf_counter()
    environment = {**os.environ, "STORYLINE_NATIVE": "1" if compiled else "0"}
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment
    )
    deadline = started + timeout
    status: int | None = None
    peak_kb = 0
    cpu = math.nan
    while True:
        held, largest = _tree_memory_kb(process.pid)
        peak_kb = max(peak_kb, held, largest)
        pid, wait_status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            cpu = usage.ru_utime + usage.ru_stime
            status = os.waitstatus_to_exitcode(wait_status)
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    process.returncode = status if status is not None else -9
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    peak_mb = peak_kb / 1024 if peak_kb else math.nan
    stages: dict[str, float] = {}
    error = ""
    if status is None:
        error = f"timeout after {timeout:.0f} s"
    elif status != 0:
        error = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {status}"
    else:
        stages = _stage_seconds(json.loads(output.read_text(encoding="utf-8")))
    output.unlink(missing_ok=True)
    return Run(
        case=case,
        size=size,
        articles=articles,
        seconds=seconds,
        cpu_seconds=cpu,
        peak_mb=peak_mb,
        exit_code=status,
        stages=stages,
        error=error,
    )


def slope(small: Run, large: Run, stage: str | None, *, floor: float) -> float | None:
    """Log-log slope of a stage's time (``None``: the whole run) between two sizes.

    ``None`` when either run failed, the stage is missing, or the larger run's time is below
    ``floor`` seconds (a slope read off timer noise says nothing).
    """
    if small.error or large.error or large.size <= small.size:
        return None
    first = small.seconds if stage is None else small.stages.get(stage)
    second = large.seconds if stage is None else large.stages.get(stage)
    if first is None or second is None or second < floor or first <= 0:
        return None
    return math.log(second / first) / math.log(large.size / small.size)


def _slopes(runs: Sequence[Run], *, floor: float) -> dict[str, dict[str, float | None]]:
    stages = list(dict.fromkeys(name for run in runs for name in run.stages))
    pairs = [(runs[i], runs[i + 1]) for i in range(len(runs) - 1)]
    if len(runs) > 2:
        pairs.append((runs[0], runs[-1]))
    table: dict[str, dict[str, float | None]] = {}
    for small, large in pairs:
        key = f"{small.size}->{large.size}"
        row: dict[str, float | None] = {"total": slope(small, large, None, floor=floor)}
        for stage in stages:
            row[stage] = slope(small, large, stage, floor=floor)
        table[key] = row
    return table


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.2f}"


def _print_runs(title: str, runs: Sequence[Run]) -> None:
    stages = list(dict.fromkeys(name for run in runs for name in run.stages))
    print(f"\n{title}")
    header = f"{'case':<20} {'size':>9} {'arts':>6} {'seconds':>8} {'cpu s':>7} {'peak MB':>8}  "
    print(header + " ".join(f"{s[:8]:>8}" for s in stages))
    for run in runs:
        cells = " ".join(
            f"{run.stages[s]:8.2f}" if s in run.stages else f"{'-':>8}" for s in stages
        )
        line = f"{run.case:<20} {run.size:>9} {run.articles:>6} {run.seconds:8.2f} "
        line += f"{run.cpu_seconds:7.2f} "
        print(line + f"{run.peak_mb:8.0f}  {cells}" + (f"  [{run.error}]" if run.error else ""))


def _print_slopes(slopes: Mapping[str, Mapping[str, float | None]]) -> None:
    for pair, row in slopes.items():
        cells = "  ".join(f"{name} {_fmt(value)}" for name, value in row.items())
        print(f"  slope {pair}: {cells}")


def _worst(slopes: Mapping[str, Mapping[str, float | None]]) -> float | None:
    values = [v for row in slopes.values() for v in row.values() if v is not None]
    return max(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,1000,4624", help="Timeline17 pile sizes")
    parser.add_argument("--skip-t17", action="store_true")
    parser.add_argument("--skip-pathological", action="store_true")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per digest")
    parser.add_argument(
        "--floor", type=float, default=0.2, help="no slope from a stage under this many seconds"
    )
    parser.add_argument(
        "--python-peer",
        action="store_true",
        help="digest the largest pile again with the Python modules (STORYLINE_NATIVE=0)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "scale.json")
    args = parser.parse_args()
    print(native.status())
    if not STORYLINE.exists():
        sys.exit(f"bench_scale: the storyline command is missing beside {sys.executable}")
    record: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "compiled": native.status(),
        "targets": {
            "total_seconds": TOTAL_TARGET_SECONDS,
            "peak_mb": MEMORY_TARGET_MB,
            "slope": SLOPE_TARGET,
            "pathological_seconds": PATHOLOGICAL_TARGET_SECONDS,
            "tiny_articles_seconds": TINY_TARGET_SECONDS,
        },
    }
    verdicts: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="storyline-scale-") as scratch:
        work = Path(scratch)
        if not args.skip_t17:
            source = _shared_root() / "benchmarks" / "t17" / "t17_topics.jsonl"
            if not source.exists():
                print(f"Timeline17 skipped: {source} is missing")
            else:
                pile = _t17_articles(source)
                sizes = sorted({min(int(s), len(pile)) for s in args.sizes.split(",")})
                runs = []
                for size in sizes:
                    path = work / f"t17-{size}.jsonl"
                    count = pathological.write_records(path, pile[:size])
                    runs.append(digest("timeline17", size, path, count, timeout=args.timeout))
                    _print_runs("Timeline17, one digest of the first N articles", runs[-1:])
                slopes = _slopes(runs, floor=args.floor)
                _print_runs("Timeline17 (all sizes)", runs)
                _print_slopes(slopes)
                record["timeline17"] = {
                    "runs": [run.record() for run in runs],
                    "slopes": slopes,
                }
                largest = runs[-1]
                if args.python_peer:
                    peer = digest(
                        "timeline17-python",
                        largest.size,
                        work / f"t17-{largest.size}.jsonl",
                        largest.articles,
                        timeout=args.timeout,
                        compiled=False,
                    )
                    _print_runs("The largest pile with the Python modules (the peer)", [peer])
                    record["timeline17"]["python_peer"] = peer.record()
                    print(
                        f"compiled / Python: wall {largest.seconds / peer.seconds:.2f}, "
                        f"CPU {largest.cpu_seconds / peer.cpu_seconds:.2f}"
                    )
                whole = largest.size == len(pile)
                verdicts.append(
                    (
                        f"Timeline17 {largest.size} articles: {largest.seconds:.1f} s "
                        f"(< {TOTAL_TARGET_SECONDS:.0f}), {largest.peak_mb:.0f} MB "
                        f"(< {MEMORY_TARGET_MB:.0f})"
                        + ("" if whole else "; the target is for the whole pile"),
                        whole
                        and not largest.error
                        and largest.seconds < TOTAL_TARGET_SECONDS
                        and largest.peak_mb < MEMORY_TARGET_MB,
                    )
                )
                worst = _worst(slopes)
                verdicts.append(
                    (
                        f"Timeline17 worst stage slope {_fmt(worst)} (<= {SLOPE_TARGET})",
                        worst is not None and worst <= SLOPE_TARGET,
                    )
                )
        if not args.skip_pathological:
            record["pathological"] = {}
            for name, (make, full) in PATHOLOGICAL_SIZES.items():
                runs = []
                for size in (full // 2, full):
                    path = work / f"{name}-{size}.jsonl"
                    count = pathological.write_records(path, make(size))
                    runs.append(digest(name, size, path, count, timeout=args.timeout))
                _print_runs(f"Pathological: {name}", runs)
                slopes = _slopes(runs, floor=args.floor)
                _print_slopes(slopes)
                record["pathological"][name] = {
                    "runs": [run.record() for run in runs],
                    "slopes": slopes,
                }
                limit = (
                    TINY_TARGET_SECONDS
                    if name == "tiny-articles"
                    else (PATHOLOGICAL_TARGET_SECONDS)
                )
                verdicts.append(
                    (
                        f"{name} ({full}): {runs[-1].seconds:.1f} s (< {limit:.0f})",
                        not runs[-1].error and runs[-1].seconds < limit,
                    )
                )
    print("\nTargets")
    for text, met in verdicts:
        print(f"  [{'met' if met else 'MISSED'}] {text}")
    record["verdicts"] = [{"target": text, "met": met} for text, met in verdicts]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.output}")


if __name__ == "__main__":
    main()
