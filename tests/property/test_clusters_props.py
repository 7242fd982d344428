"""Story clustering, for any stream: a partition, the same in batches as in one run,
and the same whatever the input order."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.stories.clusters import ClusterState, OnlineClusterer, canonical_order
from tests.builders import make_article

# A small vocabulary with a few names, so that generated articles overlap a lot.
WORDS = (
    "Valdoria Marrenburg Quillon Zentrix earthquake rescue rubble aid trial jury fraud "
    "accountant strike port workers ferry council budget bridge repairs flood river "
    "storm minister election vote"
).split()

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
dates = st.one_of(
    st.none(), st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31))
)
streams = st.lists(st.tuples(texts, dates, st.booleans()), max_size=25).map(
    lambda rows: [
        make_article(text or ".", id=f"a{n:02d}", published=date, title=text if titled else None)
        for n, (text, date, titled) in enumerate(rows)
    ]
)


def _ids(stories: tuple[tuple[str, ...], ...]) -> list[str]:
    return [item for story in stories for item in story]


@settings(max_examples=60, deadline=None)
@given(streams)
def test_the_stories_are_a_partition_in_canonical_order(articles: list[Article]) -> None:
    stories = OnlineClusterer().cluster(articles).stories
    assert sorted(_ids(stories)) == sorted(article.id for article in articles)
    assert all(stories)
    position = {a.id: n for n, a in enumerate(canonical_order(articles))}
    for story in stories:
        assert [position[item] for item in story] == sorted(position[item] for item in story)
    firsts = [position[story[0]] for story in stories]
    assert firsts == sorted(firsts)


@settings(max_examples=60, deadline=None)
@given(streams, st.integers(min_value=1, max_value=6), st.randoms(use_true_random=False))
def test_batches_in_order_give_the_one_run_result(
    articles: list[Article], size: int, shuffler: object
) -> None:
    ordered = list(canonical_order(articles))
    clusterer = OnlineClusterer()
    batch = clusterer.cluster(ordered)
    state: ClusterState | None = None
    clustering = clusterer.cluster([])
    for start in range(0, len(ordered), size):
        part = ordered[start : start + size]
        shuffler.shuffle(part)  # type: ignore[attr-defined]
        clustering = clusterer.cluster(part, state)
        state = ClusterState.from_dict(json.loads(json.dumps(clustering.state.to_dict())))
    assert clustering.stories == batch.stories
    shuffled = list(articles)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    assert clusterer.cluster(shuffled).stories == batch.stories
