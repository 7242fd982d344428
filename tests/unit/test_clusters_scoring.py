"""OnlineClusterer's scoring of candidate stories on arrays gives, to the last bit, the
scores of the loop it replaced: every candidate's dot product summed in Python, the rarer
terms then the common ones, each in the vector's order; the analysis of an article's words
apart from the stream gives the same stories."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from storyline.evaluate.clustering import read_labelled_stream
from storyline.model import Article
from storyline.stories import clusters as maybe_compiled
from tests.builders import make_article, python_source, shared_path

if TYPE_CHECKING:
    from storyline.stories import clusters
else:
    # these tests replace the module's functions and constants: its Python source, also when
    # the compiled module is in use (tests/unit/test_native.py compares the two)
    clusters = python_source(maybe_compiled)
OnlineClusterer = clusters.OnlineClusterer
canonical_order = clusters.canonical_order

_WORDS = [f"w{n}" for n in range(40)]


def _reference(
    stream: clusters._Stream, vector: dict[str, float], date: dt.date | None
) -> list[tuple[float, int, float]]:
    """The scores as the documented loop computes them, with no bound and no arrays."""
    rare: list[tuple[str, float]] = []
    common: list[tuple[str, float]] = []
    for term, weight in vector.items():
        posting = stream.postings.get(term)
        if posting is not None:
            kind = common if len(posting) > clusters._COMMON_STORIES else rare
            kind.append((term, weight))
    found = {index for term, _ in rare for index in stream.postings[term]}
    clusterer = stream.clusterer
    floor = clusters._MERGE_SHARE * clusterer.threshold
    ranked = []
    for index in sorted(found):
        story = stream.stories[index]
        assert story is not None
        first, last = story.first, story.last
        dated = False
        if date is not None and first is not None and last is not None:
            if (first - date).days > stream.window or (date - last).days > stream.window:
                continue
            dated = True
        dot = 0.0
        for term, weight in rare + common:
            value = story.centroid.get(term)
            if value is not None:
                dot += weight * value
        cosine = dot / math.sqrt(story.norm2)
        if dated:
            score = cosine + clusterer.size_weight * math.log(len(story.articles))
        else:
            cosine *= clusterer.undated_weight
            score = cosine
        if score >= clusterer.threshold or cosine >= floor:
            ranked.append((score, index, cosine))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return ranked


def _checked(monkeypatch: pytest.MonkeyPatch, common_stories: int) -> list[int]:
    """Check every call of _candidates against _reference; the count of the calls whose
    vector had common terms (read from the dense array) is appended to the list."""
    monkeypatch.setattr(clusters, "_COMMON_STORIES", common_stories)
    scored = clusters._Stream._candidates
    with_common = [0]

    def candidates(
        self: clusters._Stream, vector: dict[str, float], date: dt.date | None
    ) -> list[tuple[float, int, float]]:
        expected = _reference(self, vector, date)
        found = scored(self, vector, date)
        assert found == expected
        if any(len(self.postings.get(term, ())) > common_stories for term in vector):
            with_common[0] += 1
        return found

    monkeypatch.setattr(clusters._Stream, "_candidates", candidates)
    return with_common


def _synthetic(count: int) -> Iterator[Article]:
    """Articles of 60 topics (each its own three names) with many shared everyday words over
    two months, some undated: stories of every size, many terms in many stories."""
    chance = random.Random(7)
    for number in range(count):
        topic = chance.randrange(60)
        names = [f"Topic{topic}name{n}".capitalize() for n in range(3)]
        words = chance.choices(_WORDS, k=chance.randint(5, 40))
        text = f"{names[0]} and {names[1]} said " + " ".join(words) + f". {names[2]} left."
        day = None if number % 9 == 0 else f"2026-01-{1 + number % 28:02d}"
        if day is not None and number % 2:
            day = f"2026-02-{1 + number % 28:02d}"
        yield make_article(text, id=f"a{number:04d}", published=day)


def test_array_scores_equal_the_loops_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    with_common = _checked(monkeypatch, common_stories=3)
    clustering = OnlineClusterer().cluster(tuple(_synthetic(400)))
    assert with_common[0] >= 30  # the dense array was read
    assert len(clustering.stories) > 1


def test_array_scores_equal_the_loops_on_real_headlines(monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_path("benchmarks", "clustering", "uci_head6k.jsonl")
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    with_common = _checked(monkeypatch, common_stories=5)
    OnlineClusterer().cluster(read_labelled_stream(path).articles[:800])
    assert with_common[0] >= 50


def test_analysis_apart_gives_the_same_stories() -> None:
    articles = canonical_order(tuple(_synthetic(120)))
    clusterer = OnlineClusterer()
    whole = clusterer.cluster(articles)
    terms = clusterer.analyse(articles)
    assert clusterer.cluster_analysed(articles, terms) == whole
    first, second = articles[:50], articles[50:]
    state = clusterer.cluster_analysed(first, terms[:50]).state
    assert clusterer.cluster_analysed(second, terms[50:], state) == whole
    assert set(OnlineClusterer.vocabulary(terms)) == {
        term for found in terms for term in found.counts
    }
    with pytest.raises(ValueError, match="analyses for"):
        clusterer.cluster_analysed(articles, terms[:3])
