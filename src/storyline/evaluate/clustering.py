"""Clustering: a labelled article stream -> B-cubed, adjusted Rand index, stories found.

:func:`read_labelled_stream` reads the story-clustering JSONL of
``../shared/benchmarks/clustering/`` (one article a line: ``{"id", "date",
"title", "text", "label", ...}``) or a Timeline17-style topic file (one topic a
line with its ``docs``; every doc is labelled with its topic id), recognised by
the shape of its first record. :func:`evaluate_clustering` runs a
:class:`~storyline.stories.clusters.StoryClusterer` over the articles in their
canonical order and scores its partition against the labels:

- **B-cubed** precision, recall and F1 (Bagga and Baldwin 1998): for each
  article, the share of its predicted story that carries its label (precision)
  and the share of its labelled story that its predicted story holds (recall),
  averaged over articles; F1 is the harmonic mean of the two averages (as in
  Amigó et al. 2009). Computed from the contingency counts, in linear time.
- **adjusted Rand index** (Hubert and Arabie 1985), from scikit-learn's
  ``adjusted_rand_score``;
- the number of stories found against the number of labelled stories, and the
  clusterer's wall-clock time.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import docs_to_articles, read_records
from storyline.ingest.files import parse_date
from storyline.model import Article
from storyline.stories.clusters import StoryClusterer, canonical_order

__all__ = [
    "BCubed",
    "ClusteringEvaluation",
    "LabelledStream",
    "bcubed",
    "evaluate_clustering",
    "read_labelled_stream",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class BCubed:
    """B-cubed precision, recall and F1 (averaged over items)."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledStream:
    """Articles in canonical order with the gold story label of each (by article id)."""

    name: str
    articles: tuple[Article, ...]
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusteringEvaluation:
    """A clusterer's partition of a labelled stream, and its scores."""

    dataset: str
    articles: int
    gold_stories: int
    stories: tuple[tuple[str, ...], ...]
    bcubed: BCubed
    adjusted_rand: float
    seconds: float

    @property
    def found(self) -> int:
        """How many stories the clusterer made."""
        return len(self.stories)


def bcubed(predicted: Iterable[Sequence[str]], gold: Mapping[str, str]) -> BCubed:
    """B-cubed scores of a partition ``predicted`` (stories of item ids) against ``gold``.

    ``gold`` maps every item to its label; an item in ``predicted`` without a
    label is an :class:`EvaluationError`, as is a labelled item left out of
    ``predicted`` or one that appears twice.
    """
    pair_counts: Counter[tuple[int, str]] = Counter()
    story_sizes: list[int] = []
    seen: set[str] = set()
    for index, story in enumerate(predicted):
        story_sizes.append(len(story))
        for item in story:
            if item in seen:
                raise EvaluationError(f"item {item!r} is in more than one predicted story")
            if item not in gold:
                raise EvaluationError(f"item {item!r} has no gold label")
            seen.add(item)
            pair_counts[index, gold[item]] += 1
    if len(seen) != len(gold):
        missing = sorted(set(gold) - seen)
        raise EvaluationError(f"{len(missing)} labelled items are in no story, e.g. {missing[0]!r}")
    if not gold:
        return BCubed(precision=1.0, recall=1.0, f1=1.0)
    label_sizes = Counter(gold.values())
    # Each of the n items of a (story, label) cell has n items of its story and label.
    precision = sum(n * n / story_sizes[s] for (s, _), n in pair_counts.items()) / len(gold)
    recall = sum(n * n / label_sizes[g] for (_, g), n in pair_counts.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision=precision, recall=recall, f1=f1)


def read_labelled_stream(path: Path) -> LabelledStream:
    """The articles of a clustering JSONL or a Timeline17 topic file, with their labels.

    A record with ``docs`` is a topic (its docs are labelled with the topic
    ``id``); any other record is one article with a ``label``. Articles come
    back in canonical order (date, undated last, then id); a repeated article
    id is an :class:`EvaluationError`.
    """
    groups = list(read_records(path, _parse_record, kind="a clustering"))
    articles: list[Article] = []
    labels: dict[str, str] = {}
    for group, label in groups:
        for article in group:
            if article.id in labels:
                raise EvaluationError(f"{path}: article id {article.id!r} appears twice")
            labels[article.id] = label
            articles.append(article)
    if not articles:
        raise EvaluationError(f"{path} holds no article")
    return LabelledStream(name=path.name, articles=canonical_order(articles), labels=labels)


def _parse_record(record: Mapping[str, Any], origin: str) -> tuple[tuple[Article, ...], str]:
    if "docs" in record:
        return docs_to_articles(record, origin), str(record["id"])
    title = record.get("title")
    article = Article(
        id=str(record["id"]),
        text=str(record["text"]),
        source=str(record.get("publisher") or record.get("source") or record["id"]),
        origin=origin,
        title=str(title) if title else None,
        url=record.get("url"),
        published=parse_date(record["date"]) if record.get("date") else None,
    )
    return (article,), str(record["label"])


def evaluate_clustering(stream: LabelledStream, clusterer: StoryClusterer) -> ClusteringEvaluation:
    """Cluster ``stream``'s articles in one batch and score the partition."""
    started = time.perf_counter()
    stories = clusterer.cluster(stream.articles).stories
    seconds = time.perf_counter() - started
    predicted = {item: index for index, story in enumerate(stories) for item in story}
    ids = [article.id for article in stream.articles]
    return ClusteringEvaluation(
        dataset=stream.name,
        articles=len(ids),
        gold_stories=len(set(stream.labels.values())),
        stories=stories,
        bcubed=bcubed(stories, stream.labels),
        adjusted_rand=float(
            adjusted_rand_score([stream.labels[i] for i in ids], [predicted[i] for i in ids])
        ),
        seconds=seconds,
    )


def evaluation_rows(evaluation: ClusteringEvaluation, stream: LabelledStream) -> list[str]:
    """One JSON line per predicted story: its article ids and their gold labels."""
    return [
        json.dumps(
            {
                "story": index,
                "articles": list(story),
                "labels": [stream.labels[item] for item in story],
            },
            ensure_ascii=False,
        )
        for index, story in enumerate(evaluation.stories)
    ]
