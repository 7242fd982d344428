"""Summaries: MDS benchmark JSONL -> per-cluster summaries and ROUGE scores.

Summaries are scored with Google's ``rouge-score`` (the implementation is named
in every result): ROUGE-1, ROUGE-2 and ROUGE-Lsum, Porter stemming, ROUGE-Lsum
over newline-separated sentences (summary sentences as selected, reference
sentences as split by storyline's segmenter). Scores are averaged over
clusters (macro), recall and F1, as the Multi-News literature reports them.

The multi-document summarisation (MDS) format, one cluster a line::

    {"id": str, "docs": [{"id": str, "date": str|null, "title": str|null,
     "text": str}], "refs": [str, ...]}
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import docs_to_articles, read_records
from storyline.model import Article, Budget, Corpus, Summary
from storyline.pipeline import Pipeline
from storyline.text.sentences import Segmenter

__all__ = [
    "ROUGE_IMPLEMENTATION",
    "Cluster",
    "ClusterResult",
    "RougeScores",
    "SummaryEvaluation",
    "evaluate_summaries",
    "read_clusters",
    "rouge",
]

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
ROUGE_IMPLEMENTATION = (
    f"rouge-score {version('rouge-score')} (Porter stemming; ROUGE-Lsum on newline-split sentences)"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RougeScores:
    """Recall and F1 per ROUGE type, as percentages."""

    recall: dict[str, float]
    f1: dict[str, float]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterResult:
    cluster_id: str
    summary: Summary
    scores: RougeScores
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryEvaluation:
    results: tuple[ClusterResult, ...]
    mean: RougeScores
    implementation: str

    @property
    def median_seconds(self) -> float:
        return statistics.median(result.seconds for result in self.results)


def read_clusters(path: Path) -> Iterator[Cluster]:
    """Clusters of an MDS JSONL file; a malformed line is an :class:`EvaluationError`."""
    return read_records(path, _cluster, kind="an MDS cluster")


def _cluster(record: Mapping[str, Any], origin: str) -> Cluster:
    return Cluster(
        id=str(record["id"]),
        articles=docs_to_articles(record, origin),
        references=tuple(str(ref) for ref in record["refs"]),
    )


def rouge(summary: str, references: Sequence[str], segmenter: Segmenter) -> RougeScores:
    """ROUGE of a newline-separated summary against the best-matching reference."""
    scorer = _scorer()
    best: dict[str, Any] | None = None
    for reference in references:
        spans = segmenter.split(reference)
        target = "\n".join(reference[start:end] for start, end in spans)
        scores = scorer.score(target, summary)
        if best is None or scores["rouge2"].fmeasure > best["rouge2"].fmeasure:
            best = scores
    if best is None:
        raise EvaluationError("a cluster has no reference summary")
    return RougeScores(
        recall={name: 100 * best[name].recall for name in ROUGE_TYPES},
        f1={name: 100 * best[name].fmeasure for name in ROUGE_TYPES},
    )


def evaluate_summaries(
    clusters: Sequence[Cluster],
    pipeline: Pipeline,
    budget: Budget,
    *,
    on_cluster: Callable[[ClusterResult], None] | None = None,
) -> SummaryEvaluation:
    """Summarise every cluster with ``pipeline`` and score it against its references."""
    results = []
    for cluster in clusters:
        started = time.perf_counter()
        digest = pipeline.run(Corpus(articles=cluster.articles), budget)
        seconds = time.perf_counter() - started
        summary = digest.summaries[0]
        result = ClusterResult(
            cluster_id=cluster.id,
            summary=summary,
            scores=rouge(summary.text, cluster.references, pipeline.segmenter),
            seconds=seconds,
        )
        results.append(result)
        if on_cluster is not None:
            on_cluster(result)
    if not results:
        raise EvaluationError("the dataset holds no cluster")
    mean = RougeScores(
        recall={n: statistics.fmean(r.scores.recall[n] for r in results) for n in ROUGE_TYPES},
        f1={n: statistics.fmean(r.scores.f1[n] for r in results) for n in ROUGE_TYPES},
    )
    return SummaryEvaluation(results=tuple(results), mean=mean, implementation=ROUGE_IMPLEMENTATION)


@functools.cache
def _scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
