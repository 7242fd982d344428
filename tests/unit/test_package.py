"""The package's public names, and what importing it brings in."""

from __future__ import annotations

import subprocess
import sys

import storyline


def test_every_public_name_is_there() -> None:
    assert sorted(storyline.__all__) == storyline.__all__
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None


def test_the_file_ingestor_is_the_ingest_modules_own() -> None:
    from storyline import FileIngestor  # noqa: PLC0415 - the lazy name, imported by name
    from storyline.ingest import files  # noqa: PLC0415

    assert FileIngestor is files.FileIngestor


def test_importing_the_package_and_the_pipeline_leaves_the_readers_out() -> None:
    # a story worker imports the package and the pipeline, never the feed, page or crawl
    # readers and the libraries behind them
    code = (
        "import sys, storyline, storyline.pipeline, storyline.registry; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('feedparser', 'trafilatura', 'warcio', 'fastwarc') or m.startswith('storyline.ingest')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]"
