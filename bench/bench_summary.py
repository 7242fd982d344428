"""Benchmark: storyline's summarizer against sumy's LexRank, same clusters, one run.

Input -> output: Multi-News val250 (``../shared/benchmarks/multinews/val250.jsonl``)
and, for the 10-article newswire setting, clusters of 10 consecutive articles of
each Timeline17 topic -> a table on stdout and a JSON record
(``bench/results/summary.json`` unless ``--output`` is given).

Both systems start from raw article text, so sentence splitting is included in
both timings: storyline runs its whole pipeline (segment, dedup, facts, select);
sumy's LexRank (Erkan & Radev 2004, ``sumy`` 0.13) gets pySBD sentences and a
regex word tokenizer (NLTK's punkt data cannot be downloaded here), its own
English stop words and Snowball stemmer. Both fill the same word budget the same
way: sentences in the system's order of preference, skipping any that no longer
fit. ROUGE is Google's ``rouge-score`` with stemming, ROUGE-Lsum over newline-split
sentences, identical for both.

Time is measured two ways on Multi-News, and both are reported:

- interleaved: the systems take turns on each cluster, so that both see the
  same machine load. Each run then starts with the processor caches filled by
  the other system's run (sumy's ~70 ms evict storyline's few milliseconds of
  working set), a handicap that falls mostly on the faster system;
- in a row (``--rounds``, default 2): each system digests all clusters back to
  back, as a digest job does, in ABBA order over the rounds; a cluster's time
  is the system's best round. From the second round on, storyline's shared word
  vocabulary (see ``storyline.text.tokens``) knows these clusters' words, as a
  long-running process knows the words of the day's news; the first round
  starts from an empty vocabulary and is reported apart.

The 10-article newswire clusters are timed interleaved only (sumy takes
seconds to minutes on each).

Usage: ``.venv/bin/python bench/bench_summary.py [--words 250] [--limit N] [--rounds 2]
[--no-newswire] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

import pysbd  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from storyline.config import Config  # noqa: E402
from storyline.evaluate import read_clusters, rouge  # noqa: E402
from storyline.evaluate.summaries import ROUGE_IMPLEMENTATION, Cluster  # noqa: E402
from storyline.model import Article, Budget, Corpus  # noqa: E402
from storyline.registry import build_pipeline  # noqa: E402
from storyline.text import tokens as _text  # noqa: E402
from storyline.text.sentences import RuleSegmenter  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "summary.json"
_WORD = re.compile(r"\w+(?:['’]\w+)*")

Summarize = Callable[[Sequence[Article], Budget], list[str]]


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


class _RegexTokenizer:
    """The tokenizer interface sumy expects, without NLTK data."""

    language = "english"

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


class _RankedLexRank(LexRankSummarizer):  # type: ignore[misc]
    """LexRank that hands back every sentence ranked, for budgeted selection."""

    def _get_best_sentences(self, sentences: Any, count: Any, rating: Any, *args: Any) -> Any:
        del count, args
        order = sorted(range(len(sentences)), key=lambda i: (-rating[sentences[i]], i))
        return tuple(sentences[i] for i in order)


class SumyLexRank:
    def __init__(self) -> None:
        self.splitter = pysbd.Segmenter(language="en", clean=False)
        self.tokenizer = _RegexTokenizer()
        self.summarizer = _RankedLexRank(Stemmer("english"))
        self.summarizer.stop_words = get_stop_words("english")

    def __call__(self, articles: Sequence[Article], budget: Budget) -> list[str]:
        paragraphs = []
        for article in articles:
            sentences = [s.strip() for s in self.splitter.segment(article.text) if s.strip()]
            paragraphs.append(Paragraph([Sentence(s, self.tokenizer) for s in sentences]))
        document = ObjectDocumentModel(paragraphs)
        ranked = [str(s) for s in self.summarizer(document, len(document.sentences))]
        return _fill(ranked, document_order=[str(s) for s in document.sentences], budget=budget)


def _fill(ranked: list[str], *, document_order: list[str], budget: Budget) -> list[str]:
    chosen: set[int] = set()
    used = 0
    position = {text: i for i, text in reversed(list(enumerate(document_order)))}
    for text in ranked:
        cost = budget.cost(text)
        if used + cost <= budget.limit:
            chosen.add(position[text])
            used += cost
    return [document_order[i] for i in sorted(chosen)]


class Storyline:
    def __init__(self) -> None:
        self.pipeline = build_pipeline(Config(), analyses=False)

    def __call__(self, articles: Sequence[Article], budget: Budget) -> list[str]:
        digest = self.pipeline.run(Corpus(articles=tuple(articles)), budget)
        return [item.text for item in digest.summaries[0].sentences]


@dataclass(frozen=True, slots=True)
class Run:
    seconds: list[float]
    summaries: list[list[str]]


def _run_interleaved(
    systems: dict[str, Summarize], clusters: Sequence[Cluster], budget: Budget
) -> dict[str, Run]:
    """Each cluster by every system in turn, so that both see the same machine load."""
    runs = {label: Run(seconds=[], summaries=[]) for label in systems}
    for cluster in clusters:
        for label, system in systems.items():
            started = time.perf_counter()
            summary = system(cluster.articles, budget)
            runs[label].seconds.append(time.perf_counter() - started)
            runs[label].summaries.append(summary)
    return runs


def _run_back_to_back(
    systems: dict[str, Summarize], clusters: Sequence[Cluster], budget: Budget, *, rounds: int
) -> dict[str, list[Run]]:
    """Every system over all clusters in a row, as a digest job runs, ``rounds`` times.

    Systems take turns by rounds in ABBA order, so that slow drift of the
    machine's speed falls on both alike. storyline's first round starts with
    an empty word vocabulary; later rounds find it filled with these words.
    """
    runs: dict[str, list[Run]] = {label: [] for label in systems}
    labels = list(systems)
    # The first round starts from an empty word vocabulary, as a fresh process does;
    # the interleaved runs before it filled the vocabulary with these clusters' words.
    _text._VOCABULARY.forget()
    for round_number in range(rounds):
        for label in labels if round_number % 2 == 0 else labels[::-1]:
            seconds = []
            for cluster in clusters:
                started = time.perf_counter()
                systems[label](cluster.articles, budget)
                seconds.append(time.perf_counter() - started)
            runs[label].append(Run(seconds=seconds, summaries=[]))
    return runs


def _best(rounds: Sequence[Run]) -> Run:
    """Each cluster's fastest round: the least noisy estimate of what it costs."""
    fastest = [min(times) for times in zip(*(r.seconds for r in rounds), strict=True)]
    return Run(seconds=fastest, summaries=[])


