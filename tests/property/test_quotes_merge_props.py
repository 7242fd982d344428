"""Merging quotes across articles through an index gives the groups of comparing all pairs.

The reference below is the pairwise merge the index replaced: occurrences with the same
kind, text and speaker join at once, then every pair of the first of each is compared with
``_mergeable`` and ``_same_words``. Texts are drawn from a small vocabulary, with repeats,
copies, shortened and extended copies, so that every test of ``_same_words`` is met.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.digest import quotes as quotes_module
from storyline.model import QuoteKind

VOCABULARY = [
    *"the a of to and he she it we not is was will".split(),
    *"pier bridge harbour strike union council budget ferry repairs vote".split(),
    *"rebuild reopen close delay cost expect promise warn".split(),
]
SPEAKERS = [(None, None), ("Ana Lind", "lind"), ("Lind", "lind"), ("Ravi Khan", "khan")]
SPEAKERS += [("officials", None), ("the union", None)]

words = st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=24)


@st.composite
def occurrences(draw: st.DrawFn) -> list[quotes_module._Occurrence]:
    texts = draw(st.lists(words, min_size=1, max_size=10))
    # copies of earlier texts, cut or extended, so that near-duplicates are common
    for _ in range(draw(st.integers(0, 14))):
        base = draw(st.sampled_from(texts))
        start = draw(st.integers(0, len(base)))
        end = draw(st.integers(start, len(base)))
        texts.append([*draw(words)[:2], *base[start:end], *draw(words)[:3]])
    found = []
    for order, text in enumerate(texts):
        speaker, key = draw(st.sampled_from(SPEAKERS))
        kind: QuoteKind = draw(st.sampled_from(["direct", "direct", "indirect"]))
        joined = " ".join(text) or "…"
        found.append(
            quotes_module._Occurrence(
                order=order,
                article_id=f"a{order}",
                kind=kind,
                pieces=[(0, len(joined))],
                text=joined,
                speaker=speaker,
                key=key,
                attribution="same-sentence" if speaker else "unknown",
                sentence=0,
            )
        )
    return found


def pairwise_groups(
    occurrences: list[quotes_module._Occurrence], similarity: float
) -> set[frozenset[int]]:
    bags = [quotes_module._bag(occ) for occ in occurrences]
    texts = [" ".join(bag) for bag in bags]
    sets = [frozenset(bag) for bag in bags]
    parent = list(range(len(occurrences)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    first: dict[tuple[str, str, str], int] = {}
    representatives = []
    for i, occ in enumerate(occurrences):
        signature = (occ.kind, texts[i], occ.key or occ.speaker or "")
        if signature in first:
            parent[i] = first[signature]
        else:
            first[signature] = i
            representatives.append(i)
    for i, j in itertools.combinations(representatives, 2):
        if (
            find(i) != find(j)
            and quotes_module._mergeable(occurrences[i], occurrences[j])
            and quotes_module._same_words(sets[i], sets[j], texts[i], texts[j], similarity)
        ):
            parent[find(j)] = find(i)
    groups: dict[int, set[int]] = {}
    for i in range(len(occurrences)):
        groups.setdefault(find(i), set()).add(i)
    return {frozenset(group) for group in groups.values()}


def merged_groups(
    occurrences: list[quotes_module._Occurrence], similarity: float
) -> set[frozenset[int]]:
    where = {(occ.article_id, occ.pieces[0][0]): i for i, occ in enumerate(occurrences)}
    quotes = quotes_module._merge(occurrences, similarity=similarity)
    return {frozenset(where[span.article_id, span.start] for span in q.spans) for q in quotes}


@settings(max_examples=300, deadline=None)
@given(occurrences(), st.sampled_from([0.75, 0.75, 0.5, 0.9, 1.0, 0.3]))
def test_indexed_merge_equals_the_pairwise_merge(
    found: list[quotes_module._Occurrence], similarity: float
) -> None:
    assert merged_groups(found, similarity) == pairwise_groups(found, similarity)


@settings(max_examples=200, deadline=None)
@given(occurrences(), st.sampled_from([0.75, 0.5, 0.9]))
def test_candidates_hold_every_pair_with_the_same_words(
    found: list[quotes_module._Occurrence], similarity: float
) -> None:
    texts = sorted({(occ.kind, " ".join(quotes_module._bag(occ))) for occ in found})
    groups = [
        quotes_module._TextGroup(kind=kind, text=text, words=tuple(dict.fromkeys(text.split())))
        for kind, text in texts
        if text
    ]
    found_pairs = quotes_module._similar_candidates(groups, similarity)
    candidates = {frozenset((a.text, b.text)) for a, b in found_pairs}
    for a, b in itertools.combinations(groups, 2):
        if a.kind == b.kind and quotes_module._same_words(
            frozenset(a.words), frozenset(b.words), a.text, b.text, similarity
        ):
            assert frozenset((a.text, b.text)) in candidates, (a.text, b.text)
