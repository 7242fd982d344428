"""Benchmark: storyline's RuleSegmenter against pySBD, in one process on the same text.

Input -> output: the hand-written gold set ``tests/data/segment_gold.jsonl`` and, when
present, real text from the shared benchmark area (Multi-News val250 documents, the
seed articles, Timeline17 documents whose lines are sentences) -> a table on stdout
and a JSON record (``bench/results/segment.json`` unless ``--output`` is given).

Measured for both segmenters: exact paragraphs and boundary precision / recall / F1 on
the gold set; sentences per second, the speed ratio and peak traced memory on the real
text; boundary agreement between the two on Multi-News and the seeds (pySBD as the
reference, which is not ground truth: read the disagreements with
``--disagreements FILE``); and boundary F1 against Timeline17's one-sentence-per-line
layout. pySBD (Sadvilkar & Neumann, 2020) runs with ``clean=False`` so that its
sentences can be located in the original text.

Usage: ``.venv/bin/python bench/bench_segment.py [--output PATH] [--docs N]``.
The shared data is read from ``../shared`` beside the repository or from
``$STORYLINE_SHARED``; without it only the gold-set part runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

import pysbd  # noqa: E402  (after the path fallback above)

from storyline.text.sentences import RuleSegmenter  # noqa: E402

Spans = tuple[tuple[int, int], ...]
SplitFunction = Callable[[str], Spans]

GOLD_PATH = REPO / "tests" / "data" / "segment_gold.jsonl"
DEFAULT_OUTPUT = REPO / "bench" / "results" / "segment.json"


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts:
    """Boundary counts: a boundary is the start offset of every sentence but the first."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, predicted: Spans, reference: Spans) -> Counts:
        got = {start for start, _ in predicted[1:]}
        want = {start for start, _ in reference[1:]}
        return Counts(
            true_positive=self.true_positive + len(got & want),
            false_positive=self.false_positive + len(got - want),
            false_negative=self.false_negative + len(want - got),
        )

    def scores(self) -> dict[str, float]:
        found = self.true_positive + self.false_positive
        expected = self.true_positive + self.false_negative
        precision = self.true_positive / found if found else 1.0
        recall = self.true_positive / expected if expected else 1.0
        total = precision + recall
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / total if total else 0.0, 4),
        }


def pysbd_splitter() -> SplitFunction:
    """pySBD as a span function: its sentences located in the text in order."""
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def split(text: str) -> Spans:
        spans: list[tuple[int, int]] = []
        cursor = 0
        for piece in segmenter.segment(text):
            body = piece.strip()
            if not body:
                continue
            start = text.find(body, cursor)
            if start < 0:  # pySBD altered the text; keep the cursor, skip the piece
                continue
            spans.append((start, start + len(body)))
            cursor = start + len(body)
        return tuple(spans)

    return split


def gold_spans(text: str, sentences: Sequence[str]) -> Spans:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentences:
        start = text.index(sentence, cursor)
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return tuple(spans)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldParagraph:
    """One hand-written paragraph and its sentences, as in the gold JSONL file."""

    id: str
    tags: tuple[str, ...]
    text: str
    sentences: tuple[str, ...]


def load_gold() -> list[GoldParagraph]:
    with GOLD_PATH.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [
        GoldParagraph(
            id=str(row["id"]),
            tags=tuple(str(tag) for tag in row["tags"]),
            text=str(row["text"]),
            sentences=tuple(str(sentence) for sentence in row["sentences"]),
        )
        for row in rows
    ]


def score_gold(split: SplitFunction, gold: Sequence[GoldParagraph]) -> dict[str, object]:
    """Exact paragraphs and boundary scores; ``convention`` rows are also counted apart."""
    counts = Counts()
    failed: list[str] = []
    for paragraph in gold:
        reference = gold_spans(paragraph.text, paragraph.sentences)
        predicted = split(paragraph.text)
        counts = counts.add(predicted, reference)
        if predicted != reference:
            failed.append(paragraph.id)
    plain = [paragraph.id for paragraph in gold if "convention" not in paragraph.tags]
    return {
        "paragraphs": len(gold),
        "exact": len(gold) - len(failed),
        "non_convention_paragraphs": len(plain),
        "non_convention_exact": len(set(plain) - set(failed)),
        "boundaries": counts.scores(),
        "failed": failed,
    }


