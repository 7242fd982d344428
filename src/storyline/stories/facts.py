"""Facts: sentences -> facts (exact, near-duplicate and paraphrased sentences).

:class:`LexicalFactGrouper` groups sentences into facts. Sentences are TF-IDF
vectors of content-word stems and stem bigrams, weighted within the story (a
name every sentence repeats weighs little; "meddled" weighs a lot); two
sentences state the same fact when their cosine is high, or when they share a
run of rare words that covers most of the shorter one. Groups are merged by
average linkage so that one bridging sentence cannot chain unrelated facts
together.

Method, near-linear in the number of sentences:

1. Sentences with the same content words in the same order are one item with
   a count (5,000 copies of a wire sentence are scored once).
2. Candidate pairs come from two inverted indexes instead of all pairs: the
   *prefix* features of each sentence (rarest first, until the features left
   out weigh too little to reach the similarity: the prefix filter of the
   All-Pairs algorithm, Bayardo, Ma & Srikant 2007, exact for the cosine rule)
   and its windows of ``min_run`` consecutive content stems (every shared run
   holds one, so exact for the clause rule). In a posting list longer than
   ``neighbours`` each sentence is paired only with the few sentences after it
   in reading order (the sorted-neighbourhood method; ``neighbours ** 2 / k``
   in a list of ``k``, at least 4), and each sentence keeps the
   ``neighbours / 2`` later and earlier partners that share the most index
   entries with it, so the work per sentence is bounded; in small stories
   nothing is lost (on the first 250 Timeline17 articles, one fact of 23,937
   differs from the all-pairs grouping).
3. Candidates are scored exactly; average linkage runs over the sparse graph
   of the pairs that reach ``similarity``, strongest first, keeping for each
   group the summed scores to its neighbouring groups (merged smaller into
   larger), so a merge test costs one look-up instead of a scan of all member
   pairs.

Sentences are put in reading order (publication date, then article id, then
position) before anything else, so the facts do not depend on the order of
the input. :meth:`LexicalFactGrouper.links` gives the pairs of step 3 that reach
the rule, before average linkage (what's-new digests test "already stated" on both).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeGuard

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from mypy_extensions import mypyc_attr

from storyline.model import Article, Fact, Sentence, sentence_texts
from storyline.stories.copies import reading_order
from storyline.text._arrays import (
    mix64,
    positions_in_runs,
    rank_by_appearance,
    run_lengths,
    run_starts,
    window_hashes,
)
from storyline.text.tokens import tokenize

__all__ = ["FactGrouper", "FactLinker", "LexicalFactGrouper"]

_IntArray = npt.NDArray[np.int64]
_FloatArray = npt.NDArray[np.float64]
# Candidate pairs are scored this many at a time (bounding the sparse work arrays).
_SCORE_CHUNK = 1 << 16
# In the longest posting lists each sentence still meets this many after it.
_FEWEST_NEIGHBOURS = 4
# Candidate pairs are listed this many at a time (bounding the work arrays).
_PAIR_CHUNK = 1 << 21
# Packed pairs are merged this many at a time (see _merge_hits).
_MERGE_CHUNK = 1 << 20
_HASH_BASE = np.uint64(0xD6E8FEB86659FD93)
_HASH_BASE_INVERSE = np.uint64(pow(0xD6E8FEB86659FD93, -1, 1 << 64))


class FactGrouper(Protocol):
    """Partitions sentences into facts: every sentence lands in exactly one."""

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]: ...


class FactLinker(Protocol):
    """A fact grouper that also tells which pairs of sentences its rule joins (before the
    grouping may keep some apart): see :meth:`LexicalFactGrouper.links`. Not checked with
    ``isinstance`` (:func:`links_pairs` tells): this module may be compiled
    (:mod:`storyline.native`), and a compiled class is no protocol at run time."""

    def links(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[tuple[str, str], ...]: ...


def links_pairs(grouper: FactGrouper) -> TypeGuard[FactLinker]:
    """Whether ``grouper`` is also a :class:`FactLinker`."""
    return callable(getattr(grouper, "links", None))


@dataclass(frozen=True, slots=True)
class _Edges:
    """Scored pairs of sentences (``first < second``) that may join one fact."""

    first: _IntArray
    second: _IntArray
    score: _FloatArray


@mypyc_attr(allow_interpreted_subclasses=True)  # compiled: see storyline.native
class LexicalFactGrouper:
    """Groups sentences that state the same fact, by weighted word overlap.

    ``similarity`` is the average-linkage cosine above which groups merge.
    A pair below it still counts as the same fact when the two sentences share
    a run of at least ``min_run`` consecutive content words, ``min_common`` of
    them common words rather than names, covering at least ``run_share`` of
    the shorter sentence's content words. ``neighbours`` bounds the candidates
    that one shared feature gives a sentence (see the module docstring).
    """

    def __init__(
        self,
        *,
        similarity: float = 0.5,
        min_run: int = 4,
        min_common: int = 2,
        run_share: float = 0.4,
        neighbours: int = 64,
    ) -> None:
        self.similarity = similarity
        self.min_run = min_run
        self.min_common = min_common
        self.run_share = run_share
        self.neighbours = neighbours

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]:
        if not sentences:
            return ()
        ordered, twins, edges = self._pairs(sentences, articles)
        clusters = _average_linkage(twins, edges, self.similarity)
        ids = [sentence.id for sentence in ordered]
        owners = [sentence.article_id for sentence in ordered]
        return tuple(
            Fact(
                id=f"f{number}",
                sentence_ids=tuple(map(ids.__getitem__, members)),
                article_ids=tuple(dict.fromkeys(map(owners.__getitem__, members))),
            )
            for number, members in enumerate(clusters)
        )

    def links(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[tuple[str, str], ...]:
        """The pairs of sentences (ids, the earlier in reading order first) that the pair
        rule of :meth:`group` joins: the same content words in the same order, a cosine
        of at least ``similarity``, or a shared clause.

        :meth:`group` merges these pairs by average linkage, which may keep two linked
        sentences apart; a test of "the same fact" that is at least as strict as the
        grouping asks for a fact in common or a link (what's-new digests do both).
        """
        if not sentences:
            return ()
        ordered, twins, edges = self._pairs(sentences, articles)
        ids = [sentence.id for sentence in ordered]
        same = [
            (ids[int(twins[i])], ids[i]) for i in np.flatnonzero(twins != np.arange(twins.size))
        ]
        linked = zip(edges.first.tolist(), edges.second.tolist(), strict=True)
        return (*same, *((ids[a], ids[b]) for a, b in linked))

    def _pairs(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[list[Sentence], _IntArray, _Edges]:
        """The sentences in reading order, each one's twin (its first sentence with the
        same content words) and the edges between twins that reach the pair rule."""
        reading = reading_order(list(articles.values()))

        def key(sentence: Sentence) -> tuple[dt.date, int, int, str]:
            published, rank = reading[sentence.article_id]
            return published, rank, sentence.index, sentence.id

        order = sorted(range(len(sentences)), key=lambda i: key(sentences[i]))
        # Tokenised in the given order, which selection shares (see tokenize's cache).
        terms = _ContentTerms.of(sentence_texts(sentences, articles), np.array(order))
        twins = terms.twins()
        return [sentences[i] for i in order], twins, self._edges(terms, twins)

    def _edges(self, terms: _ContentTerms, twins: _IntArray) -> _Edges:
        """The pairs of distinct items that reach ``similarity``, by cosine or a shared clause."""
        entries = terms.entries()
        single = twins == np.arange(twins.size)
        first, second = _candidates(
            entries,
            terms.windows(self.min_run, single),
            keep=single[entries.rows],
            floor=self.similarity,
            neighbours=self.neighbours,
        )
        cosine = _products(entries.matrix(), first, second)
        strong = cosine >= self.similarity
        # A shared run of L words shares L - 1 bigrams (fewer only if a bigram repeats
        # inside it), so most pairs are ruled out here without a Python loop.
        weak = np.flatnonzero(~strong & (cosine >= self.similarity / 4))
        lengths = np.diff(terms.bounds)
        shorter = np.minimum(lengths[first[weak]], lengths[second[weak]])
        needed = np.maximum(self.min_run, np.ceil(self.run_share * shorter)) - 1
        bigrams = entries.matrix(keep=entries.bigram)
        weak = weak[_products(bigrams, first[weak], second[weak]) >= needed]
        clause = weak[self._share_clause(terms, first[weak], second[weak])]
        score = np.where(strong, cosine, 0.0)
        score[clause] = self.similarity
        linked = np.flatnonzero(score > 0)
        linked = linked[_strongest(first[linked], second[linked], score[linked], self.neighbours)]
        return _Edges(first=first[linked], second=second[linked], score=score[linked])

    def _share_clause(
        self, terms: _ContentTerms, first: _IntArray, second: _IntArray
    ) -> npt.NDArray[np.bool_]:
        """Which pairs share a run of consecutive content words long enough to be a clause.

        The run must hold ``min_run`` words and ``run_share`` of the shorter
        sentence, ``min_common`` of them common words (in the first sentence).
        Windows of exactly that length are compared by hash: for each pair,
        the (pair, window) keys of both sentences are joined in one sort.
        """
        lengths = np.diff(terms.bounds)
        shorter = np.minimum(lengths[first], lengths[second])
        needed = np.maximum(self.min_run, np.ceil(self.run_share * shorter)).astype(np.int64)
        shared = np.zeros(first.size, dtype=bool)
        if first.size == 0:
            return shared
        hashes = _RunHashes.of(terms)
        commons = np.concatenate(([0], np.cumsum(terms.common, dtype=np.int64)))
        for length in np.unique(needed).tolist():
            pairs = np.flatnonzero((needed == length) & (shorter >= length))
            if pairs.size == 0:
                continue
            mine, mine_start = _windows_of(terms.bounds, first[pairs], length)
            theirs, theirs_start = _windows_of(terms.bounds, second[pairs], length)
            common = commons[mine_start + length] - commons[mine_start] >= self.min_common
            mine, mine_start = mine[common], mine_start[common]
            keys = hashes.window(mine_start, length) ^ mix64(mine)
            found = _among(keys, hashes.window(theirs_start, length) ^ mix64(theirs))
            shared[pairs[mine[found]]] = True
        return shared


@dataclass(frozen=True, slots=True)
class _RunHashes:
    """Polynomial hashes (mod 2**64) of any run of consecutive content stems, in O(1).

    With codes ``c`` and an odd base ``B``, ``prefix[i]`` is the sum of
    ``c[k] * B**k`` for ``k < i``; the run of ``L`` codes at ``s`` hashes to
    ``(prefix[s + L] - prefix[s]) * B**-s`` (``B`` is invertible mod 2**64).
    """

    prefix: npt.NDArray[np.uint64]
    unscale: npt.NDArray[np.uint64]

    @classmethod
    def of(cls, terms: _ContentTerms) -> _RunHashes:
        size = terms.stems.size
        base = np.full(size, _HASH_BASE, dtype=np.uint64)
        inverse = np.full(size, _HASH_BASE_INVERSE, dtype=np.uint64)
        base[:1] = inverse[:1] = 1
        with np.errstate(over="ignore"):
            powers = np.cumprod(base)
            terms_sum = np.cumsum(mix64(terms.stems) * powers)
        prefix = np.concatenate((np.zeros(1, dtype=np.uint64), terms_sum))
        return cls(prefix=prefix, unscale=np.cumprod(inverse))

    def window(self, starts: _IntArray, length: int) -> npt.NDArray[np.uint64]:
        with np.errstate(over="ignore"):
            return (self.prefix[starts + length] - self.prefix[starts]) * self.unscale[starts]


def _among(values: npt.NDArray[np.uint64], pool: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """Which ``values`` are in ``pool`` (``np.isin`` without its hashing of both arrays)."""
    found = np.zeros(values.size, dtype=bool)
    if pool.size == 0:
        return found
    pool = np.sort(pool)
    order = np.argsort(values)
    ordered = values[order]  # searching in order keeps memory access sequential
    at = np.minimum(np.searchsorted(pool, ordered), pool.size - 1)
    found[order] = pool[at] == ordered
    return found


def _windows_of(bounds: _IntArray, rows: _IntArray, length: int) -> tuple[_IntArray, _IntArray]:
    """For each of ``rows`` (all at least ``length`` long), its windows: (index, start)."""
    counts = bounds[rows + 1] - bounds[rows] - length + 1
    owners = np.arange(rows.size).repeat(counts)
    return owners, bounds[rows].repeat(counts) + positions_in_runs(counts)


def _strongest(first: _IntArray, second: _IntArray, score: _FloatArray, limit: int) -> _IntArray:
    """The edges among the ``limit`` strongest of either end (ties: nearer in reading order)."""
    ends = np.concatenate((first, second))
    others = np.concatenate((second, first))
    scores = np.concatenate((score, score))
    order = np.lexsort((np.abs(others - ends), -scores, ends))
    _, lengths = run_lengths(ends[order])
    ranked = np.empty(order.size, dtype=bool)
    ranked[order] = positions_in_runs(lengths) < limit
    return np.flatnonzero(ranked[: first.size] | ranked[first.size :])


def _average_linkage(twins: _IntArray, edges: _Edges, similarity: float) -> list[list[int]]:
    """Average-linkage merging over the edges, strongest first, above ``similarity``.

    ``twins`` names each item's representative (items with the same content
    start as one group; edges join representatives). A pair merges its two
    groups when the scores between them, summed over all member pairs (a pair
    without an edge counts 0), average at least ``similarity``. Each group
    keeps those sums per neighbouring group; a merge moves the smaller table
    into the larger, so the whole run is O(E log E) for E edges.
    Returns the groups, each sorted, ordered by their first item.
    """
    count = twins.size
    parent = twins.tolist()
    size = np.bincount(twins, minlength=count).tolist()
    links: list[dict[int, float]] = [{} for _ in range(count)]
    first, second, score = edges.first.tolist(), edges.second.tolist(), edges.score.tolist()
    for a, b, value in zip(first, second, score, strict=True):
        weight = size[a] * size[b] * value
        links[a][b] = links[a].get(b, 0.0) + weight
        links[b][a] = links[b].get(a, 0.0) + weight

    def find(item: int) -> int:
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    for edge in np.lexsort((edges.second, edges.first, -edges.score)).tolist():
        root_a, root_b = find(first[edge]), find(second[edge])
        if root_a == root_b:
            continue
        if links[root_a].get(root_b, 0.0) < similarity * size[root_a] * size[root_b]:
            continue
        if len(links[root_a]) < len(links[root_b]):
            root_a, root_b = root_b, root_a
        parent[root_b] = root_a
        size[root_a] += size[root_b]
        kept, moved = links[root_a], links[root_b]
        del kept[root_b]
        for neighbour, total in moved.items():
            if neighbour == root_a:
                continue
            kept[neighbour] = kept.get(neighbour, 0.0) + total
            theirs = links[neighbour]
            theirs[root_a] = theirs.get(root_a, 0.0) + theirs.pop(root_b)
        links[root_b] = {}
    members: dict[int, list[int]] = {}
    for item in range(count):
        members.setdefault(find(item), []).append(item)
    return list(members.values())


@dataclass(frozen=True, slots=True)
class _ContentTerms:
    """The content words of sentences: stem ids in text order, with a common-word flag."""

    rows: npt.NDArray[np.int64]
    stems: npt.NDArray[np.int64]
    common: npt.NDArray[np.bool_]
    bounds: npt.NDArray[np.int64]
    stem_count: int

    @classmethod
    def of(cls, texts: tuple[str, ...], order: _IntArray) -> _ContentTerms:
        """The content terms of ``texts``, taken in the given ``order`` of their indexes.

        Stems are numbered by first appearance in that order, so nothing
        depends on the order in which the texts came.
        """
        table = tokenize(texts)
        content = ~table.type_stop[table.token_type]
        types = table.token_type[content]
        rank = np.empty(len(texts), dtype=np.int64)
        rank[order] = np.arange(len(texts))
        rows = rank[table.token_row[content]]
        moved = np.argsort(rows, kind="stable")
        stems, stem_first = rank_by_appearance(table.type_stem[types][moved])
        return cls(
            rows=rows[moved],
            stems=stems,
            common=table.type_lower[types][moved],
            bounds=np.searchsorted(rows[moved], np.arange(len(texts) + 1)),
            stem_count=stem_first.size,
        )

    def twins(self) -> _IntArray:
        """Each sentence's first sentence with the same content stems (itself if none).

        A sentence without content words is its own.
        """
        count = len(self.bounds) - 1
        bounds = self.bounds.tolist()
        seen: dict[bytes, int] = {}
        twins = np.arange(count, dtype=np.int64)
        for row in range(count):
            start, end = bounds[row], bounds[row + 1]
            if start < end:
                twins[row] = seen.setdefault(self.stems[start:end].tobytes(), row)
        return twins

    def windows(self, size: int, keep: npt.NDArray[np.bool_]) -> tuple[_IntArray, _IntArray]:
        """Hashes and sentences of every window of ``size`` consecutive content stems.

        Only sentences in ``keep`` count; sorted by hash, then sentence, distinct.
        """
        empty = np.empty(0, dtype=np.int64)
        if self.stems.size < size:
            return empty, empty
        count = self.stems.size - size + 1
        inside = (self.rows[:count] == self.rows[size - 1 :]) & keep[self.rows[:count]]
        hashes = window_hashes(mix64(self.stems), size)[inside].view(np.int64)
        rows = self.rows[:count][inside]
        order = np.lexsort((rows, hashes))
        hashes, rows = hashes[order], rows[order]
        distinct = np.ones(hashes.size, dtype=bool)
        distinct[1:] = (hashes[1:] != hashes[:-1]) | (rows[1:] != rows[:-1])
        return hashes[distinct], rows[distinct]

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


def _candidates(
    entries: _Entries,
    windows: tuple[_IntArray, _IntArray],
    *,
    keep: npt.NDArray[np.bool_],
    floor: float,
    neighbours: int,
) -> tuple[_IntArray, _IntArray]:
    """Distinct pairs (low, high) of sentences that share a prefix feature or a window.

    The prefix of a sentence is its features, rarest first, up to the point where
    the ones left out weigh less than ``floor`` (their L2 norm): two sentences
    whose cosine reaches ``floor`` share a prefix feature. Only cells in
    ``keep`` are indexed.
    """
    count = max(entries.count, 1)
    shift = 63 - (count * count - 1).bit_length()
    return _best_candidates(
        _merge_hits(
            [
                _pair_hits(*_prefixes(entries, keep, floor), neighbours, count, shift),
                _pair_hits(*windows, neighbours, count, shift),
            ],
            shift,
        ),
        shift,
        count,
        neighbours,
    )


def _prefixes(
    entries: _Entries, keep: npt.NDArray[np.bool_], floor: float
) -> tuple[_IntArray, _IntArray]:
    """The prefix cells of the sentences, as (feature, sentence), feature-major.

    Features come rarest first; a sentence's prefix ends where the features
    left can no longer add ``floor`` to a cosine with any sentence.
    """
    rows, columns, weights = entries.rows[keep], entries.columns[keep], entries.weights[keep]
    frequency = np.bincount(columns, minlength=entries.width)
    heaviest = np.zeros(entries.width)
    if columns.size:
        starts = np.flatnonzero(run_starts(columns))
        heaviest[columns[starts]] = np.maximum.reduceat(weights, starts)
    order = _order_by(rows, frequency[columns], columns, entries.count + 1, entries.width)
    # Two bounds on what the cells from a cell on can add to a cosine with any
    # sentence: their L2 norm, and their weights times the heaviest weight of
    # their feature anywhere (the All-Pairs bounds).
    del frequency
    starts, lengths = run_lengths(rows[order])
    ordered = weights[order]
    del weights
    # Rounding must never drop a cell that exact sums would keep.
    slack = 1 - 1e-9
    # (each bound made and compared in turn: the cells are millions, each array tens of MB)
    inside = _left_in_run(ordered**2, starts, lengths) >= floor * floor * slack
    products = heaviest[columns[order]]
    products *= ordered
    del ordered
    inside &= _left_in_run(products, starts, lengths) >= floor * slack
    del products
    prefix = np.sort(order[inside])
    # Cells are column-major, rows ascending within a column, as posting lists need.
    return columns[prefix], rows[prefix]


def _order_by(
    major: _IntArray, middle: _IntArray, minor: _IntArray, middle_size: int, minor_size: int
) -> _IntArray:
    """``np.lexsort((minor, middle, major))`` for distinct triples, by one sort of packed keys.

    ``middle`` is below ``middle_size`` and ``minor`` below ``minor_size``; when
    the keys would not fit in 63 bits, the three are sorted as they are.
    """
    if major.size == 0 or (int(major.max()) + 1) * middle_size * minor_size >= 1 << 63:
        return np.lexsort((minor, middle, major))
    key = major * middle_size
    key += middle
    key *= minor_size
    key += minor
    order: _IntArray = np.argsort(key)
    return order


def _left_in_run(values: _FloatArray, starts: _IntArray, lengths: _IntArray) -> _FloatArray:
    """For values in runs laid end to end, the sum from each value to the end of its run."""
    total: _FloatArray = np.cumsum(values)
    left: _FloatArray = total[starts + lengths - 1].repeat(lengths)
    left -= total
    left += values
    return left


def _best_candidates(
    packed: _IntArray, shift: int, count: int, limit: int
) -> tuple[_IntArray, _IntArray]:
    """The pairs of distinct packed codes among the ``limit / 2`` best of one end.

    ``packed`` holds pairs coded ``(low * count + high) << shift | hits``, sorted.
    Each sentence keeps its best ``limit / 2`` pairs with later sentences and
    its best ``limit / 2`` with earlier ones. A pair is better when more index
    entries gave it (``hits``: shared prefix features and windows), then when
    its two sentences are nearer in reading order. Each side is one in-place
    sort of integer keys (end, misses, distance), from which the pair is read
    back, so no permutation of all pairs is ever held.
    """
    mask = (1 << shift) - 1
    if packed.size == 0:
        return packed, packed.copy()
    worst = max(
        int((packed[begin : begin + _MERGE_CHUNK] & mask).max())
        for begin in range(0, packed.size, _MERGE_CHUNK)
    )
    if (worst + 1) * count * count >= 1 << 62:
        first, second = np.divmod(packed >> shift, count)
        kept = _strongest(first, second, (packed & mask).astype(np.float64), limit)
        return first[kept], second[kept]
    span = (worst + 1) * count
    half = (limit + 1) // 2
    best = []
    for later in (True, False):
        key = np.empty_like(packed)
        for begin in range(0, packed.size, _MERGE_CHUNK):  # a slice's work arrays at a time
            key[begin : begin + _MERGE_CHUNK] = _side_keys(
                packed[begin : begin + _MERGE_CHUNK], shift, count, worst, later=later
            )
        key.sort()
        kept = key[_heads_of_blocks(key, span, count, half)]
        del key
        end, distance = np.divmod(kept, span)
        del kept
        distance %= count
        best.append(end * count + end + distance if later else (end - distance) * count + end)
        del end, distance
    del packed  # the caller passes the only other reference
    chosen = np.concatenate(best)
    del best
    chosen.sort()
    return np.divmod(chosen[run_starts(chosen)], count)


def _side_keys(packed: _IntArray, shift: int, count: int, worst: int, *, later: bool) -> _IntArray:
    """:func:`_best_candidates`'s sort keys of some packed pairs: ``(end * (worst + 1) +
    misses) * count + distance``, built in place."""
    mask = (1 << shift) - 1
    distance = packed >> shift
    key = distance // count
    distance -= key * (count + 1)  # code - first * count - first: second - first
    if not later:
        key += distance
    key *= worst + 1
    key += worst
    key -= packed & mask
    key *= count
    key += distance
    return key


def _heads_of_blocks(
    ordered: _IntArray, width: int, blocks: int, limit: int
) -> npt.NDArray[np.bool_]:
    """Which of the sorted ``ordered`` values are among the first ``limit`` of their block
    (``value // width``, below ``blocks``). The blocks' bounds are found by binary search,
    not by dividing every value: that quotient was a transient array as large as
    ``ordered`` (92 MB for the 11.5 million candidate pairs of all Timeline17 articles)."""
    bounds = np.searchsorted(ordered, np.arange(blocks + 1, dtype=np.int64) * width)
    lengths = np.diff(bounds)
    starts = bounds[:-1][lengths > 0]
    return _heads(starts, lengths[lengths > 0], ordered.size, limit)


def _heads(starts: _IntArray, lengths: _IntArray, size: int, limit: int) -> npt.NDArray[np.bool_]:
    """Which of ``size`` items are among the first ``limit`` of their run (runs given by
    ``starts`` and ``lengths``, laid end to end)."""
    edges = np.zeros(size + 1, dtype=np.int8)
    edges[starts] = 1
    edges[starts + np.minimum(lengths, limit)] -= 1  # distinct: each at most the next start
    return np.cumsum(edges[:-1], dtype=np.int8) > 0


def _merge_hits(parts: list[_IntArray], shift: int) -> _IntArray:
    """Sorted packed pairs ``code << shift | hits``, codes distinct, from sorted parts.

    Hits of one code add up (at most ``2 ** shift - 1``: far beyond what a pair of
    capped sentences can share). ``parts`` is emptied, so that its arrays can be
    freed while the merged one is built.
    """
    packed = np.concatenate(parts) if len(parts) != 1 else parts[0]
    parts.clear()
    if packed.size < 2:
        return packed
    packed.sort(kind="stable")  # a merge of sorted runs
    # Merged a slice at a time, written back into ``packed`` from its start (a slice
    # gives at most as many codes as it holds, so the writing never overtakes the
    # reading): the work arrays are a slice's, not the whole array's (for the 13
    # million pairs of all Timeline17 articles four arrays of 100 MB each were held).
    mask = (1 << shift) - 1
    written = 0
    for begin in range(0, packed.size, _MERGE_CHUNK):
        piece = packed[begin : begin + _MERGE_CHUNK]
        codes = piece >> shift
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        hits = np.add.reduceat(piece & mask, starts)
        merged = codes[starts]
        del codes, starts
        if written and int(packed[written - 1]) >> shift == int(merged[0]):
            # the code of the slice before goes on: its hits add up
            last = int(packed[written - 1])
            packed[written - 1] = (last & ~mask) | min((last & mask) + int(hits[0]), mask)
            merged, hits = merged[1:], hits[1:]
        np.minimum(hits, mask, out=hits)
        merged <<= shift
        merged |= hits
        packed[written : written + merged.size] = merged
        written += merged.size
    return packed[:written]


def _pair_hits(
    keys: _IntArray, items: _IntArray, neighbours: int, count: int, shift: int
) -> _IntArray:
    """Pairs of items under one key, each item with the few items after it.

    ``keys`` are sorted and ``items`` ascending and distinct within a key. In
    a list of ``k`` items each item is paired with the next ``neighbours``, or
    with fewer in a long list (``neighbours ** 2 / k``, at least
    ``_FEWEST_NEIGHBOURS``), so that no key gives much more than
    ``neighbours ** 2`` pairs: a feature that very many sentences share says
    little about any two of them. Returns the pairs packed
    ``(low * count + high) << shift | keys``, distinct and sorted, with the
    number of keys that gave each. They are listed ``_PAIR_CHUNK`` at a time and
    merged as they come (a part merges with the one before it while that one is
    at most twice its size), so the listed pairs are never all held at once.
    """
    if keys.size == 0:
        return np.empty(0, dtype=np.int64)
    partners = _partners(keys, neighbours)
    made = np.cumsum(partners)
    parts: list[_IntArray] = []
    start = 0
    while start < keys.size:
        end = int(np.searchsorted(made, made[start] - partners[start] + _PAIR_CHUNK, "right"))
        end = max(end, start + 1)
        first = np.arange(start, end).repeat(partners[start:end])
        codes = items[first + 1 + positions_in_runs(partners[start:end])]
        codes += items[first] * count
        del first
        codes.sort()
        parts.append(_merge_hits([codes << shift | 1], shift))
        del codes
        while len(parts) > 1 and parts[-2].size <= 2 * parts[-1].size:
            parts.append(_merge_hits([parts.pop(-2), parts.pop()], shift))
        start = end
    return _merge_hits(parts, shift)


def _partners(keys: _IntArray, neighbours: int) -> _IntArray:
    """How many items after each one in its posting list it is paired with."""
    _, lengths = run_lengths(keys)
    reach = np.clip(neighbours * neighbours // lengths, _FEWEST_NEIGHBOURS, neighbours)
    remaining = lengths.repeat(lengths) - 1 - positions_in_runs(lengths)
    partners: _IntArray = np.minimum(remaining, reach.repeat(lengths))
    return partners


def _products(matrix: sp.csr_matrix, first: _IntArray, second: _IntArray) -> _FloatArray:
    """The dot product of each pair of rows (for 0/1 rows, the features they share)."""
    parts: list[_FloatArray] = [np.empty(0)]
    for start in range(0, first.size, _SCORE_CHUNK):
        a, b = first[start : start + _SCORE_CHUNK], second[start : start + _SCORE_CHUNK]
        parts.append(np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel())
    return np.concatenate(parts)
