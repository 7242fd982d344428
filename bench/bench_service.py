"""Benchmark: the web app and API under load, readers and one writer at once.

Input -> output: a store of ``--articles`` articles (10,000 by default) built from the
benchmark data (``../shared/benchmarks``, or ``$STORYLINE_SHARED``), served by the real
server (``python -m storyline serve`` on 127.0.0.1, a free port), read by 10 and then 50
concurrent clients for ``--seconds`` each while one client posts articles -> a table on
stdout and a JSON record (``bench/results/service.json`` unless ``--output`` is given).

The store: the UCI News Aggregator headlines (6,366 articles of 87 stories, with their
outlets and dates) and then Timeline17's dated articles, taken from its topics in turn,
each cut to its first ``_T17_CHARS`` characters (at a sentence end), up to ``--articles``;
written as JSON Lines to a temporary folder (never into the project) and stored by
``storyline ingest``, timed. The articles not stored (Timeline17's next ones) are what
the writer posts.

The load (httpx's async client, one connection per client): each reader, in turn,
requests the story page (HTML), the story (API), its digest (API), its timeline (API) and,
one request in ten, the story list (API, with a ``since`` filter) of one of the
``_READ_STORIES`` stories at the top of the story list (newest activity first, as a reader
sees them), for ``--seconds`` or ``_MAX_REQUESTS`` requests per
phase, whichever ends first. The story pages of those stories are read once before the
clock starts (the first digest of a story is computed, then cached: the warm-up's times
are reported apart). The writer posts ``_BATCH`` articles at a time (``POST
/api/v1/articles``, JSON), a post every ``--write-every`` seconds (1 by default; 0: one
after another). Measured per request kind: p50, p99
and the largest latency; errors (a transport failure or a status other than 200);
requests per second; and the longest read latency of a read that overlapped a write.

Targets (issue 11, 2 cores): 0 errors, story page p99 under 200 ms at 10 clients, writes
never block reads for more than 1 s. ``--quick`` runs a small store (300 articles) for a
few seconds with 2 and 5 clients: a smoke test of the script (``tests/e2e``), not a
measurement.

Usage: ``.venv/bin/python bench/bench_service.py [--quick] [--articles N] [--seconds S]
[--clients 10,50] [--write-every SECONDS] [--no-writer] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.web import running_server  # noqa: E402 (the repository's root is on the path first)

SHARED = Path(os.environ.get("STORYLINE_SHARED", REPO.parent / "shared"))
UCI = SHARED / "benchmarks" / "clustering" / "uci_head6k.jsonl"
T17 = SHARED / "benchmarks" / "t17" / "t17_topics.jsonl"
_T17_CHARS = 1200
_READ_STORIES = 20
_MAX_REQUESTS = 100_000  # per phase: the loops stop by count as well as by time
_BATCH = 5
_LIST_EVERY = 10
_PAGE_P99_TARGET = 0.200
_BLOCK_TARGET = 1.0
_SENTENCE_END = re.compile(r"[.!?]['\"]?\s")


@dataclass
class _Sample:
    kind: str
    start: float
    end: float
    ok: bool
    size: int = 0
    failure: str = ""


@dataclass
class _Phase:
    clients: int
    samples: list[_Sample] = field(default_factory=list)
    writes: list[_Sample] = field(default_factory=list)
    seconds: float = 0.0


def _stream() -> Iterator[dict[str, Any]]:
    """The benchmark's articles in order: UCI's headlines, then Timeline17's, topic by topic."""
    with UCI.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            yield {
                "id": row["id"],
                "title": row["title"],
                "text": row["text"],
                "date": row["date"],
                "url": row["url"],
                "source": row["publisher"],
            }
    with T17.open(encoding="utf-8") as lines:
        topics = [json.loads(line) for line in lines]
    turns = itertools.zip_longest(*[[(t["id"], d) for d in t["docs"]] for t in topics])
    for turn in turns:
        for pair in turn:
            if pair is None:
                continue
            topic, doc = pair
            yield {
                "id": f"t17-{doc['id']}",
                "text": _cut(doc["text"]),
                "date": doc["date"],
                "source": f"{topic}-{doc['id'].split('/')[0].rsplit('_', 1)[-1]}",
            }


def _cut(text: str) -> str:
    """``text`` up to the last sentence end within ``_T17_CHARS`` characters."""
    if len(text) <= _T17_CHARS:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, _T17_CHARS)]
    return text[: ends[-1] if ends else _T17_CHARS].strip()


