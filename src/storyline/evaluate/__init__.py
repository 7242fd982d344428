"""Evaluate: storyline's outputs scored against benchmark references.

One module per task: :mod:`~storyline.evaluate.summaries` (ROUGE on
multi-document summarisation). Each reads the JSONL formats of
``../shared/benchmarks/`` and names the scorer it uses.
"""

from storyline.evaluate.summaries import (
    ROUGE_IMPLEMENTATION,
    Cluster,
    ClusterResult,
    RougeScores,
    SummaryEvaluation,
    evaluate_summaries,
    read_clusters,
    rouge,
)

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
