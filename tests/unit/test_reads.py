"""The web app's read cache: a read is kept while the store's revision stays the same."""

from __future__ import annotations

from pathlib import Path

from storyline.model import Corpus
from storyline.service.reads import ReadCache
from storyline.store import Store
from tests.builders import make_article


def test_a_read_is_kept_until_the_store_changes(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "store.db")) as store:
        reads = ReadCache(store=store)
        counted: list[int] = []

        def read() -> int:
            counted.append(1)
            return len(store.stories())

        assert reads.get("stories", read) == 0
        assert reads.get("stories", read) == 0
        assert len(counted) == 1
        before = store.revision()
        store.ingest(Corpus(articles=(make_article("The pier reopened on Tuesday.", id="a"),)))
        assert store.revision() == before + 1
        assert reads.get("stories", read) == 1, "an ingest changes the revision"
        assert len(counted) == 2


def test_the_revision_is_rechecked_after_a_pause_or_an_own_write(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "store.db")) as store:
        reads = ReadCache(store=store, recheck=3600)
        assert reads.get("n", lambda: len(store.stories())) == 0
        store.ingest(Corpus(articles=(make_article("The pier reopened on Tuesday.", id="a"),)))
        assert reads.get("n", lambda: len(store.stories())) == 0, "within recheck: kept"
        reads.wrote()
        assert reads.get("n", lambda: len(store.stories())) == 1