def _build_store(folder: Path, count: int) -> tuple[str, list[dict[str, Any]], float]:
    """A store of the stream's first ``count`` articles; the next articles; seconds taken."""
    stream = _stream()
    stored = list(itertools.islice(stream, count))
    later = list(itertools.islice(stream, 2_000))
    source = folder / "articles.jsonl"
    source.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in stored), encoding="utf-8"
    )
    location = str(folder / "store.db")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "storyline", "ingest", "--quiet", "--store", location, str(source)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return location, later, time.perf_counter() - started


async def _reader(
    client: httpx.AsyncClient,
    stories: Sequence[str],
    *,
    since: str,
    offset: int,
    phase: _Phase,
    deadline: float,
) -> None:
    kinds = ("page", "story", "digest", "timeline")
    for number in itertools.count(offset):
        if time.perf_counter() >= deadline or len(phase.samples) >= _MAX_REQUESTS:
            return
        story = stories[number % len(stories)]
        if number % _LIST_EVERY == 0:
            kind, url = "list", f"/api/v1/stories?since={since}"
        else:
            kind = kinds[number % len(kinds)]
            url = {
                "page": f"/stories/{story}",
                "story": f"/api/v1/stories/{story}",
                "digest": f"/api/v1/stories/{story}/digest",
                "timeline": f"/api/v1/stories/{story}/timeline",
            }[kind]
        phase.samples.append(await _timed(client, "GET", url, kind))


async def _writer(
    client: httpx.AsyncClient,
    articles: list[dict[str, Any]],
    phase: _Phase,
    deadline: float,
    every: float,
) -> None:
    while articles and time.perf_counter() < deadline:
        batch = [articles.pop(0) for _ in range(min(_BATCH, len(articles)))]
        sample = await _timed(client, "POST", "/api/v1/articles", "write", batch)
        phase.writes.append(sample)
        await asyncio.sleep(max(0.0, min(sample.start + every, deadline) - time.perf_counter()))


async def _timed(
    client: httpx.AsyncClient, method: str, url: str, kind: str, body: Any = None
) -> _Sample:
    start = time.perf_counter()
    try:
        answer = await client.request(method, url, json=body)
    except httpx.HTTPError as error:
        failure = type(error).__name__
        return _Sample(kind=kind, start=start, end=time.perf_counter(), ok=False, failure=failure)
    return _Sample(
        kind=kind,
        start=start,
        end=time.perf_counter(),
        ok=answer.status_code == 200,
        size=len(answer.content),
        failure="" if answer.status_code == 200 else f"{answer.status_code} {answer.text[:120]}",
    )


async def _run_phase(
    base: str,
    clients: int,
    *,
    stories: Sequence[str],
    since: str,
    articles: list[dict[str, Any]],
    seconds: float,
    every: float,
) -> _Phase:
    phase = _Phase(clients=clients)
    # a client of its own (one connection) for each reader and the writer, as separate
    # browsers and tools would be: one shared pool of 50 connections made httpcore scan
    # every connection on every request, and the clients, not the server, were the limit
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        writer, *readers = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, timeout=120, limits=limits)
            )
            for _ in range(clients + 1)
        ]
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            _writer(writer, articles, phase, deadline, every),
            *(
                _reader(client, stories, since=since, offset=n * 7, phase=phase, deadline=deadline)
                for n, client in enumerate(readers)
            ),
        )
        phase.seconds = time.perf_counter() - started
    return phase


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(phase: _Phase) -> dict[str, Any]:
    reads = phase.samples
    by_kind: dict[str, Any] = {}
    for kind in sorted({s.kind for s in reads} | {"write"}):
        chosen = phase.writes if kind == "write" else [s for s in reads if s.kind == kind]
        latencies = [s.end - s.start for s in chosen]
        by_kind[kind] = {
            "requests": len(chosen),
            "errors": sum(not s.ok for s in chosen),
            "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p99_ms": round(1000 * _percentile(latencies, 0.99), 1) if latencies else None,
            "max_ms": round(1000 * max(latencies), 1) if latencies else None,
            "mean_kb": round(sum(s.size for s in chosen) / len(chosen) / 1024, 1)
            if chosen
            else None,
        }
    during = [
        s.end - s.start
        for s in reads
        if any(s.start < w.end and w.start < s.end for w in phase.writes)
    ]
    total = len(reads) + len(phase.writes)
    return {
        "clients": phase.clients,
        "seconds": round(phase.seconds, 2),
        "requests": total,
        "requests_per_second": round(total / phase.seconds, 1) if phase.seconds else None,
        "errors": sum(not s.ok for s in reads) + sum(not s.ok for s in phase.writes),
        "error_kinds": dict(Counter(s.failure for s in [*reads, *phase.writes] if not s.ok)),
        "kinds": by_kind,
        "reads_during_writes": len(during),
        "longest_read_during_write_ms": round(1000 * max(during), 1) if during else None,
    }


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"store: {result['articles']} articles, {result['stories']} stories, ingested in "
        f"{result['ingest_seconds']:.1f} s; warm-up (first story page of {_READ_STORIES} "
        f"stories): p50 {result['warmup']['p50_ms']} ms, max {result['warmup']['max_ms']} ms",
        "",
        "| clients | kind | requests | errors | p50 ms | p99 ms | max ms | mean KB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in result["phases"]:
        for kind, row in phase["kinds"].items():
            lines.append(
                f"| {phase['clients']} | {kind} | {row['requests']} | {row['errors']} | "
                f"{row['p50_ms']} | {row['p99_ms']} | {row['max_ms']} | {row['mean_kb']} |"
            )
    lines.append("")
    for phase in result["phases"]:
        lines.append(
            f"{phase['clients']} clients: {phase['requests']} requests in {phase['seconds']} s "
            f"({phase['requests_per_second']}/s), {phase['errors']} errors; longest read during "
            f"a write {phase['longest_read_during_write_ms']} ms "
            f"({phase['reads_during_writes']} reads overlapped a write)"
        )
    for phase in result["phases"]:
        if phase["error_kinds"]:
            lines.append(f"{phase['clients']} clients, errors: {phase['error_kinds']}")
    lines.append(f"targets met: {result['targets']}")
    machine = result["machine"]
    lines.append(
        f"load average (1 min) before and after: {machine['load_average_1min_before_after']}"
        f" on {machine['cpus']} CPUs; CPU seconds: {result['cpu_seconds']}"
    )
    return "\n".join(lines)


