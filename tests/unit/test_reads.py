"""The web app's read cache: a read is kept while the store's revision stays the same;
the story index: an overview is kept while its story's articles stay the same."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest.files import FileIngestor
from storyline.model import Corpus
from storyline.service.reads import ReadCache, StoryIndex
from storyline.store import Store
from tests.builders import make_article
from tests.web import EXAMPLE


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


def test_the_story_index_reads_again_only_the_stories_that_changed(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "store.db")) as store:
        store.ingest(FileIngestor().ingest([EXAMPLE]))
        index = StoryIndex(store)
        first = {overview.id: overview for overview in index.stories()}
        assert set(first.values()) == set(store.stories())
        (story,) = first.values()
        again = {overview.id: overview for overview in index.stories()}
        assert again[story.id] is first[story.id], "nothing changed: nothing read again"
        text = store.articles(story.id)[0].text.replace("Saturday", "Sunday", 1) + " More."
        store.ingest(
            Corpus(
                articles=(
                    make_article(text, id="later"),
                    make_article("A comet was seen over the northern lakes.", id="comet"),
                )
            )
        )
        grown = {overview.id: overview for overview in index.stories()}
        assert set(grown.values()) == set(store.stories())
        assert len(grown) == 2
        assert "later" in grown[story.id].article_ids
        kept = {overview.id: overview for overview in index.stories()}
        assert all(kept[key] is grown[key] for key in grown)
