"""Facts: sentences -> facts (exact, near-duplicate and paraphrased sentences).

:class:`LexicalFactGrouper` groups sentences into facts. Sentences are TF-IDF
vectors of content-word stems and stem bigrams, weighted within the story (a
name every sentence repeats weighs little; "meddled" weighs a lot); two
sentences state the same fact when their cosine is high, or when they share a
run of rare words that covers most of the shorter one. Groups are merged by
average linkage so that one bridging sentence cannot chain unrelated facts
together.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from storyline.model import Article, Fact, Sentence, sentence_texts
from storyline.stories._union import UnionFind
from storyline.stories.copies import reading_order
from storyline.text._arrays import positions_in_runs, run_lengths, run_starts
from storyline.text.tokens import tokenize

__all__ = ["FactGrouper", "LexicalFactGrouper"]


class FactGrouper(Protocol):
    """Partitions sentences into facts: every sentence lands in exactly one."""

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]: ...


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
        terms = _ContentTerms.of(sentence_texts(sentences, articles))
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
        lengths = np.diff(terms.bounds)
        scores: dict[tuple[int, int], float] = {}
        floor = self.similarity / 4
        for rows, columns, values, shared in _candidate_pairs(
            terms.entries(), floor=floor, block_size=self.block_size
        ):
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
            shorter = np.minimum(lengths[weak_rows], lengths[weak_columns])
            needed = np.maximum(self.min_run, np.ceil(self.run_share * shorter)) - 1
            enough = shared[~strong] >= needed
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
        union = UnionFind(count)
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

    def entries(self) -> _Entries:
        """TF-IDF weights of every (sentence, feature) cell; features are stems and stem bigrams.

        Sublinear tf, smooth idf, rows L2-normalised (as scikit-learn's
        ``TfidfVectorizer(sublinear_tf=True)``). Cells come column by column,
        rows ascending within a column: one sort of (feature, sentence) keys
        gives term frequencies, document frequencies and that order.
        """
        count = len(self.bounds) - 1
        bigram_rows, bigram_codes = self._bigram_codes()
        keys = np.concatenate([self.stems, bigram_codes]) * count + np.concatenate(
            [self.rows, bigram_rows]
        )
        keys.sort()
        cells, tf = run_lengths(keys)
        codes, rows = np.divmod(keys[cells], count)
        columns = run_starts(codes).cumsum() - 1
        width = int(columns[-1]) + 1 if columns.size else 0
        idf = np.log((1 + count) / (1 + np.bincount(columns, minlength=width))) + 1
        weights = (1 + np.log(tf)) * idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=weights**2, minlength=count))
        weights /= np.where(norms == 0, 1.0, norms)[rows]
        return _Entries(
            count=count,
            width=width,
            rows=rows,
            columns=columns,
            weights=weights,
            bigram=codes >= self.stem_count,
        )


@dataclass(frozen=True, slots=True)
class _Entries:
    """The non-zero cells of a ``count`` x ``width`` sentence-feature matrix, column-major."""

    count: int
    width: int
    rows: npt.NDArray[np.int64]
    columns: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    bigram: npt.NDArray[np.bool_]

    def matrix(self, keep: npt.NDArray[np.bool_] | None = None) -> sp.csr_matrix:
        """The cells (only those in ``keep``, as ones, if given) as a CSR matrix."""
        rows, columns, weights = self.rows, self.columns, self.weights
        if keep is not None:
            rows, columns, weights = rows[keep], columns[keep], np.ones(int(keep.sum()))
        return sp.csr_matrix((weights, (rows, columns)), shape=(self.count, self.width))


_PairBlock = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]
]
# Stories up to this many sentences are scored in one pass over shared features,
# with a dense count x count accumulator (8 MiB at the limit); larger ones by
# blocks of sparse matrix products.
_FEATURE_PASS_ROWS = 1024


def _candidate_pairs(entries: _Entries, *, floor: float, block_size: int) -> Iterator[_PairBlock]:
    """Pairs (low, high) of sentences whose cosine reaches ``floor``, in blocks.

    Each block is ``(rows, columns, cosines, shared)``, where ``shared`` counts
    the stem bigrams the two sentences share. Both methods give the same pairs
    (up to floating-point rounding of the cosines).
    """
    if entries.rows.size == 0:
        return
    if entries.count <= _FEATURE_PASS_ROWS:
        yield _pairs_by_feature(entries, floor=floor)
    else:
        yield from _pairs_by_product(entries, floor=floor, block_size=block_size)


def _pairs_by_feature(entries: _Entries, *, floor: float) -> _PairBlock:
    """Every pair of cells in one feature column contributes to its pair of sentences.

    Within a column of ``k`` cells (rows ascending), each cell is paired with
    the cells after it (``k (k - 1) / 2`` pairs, all with the lower row first),
    and the products are summed per sentence pair.
    """
    count, columns, rows = entries.count, entries.columns, entries.rows
    _, lengths = run_lengths(columns)
    # Each cell is paired with the cells after it in its column.
    partners = lengths.repeat(lengths) - 1 - positions_in_runs(lengths)
    first = np.arange(columns.size).repeat(partners)
    second = first + 1 + positions_in_runs(partners)
    pair = rows[first] * count + rows[second]
    weights = entries.weights
    products = weights[first] * weights[second]
    cosine = np.bincount(pair, products, minlength=count * count).astype(np.float64, copy=False)
    candidates = np.flatnonzero(cosine >= floor).astype(np.int64)
    shared = np.bincount(pair[entries.bigram[first]], minlength=count * count)
    low, high = np.divmod(candidates, count)
    return low, high, cosine[candidates], shared[candidates].astype(np.int64)


def _pairs_by_product(entries: _Entries, *, floor: float, block_size: int) -> Iterator[_PairBlock]:
    """Blocks of ``block_size`` rows of the sparse product of the matrix with itself."""
    matrix, bigrams = entries.matrix(), entries.matrix(keep=entries.bigram)
    for start in range(0, entries.count, block_size):
        block = (matrix[start : start + block_size] @ matrix.T).tocoo()
        keep = (block.data >= floor) & (block.col > block.row + start)
        rows, columns = block.row[keep].astype(np.int64) + start, block.col[keep].astype(np.int64)
        shared = np.asarray(bigrams[rows].multiply(bigrams[columns]).sum(axis=1)).ravel()
        yield rows, columns, block.data[keep], shared.astype(np.int64)
