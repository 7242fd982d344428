"""Benchmark: quotes on PolNeAR dev, split by document into a development and a held-out half.

Input -> output: ``benchmarks/quotes/polnear_dev.jsonl`` (84 articles) -> a table on stdout
and a JSON record (``bench/results/reported_speech.json`` unless ``--output`` is given).

The articles are sorted by document id and dealt alternately into half A (even positions,
the half the reported-speech rules were developed on) and half B (odd positions, held out);
both halves and the whole are scored with :func:`storyline.evaluate.quotes.evaluate_attributions`
(``''`` read as a quotation mark, as ``storyline eval quotes`` reports first). With
``--scale PATH`` it also times the quote extractor on a JSONL file of articles (``text`` and
``id`` or ``doc`` per line), as one batch, in process CPU seconds.

Usage: ``.venv/bin/python bench/reported_speech.py [--scale /tmp/scale/t17_1000.jsonl]``.
The data is read from ``../shared`` beside the repository or from ``$STORYLINE_SHARED``;
without it the script says so and stops.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

from storyline.digest.quotes import RuleQuoteExtractor  # noqa: E402
from storyline.evaluate.quotes import (  # noqa: E402
    AttributedArticle,
    AttributionScores,
    evaluate_attributions,
    read_attributions,
)
from storyline.model import Article  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "reported_speech.json"


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def halves(
    articles: tuple[AttributedArticle, ...],
) -> dict[str, tuple[AttributedArticle, ...]]:
    ordered = sorted(articles, key=lambda item: item.article.id)
    return {
        "A (development)": tuple(ordered[0::2]),
        "B (held out)": tuple(ordered[1::2]),
        "all": tuple(ordered),
    }


def _row(scores: AttributionScores) -> dict[str, float]:
    return {
        "direct_f1": round(scores.direct.f1, 4),
        "speaker_accuracy": round(scores.speaker_accuracy, 4),
        "reported_precision": round(scores.indirect.precision, 4),
        "reported_recall": round(scores.indirect.recall, 4),
        "reported_f1": round(scores.indirect.f1, 4),
        "gold_reported": scores.gold_indirect,
        "found_reported": scores.predicted_indirect,
    }


def _scale_seconds(path: Path) -> tuple[int, float]:
    articles = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            record = json.loads(line)
            identifier = str(record.get("id") or record.get("doc") or number)
            articles.append(
                Article(
                    id=identifier,
                    source=identifier,
                    origin=f"{path}:{number + 1}",
                    text=str(record["text"]),
                )
            )
    started = time.process_time()
    RuleQuoteExtractor().extract(articles)
    return len(articles), time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--scale", type=Path, default=None)
    args = parser.parse_args()
    dev = shared_root() / "benchmarks" / "quotes" / "polnear_dev.jsonl"
    if not dev.is_file():
        print(f"PolNeAR dev missing: {dev}")
        return 0
    record: dict[str, object] = {}
    print(f"{'part':<16} {'docs':>4} {'dir F1':>7} {'spk':>6} {'rep P':>6} {'rep R':>6} gold")
    for name, part in halves(read_attributions(dev)).items():
        row = _row(evaluate_attributions(part, RuleQuoteExtractor()).marked)
        record[name] = {"documents": len(part), **row}
        print(
            f"{name:<16} {len(part):>4} {row['direct_f1']:>7.3f} {row['speaker_accuracy']:>6.3f}"
            f" {row['reported_precision']:>6.3f} {row['reported_recall']:>6.3f}"
            f" {row['gold_reported']}"
        )
    if args.scale is not None:
        if args.scale.is_file():
            count, seconds = _scale_seconds(args.scale)
            record["scale"] = {"articles": count, "cpu_seconds": round(seconds, 2)}
            print(f"quotes stage on {count} articles of {args.scale}: {seconds:.2f} CPU s")
        else:
            print(f"scale file missing: {args.scale}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
