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
import zlib
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

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
        shingles = [_shingle_hashes(words(a.text), self.shingle_size) for a in articles]
        union = _UnionFind(len(articles))
        for (first, second), shared in _shared_counts(shingles).items():
            smaller = min(len(shingles[first]), len(shingles[second]))
            if smaller and shared / smaller >= self.threshold:
                union.union(first, second)
        order = reading_order(articles)
        groups = []
        for members in union.groups():
            if len(members) < 2:
                continue
            ids = sorted((articles[i].id for i in members), key=order.__getitem__)
            groups.append(DuplicateGroup(canonical=ids[0], copies=tuple(ids[1:])))
        return tuple(groups)


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _shingle_hashes(tokens: list[str], size: int) -> npt.NDArray[np.uint64]:
    """Sorted distinct 64-bit hashes of the word ``size``-grams (all words if fewer)."""
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    codes = np.fromiter((zlib.crc32(t.encode()) for t in tokens), np.uint64, len(tokens))
    size = min(size, len(codes))
    count = len(codes) - size + 1
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            hashes = hashes * _MULTIPLIER + codes[offset : offset + count]
    return np.unique(hashes)


def _shared_counts(shingles: list[npt.NDArray[np.uint64]]) -> dict[tuple[int, int], int]:
    """Number of shingles each pair of documents shares, for pairs sharing any.

    All (hash, document) pairs are sorted once; a run of equal hashes names the
    documents sharing that shingle. Shingles shared by very many documents are
    boilerplate and would make this quadratic, so runs longer than 64 are skipped.
    """
    hashes = np.concatenate(shingles)
    owners = np.repeat(np.arange(len(shingles)), [len(s) for s in shingles])
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    lengths = np.diff(np.r_[starts, len(hashes)])
    counts: dict[tuple[int, int], int] = {}
    pairs = starts[lengths == 2]
    if len(pairs):
        codes = owners[pairs] * len(shingles) + owners[pairs + 1]
        for code, shared in zip(*np.unique(codes, return_counts=True), strict=True):
            key = divmod(int(code), len(shingles))
            counts[key] = counts.get(key, 0) + int(shared)
    crowded = (lengths > 2) & (lengths <= 64)
    for start, length in zip(starts[crowded], lengths[crowded], strict=True):
        members = sorted(owners[start : start + length].tolist())
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                counts[first, second] = counts.get((first, second), 0) + 1
    return counts


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
        stems = [[stem for stem, _ in sentence] for sentence in terms]
        matrix = _tfidf([_unigrams_and_bigrams(tokens) for tokens in stems])
        if matrix.nnz == 0:
            return {}
        bigrams = [set(itertools.pairwise(tokens)) for tokens in stems]
        scores: dict[tuple[int, int], float] = {}
        floor = self.similarity / 4
        for start in range(0, matrix.shape[0], self.block_size):
            block = sp.triu(matrix[start : start + self.block_size] @ matrix.T, k=start + 1)
            block = block.tocoo()
            keep = block.data >= floor
            rows, columns, values = block.row[keep], block.col[keep], block.data[keep]
            for row, column, cosine in zip(
                rows.tolist(), columns.tolist(), values.tolist(), strict=True
            ):
                first, second = start + row, column
                score = cosine
                if (
                    score < self.similarity
                    and len(bigrams[first] & bigrams[second]) >= self.min_run - 1
                    and self._share_clause(terms[first], terms[second])
                ):
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


def _tfidf(documents: list[list[str]]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, smooth idf), as scikit-learn computes them.

    Built directly: for the few hundred sentences of a story, the vectorizer's
    validation overhead costs more than the arithmetic.
    """
    vocabulary: dict[str, int] = {}
    indptr: list[int] = [0]
    indices: list[int] = []
    counts: list[int] = []
    for document in documents:
        row: dict[int, int] = {}
        for term in document:
            column = vocabulary.setdefault(term, len(vocabulary))
            row[column] = row.get(column, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    shape = (len(documents), len(vocabulary))
    matrix = sp.csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
        shape=shape,
    )
    if matrix.nnz == 0:
        return matrix
    frequency = np.bincount(matrix.indices, minlength=shape[1])
    idf = np.log((1 + shape[0]) / (1 + frequency)) + 1
    matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms) @ matrix)
