"""The candidate-pair arithmetic of fact grouping, against plain Python references: the
merge of packed pairs (done a slice at a time, in place) and the first few of each block."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.stories import facts


@given(
    shift=st.integers(1, 5),
    parts=st.lists(
        st.lists(st.tuples(st.integers(0, 30), st.integers(0, 31)), max_size=40), max_size=3
    ),
    chunk=st.integers(1, 17),
)
def test_merged_pairs_add_their_hits_whatever_the_slice(
    shift: int, parts: list[list[tuple[int, int]]], chunk: int
) -> None:
    mask = (1 << shift) - 1
    arrays = [
        np.sort(np.array([code << shift | (hits & mask) for code, hits in part], dtype=np.int64))
        for part in parts
    ]
    expected: Counter[int] = Counter()
    for part in parts:
        for code, hits in part:
            expected[code] += hits & mask
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "_MERGE_CHUNK", chunk)
        merged = facts._merge_hits(arrays, shift) if arrays else np.empty(0, dtype=np.int64)
    assert merged.tolist() == [
        code << shift | min(hits, mask) for code, hits in sorted(expected.items())
    ]


@given(
    values=st.lists(st.integers(0, 99), max_size=60),
    width=st.integers(1, 10),
    limit=st.integers(1, 4),
)
def test_heads_of_blocks_are_the_first_of_each_block(
    values: list[int], width: int, limit: int
) -> None:
    ordered = np.array(sorted(values), dtype=np.int64)
    blocks = 100 // width + 1
    seen: Counter[int] = Counter()
    expected = []
    for value in ordered.tolist():
        seen[value // width] += 1
        expected.append(seen[value // width] <= limit)
    assert facts._heads_of_blocks(ordered, width, blocks, limit).tolist() == expected