def multinews_texts(root: Path, limit: int | None) -> Iterator[str]:
    path = root / "benchmarks" / "multinews" / "val250.jsonl"
    count = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for doc in json.loads(line)["docs"]:
                if limit is not None and count >= limit:
                    return
                count += 1
                yield str(doc["text"])


def seed_texts(root: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((root / "seeds").glob("*.txt"))]


def timeline17_texts(root: Path, limit: int) -> list[str]:
    """The first ``limit`` Timeline17 documents (one PTB-tokenized sentence a line)."""
    path = root / "benchmarks" / "t17" / "t17_topics.jsonl"
    texts: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for doc in json.loads(line)["docs"]:
                if len(texts) >= limit:
                    return texts
                texts.append(str(doc["text"]))
    return texts


def line_spans(text: str) -> Spans:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        body = line.strip()
        if body:
            start = offset + line.index(body)
            spans.append((start, start + len(body)))
        offset += len(line) + 1
    return tuple(spans)


def timed(split: SplitFunction, texts: Sequence[str], repeats: int) -> tuple[float, int]:
    """Best wall time over ``repeats`` runs, and the number of sentences found."""
    best = float("inf")
    sentences = 0
    for _ in range(repeats):
        began = time.perf_counter()
        sentences = sum(len(split(text)) for text in texts)
        best = min(best, time.perf_counter() - began)
    return best, sentences


def peak_memory(split: SplitFunction, texts: Sequence[str]) -> int:
    """Peak bytes traced while splitting ``texts`` and keeping every span."""
    tracemalloc.start()
    kept = [split(text) for text in texts]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak


def agreement(
    ours: Sequence[Spans], reference: Sequence[Spans], texts: Sequence[str]
) -> tuple[dict[str, object], list[dict[str, object]]]:
    counts = Counts()
    identical = 0
    differences: list[dict[str, object]] = []
    for text, mine, theirs in zip(texts, ours, reference, strict=True):
        counts = counts.add(mine, theirs)
        if mine == theirs:
            identical += 1
            continue
        mine_starts = {start for start, _ in mine[1:]}
        theirs_starts = {start for start, _ in theirs[1:]}
        for start in sorted(mine_starts ^ theirs_starts):
            differences.append(
                {
                    "split_by": "storyline" if start in mine_starts else "pysbd",
                    "context": text[max(0, start - 80) : start] + " ‖ " + text[start : start + 60],
                }
            )
    summary: dict[str, object] = {
        "documents": len(texts),
        "identical_documents": identical,
        "boundaries_vs_pysbd": counts.scores(),
        "boundary_differences": len(differences),
    }
    return summary, differences


