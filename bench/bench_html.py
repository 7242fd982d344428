"""Benchmark: the HTML report's rendering (view, templates, whole page), in CPU seconds.

Input -> output: the example stream (``examples/stream``: feeds, pages, crawl) or the paths
given -> a table on stdout and a JSON record (``bench/results/html.json`` unless
``--output`` is given).

The stream is digested once (ingest and pipeline excluded from the numbers); then, in
this process: compiling the report's templates (a fresh environment), building the view of
every digested story (:func:`storyline.report.html.story_view`'s records), and rendering the
whole page (:func:`~storyline.report.html.render_html`, view included), each the median of
``--repeats`` runs of CPU time. Rendering was string concatenation before the templates:
the numbers of both are in the commit that moved the markup into templates.

Usage: ``.venv/bin/python bench/bench_html.py [PATH...] [--repeats 5] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from storyline.config import load_config
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, StreamDigest
from storyline.registry import build_pipeline
from storyline.report import html

REPO = Path(__file__).resolve().parents[1]
STREAM = REPO / "examples" / "stream"


def _cpu(work: Callable[[], object], repeats: int) -> float:
    """Median CPU seconds of ``work`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _views(stream: StreamDigest) -> None:
    for digest in stream.digests:
        html.story_view(digest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results" / "html.json")
    args = parser.parse_args(argv)
    paths = args.paths or [STREAM / "feeds", STREAM / "pages", STREAM / "crawl"]
    config = load_config(None)
    corpus = FileIngestor(config=config.ingest).ingest(paths)
    stream = build_pipeline(config).run_stories(corpus, Budget(unit="words", limit=100))
    page = html.render_html(stream, timings=False)
    record = {
        "inputs": [str(path) for path in paths],
        "articles": len(stream.corpus.articles),
        "stories_digested": len(stream.digests),
        "page_characters": len(page),
        "repeats": args.repeats,
        "cpu_seconds": {
            "compile_templates": _cpu(
                lambda: html.environment().get_template("report.html").module, args.repeats
            ),
            "views": _cpu(lambda: _views(stream), args.repeats),
            "render_html": _cpu(lambda: html.render_html(stream, timings=False), args.repeats),
        },
    }
    for name, seconds in record["cpu_seconds"].items():
        print(f"{name:>18}: {1000 * seconds:9.1f} ms CPU")
    print(f"{record['page_characters']:,} characters, {record['stories_digested']} stories")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
