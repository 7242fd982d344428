"""``bench/bench_service.py --quick``: the load benchmark runs end to end (a small store, the
real server, readers and a writer at once) and writes its record; its numbers are not
asserted here (no timed assertion: speed is the benchmark's to report)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import shared_path

ROOT = Path(__file__).resolve().parents[2]


def test_the_service_benchmark_runs_quick(tmp_path: Path) -> None:
    for needed in (("clustering", "uci_head6k.jsonl"), ("t17", "t17_topics.jsonl")):
        if not shared_path("benchmarks", *needed).exists():
            pytest.skip(f"benchmark data missing: {shared_path('benchmarks', *needed)}")
    output = tmp_path / "service.json"
    environment = os.environ | {"STORYLINE_SHARED": str(shared_path())}
    done = subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench" / "bench_service.py"), "--quick"),
            *("--seconds", "2", "--output", str(output)),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "| clients | kind |" in done.stdout
    result = json.loads(output.read_text())
    assert result["articles"] == 300
    assert [phase["clients"] for phase in result["phases"]] == [2, 5]
    for phase in result["phases"]:
        assert phase["errors"] == 0, phase
        assert phase["kinds"]["write"]["requests"] > 0, "the writer posted"
        assert {"page", "story", "digest", "timeline", "list"} <= set(phase["kinds"])
    assert set(result["targets"]) == {
        "no_errors",
        "page_p99_under_200ms_at_first_phase",
        "reads_never_blocked_over_1s",
    }