def run(arguments: argparse.Namespace) -> dict[str, object]:
    ours = RuleSegmenter().split
    theirs = pysbd_splitter()
    gold = load_gold()
    result: dict[str, object] = {
        "gold": {"storyline": score_gold(ours, gold), "pysbd": score_gold(theirs, gold)},
        "packages": {"pysbd": getattr(pysbd, "__version__", "unknown")},
    }
    root = shared_root()
    if not (root / "benchmarks").is_dir():
        print(f"shared data not found at {root}: real-text parts skipped", file=sys.stderr)
        result["real_text"] = f"skipped: {root} not found"
        return result

    texts = [*multinews_texts(root, arguments.docs), *seed_texts(root)]
    characters = sum(len(text) for text in texts)
    our_time, our_sentences = timed(ours, texts, repeats=arguments.repeats)
    their_time, their_sentences = timed(theirs, texts, repeats=1)
    our_spans = [ours(text) for text in texts]
    their_spans = [theirs(text) for text in texts]
    summary, differences = agreement(our_spans, their_spans, texts)
    memory_texts = texts[: arguments.memory_docs]
    result["real_text"] = {
        "corpus": "multinews val250 documents + seeds",
        "documents": len(texts),
        "characters": characters,
        "storyline": {
            "seconds": round(our_time, 4),
            "sentences": our_sentences,
            "sentences_per_second": round(our_sentences / our_time),
            "peak_memory_bytes": peak_memory(ours, memory_texts),
        },
        "pysbd": {
            "seconds": round(their_time, 4),
            "sentences": their_sentences,
            "sentences_per_second": round(their_sentences / their_time),
            "peak_memory_bytes": peak_memory(theirs, memory_texts),
        },
        "speed_ratio": round(their_time / our_time, 1),
        "memory_documents": len(memory_texts),
        "agreement": summary,
    }
    if arguments.disagreements is not None:
        arguments.disagreements.parent.mkdir(parents=True, exist_ok=True)
        arguments.disagreements.write_text(
            json.dumps(differences, ensure_ascii=False, indent=1), encoding="utf-8"
        )

    t17 = timeline17_texts(root, arguments.t17_docs)
    reference = [line_spans(text) for text in t17]
    t17_result: dict[str, object] = {"documents": len(t17)}
    for name, split in (("storyline", ours), ("pysbd", theirs)):
        counts = Counts()
        for text, lines in zip(t17, reference, strict=True):
            counts = counts.add(split(text), lines)
        t17_result[name] = counts.scores()
    result["timeline17_lines"] = t17_result
    return result


def prf(scores: dict[str, float]) -> str:
    return f"P {scores['precision']:.3f} R {scores['recall']:.3f} F1 {scores['f1']:.3f}"


def report(result: dict[str, object]) -> None:
    gold = result["gold"]
    assert isinstance(gold, dict)
    print("gold set (tests/data/segment_gold.jsonl)")
    for name, scores in gold.items():
        boundaries = scores["boundaries"]
        print(
            f"  {name:10} exact {scores['exact']}/{scores['paragraphs']}"
            f" (without convention rows {scores['non_convention_exact']}"
            f"/{scores['non_convention_paragraphs']})"
            f"  boundary {prf(boundaries)}  failed: {', '.join(scores['failed']) or '-'}"
        )
    real = result["real_text"]
    if not isinstance(real, dict):
        print(f"real text: {real}")
        return
    print(f"real text: {real['documents']} documents, {real['characters']:,} characters")
    for name in ("storyline", "pysbd"):
        part = real[name]
        print(
            f"  {name:10} {part['sentences_per_second']:>10,} sentences/s"
            f"  ({part['sentences']:,} sentences in {part['seconds']:.3f} s)"
            f"  peak {part['peak_memory_bytes'] / 1e6:.1f} MB"
            f" over {real['memory_documents']} documents"
        )
    print(f"  speed ratio (pysbd time / storyline time): {real['speed_ratio']}x")
    agree = real["agreement"]
    scores = agree["boundaries_vs_pysbd"]
    print(
        f"  agreement with pysbd: {agree['identical_documents']}/{agree['documents']} documents"
        f" identical, boundary {prf(scores)}"
        f" ({agree['boundary_differences']} differing boundaries)"
    )
    t17 = result["timeline17_lines"]
    assert isinstance(t17, dict)
    print(f"Timeline17 lines as sentences ({t17['documents']} documents):")
    for name in ("storyline", "pysbd"):
        print(f"  {name:10} boundary {prf(t17[name])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--docs", type=int, default=None, help="Multi-News documents (all)")
    parser.add_argument("--t17-docs", type=int, default=100)
    parser.add_argument("--memory-docs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5, help="best-of runs for storyline")
    parser.add_argument(
        "--disagreements",
        type=Path,
        default=None,
        help="write every boundary where the two differ to this JSON file",
    )
    arguments = parser.parse_args(argv)
    result = run(arguments)
    report(result)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
