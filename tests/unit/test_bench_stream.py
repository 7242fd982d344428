"""The stream benchmark at a tiny size (no timing asserted): bench/make_stream.py makes the
same stream from the same seed, in the JSON Lines format storyline reads, and
bench/bench_stream.py runs every phase and writes its record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.ingest.files import FileIngestor
from tests.builders import ROOT, run_python, shared_path

BENCH = ROOT / "bench"
_SOURCES = ("multinews/val250.jsonl", "t17/t17_topics.jsonl")


def _needs_sources() -> None:
    for relative in _SOURCES:
        if not shared_path("benchmarks", relative).is_file():
            pytest.skip(f"shared benchmark data missing: {shared_path('benchmarks', relative)}")


def test_the_stream_is_deterministic_and_storyline_reads_it(tmp_path: Path) -> None:
    _needs_sources()
    one, two, other = tmp_path / "one.jsonl", tmp_path / "two.jsonl", tmp_path / "other.jsonl"
    for path, seed in ((one, "1"), (two, "1"), (other, "2")):
        make = str(BENCH / "make_stream.py")
        done = run_python(make, "60", "--output", str(path), "--seed", seed)
        assert done.returncode == 0, done.stderr
    assert one.read_bytes() == two.read_bytes() != other.read_bytes()
    rows = [json.loads(line) for line in one.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 60
    assert len({row["id"] for row in rows}) == 60
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    assert all(set(row) == {"id", "title", "text", "date", "source", "url"} for row in rows)
    corpus = FileIngestor().ingest([one])
    assert len(corpus.articles) == 60
    assert corpus.rejections == ()
    assert all(article.published is not None and article.source for article in corpus.articles)


def test_the_benchmark_runs_every_phase_at_a_tiny_size(tmp_path: Path) -> None:
    _needs_sources()
    output = tmp_path / "stream.json"
    done = run_python(
        str(BENCH / "bench_stream.py"),
        *("--sizes", "60,120", "--batch", "40", "--more", "20", "--output", str(output)),
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(output.read_text(encoding="utf-8"))
    small, large = record["rows"]
    assert (small["articles"], large["articles"]) == (60, 120)
    assert [len(row["ingest"]["batches"]) for row in record["rows"]] == [2, 3]
    assert large["ingest"]["articles"] == 120
    assert large["more"]["articles"] == 20
    assert large["digest"]["stories"] == large["stories"]["of_2_or_more"] > 0
    assert set(record["growth"][0]) >= {"ingest", "digest", "total", "more_1000"}
