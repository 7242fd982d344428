"""The clustering state in rows (storyline.store.state): an ingest in batches gives the
stories of one clusterer call over the whole stream, closed stories are left unread, and a
store whose state was one JSON value (schema 0002) upgrades and goes on as if it never was."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from storyline.model import Article, Corpus
from storyline.store import Store, upgrade_store
from storyline.store.engine import locate, open_engine, transact
from storyline.store.schema import CLUSTER_STATE, CLUSTER_STORIES
from storyline.stories.clusters import OnlineClusterer
from tests.builders import make_article
from tests.unit.test_store_open import _migrate

_TOPICS = (
    ("harbor cranes stalled Gull terminal container shipments", "Brackwater"),
    ("quarry explosion rattled valley miners evacuated dynamite", "Pinecrest"),
    ("ferry crews walked out over night shift pay", "Saltmarsh"),
    ("council vote fare increase buses trams commuters", "Eldermoor"),
    ("wildfire spread ridge homes evacuated firefighters", "Ashcombe"),
)
_EVERYDAY = "officials said on the day that people were told more would follow".split()


def _stream() -> tuple[Article, ...]:
    """Five topics, each told three times in each of three bursts 50 days apart (so that
    stories close), with shared everyday words, and two undated articles."""
    articles = []
    for burst in range(3):
        for number, (words, place) in enumerate(_TOPICS):
            for copy in range(3):
                day = dt.date(2026, 1, 1) + dt.timedelta(days=50 * burst + number + copy)
                chosen = words.split()[copy:] + _EVERYDAY[: 4 + copy + number]
                text = f"In {place}{burst}, " + " ".join(chosen) + f". {place}{burst} waits."
                articles.append(
                    make_article(text, id=f"b{burst}-t{number}-{copy}", published=day.isoformat())
                )
    articles.append(make_article("Harbor cranes stalled again at Gull terminal.", id="u1"))
    articles.append(make_article("Ferry crews walked out over pay, again.", id="u2"))
    return tuple(articles)


def _batches(articles: tuple[Article, ...], size: int) -> list[Corpus]:
    ordered = sorted(articles, key=lambda a: (a.published or dt.date.max, a.id))
    return [Corpus(articles=tuple(ordered[i : i + size])) for i in range(0, len(ordered), size)]


def _partition(store: Store) -> set[frozenset[str]]:
    return {frozenset(story.article_ids) for story in store.stories()}


def _rows(location: str, query: sa.Select[tuple[object]]) -> list[object]:
    engine = open_engine(locate(location))
    try:
        return transact(engine, lambda c: list(c.execute(query).scalars()), write=False)
    finally:
        engine.dispose()


def test_batches_give_the_stories_of_one_call_and_closed_stories_stay_closed(
    store_location: str,
) -> None:
    articles = _stream()
    whole = OnlineClusterer().cluster(articles)
    with Store.open(store_location) as store:
        for batch in _batches(articles, 4):
            store.ingest(batch)
        assert _partition(store) == {frozenset(ids) for ids in whole.stories}
        assert store.check() == ()
    opened = _rows(store_location, sa.select(CLUSTER_STORIES.c.is_open))
    assert opened.count(False) >= 10  # the first two bursts' stories were closed
    assert opened.count(True) == sum(story.open for story in whole.state.stories)


def test_a_store_of_schema_0002_upgrades_and_goes_on_as_if_never_split(
    store_location: str, tmp_path: Path
) -> None:
    articles = _stream()
    first, *rest = _batches(articles, 25)
    with Store.open(store_location) as store:
        store.ingest(first)
    _migrate(store_location, "downgrade", "0002")
    # what the 0002 code kept: the whole state of the stream so far, as one JSON value
    (saved,) = _rows(store_location, sa.select(CLUSTER_STATE.c.state))
    expected = OnlineClusterer().cluster(first.articles).state.to_dict()
    assert json.loads(json.dumps(saved)) == json.loads(json.dumps(expected))
    status, version = upgrade_store(store_location)
    assert (status.version, version) == ("0002", "0003")
    with Store.open(store_location) as store:
        assert store.check() == ()
        for batch in rest:
            store.ingest(batch)
        upgraded = store.stories()
        assert store.check() == ()
    with Store.open(str(tmp_path / "never-split.db")) as never_split:
        for batch in (first, *rest):
            never_split.ingest(batch)
        assert upgraded == never_split.stories()
    whole = OnlineClusterer().cluster(articles)
    assert {frozenset(story.article_ids) for story in upgraded} == {
        frozenset(ids) for ids in whole.stories
    }


def test_ingest_all_reads_words_in_a_worker_and_stores_what_ingest_does(
    store_location: str, tmp_path: Path
) -> None:
    articles = _stream()
    batches = _batches(articles, 6)
    with Store.open(store_location) as store:
        reports = list(store.ingest_all(iter(batches)))
        assert list(store.ingest_all([])) == []
        assert store.check() == ()
        together = store.stories()
    with Store.open(str(tmp_path / "one-by-one.db")) as one_by_one:
        expected = [one_by_one.ingest(batch) for batch in batches]
        assert together == one_by_one.stories()
    assert [r.counts()["new"] for r in reports] == [r.counts()["new"] for r in expected]
    assert {frozenset(story.article_ids) for story in together} == {
        frozenset(ids) for ids in OnlineClusterer().cluster(articles).stories
    }


def test_ingest_all_notices_another_writer_between_its_batches(
    store_location: str, tmp_path: Path
) -> None:
    """ingest_all keeps the clusterer's state from one batch to the next; an ingest by
    another Store in between makes it read the state back, and the stories are those of
    the same ingests one by one."""
    articles = _stream()
    batches = _batches(articles, 6)
    other = Corpus(articles=(make_article("Quarry miners evacuated again.", id="x1"),))

    def fed() -> Iterator[Corpus]:
        yield batches[0]
        yield batches[1]
        # the first batch is stored by now, the second not yet (ingest_all reads ahead)
        with Store.open(store_location) as writer:
            writer.ingest(other)
        yield from batches[2:]

    with Store.open(store_location) as store:
        list(store.ingest_all(fed()))
        assert store.check() == ()
        together = store.stories()
    with Store.open(str(tmp_path / "one-by-one.db")) as one_by_one:
        for batch in [batches[0], other, *batches[1:]]:
            one_by_one.ingest(batch)
        assert together == one_by_one.stories()
