"""bench/dask_model.py's arithmetic on a hand-made record (a model, so no timing is
measured here): serial and parallel parts grown by the measured exponents, the parallel
part shared by the workers, the largest story as a bound, transfer and scheduler costs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _phase(cpu: float, main: float, **more: Any) -> dict[str, Any]:
    return {"cpu_seconds": cpu, "main_cpu_seconds": main, **more}


def _record() -> dict[str, Any]:
    def row(articles: int, factor: float, largest: int) -> dict[str, Any]:
        return {
            "articles": articles,
            "dask": {
                "ingest": _phase(100 * factor, 80 * factor, tasks=10, received_mib=50),
                "digest": _phase(
                    300 * factor,
                    30 * factor,
                    tasks=100,
                    received_mib=110,
                    largest_story_articles=largest,
                ),
            },
        }

    return {"sizes": [row(1_000, 1.0, 100), row(10_000, 10.0, 1_000)]}


def _model(tmp_path: Path, record: dict[str, Any], *options: str) -> dict[str, Any]:
    source, output = tmp_path / "record.json", tmp_path / "model.json"
    source.write_text(json.dumps(record), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCH / "dask_model.py"), str(source), "--output", str(output),
         *options],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("MODEL (not a measurement)")
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return result


def test_a_linear_record_scales_linearly(tmp_path: Path) -> None:
    result = _model(tmp_path, _record(), "--articles", "100000", "--machines", "5")
    ingest, digest = result["ingest"], result["digest"]
    assert ingest["exponent"] == pytest.approx(1.0)
    assert ingest["serial_seconds"] == pytest.approx(8_000)  # 800 s at 10,000, x10
    assert ingest["parallel_seconds"] == pytest.approx(200 * 10 / 10)  # 10 workers
    assert digest["parallel_seconds"] == pytest.approx(2_700 * 10 / 10)
    assert digest["serial_seconds"] == pytest.approx(3_000)
    assert digest["largest_story_articles"] == 10_000
    # the workers' CPU per article (0.27 s) times the largest story's articles
    assert digest["largest_story_seconds"] == pytest.approx(2_700)
    assert ingest["transfer_seconds"] == pytest.approx(500 / 110, abs=0.1)
    assert digest["scheduler_seconds"] == pytest.approx(1.0)
    assert result["phase_seconds"]["ingest"] == pytest.approx(8_000 + 4.5 + 0.1, abs=0.2)
    assert result["phase_seconds"]["digest"] == pytest.approx(3_000 + 10 + 1.0, abs=0.2)


def test_more_machines_do_not_shorten_the_serial_part(tmp_path: Path) -> None:
    few = _model(tmp_path, _record(), "--machines", "2")
    many = _model(tmp_path, _record(), "--machines", "200")
    assert many["ingest"]["serial_seconds"] == few["ingest"]["serial_seconds"]
    assert many["ingest"]["parallel_seconds"] < few["ingest"]["parallel_seconds"]
    assert many["total_seconds"] >= many["phase_seconds"]["ingest"] >= 80_000


def test_a_record_without_the_split_borrows_another_runs_shares(tmp_path: Path) -> None:
    old = _record()
    for row in old["sizes"]:
        for phase in row["dask"].values():
            del phase["main_cpu_seconds"]
    alone = _model(tmp_path, old)
    assert alone["ingest"]["parallel_seconds"] == 0.0  # all taken as serial
    split = tmp_path / "split.json"
    split.write_text(json.dumps(_record()), encoding="utf-8")
    borrowed = _model(tmp_path, old, "--split", str(split))
    assert borrowed["ingest"]["serial_seconds"] == pytest.approx(80_000)  # 0.8 of 100,000
