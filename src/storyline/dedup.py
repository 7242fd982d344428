"""Dedup: articles -> syndicated-copy groups; sentences -> facts.

Two jobs, one idea (overlap of word sequences):

- :class:`ShingleDeduplicator` finds articles that are copies of one another
  (wire copy republished with a new byline or an extra paragraph). Articles are
  sets of word 5-gram shingles (Broder 1997); two articles are copies when the
  shared shingles cover most of the shorter one (containment). The earliest
  report of each group is named canonical.
- :class:`LexicalFactGrouper` groups exact, near-duplicate and paraphrased
  sentences into facts. Sentences are TF-IDF vectors of content-word stems and
  stem bigrams, weighted within the story (a name every sentence repeats weighs
  little; "meddled" weighs a lot); two sentences state the same fact when their
  cosine is high, or when they share a run of rare words that covers most of
  the shorter one. Groups are merged by average linkage so that one bridging
  sentence cannot chain unrelated facts together.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline._text import content_terms, words
from storyline.model import Article, DuplicateGroup, Fact, Sentence

__all__ = [
    "Deduplicator",
    "FactGrouper",
    "LexicalFactGrouper",
    "ShingleDeduplicator",
    "reading_order",
]


class Deduplicator(Protocol):
    """Finds articles that are copies of one another."""

    def deduplicate(self, articles: Sequence[Article]) -> tuple[DuplicateGroup, ...]: ...


class FactGrouper(Protocol):
    """Partitions sentences into facts: every sentence lands in exactly one."""

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]: ...


def reading_order(articles: Sequence[Article]) -> dict[str, tuple[dt.date, int]]:
    """Sort key of each article: publication date (undated last), then input order."""
    return {
        article.id: (article.published or dt.date.max, position)
        for position, article in enumerate(articles)
    }


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        low, high = sorted((self.find(first), self.find(second)))
        self.parent[high] = low

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            members.setdefault(self.find(item), []).append(item)
        return sorted(members.values())


class ShingleDeduplicator:
    """Groups articles whose word shingles overlap above a containment threshold."""

    def __init__(self, *, shingle_size: int = 5, threshold: float = 0.8) -> None:
        self.shingle_size = shingle_size
        self.threshold = threshold

    def deduplicate(self, articles: Sequence[Article]) -> tuple[DuplicateGroup, ...]:
        if len(articles) < 2:
            return ()
        vocabulary: dict[tuple[str, ...], int] = {}
        rows: list[int] = []
        columns: list[int] = []
        for row, article in enumerate(articles):
            tokens = words(article.text)
            size = min(self.shingle_size, len(tokens))
            shingles = {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}
            for shingle in shingles:
                rows.append(row)
                columns.append(vocabulary.setdefault(shingle, len(vocabulary)))
        matrix = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)),
            shape=(len(articles), len(vocabulary)),
        )
        sizes = np.asarray(matrix.sum(axis=1)).ravel()
        shared = sp.triu(matrix @ matrix.T, k=1).tocoo()
        union = _UnionFind(len(articles))
        for first, second, count in zip(shared.row, shared.col, shared.data, strict=True):
            smaller = min(sizes[first], sizes[second])
            if smaller > 0 and count / smaller >= self.threshold:
                union.union(int(first), int(second))
        order = reading_order(articles)
        groups = []
        for members in union.groups():
            if len(members) < 2:
                continue
            ids = sorted((articles[i].id for i in members), key=order.__getitem__)
            groups.append(DuplicateGroup(canonical=ids[0], copies=tuple(ids[1:])))
        return tuple(groups)


class LexicalFactGrouper:
    """Groups sentences that state the same fact, by weighted word overlap.

    ``similarity`` is the average-linkage cosine above which groups merge.
    A pair below it still counts as the same fact when the two sentences share
    a run of at least ``min_run`` consecutive content words, ``min_common`` of
    them common words rather than names, covering at least ``run_share`` of
    the shorter sentence's content words.
    """

    def __init__(
        self,
        *,
        similarity: float = 0.5,
        min_run: int = 4,
        min_common: int = 2,
        run_share: float = 0.4,
        block_size: int = 2048,
    ) -> None:
        self.similarity = similarity
        self.min_run = min_run
        self.min_common = min_common
        self.run_share = run_share
        self.block_size = block_size

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]:
        if not sentences:
            return ()
        terms = [content_terms(s.text(articles[s.article_id])) for s in sentences]
        clusters = self._link(len(sentences), self._pair_scores(terms))
        order = reading_order(list(articles.values()))
        position = {s.id: i for i, s in enumerate(sentences)}

        def key(sentence: Sentence) -> tuple[dt.date, int, int]:
            published, rank = order[sentence.article_id]
            return published, rank, sentence.index

        grouped = [sorted((sentences[i] for i in members), key=key) for members in clusters]
        grouped.sort(key=lambda members: position[members[0].id])
        return tuple(
            Fact(
                id=f"f{number}",
                sentence_ids=tuple(s.id for s in members),
                article_ids=tuple(dict.fromkeys(s.article_id for s in members)),
            )
            for number, members in enumerate(grouped)
        )

    def _pair_scores(self, terms: list[list[tuple[str, bool]]]) -> dict[tuple[int, int], float]:
        """Similarity of every pair that reaches ``similarity``, keyed (low, high)."""
        documents = [_unigrams_and_bigrams([stem for stem, _ in sentence]) for sentence in terms]
        if not any(documents):
            return {}
        vectorizer = TfidfVectorizer(
            analyzer=_identity, sublinear_tf=True, norm="l2", dtype=np.float32
        )
        matrix = vectorizer.fit_transform(documents).tocsr()
        scores: dict[tuple[int, int], float] = {}
        floor = self.similarity / 4
        for start in range(0, matrix.shape[0], self.block_size):
            block = (matrix[start : start + self.block_size] @ matrix.T).tocoo()
            for row, column, cosine in zip(block.row, block.col, block.data, strict=True):
                first, second = start + int(row), int(column)
                if first >= second or cosine < floor:
                    continue
                score = float(cosine)
                if score < self.similarity and self._share_clause(terms[first], terms[second]):
                    score = self.similarity
                if score >= self.similarity:
                    scores[first, second] = score
        return scores

    def _share_clause(self, first: list[tuple[str, bool]], second: list[tuple[str, bool]]) -> bool:
        run = _longest_common_run(first, second)
        shorter = min(len(first), len(second))
        return (
            len(run) >= self.min_run
            and sum(common for _, common in run) >= self.min_common
            and len(run) >= self.run_share * shorter
        )

    def _link(self, count: int, scores: dict[tuple[int, int], float]) -> list[list[int]]:
        """Average-linkage merging of pairs, strongest first, above ``similarity``."""
        union = _UnionFind(count)
        members: dict[int, list[int]] = {i: [i] for i in range(count)}
        for (first, second), _score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
            root_a, root_b = union.find(first), union.find(second)
            if root_a == root_b:
                continue
            group_a, group_b = members[root_a], members[root_b]
            total = sum(scores.get((min(a, b), max(a, b)), 0.0) for a in group_a for b in group_b)
            if total / (len(group_a) * len(group_b)) < self.similarity:
                continue
            union.union(root_a, root_b)
            root = union.find(root_a)
            merged = group_a + group_b
            members.pop(root_a)
            members.pop(root_b)
            members[root] = merged
        return sorted(sorted(group) for group in members.values())


def _longest_common_run(
    first: list[tuple[str, bool]], second: list[tuple[str, bool]]
) -> list[tuple[str, bool]]:
    """The longest run of consecutive terms (by stem) found in both sequences."""
    best_end, best_length = 0, 0
    previous = [0] * (len(second) + 1)
    for i, (stem_a, _) in enumerate(first, start=1):
        current = [0] * (len(second) + 1)
        for j, (stem_b, _) in enumerate(second, start=1):
            if stem_a == stem_b:
                current[j] = previous[j - 1] + 1
                if current[j] > best_length:
                    best_end, best_length = i, current[j]
        previous = current
    return first[best_end - best_length : best_end]


def _unigrams_and_bigrams(tokens: list[str]) -> list[str]:
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _identity(document: list[str]) -> list[str]:
    return document
