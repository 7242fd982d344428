"""The per-story digest benchmark (no timing asserted): bench/bench_story_digest.py digests
every story of a store in its own process and writes each story's JSON digest with the
same bytes as ``storyline digest --all --format json --no-timings``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import ROOT, run_python

STREAM = ROOT / "examples" / "stream"


def test_its_digests_are_those_of_digest_all(tmp_path: Path) -> None:
    if not STREAM.is_dir():
        pytest.skip(f"example stream missing: {STREAM}")
    store, by_cli, by_bench = tmp_path / "s.db", tmp_path / "cli", tmp_path / "bench"
    parts = [str(STREAM / part) for part in ("feeds", "pages", "crawl")]
    done = run_python("-m", "storyline", "ingest", "--store", str(store), "-q", *parts)
    assert done.returncode == 0, done.stderr
    record = tmp_path / "record.json"
    done = run_python(
        str(ROOT / "bench" / "bench_story_digest.py"),
        *("--store", str(store), "--digests", str(by_bench), "--output", str(record)),
    )
    assert done.returncode == 0, done.stderr
    done = run_python(
        *("-m", "storyline", "digest", "--store", str(store), "--all", "--min-articles", "2"),
        *("--format", "json", "--no-timings", "-q", "-o", str(by_cli)),
    )
    assert done.returncode == 0, done.stderr
    made = sorted(path.name for path in by_cli.iterdir())
    assert made
    assert sorted(path.name for path in by_bench.iterdir()) == made
    for name in made:
        assert (by_bench / name).read_bytes() == (by_cli / name).read_bytes(), name
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["stories"] == len(made)
    assert {"quotes", "entities", "compare"} <= set(data["stages_cpu_s"])
