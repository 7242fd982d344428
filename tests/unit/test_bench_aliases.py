"""The alias benchmark (no timing asserted): bench/bench_aliases.py splits the alias set into
two fixed halves by sorted cluster id and scores each half and all of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import shared_path

BENCH = Path(__file__).resolve().parents[2] / "bench"
MULTINEWS = shared_path("benchmarks", "multinews", "val250.jsonl")


def test_the_halves_are_fixed_by_sorted_cluster_id(tmp_path: Path) -> None:
    if not MULTINEWS.is_file():
        pytest.skip(f"benchmark missing: {MULTINEWS}")
    output = tmp_path / "aliases.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_aliases.py"), "--output", str(output)],
        capture_output=True,
        text=True,
        env=dict(os.environ, STORYLINE_SHARED=str(MULTINEWS.parents[2])),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {row["half"]: row for row in json.loads(output.read_text(encoding="utf-8"))["rows"]}
    assert set(rows) == {"dev", "held", "all"}
    assert rows["dev"]["clusters"] + rows["held"]["clusters"] == rows["all"]["clusters"] == 25
    assert rows["dev"]["true_pairs"] + rows["held"]["true_pairs"] == rows["all"]["true_pairs"]
    assert "dev " in done.stdout
    assert "held " in done.stdout
