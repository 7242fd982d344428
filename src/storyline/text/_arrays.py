"""NumPy helpers for runs of equal values in sorted integer arrays.

Shared by the vectorised stages (copy detection, fact grouping, selection),
with the 64-bit mixing and window hashes of shingles.
Stories are small, so these avoid the general-purpose routines whose fixed
cost dominates on arrays of a few hundred items (``np.unique``, ``np.r_``,
``np.diff``).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "dense_rank",
    "distinct",
    "mix64",
    "positions_in_runs",
    "rank_by_appearance",
    "run_lengths",
    "run_starts",
    "window_hashes",
]

_Int = TypeVar("_Int", np.int64, np.uint64)


def run_starts(ordered: npt.NDArray[_Int]) -> npt.NDArray[np.bool_]:
    """Where a new run of equal values starts in a sorted array."""
    starts = np.ones(ordered.size, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def run_lengths(ordered: npt.NDArray[_Int]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The index where each run of equal values starts, and its length."""
    first = np.flatnonzero(run_starts(ordered)).astype(np.int64)
    ends = np.empty_like(first)
    ends[:-1] = first[1:]
    ends[-1:] = ordered.size
    return first, ends - first


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, sorted."""
    ordered = np.sort(values)
    return ordered[run_starts(ordered)]


def dense_rank(values: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], int]:
    """Each value's rank among the distinct values (0, 1, ...), and how many there are."""
    if values.size == 0:
        return values, 0
    order = values.argsort(kind="stable")
    starts = run_starts(values[order])
    rank = np.empty_like(values)
    rank[order] = starts.cumsum() - 1
    return rank, int(starts.sum())


def rank_by_appearance(
    values: npt.NDArray[_Int],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Number the distinct values in order of first appearance.

    Returns each value's number and, per number, the index where it first appears.
    """
    order = values.argsort(kind="stable")
    starts = run_starts(values[order])
    rank = np.empty(values.size, dtype=np.int64)
    rank[order] = starts.cumsum() - 1
    # The stable sort puts each value's first appearance at the start of its run.
    firsts = order[starts].astype(np.int64)
    by_appearance = firsts.argsort(kind="stable")
    renumber = np.empty(firsts.size, dtype=np.int64)
    renumber[by_appearance] = np.arange(firsts.size)
    return renumber[rank], firsts[by_appearance]


def positions_in_runs(lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """For runs of the given lengths laid end to end, each item's index in its run."""
    before = lengths.cumsum() - lengths
    return np.arange(int(lengths.sum())) - before.repeat(lengths)


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def mix64(ids: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """Scatter small integer ids over 64 bits (the SplitMix64 finaliser), so that
    polynomial hashes of nearby ids do not collide."""
    with np.errstate(over="ignore"):
        mixed = ids.astype(np.uint64) + _MULTIPLIER
        mixed = (mixed ^ (mixed >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        mixed = (mixed ^ (mixed >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return mixed ^ (mixed >> np.uint64(31))


def window_hashes(codes: npt.NDArray[np.uint64], size: int) -> npt.NDArray[np.uint64]:
    """Polynomial hash (mod 2**64) of every window of ``size`` consecutive codes."""
    count = codes.size - size + 1
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            hashes = hashes * _MULTIPLIER + codes[offset : offset + count]
    return hashes
