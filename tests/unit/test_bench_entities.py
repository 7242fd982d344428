"""The entities benchmark at a tiny size (no timing asserted): bench/bench_entities.py reads
a JSON Lines file, recognises its first N articles as one story and writes its record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH / "bench_entities.py"), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )


def test_the_benchmark_writes_a_row_for_each_size(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    texts = (
        "Abdullah Ocalan called for talks in Ankara.",
        "Ocalan's lawyers met officials of the Gaza Strip.",
        "Residents of Gaza fled. Apple Inc. said Apple would wait.",
    )
    source.write_text(
        "".join(
            json.dumps({"id": f"a{i}", "title": "T", "text": text}) + "\n"
            for i, text in enumerate(texts)
        ),
        encoding="utf-8",
    )
    output = tmp_path / "entities.json"
    done = _bench("--input", str(source), "--sizes", "1,3", "--output", str(output))
    assert done.returncode == 0, done.stderr
    record = json.loads(output.read_text(encoding="utf-8"))
    assert [row["articles"] for row in record["rows"]] == [1, 3]
    assert all(row["entities"] <= row["forms"] for row in record["rows"])
    assert "resolve s" in done.stdout


def test_a_missing_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = _bench("--input", str(tmp_path / "no"))
    assert done.returncode == 1
    assert "input missing" in done.stderr
