"""Benchmark: how a story's summary is ordered, and how many of its sentences open dangling.

Input -> output: Timeline17 (``../shared/benchmarks/t17/t17_topics.jsonl``) and, optionally,
the summaries that ``storyline eval summaries --output`` wrote for an MDS JSONL (Multi-News
val250) -> a table on stdout and a JSON record (``bench/results/summary_order.json`` unless
``--output`` is given).

Ordering: each Timeline17 topic is summarised as one story (the configured pipeline, no
analyses, ``--words`` words). Each summary sentence is matched to the entry of a reference
timeline whose sentences share the most words with it (F1 of their sets of lower-cased
words of three letters or more; a sentence whose best F1 is under ``--min-match`` is left
out); the Kendall tau-b (scipy) between the sentences' positions in the summary and the
dates of their entries says how far the summary reads in the order of events (1: in order,
0: unrelated, -1: reversed). Reported per (topic, reference) pair and averaged over the
pairs where it is defined (at least two matched sentences, not all on one date).

Dangling openers: a summary line that opens with a connective or pronoun pointing back
(:func:`storyline.text.cohesion.opens_dangling`) and whose previous summary line is not the
sentence before it in the same document (the text between them in a document is only white
space) is counted as dangling.

Usage: ``.venv/bin/python bench/summary_order.py [--summaries FILE --dataset FILE.jsonl]
[--words 250] [--no-t17] [--output PATH]``. Run with ``PYTHONPATH`` pointing at another
checkout's ``src`` to measure that version's order (the dangling count needs this one's
:mod:`storyline.text.cohesion`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from scipy.stats import kendalltau

from storyline.config import Config
from storyline.evaluate.timelines import read_timeline_topics
from storyline.model import Budget, Corpus
from storyline.registry import build_pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", REPO.parent / "shared"))
_WORD = re.compile(r"[a-z0-9]{3,}")


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _f1(left: frozenset[str], right: frozenset[str]) -> float:
    common = len(left & right)
    return 0.0 if common == 0 else 2 * common / (len(left) + len(right))


def order_taus(path: Path, words: int, min_match: float) -> list[dict[str, object]]:
    """Kendall tau of every (topic, reference timeline) pair (see the module docstring)."""
    pipeline = build_pipeline(Config(), analyses=False)
    rows: list[dict[str, object]] = []
    for topic in read_timeline_topics(path):
        started = time.process_time()
        digest = pipeline.run(Corpus(articles=topic.articles), Budget(unit="words", limit=words))
        seconds = time.process_time() - started
        sentences = [_words(item.text) for item in digest.summaries[0].sentences]
        for reference in topic.references:
            entries = [(day, _words(" ".join(texts))) for day, texts in reference.entries]
            matched: list[tuple[int, int]] = []
            for position, sentence in enumerate(sentences):
                score, day = max((_f1(sentence, bag), day) for day, bag in entries)
                if score >= min_match:
                    matched.append((position, day.toordinal()))
            tau = math.nan
            if len(matched) >= 2 and len({day for _, day in matched}) > 1:
                tau = float(kendalltau(*zip(*matched, strict=True)).statistic)
            rows.append(
                {
                    "topic": topic.id,
                    "reference": reference.name,
                    "sentences": len(sentences),
                    "matched": len(matched),
                    "tau": tau,
                    "cpu_seconds": round(seconds, 2),
                }
            )
            print(
                f"{topic.id:<14} {reference.name:<28} {len(matched):>3}/{len(sentences):<3} "
                f"tau {tau:+.3f}",
                flush=True,
            )
    return rows


def dangling_count(summaries: Path, dataset: Path) -> dict[str, int]:
    """Summary lines that open dangling without their antecedent before them."""
    # imported here, not above, so that the ordering measure also runs on an older
    # checkout (PYTHONPATH) that has no cohesion module
    from storyline.text.cohesion import opens_dangling  # noqa: PLC0415

    docs: dict[str, list[str]] = {}
    with dataset.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            docs[str(record["id"])] = [doc["text"] for doc in record["docs"]]
    lines = openers = dangling = 0
    with summaries.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts = docs[str(record["id"])]
            summary = [part for part in str(record["summary"]).split("\n") if part]
            for number, sentence in enumerate(summary):
                lines += 1
                if not opens_dangling(sentence):
                    continue
                openers += 1
                if number == 0 or not _follows(summary[number - 1], sentence, texts):
                    dangling += 1
    return {"sentences": lines, "opening_dangling": openers, "dangling": dangling}


def _follows(before: str, sentence: str, texts: Sequence[str]) -> bool:
    """Whether ``sentence`` comes right after ``before`` (only white space between) in a text."""
    for text in texts:
        start = text.find(before)
        while start >= 0:
            if text[start + len(before) :].lstrip().startswith(sentence):
                return True
            start = text.find(before, start + 1)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--t17", type=Path, default=SHARED / "benchmarks/t17/t17_topics.jsonl")
    parser.add_argument("--no-t17", action="store_true", help="skip the ordering measure")
    parser.add_argument("--summaries", type=Path, help="eval summaries --output JSONL")
    parser.add_argument("--dataset", type=Path, help="the MDS JSONL those summaries are of")
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--min-match", type=float, default=0.2)
    parser.add_argument("--output", type=Path, default=REPO / "bench/results/summary_order.json")
    args = parser.parse_args(argv)
    record: dict[str, object] = {"words": args.words, "min_match": args.min_match}
    if not args.no_t17:
        if not args.t17.is_file():
            print(f"Timeline17 missing: {args.t17}", file=sys.stderr)
            return 1
        rows = order_taus(args.t17, args.words, args.min_match)
        taus = [float(str(row["tau"])) for row in rows if not math.isnan(float(str(row["tau"])))]
        mean = sum(taus) / len(taus) if taus else math.nan
        record["t17_pairs"] = rows
        record["t17_mean_tau"] = mean
        # each topic is summarised once: its CPU time is on each of its pairs' rows
        cpu = sum({str(row["topic"]): float(str(row["cpu_seconds"])) for row in rows}.values())
        print(f"Timeline17: mean Kendall tau {mean:+.3f} over {len(taus)} of {len(rows)} pairs")
        print(f"summarising the topics' stories took {cpu:.1f} CPU seconds")
        record["t17_cpu_seconds"] = cpu
    if args.summaries is not None and args.dataset is not None:
        counts = dangling_count(args.summaries, args.dataset)
        record["dangling"] = counts
        print(
            f"{args.summaries.name}: {counts['dangling']} of {counts['sentences']} summary "
            f"sentences open dangling ({counts['opening_dangling']} open with a connective or "
            "pronoun)"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
