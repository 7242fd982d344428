"""The clustering state in rows: what one ingest needs of it in, what it changed out.

Input -> output: the store's connection ->
the partial :class:`~storyline.stories.clusters.ClusterState` that
:class:`~storyline.stories.clusters.LiveClustering` starts from (the head and the open
stories) and the stored counts of the terms it lacks; after clustering, the partial
states before and after -> the rows that changed.

Up to schema version 0002 the whole state was one JSON value, read and rewritten by
every ingest, so that the cost of ingesting 1,000 articles grew with the store (the
closed stories' article lists and every term's counts). Now (migration 0003):

- ``cluster_state`` keeps the head: version, parameters, articles counted, clock;
- ``cluster_terms`` one row per term; an ingest reads the rows of the terms of its
  articles (:meth:`~storyline.stories.clusters.OnlineClusterer.vocabulary` of the
  analysis that clustering uses, so that the words are read once, not twice: the
  second reading was 2% of an ingest) that its clusterer's state lacks
  (:func:`load_terms`), and updates them or inserts the new ones;
- ``cluster_stories`` one row per live story; an ingest reads the open ones (in
  stream order: the clusterer's ties go to the older story; :func:`load_open`),
  rewrites those that changed (joined, merged into, closed), deletes those merged
  away, and inserts the new ones. Closed stories are never read: an article joins,
  and a story merges with, open stories only (a story closes when the stream has
  moved ``window_days`` past it), so they are bounded by the stream's rate times the
  window, not by the store.

:meth:`storyline.store.Store.ingest_all` reads the open stories once, not at every
batch: the clusterer's working state (:class:`~storyline.stories.clusters.LiveClustering`)
is kept from one batch's transaction to the next while the stored head is the one
it wrote (another writer in between: it is read again), and the term counts it holds
(those of the earlier batches' articles) are not read again either. Per batch of the
10,000-article ``bench/bench_stream.py`` stream, reading the open stories' rows back
(0.5-0.6 CPU s of 7), indexing them again (a fifth of clustering) and copying them into
the partial states were done at every batch; with the other changes of that branch the
ingest took 8-11% less CPU (``bench/README.md``).

:func:`analyse_batches` is the body of :meth:`storyline.store.Store.ingest_all`'s
worker process.

The stories are those the whole state gives (the clusterer's module docstring says
why; ``tests/unit/test_store_state.py`` checks it against one call over the stream).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any, cast

import sqlalchemy as sa

from storyline.model import Article
from storyline.pipeline.workers import Channel
from storyline.store.schema import CLUSTER_STATE, CLUSTER_STORIES, CLUSTER_TERMS
from storyline.stories.clusters import ClusterState, OnlineClusterer, StoryState

__all__ = [
    "analyse_batches",
    "load_open",
    "load_terms",
    "locked_head",
    "save_state",
    "stored_stories",
]

_CHUNK = 500  # values per IN (...) list
_SPLIT = ("document_frequency", "capitalised", "stories")


def locked_head(connection: sa.Connection) -> dict[str, Any] | None:
    """The head of the state, its row locked to the end of the transaction (None: no
    article clustered yet)."""
    head = connection.execute(
        sa.select(CLUSTER_STATE.c.state).where(CLUSTER_STATE.c.id == 1).with_for_update()
    ).scalar_one()
    return None if head is None else dict(head)


def analyse_batches(channel: Channel, clusterer: OnlineClusterer) -> None:
    """A worker's body (:meth:`storyline.store.Store.ingest_all`): for each sequence of
    articles received, send back their terms (:meth:`OnlineClusterer.analyse`)."""
    while True:
        try:
            articles = cast(Sequence[Article], channel.recv())
        except EOFError:
            return
        channel.send(clusterer.analyse(articles))


def load_open(connection: sa.Connection, head: dict[str, Any] | None) -> ClusterState | None:
    """The partial state that an ingest continues from: the head and the open stories, in
    stream order, without term counts (:func:`load_terms` reads those a batch needs)."""
    if head is None:
        return None
    base = ClusterState.from_dict({**head, **{key: {} for key in _SPLIT}, "stories": []})
    rows = connection.execute(
        sa.select(CLUSTER_STORIES)
        .where(CLUSTER_STORIES.c.is_open.is_(True))
        .order_by(CLUSTER_STORIES.c.first_position)
    )
    return dataclasses.replace(base, stories=tuple(_story(row) for row in rows))


def load_terms(
    connection: sa.Connection, terms: Sequence[str]
) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """The stored counts of ``terms`` (those stored): articles that had each, and its
    mid-sentence occurrences capitalised and all (only when it has some)."""
    frequency: dict[str, int] = {}
    capitalised: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(terms):
        rows = connection.execute(sa.select(CLUSTER_TERMS).where(CLUSTER_TERMS.c.term.in_(chunk)))
        for row in rows:
            frequency[row.term] = row.documents
            if row.mid_sentence:
                capitalised[row.term] = (row.capitalised, row.mid_sentence)
    return frequency, capitalised


def save_state(
    connection: sa.Connection,
    before: ClusterState | None,
    after: ClusterState,
    story_id: Callable[[str], str],
) -> None:
    """Write what ``after`` changed of ``before`` (partial states, as
    :meth:`~storyline.stories.clusters.LiveClustering.cluster` gives them); ``story_id``:
    the story id of a story's first article."""
    head = after.head()
    connection.execute(CLUSTER_STATE.update().where(CLUSTER_STATE.c.id == 1).values(state=head))
    known = before.document_frequency if before is not None else {}
    inserted, updated = [], []
    for term, documents in after.document_frequency.items():
        capitalised, mid_sentence = after.capitalised.get(term, (0, 0))
        row = {"documents": documents, "capitalised": capitalised, "mid_sentence": mid_sentence}
        if term in known:
            updated.append({"key": term, **row})
        else:
            inserted.append({"term": term, **row})
    if inserted:
        connection.execute(CLUSTER_TERMS.insert(), inserted)
    if updated:
        connection.execute(
            CLUSTER_TERMS.update().where(CLUSTER_TERMS.c.term == sa.bindparam("key")), updated
        )
    _save_stories(connection, before.stories if before is not None else (), after, story_id)


