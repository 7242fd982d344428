"""The Dask benchmark at its smoke-test size (no timing asserted): both engines ingest and
digest the same synthetic stream through the real CLI, the record is written, and the
digests are the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import SHARED, shared_path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_dask_benchmark_runs_both_engines_to_the_same_digests(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="Dask distributed is not installed (extra 'dask')")
    for relative in ("multinews/val250.jsonl", "t17/t17_topics.jsonl"):
        if not shared_path("benchmarks", relative).is_file():
            pytest.skip(f"shared benchmark data missing: {shared_path('benchmarks', relative)}")
    output = tmp_path / "dask.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_dask.py"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        env={**os.environ, "STORYLINE_SHARED": str(SHARED)},
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(output.read_text(encoding="utf-8"))
    (row,) = record["sizes"]
    assert row["same_digests"] is True
    local, dask = row["local"], row["dask"]
    assert local["digest"]["stories"] > 0
    assert dask["digest"]["stories"] == local["digest"]["stories"]
    assert dask["digest"]["digest_mib"] == local["digest"]["digest_mib"]
    assert dask["ingest"]["files"] == local["ingest"]["files"] > 0
    for run in (local, dask):
        assert run["peak_process_mib"] > 0, "the memory of the command's processes was read"
    assert "tasks" not in local["digest"], "the local engine reports no Dask traffic"
    traffic = dask["digest"]
    assert traffic["tasks"] > traffic["stories"], "a task a story, and the shared pipeline"
    assert traffic["received_mib"] >= 0.5 * traffic["digest_mib"], "the digests came back"
    assert dask["ingest"]["tasks"] >= dask["ingest"]["files"] / 16
    assert "dask / local" in done.stdout
