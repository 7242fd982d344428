"""The interleaved entities benchmark (no timing asserted): bench/compare_entities.py runs an
older entities.py and this checkout's in turn on every story of a store and compares them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import ROOT, run_python

STREAM = ROOT / "examples" / "stream"


def test_the_same_module_run_twice_finds_the_same_entities(tmp_path: Path) -> None:
    if not STREAM.is_dir():
        pytest.skip(f"example stream missing: {STREAM}")
    store = tmp_path / "s.db"
    done = run_python(
        "-m", "storyline", "ingest", "--store", str(store), "-q", str(STREAM / "feeds")
    )
    assert done.returncode == 0, done.stderr
    record = tmp_path / "record.json"
    old = ROOT / "src" / "storyline" / "digest" / "entities.py"
    done = run_python(
        str(ROOT / "bench" / "compare_entities.py"),
        *("--store", str(store), "--old", str(old), "--output", str(record)),
    )
    assert done.returncode == 0, done.stderr
    assert "stories whose entities differ: 0" in done.stdout
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["stories"] > 0
    assert data["differing_stories"] == []
    assert set(data["cpu_s"]) == {"old", "new"}
