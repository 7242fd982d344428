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
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from storyline._text import raw_words, tokenize
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
        shingles = [_shingle_hashes(raw_words(a.text), self.shingle_size) for a in articles]
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
    # Python's string hash is salted per process, which changes nothing but the
    # (negligible, 2**-64) chance of two shingles colliding.
    codes = np.fromiter(map(hash, tokens), np.int64, len(tokens)).view(np.uint64)
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
        terms = _ContentTerms.of(tuple(s.text(articles[s.article_id]) for s in sentences))
        clusters = self._link(len(sentences), self._pair_scores(terms))
        order = reading_order(list(articles.values()))
        position = {s.id: i for i, s in enumerate(sentences)}

        def key(sentence: Sentence) -> tuple[dt.date, int, int]:
            published, rank = order[sentence.article_id]
            return published, rank, sentence.index

        grouped = [
            sorted((sentences[i] for i in members), key=key)
            if len(members) > 1
            else [sentences[members[0]]]
            for members in clusters
        ]
        grouped.sort(key=lambda members: position[members[0].id])
        return tuple(
            Fact(
                id=f"f{number}",
                sentence_ids=tuple(s.id for s in members),
                article_ids=tuple(dict.fromkeys(s.article_id for s in members)),
            )
            for number, members in enumerate(grouped)
        )

    def _pair_scores(self, terms: _ContentTerms) -> dict[tuple[int, int], float]:
        """Similarity of every pair that reaches ``similarity``, keyed (low, high)."""
        matrix, bigrams = terms.vectors()
        lengths = np.diff(terms.bounds)
        if matrix.nnz == 0:
            return {}
        scores: dict[tuple[int, int], float] = {}
        floor = self.similarity / 4
        for start in range(0, matrix.shape[0], self.block_size):
            block = (matrix[start : start + self.block_size] @ matrix.T).tocoo()
            keep = (block.data >= floor) & (block.col > block.row + start)
            rows, columns, values = block.row[keep] + start, block.col[keep], block.data[keep]
            strong = values >= self.similarity
            for first, second, cosine in zip(
                rows[strong].tolist(),
                columns[strong].tolist(),
                values[strong].tolist(),
                strict=True,
            ):
                scores[first, second] = cosine
            # A shared run of L words shares L - 1 bigrams (fewer only if a bigram repeats
            # inside it), so most pairs are ruled out here without a Python loop.
            weak_rows, weak_columns = rows[~strong], columns[~strong]
            shared = np.asarray(bigrams[weak_rows].multiply(bigrams[weak_columns]).sum(axis=1))
            shorter = np.minimum(lengths[weak_rows], lengths[weak_columns])
            needed = np.maximum(self.min_run, np.ceil(self.run_share * shorter)) - 1
            enough = shared.ravel() >= needed
            for first, second in zip(
                weak_rows[enough].tolist(), weak_columns[enough].tolist(), strict=True
            ):
                if self._share_clause(terms.sequence(first), terms.sequence(second)):
                    scores[first, second] = self.similarity
        return scores

    def _share_clause(self, first: list[tuple[int, bool]], second: list[tuple[int, bool]]) -> bool:
        """Whether a run of consecutive content words long enough to be a clause is shared.

        The run must hold ``min_run`` words and ``run_share`` of the shorter
        sentence, ``min_common`` of them common words; windows of exactly that
        length are compared, so the test is linear in the sentence lengths.
        """
        shorter = min(len(first), len(second))
        length = max(self.min_run, math.ceil(self.run_share * shorter))
        if shorter < length:
            return False
        stems = [stem for stem, _ in first]
        commons = list(itertools.accumulate((common for _, common in first), initial=0))
        windows = {
            tuple(stems[i : i + length]): commons[i + length] - commons[i]
            for i in range(len(first) - length + 1)
        }
        others = [stem for stem, _ in second]
        return any(
            windows.get(tuple(others[j : j + length]), -1) >= self.min_common
            for j in range(len(second) - length + 1)
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
        return sorted(sorted(group) if len(group) > 1 else group for group in members.values())


@dataclass(frozen=True, slots=True)
class _ContentTerms:
    """The content words of sentences: stem ids in text order, with a common-word flag."""

    rows: npt.NDArray[np.int64]
    stems: npt.NDArray[np.int64]
    common: npt.NDArray[np.bool_]
    bounds: npt.NDArray[np.int64]
    stem_count: int

    @classmethod
    def of(cls, texts: tuple[str, ...]) -> _ContentTerms:
        table = tokenize(texts)
        content = ~table.type_stop[table.token_type]
        types = table.token_type[content]
        rows = table.token_row[content]
        return cls(
            rows=rows,
            stems=table.type_stem[types],
            common=table.type_lower[types],
            bounds=np.searchsorted(rows, np.arange(len(texts) + 1)),
            stem_count=table.stem_count,
        )

    def sequence(self, row: int) -> list[tuple[int, bool]]:
        start, end = self.bounds[row], self.bounds[row + 1]
        return list(
            zip(self.stems[start:end].tolist(), self.common[start:end].tolist(), strict=True)
        )

    def _bigram_codes(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Rows and codes (above every stem id) of the stem bigrams within sentences."""
        adjacent = self.rows[:-1] == self.rows[1:]
        first, second = self.stems[:-1][adjacent], self.stems[1:][adjacent]
        return self.rows[:-1][adjacent], self.stem_count + first * self.stem_count + second

    def vectors(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """TF-IDF rows over stems and stem bigrams, and 0/1 rows of the bigrams alone.

        TF-IDF is L2-normalised with sublinear tf and smooth idf; both matrices share
        one column space, built once.
        """
        count = len(self.bounds) - 1
        bigram_rows, bigram_codes = self._bigram_codes()
        codes = np.concatenate([self.stems, bigram_codes])
        rows = np.concatenate([self.rows, bigram_rows])
        if len(codes) == 0:
            empty = sp.csr_matrix((count, 0))
            return empty, empty
        features, columns = np.unique(codes, return_inverse=True)
        matrix = sp.csr_matrix((np.ones(len(codes)), (rows, columns)), shape=(count, len(features)))
        matrix.sum_duplicates()
        bigrams = matrix.copy()
        bigrams.data = (features[bigrams.indices] >= self.stem_count).astype(np.float64)
        bigrams.eliminate_zeros()
        frequency = np.bincount(matrix.indices, minlength=len(features))
        idf = np.log((1 + count) / (1 + frequency)) + 1
        matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
        row_of_entry = np.repeat(np.arange(count), np.diff(matrix.indptr))
        norms = np.sqrt(np.bincount(row_of_entry, weights=matrix.data**2, minlength=count))
        norms[norms == 0] = 1
        matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
        return matrix, bigrams