def stored_stories(connection: sa.Connection) -> dict[str, StoryState]:
    """Every story's state, open or closed, by story id (for the store's checks)."""
    rows = connection.execute(sa.select(CLUSTER_STORIES))
    return {row.story_id: _story(row) for row in rows}


def _save_stories(
    connection: sa.Connection,
    before: Sequence[StoryState],
    after: ClusterState,
    story_id: Callable[[str], str],
) -> None:
    old = {story.articles[0]: story for story in before}
    inserted, updated = [], []
    for story in after.stories:
        seed = story.articles[0]
        previous = old.pop(seed, None)
        if previous == story:
            continue
        row = _row(story)
        if previous is None:
            inserted.append({"story_id": story_id(seed), **row})
        else:
            updated.append({"key": story_id(seed), **row})
    if old:  # merged into another story
        gone = sorted(story_id(seed) for seed in old)
        for chunk in _chunks(gone):
            connection.execute(
                CLUSTER_STORIES.delete().where(CLUSTER_STORIES.c.story_id.in_(chunk))
            )
    if inserted:
        connection.execute(CLUSTER_STORIES.insert(), inserted)
    if updated:
        connection.execute(
            CLUSTER_STORIES.update().where(CLUSTER_STORIES.c.story_id == sa.bindparam("key")),
            updated,
        )


def _row(story: StoryState) -> dict[str, Any]:
    return {
        "first_position": story.positions[0],
        "is_open": story.open,
        "first_date": story.first,
        "last_date": story.last,
        "articles": list(story.articles),
        "positions": list(story.positions),
        "centroid": dict(story.centroid),
        "norm2": story.norm2,
    }


def _story(row: sa.Row[Any]) -> StoryState:
    return StoryState(
        articles=tuple(row.articles),
        positions=tuple(row.positions),
        first=row.first_date,
        last=row.last_date,
        centroid=row.centroid,
        norm2=row.norm2,
    )


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
