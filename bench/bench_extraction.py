"""Benchmark: storyline's page reader under each extraction option, against trafilatura's defaults.

Input -> output: ``benchmarks/html/fundus_en/gold.jsonl`` (79 English news pages with their
expected body, title, date and authors) -> a table on stdout and a JSON record
(``bench/results/extraction.json`` unless ``--output`` is given).

Every setting reads every page in this one process: storyline's defaults; each of
trafilatura's options that could matter for news (``favor_precision``, ``favor_recall``,
``include_tables=False``, ``fast``); htmldate's ``original_date=False`` and
``extensive_search=True``; trafilatura's own title instead of the headline vote; and the peer,
trafilatura 2.3.1 with its defaults on the raw bytes. The metrics are those of
:mod:`storyline.evaluate.extraction` (body: the ScrapingHub shingle P/R/F1). Times are process
CPU seconds of the page reader alone.

Usage: ``.venv/bin/python bench/bench_extraction.py [--output PATH]``. The data is read from
``../shared`` beside the repository or from ``$STORYLINE_SHARED``; without it the script says
so and stops.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

from storyline.evaluate.extraction import (  # noqa: E402  (after the path fallback above)
    PEER,
    ExtractionScores,
    score_extraction,
    trafilatura_default,
)
from storyline.ingest.html import ExtractionOptions, read_page  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "extraction.json"
SETTINGS = {
    "storyline (defaults)": ExtractionOptions(),
    "favor_precision": ExtractionOptions(favor_precision=True),
    "favor_recall": ExtractionOptions(favor_recall=True),
    "include_tables=False": ExtractionOptions(include_tables=False),
    "fast": ExtractionOptions(fast=True),
    "original_date=False": ExtractionOptions(original_date=False),
    "extensive date search": ExtractionOptions(extensive_date_search=True),
    "trafilatura's title": ExtractionOptions(title="trafilatura"),
}


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def fundus_arguments(description: str, default_output: Path) -> tuple[Path, Path | None]:
    """The ``--output`` of a benchmark on fundus_en and the gold file, None when it is missing
    (which is said on stdout)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--output", type=Path, default=default_output)
    args = parser.parse_args()
    gold = shared_root() / "benchmarks" / "html" / "fundus_en" / "gold.jsonl"
    if not gold.is_file():
        print(f"benchmark missing: {gold}; nothing measured")
        return args.output, None
    return args.output, gold


def write_record(output: Path, record: dict[str, Any]) -> None:
    """Write the JSON ``record`` of a benchmark to ``output`` and say so."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written: {output}")


def main() -> int:
    output, gold = fundus_arguments(__doc__.splitlines()[0], DEFAULT_OUTPUT)
    if gold is None:
        return 0
    results: list[ExtractionScores] = []
    for name, options in SETTINGS.items():
        reader = functools.partial(read_page, options=options)
        results.append(score_extraction(gold, reader=reader, name=name))
    results.append(score_extraction(gold, reader=trafilatura_default, name=PEER))
    header = "| setting | body P | body R | body F1 | title | date | authors F1 | CPU s |"
    print(header)
    print("|---" * 8 + "|")
    for result in results:
        print(
            f"| {result.extractor} | {result.precision:.3f} | {result.recall:.3f} | "
            f"{result.f1:.3f} | {result.title_accuracy:.3f} | {result.date_accuracy:.3f} | "
            f"{result.authors_f1:.3f} | {result.seconds:.1f} |"
        )
    record = {
        "dataset": str(gold),
        "pages": results[0].pages,
        "settings": [
            {
                "name": result.extractor,
                "articles": result.articles,
                "precision": result.precision,
                "recall": result.recall,
                "f1": result.f1,
                "title": result.title_accuracy,
                "date": result.date_accuracy,
                "date_within_day": result.date_within_day,
                "authors_f1": result.authors_f1,
                "cpu_seconds": result.seconds,
            }
            for result in results
        ],
    }
    write_record(output, record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
