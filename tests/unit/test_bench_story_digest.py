"""The per-story digest benchmark (no timing asserted): bench/bench_story_digest.py digests
every story of a store in its own process and writes each story's JSON digest with the
same bytes as ``storyline digest --all --format json --no-timings``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STREAM = ROOT / "examples" / "stream"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environment, check=False
    )


def test_its_digests_are_those_of_digest_all(tmp_path: Path) -> None:
    if not STREAM.is_dir():
        pytest.skip(f"example stream missing: {STREAM}")
    store, by_cli, by_bench = tmp_path / "s.db", tmp_path / "cli", tmp_path / "bench"
    parts = [str(STREAM / part) for part in ("feeds", "pages", "crawl")]
    done = _run("-m", "storyline", "ingest", "--store", str(store), "-q", *parts)
    assert done.returncode == 0, done.stderr
    record = tmp_path / "record.json"
    done = _run(
        str(ROOT / "bench" / "bench_story_digest.py"),
        *("--store", str(store), "--digests", str(by_bench), "--output", str(record)),
    )
    assert done.returncode == 0, done.stderr
    done = _run(
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