def _peak_mib(system: Summarize, clusters: Sequence[Cluster], budget: Budget) -> float:
    tracemalloc.start()
    for cluster in clusters:
        system(cluster.articles, budget)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _rouge(run: Run, clusters: Sequence[Cluster]) -> dict[str, dict[str, float]]:
    segmenter = RuleSegmenter()
    scores = [
        rouge("\n".join(summary), cluster.references, segmenter)
        for summary, cluster in zip(run.summaries, clusters, strict=True)
    ]
    names = ("rouge1", "rouge2", "rougeLsum")
    return {
        "f1": {n: round(statistics.fmean(s.f1[n] for s in scores), 2) for n in names},
        "recall": {n: round(statistics.fmean(s.recall[n] for s in scores), 2) for n in names},
    }


def _timing(run: Run) -> dict[str, float]:
    return {
        "median_ms": round(1000 * statistics.median(run.seconds), 3),
        "max_ms": round(1000 * max(run.seconds), 3),
        "total_s": round(sum(run.seconds), 3),
    }


def _newswire_clusters(path: Path, size: int, per_topic: int) -> list[Cluster]:
    """Clusters of ``size`` consecutive dated articles from each Timeline17 topic."""
    clusters = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            topic = json.loads(line)
            docs = sorted(topic["docs"], key=lambda d: (d["date"], d["id"]))
            for k in range(per_topic):
                chunk = docs[k * size : (k + 1) * size]
                if len(chunk) < size:
                    break
                articles = tuple(
                    Article(id=d["id"], text=d["text"], source=d["id"], origin=str(path))
                    for d in chunk
                )
                clusters.append(
                    Cluster(id=f"{topic['id']}-{k}", articles=articles, references=("",))
                )
    return clusters


def _ratios(ours: Sequence[float], peer: Sequence[float]) -> dict[str, float]:
    return {
        "of_medians": round(statistics.median(peer) / statistics.median(ours), 1),
        "per_cluster_median": round(
            statistics.median(p / o for p, o in zip(peer, ours, strict=True)), 1
        ),
        "total": round(sum(peer) / sum(ours), 1),
    }


