"""Benchmark: how the entities stage's alias merging grows with one story's size.

Input -> output: the first N articles of a JSON Lines file of articles (any file
``storyline`` reads; by default ``/tmp/bdask/stream-10000-seed1.jsonl``, made by
``make_stream.py``) for each N of ``--sizes``, every pile recognised as ONE story (the worst
case for merging: every form of the pile is compared with the others) -> a table on stdout
and a JSON record (``bench/results/entities.json`` unless ``--output`` is given).

For each size: CPU seconds (``time.process_time``, this process only) of
:meth:`RuleEntityRecognizer.read` (words and name candidates) and of
:meth:`RuleEntityRecognizer.resolve` (kinds and alias merging), the number of distinct forms
and of entities, and the log-log slope of ``resolve`` between consecutive sizes. The merge
rules find their candidates through indexes, never by comparing all pairs of forms, so the
slope should stay near 1. There is no peer.

Usage: ``.venv/bin/python bench/bench_entities.py [--input PATH] [--sizes 500,1000,2000]
[--output PATH]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from pathlib import Path

from storyline.digest.entities import RuleEntityRecognizer
from storyline.ingest.files import FileIngestor


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=Path("/tmp/bdask/stream-10000-seed1.jsonl"))
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).parent / "results" / "entities.json"
    )
    return parser.parse_args()


def main() -> int:
    args = _parse()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if not args.input.is_file():
        print(f"input missing: {args.input}", file=sys.stderr)
        return 1
    articles = FileIngestor().ingest([args.input]).articles
    recognizer = RuleEntityRecognizer()
    rows = []
    for size in sizes:
        pile = articles[:size]
        started = time.process_time()
        read = recognizer.read(pile)
        reading = time.process_time() - started
        started = time.process_time()
        entities = recognizer.resolve(read, pile)
        resolving = time.process_time() - started
        forms = len({c.key for found in read.by_article for c in found})
        rows.append(
            {
                "articles": len(pile),
                "forms": forms,
                "entities": len(entities),
                "read_cpu_s": round(reading, 3),
                "resolve_cpu_s": round(resolving, 3),
            }
        )
    print(f"{'articles':>8} {'forms':>7} {'entities':>8} {'read s':>7} {'resolve s':>9} slope")
    previous = None
    for row in rows:
        slope = ""
        if previous is not None and previous["resolve_cpu_s"] > 0:
            slope = f"{_slope(previous, row):.2f}"
        print(
            f"{row['articles']:>8} {row['forms']:>7} {row['entities']:>8} "
            f"{row['read_cpu_s']:>7.2f} {row['resolve_cpu_s']:>9.2f} {slope}"
        )
        previous = row
    slopes = [_slope(a, b) for a, b in itertools.pairwise(rows) if a["resolve_cpu_s"] > 0]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    record = {"input": str(args.input), "rows": rows, "resolve_slopes": slopes}
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


def _slope(smaller: dict[str, float], larger: dict[str, float]) -> float:
    """The log-log slope of resolve seconds against articles."""
    return math.log(larger["resolve_cpu_s"] / smaller["resolve_cpu_s"]) / math.log(
        larger["articles"] / smaller["articles"]
    )


if __name__ == "__main__":
    raise SystemExit(main())
