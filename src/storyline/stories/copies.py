"""Copies: articles -> syndicated-copy groups.

:class:`ShingleDeduplicator` finds articles that are copies of one another
(wire copy republished with a new byline or an extra paragraph). Articles are
sets of word-stem 5-gram shingles (Broder 1997); two articles are copies when the
shared shingles cover most of the shorter one (containment). The earliest
report of each group is named canonical (ties: the smallest article id), and
groups come in the reading order of their canonical reports, so neither
depends on the order of the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from mypy_extensions import mypyc_attr

from storyline.model import Article, DuplicateGroup, Sentence, date_and_id, sentence_texts
from storyline.stories._union import UnionFind
from storyline.text._arrays import mix64, positions_in_runs, run_lengths, window_hashes
from storyline.text.tokens import tokenize

__all__ = ["Deduplicator", "ShingleDeduplicator", "reading_order"]


class Deduplicator(Protocol):
    """Finds articles that are copies of one another."""

    def deduplicate(
        self,
        articles: Sequence[Article],
        sentences: Mapping[str, Sequence[Sentence]] | None = None,
    ) -> tuple[DuplicateGroup, ...]: ...


def reading_order(articles: Sequence[Article]) -> dict[str, tuple[dt.date, int]]:
    """Sort key of each article: publication date (undated last), then a rank.

    The rank numbers the articles by date, then id, then text, so the order
    does not depend on the order of the input (nor on the hash seed).
    """
    ranked = sorted(articles, key=lambda a: (*date_and_id(a), a.text))
    return {
        article.id: (article.published or dt.date.max, rank) for rank, article in enumerate(ranked)
    }


@mypyc_attr(allow_interpreted_subclasses=True)  # compiled: see storyline.native
class ShingleDeduplicator:
    """Groups articles whose word shingles overlap above a containment threshold.

    Shingles are ``shingle_size`` consecutive word stems (an article with fewer
    words is one shingle of all of them); two articles are copies when the
    shingles they share are at least ``threshold`` of the smaller set.
    """

    def __init__(self, *, shingle_size: int = 5, threshold: float = 0.8) -> None:
        self.shingle_size = shingle_size
        self.threshold = threshold

    def deduplicate(
        self,
        articles: Sequence[Article],
        sentences: Mapping[str, Sequence[Sentence]] | None = None,
    ) -> tuple[DuplicateGroup, ...]:
        """The copy groups among ``articles``, each naming its earliest report.

        ``sentences``, each article's when it is already segmented, only lets the
        words be read from the sentence texts that fact grouping and selection
        tokenise next (see :func:`storyline.text.tokens.tokenize`): the groups are the
        same either way.
        """
        if len(articles) < 2:
            return ()
        if sentences is None:
            texts = tuple(article.text for article in articles)
            rows_per_article = [1] * len(articles)
        else:
            in_order = [s for article in articles for s in sentences[article.id]]
            texts = sentence_texts(in_order, {article.id: article for article in articles})
            rows_per_article = [len(sentences[article.id]) for article in articles]
        table = tokenize(texts)
        owners = np.repeat(np.arange(len(articles)), rows_per_article)[table.token_row]
        codes = mix64(table.type_stem[table.token_type])
        hashes, owners = _shingles(codes, owners, len(articles), self.shingle_size)
        sizes = np.bincount(owners, minlength=len(articles))
        union = UnionFind(len(articles))
        first, second, shared = _shared_counts(hashes, owners, len(articles))
        smaller = np.minimum(sizes[first], sizes[second])
        copied = (smaller > 0) & (shared / np.maximum(smaller, 1) >= self.threshold)
        for a, b in zip(first[copied].tolist(), second[copied].tolist(), strict=True):
            union.union(a, b)
        order = reading_order(articles)
        groups = []
        for members in union.groups():
            if len(members) < 2:
                continue
            ids = sorted((articles[i].id for i in members), key=order.__getitem__)
            groups.append(DuplicateGroup(canonical=ids[0], copies=tuple(ids[1:])))
        groups.sort(key=lambda group: order[group.canonical])
        if groups and sentences is not None:
            # Fact grouping reads the sentences of the originals only, so this table will
            # not be asked for again: it leaves the cache instead of being held through
            # the stages that follow (about 100 MB for all Timeline17 articles, during
            # fact grouping, the run's peak of memory).
            del table
            tokenize.cache_clear()
        return tuple(groups)


_UInt64Array = npt.NDArray[np.uint64]


def _shingles(
    codes: _UInt64Array, owners: npt.NDArray[np.int64], documents: int, size: int
) -> tuple[_UInt64Array, npt.NDArray[np.int64]]:
    """Distinct (shingle hash, document) pairs, sorted by hash, then document.

    ``codes`` are the words of all documents, one after the other, and
    ``owners`` the document of each. Windows that straddle two documents are
    dropped; a document with fewer than ``size`` words is one shingle of all of them.
    """
    hashes: list[_UInt64Array] = []
    owned: list[npt.NDArray[np.int64]] = []
    if codes.size >= size:
        count = codes.size - size + 1
        inside = owners[:count] == owners[size - 1 :]
        hashes.append(window_hashes(codes, size)[inside])
        owned.append(owners[:count][inside])
    lengths = np.bincount(owners, minlength=documents)
    for document in np.flatnonzero((lengths > 0) & (lengths < size)).tolist():
        words = codes[owners == document]
        hashes.append(window_hashes(words, words.size))
        owned.append(np.array([document]))
    if not hashes:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    all_hashes, all_owners = np.concatenate(hashes), np.concatenate(owned)
    order = np.lexsort((all_owners, all_hashes))
    all_hashes, all_owners = all_hashes[order], all_owners[order]
    distinct = np.ones(order.size, dtype=bool)
    distinct[1:] = (all_hashes[1:] != all_hashes[:-1]) | (all_owners[1:] != all_owners[:-1])
    return all_hashes[distinct], all_owners[distinct]


def _shared_counts(
    hashes: _UInt64Array, owners: npt.NDArray[np.int64], documents: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Number of shingles each pair of documents shares, for pairs sharing any.

    ``hashes`` and ``owners`` are distinct pairs sorted by hash, then document, so
    a run of equal hashes names the documents sharing that shingle, in order.
    Shingles shared by very many documents are boilerplate and would make this
    quadratic, so runs longer than 64 are skipped. Returns the pairs (first <
    second, sorted) and their counts; every pair of a run is listed at once.
    """
    starts, lengths = run_lengths(hashes)
    shared = (lengths >= 2) & (lengths <= 64)
    starts, lengths = starts[shared], lengths[shared]
    # Each member pairs with every member after it in its run.
    after = lengths.repeat(lengths) - 1 - positions_in_runs(lengths)
    members = starts.repeat(lengths) + positions_in_runs(lengths)
    first = members.repeat(after)
    second = first + 1 + positions_in_runs(after)
    codes, counts = np.unique(owners[first] * documents + owners[second], return_counts=True)
    pair_first, pair_second = np.divmod(codes, documents)
    return pair_first, pair_second, counts.astype(np.int64)