def _cpu(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    """User and system seconds between two readings."""
    return round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--articles", type=int, help="articles in the store (10,000)")
    parser.add_argument("--seconds", type=float, help="seconds per phase (30)")
    parser.add_argument("--clients", help="reader counts, comma-separated (10,50)")
    parser.add_argument(
        "--write-every",
        type=float,
        default=1.0,
        help="seconds from one post's start to the next's (0: one after another)",
    )
    parser.add_argument("--no-writer", action="store_true", help="readers only (a baseline)")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "service.json")
    args = parser.parse_args(argv)
    for needed in (UCI, T17):
        if not needed.exists():
            print(f"bench_service: missing benchmark data: {needed}", file=sys.stderr)
            return 2
    count = args.articles or (300 if args.quick else 10_000)
    seconds = args.seconds or (3.0 if args.quick else 30.0)
    clients = [int(n) for n in (args.clients or ("2,5" if args.quick else "10,50")).split(",")]
    # the ingest and the server run this checkout's code
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-service-") as temporary:
        folder = Path(temporary)
        location, later, ingest_seconds = _build_store(folder, count)
        cpu_stored = resource.getrusage(resource.RUSAGE_CHILDREN)
        with running_server(location, log=folder / "server.log") as base:
            listed = httpx.get(f"{base}/api/v1/stories", timeout=300).json()["stories"]
            stories = [s["id"] for s in listed[:_READ_STORIES]]  # the list's first
            days = sorted(s["last"] for s in listed if s["last"])
            since = days[len(days) // 2] if days else "2000-01-01"
            warmup = []
            for story in stories:
                started = time.perf_counter()
                httpx.get(f"{base}/stories/{story}", timeout=300).raise_for_status()
                warmup.append(time.perf_counter() - started)
            phases = [
                _summary(
                    asyncio.run(
                        _run_phase(
                            base,
                            n,
                            stories=stories,
                            since=since,
                            articles=[] if args.no_writer else later,
                            seconds=seconds,
                            every=args.write_every,
                        )
                    )
                )
                for n in clients
            ]
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    first = phases[0]
    page_p99 = first["kinds"].get("page", {}).get("p99_ms")
    blocked = [p["longest_read_during_write_ms"] or 0.0 for p in phases]
    result: dict[str, Any] = {
        "articles": count,
        "stories": len(listed),
        "ingest_seconds": round(ingest_seconds, 2),
        "seconds_per_phase": seconds,
        "write_every_seconds": None if args.no_writer else args.write_every,
        "read_stories": len(stories),
        "warmup": {
            "p50_ms": round(1000 * statistics.median(warmup), 1),
            "max_ms": round(1000 * max(warmup), 1),
        },
        "phases": phases,
        "targets": {
            "no_errors": all(p["errors"] == 0 for p in phases),
            "page_p99_under_200ms_at_first_phase": page_p99 is not None
            and page_p99 < 1000 * _PAGE_P99_TARGET,
            "reads_never_blocked_over_1s": max(blocked) < 1000 * _BLOCK_TARGET,
        },
        "cpu_seconds": {
            "ingest": _cpu(cpu_before, cpu_stored),
            "server_and_workers": _cpu(cpu_stored, cpu_after),
            "clients": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 1),
        },
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
    }
    print(_table(result))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