def _compare(
    name: str,
    clusters: Sequence[Cluster],
    budget: Budget,
    *,
    score: bool,
    back_to_back_rounds: int = 0,
) -> dict[str, Any]:
    systems: dict[str, Summarize] = {"storyline": Storyline(), "sumy-lexrank": SumyLexRank()}
    for system in systems.values():  # warm caches and imports outside the timed runs
        system(clusters[0].articles, budget)
    result: dict[str, Any] = {"clusters": len(clusters), "budget_words": budget.limit}
    runs = _run_interleaved(systems, clusters, budget)
    rounds = (
        _run_back_to_back(systems, clusters, budget, rounds=back_to_back_rounds)
        if back_to_back_rounds
        else {}
    )
    in_a_row = {label: _best(runs_of) for label, runs_of in rounds.items()}
    for label, system in systems.items():
        entry: dict[str, Any] = {"time": _timing(runs[label])}
        if rounds:
            entry["time_in_a_row_first_round"] = _timing(rounds[label][0])
            entry["time_in_a_row_best"] = _timing(in_a_row[label])
        if score:
            entry["rouge"] = _rouge(runs[label], clusters)
        entry["peak_traced_mib"] = round(_peak_mib(system, clusters[:20], budget), 2)
        result[label] = entry
    peer, ours = "sumy-lexrank", "storyline"
    result["speed_ratio"] = _ratios(runs[ours].seconds, runs[peer].seconds)
    if rounds:
        result["speed_ratio_in_a_row_first_round"] = _ratios(
            rounds[ours][0].seconds, rounds[peer][0].seconds
        )
        result["speed_ratio_in_a_row_best"] = _ratios(
            in_a_row[ours].seconds, in_a_row[peer].seconds
        )
    print(f"\n== {name}: {len(clusters)} clusters, {budget.limit}-word summaries")
    for label in systems:
        entry = result[label]
        line = f"{label:>13}: median {entry['time']['median_ms']:8.2f} ms"
        line += f"  max {entry['time']['max_ms']:8.2f} ms  peak {entry['peak_traced_mib']:.1f} MiB"
        if score:
            f1 = entry["rouge"]["f1"]
            line += (
                f"  R-1 {f1['rouge1']:.2f}  R-2 {f1['rouge2']:.2f}  R-Lsum {f1['rougeLsum']:.2f}"
            )
        if rounds:
            first, best = entry["time_in_a_row_first_round"], entry["time_in_a_row_best"]
            line += (
                f"  | in a row: median {first['median_ms']:.2f} ms (first round), "
                f"{best['median_ms']:.2f} ms (best of {back_to_back_rounds})"
            )
        print(line)
    for key, protocol in (
        ("speed_ratio", "interleaved"),
        ("speed_ratio_in_a_row_first_round", "in a row, first round"),
        ("speed_ratio_in_a_row_best", f"in a row, best of {back_to_back_rounds}"),
    ):
        if key in result:
            ratio = result[key]
            print(
                f"  speed ratio (sumy / storyline), {protocol}: "
                f"median per cluster {ratio['per_cluster_median']}x, "
                f"of medians {ratio['of_medians']}x, total {ratio['total']}x"
            )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--limit", type=int, help="first N Multi-News clusters only")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--no-newswire", action="store_true", help="skip the 10-article Timeline17 clusters"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="rounds of the in-a-row timing of Multi-News (0 to skip it)",
    )
    args = parser.parse_args(argv)
    shared = shared_root()
    multinews = shared / "benchmarks" / "multinews" / "val250.jsonl"
    t17 = shared / "benchmarks" / "t17" / "t17_topics.jsonl"
    budget = Budget(unit="words", limit=args.words)
    report: dict[str, Any] = {
        "benchmark": "summary",
        "scorer": ROUGE_IMPLEMENTATION,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    if multinews.is_file():
        clusters = list(read_clusters(multinews))[: args.limit]
        report["multinews_val250"] = _compare(
            "Multi-News val250", clusters, budget, score=True, back_to_back_rounds=args.rounds
        )
    else:
        print(f"skipped Multi-News: {multinews} not found")
    if args.no_newswire:
        print("skipped the 10-article newswire clusters (--no-newswire)")
    elif t17.is_file():
        newswire = _newswire_clusters(t17, size=10, per_topic=3)
        report["newswire_10_articles"] = _compare(
            "Timeline17, 10-article clusters",
            newswire,
            Budget(unit="words", limit=100),
            score=False,
        )
    else:
        print(f"skipped the 10-article newswire clusters: {t17} not found")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
