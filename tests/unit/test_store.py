"""The store's library API on SQLite and PostgreSQL alike: ingest, stable stories, reading,
digests as delivered, runs and rejections."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.errors import ConfigError, StoreError
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Budget, Corpus, Rejection, RejectionReason, date_and_id
from storyline.store import Store, content_hash, story_id_of
from storyline.stories.clusters import OnlineClusterer
from tests.builders import make_article

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "harbor-bridge" / "txt"
HARBOR = (
    "Harbor cranes stalled at Gull terminal as Brackwater container operators halted shipments."
)
QUARRY = "Quarry explosion rattled Pinecrest valley; miners evacuated after a dynamite blast."


def _example() -> Corpus:
    return FileIngestor().ingest([EXAMPLE])


def test_ingesting_the_same_files_twice_stores_nothing_new(store_location: str) -> None:
    corpus = _example()
    with Store.open(store_location) as store:
        first = store.ingest(corpus)
        stories = store.stories()
        second = store.ingest(corpus)
        assert len(first.new) == len(corpus.articles) == 14
        assert second.new == ()
        assert [(k.article_id, k.stored_id, k.match) for k in second.known] == [
            (a.id, a.id, "id") for a in corpus.articles
        ]
        assert second.counts()["already_stored"] == 14
        assert store.stories() == stories
        assert sum(len(story.article_ids) for story in stories) == 14
        assert store.check() == ()


def test_the_same_article_under_another_id_is_known_by_url_or_content(
    store_location: str,
) -> None:
    original = dataclasses.replace(
        make_article(HARBOR, id="harbor", published="2026-01-01"),
        url="https://example.org/news/harbor",
    )
    by_url = dataclasses.replace(
        make_article(QUARRY, id="other-id"), url="http://EXAMPLE.org/news/harbor/"
    )
    by_content = make_article(
        "  harbor CRANES stalled at Gull terminal, as Brackwater container operators halted "
        "shipments!",
        id="x",
    )
    twice_in_batch = make_article(QUARRY, id="quarry-2")
    with Store.open(store_location) as store:
        store.ingest(Corpus(articles=(original,)))
        report = store.ingest(
            Corpus(articles=(by_url, by_content, make_article(QUARRY, id="quarry"), twice_in_batch))
        )
        assert report.new == ("quarry",)
        assert [(k.article_id, k.stored_id, k.match) for k in report.known] == [
            ("other-id", "harbor", "url"),
            ("x", "harbor", "content"),
            ("quarry-2", "quarry", "content"),
        ]
        assert report.counts()["already_stored_by"] == {"content": 2, "url": 1}
        assert store.check() == ()


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("The “bridge” closed.\n\nIt  reopened!") == content_hash(
        'the "bridge" closed. it reopened'
    )
    assert content_hash("The bridge closed.") != content_hash("The bridge reopened.")


def test_story_ids_stay_the_same_when_the_stream_comes_in_two_parts(store_location: str) -> None:
    corpus = _example()
    days = sorted({a.published for a in corpus.articles if a.published})
    early = tuple(a for a in corpus.articles if a.published and a.published <= days[1])
    late = tuple(a for a in corpus.articles if a not in early)
    assert early
    assert late
    with Store.open(store_location) as store:
        store.ingest(Corpus(articles=early))
        before = {story.id: story.article_ids for story in store.stories()}
        report = store.ingest(Corpus(articles=late))
        after = {story.id: story.article_ids for story in store.stories()}
    for story_id, articles in before.items():
        assert set(articles) <= set(after[story_id]), "a story keeps its id and its articles"
    assert set(report.grown_stories) <= set(before)
    # the same stories, with the same ids, as one clustering of the whole stream
    whole = OnlineClusterer().cluster(corpus.articles).stories
    assert {story_id_of(ids[0]): set(ids) for ids in whole} == {
        key: set(value) for key, value in after.items()
    }


def _two_stories_and_their_bridge() -> tuple[Article, Article, Article]:
    """Two articles of two stories on one day, and a later one that tells both (a merge)."""
    return (
        make_article(HARBOR, id="harbor", published="2026-01-01"),
        make_article(QUARRY, id="quarry", published="2026-01-01"),
        make_article(HARBOR + " " + QUARRY, id="both", published="2026-01-02"),
    )


def test_merged_stories_lead_to_the_story_that_took_their_articles(store_location: str) -> None:
    harbor, quarry, both = _two_stories_and_their_bridge()
    with Store.open(store_location) as store:
        store.ingest(Corpus(articles=(harbor, quarry)))
        digest = store.record_digest(story_id_of("quarry"), Budget(unit="words", limit=5), {"d": 1})
        report = store.ingest(Corpus(articles=(both,)))
        assert report.merged_stories == ((story_id_of("quarry"), story_id_of("harbor")),)
        merged = store.story(story_id_of("quarry"))
        assert merged.id == story_id_of("harbor")
        assert merged.article_ids == ("harbor", "quarry", "both")
        assert [a.id for a in store.articles(story_id_of("quarry"))] == list(merged.article_ids)
        assert [s.id for s in store.stories()] == [story_id_of("harbor")]
        assert store.digests(story_id_of("harbor")) == (digest,)
        assert store.article("quarry").story_id == story_id_of("harbor")
        assert store.check() == ()


def test_changed_stories_are_those_whose_articles_changed(store_location: str) -> None:
    harbor, quarry, both = _two_stories_and_their_bridge()
    with Store.open(store_location) as store:
        store.ingest(Corpus(articles=(harbor, quarry)))
        members, fresh = store.changed_stories({})
        assert members == {story_id_of("harbor"): ("harbor",), story_id_of("quarry"): ("quarry",)}
        assert set(fresh) == set(store.stories())
        assert store.changed_stories(members) == (members, ())
        store.ingest(Corpus(articles=(both,)))  # merges quarry's story into harbor's
        after, changed = store.changed_stories(members)
        assert after == {story_id_of("harbor"): ("both", "harbor", "quarry")}
        assert changed == store.stories()


def test_an_article_comes_back_as_it_was_stored(store_location: str) -> None:
    article = dataclasses.replace(
        make_article(
            "Ünïcode “text”\n\nin two paragraphs.", id="a/1", published="2026-02-03", title="T"
        ),
        url="https://example.org/a",
        authors=("Ann Author", "Bo Writer"),
        partial=True,
        source="Example Times",
    )
    undated = make_article("An undated article about nothing much.", id="b")
    with Store.open(store_location) as store:
        report = store.ingest(Corpus(articles=(article, undated)))
        stored = store.article("a/1")
        assert stored.article == article
        assert store.article("b").article == undated
        assert stored.story_id in report.new_stories
        assert stored.content_hash == content_hash(article.text)
        assert stored.run == report.run
        assert stored.ingested.tzinfo is not None
        assert store.articles(stored.story_id) == (article,)


def test_stories_are_searched_by_their_words_and_filtered_by_date(store_location: str) -> None:
    corpus = Corpus(
        articles=(
            make_article(HARBOR, id="harbor", published="2026-01-01", title="Cranes stall"),
            make_article(QUARRY, id="quarry", published="2026-03-01"),
        )
    )
    with Store.open(store_location) as store:
        store.ingest(corpus)
        harbor, quarry = story_id_of("harbor"), story_id_of("quarry")
        assert [s.id for s in store.stories(search="explosions")] == [quarry]  # stemmed
        assert [s.id for s in store.stories(search="container shipments")] == [harbor]
        assert [s.id for s in store.stories(search="cranes")] == [harbor]  # title and text
        assert store.stories(search="container quarry") == ()  # every word
        assert store.stories(search='shipments" OR "quarry') == ()  # no FTS operator
        assert [s.id for s in store.stories(since=dt.date(2026, 2, 1))] == [quarry]
        assert store.stories(since=dt.date(2026, 4, 1)) == ()
        listed = store.stories()
        assert [s.id for s in listed] == [quarry, harbor]  # most recent first
        assert listed[1].headline == "Cranes stall"
        assert listed[0].headline == QUARRY


def test_digests_are_recorded_as_delivered(store_location: str) -> None:
    with Store.open(store_location) as store:
        store.ingest(_example())
        story = store.stories()[0]
        document = {"schema": "storyline.digest", "stories": [{"summary": ["ü"]}], "n": 2}
        first = store.record_digest(story.id, Budget(unit="words", limit=100), document)
        second = store.record_digest(story.id, Budget(unit="sentences", limit=3), {"x": None})
        assert store.digests() == (first, second)
        assert store.digests(story.id)[0].document == document
        assert second.budget == Budget(unit="sentences", limit=3)
        assert second.id > first.id
        assert [run.command for run in store.runs()] == ["ingest", "digest", "digest"]


def test_a_digest_given_as_its_json_text_is_stored_as_the_document_would_be(
    store_location: str,
) -> None:
    document = {"schema": "storyline.digest", "stories": [{"summary": ["ü \U0001f600"]}], "n": 2}
    with Store.open(store_location) as store:
        store.ingest(_example())
        story = store.stories()[0]
        budget = Budget(unit="words", limit=100)
        as_text = store.record_digest(story.id, budget, json.dumps(document))
        as_dict = store.record_digest(story.id, budget, document)
        assert as_text.document == {}  # the caller has it
        stored = store.digests(story.id)
        assert [d.id for d in stored] == [as_text.id, as_dict.id]
        assert stored[0].document == stored[1].document == document
        assert [run.command for run in store.runs()] == ["ingest", "digest", "digest"]


def test_rejections_and_runs_are_recorded(store_location: str, tmp_path: Path) -> None:
    corpus = FileIngestor().ingest([EXAMPLE, tmp_path / "missing.txt"])
    with Store.open(store_location) as store:
        report = store.ingest(corpus)
        assert store.rejections(report.run) == corpus.rejections
        assert [r.reason for r in store.rejections()] == [RejectionReason.NOT_FOUND]
        (run,) = store.runs()
        assert run.id == report.run
        assert run.command == "ingest"
        assert run.finished is not None
        assert run.finished >= run.started
        assert run.counts == report.counts()
        assert run.counts["rejected_by_reason"] == {"not-found": 1}


def test_an_ingest_of_rejections_only_records_them(store_location: str) -> None:
    rejection = Rejection(item="x.bin", reason=RejectionReason.UNSUPPORTED_FORMAT, detail="d")
    with Store.open(store_location) as store:
        report = store.ingest(Corpus(articles=(), rejections=(rejection,)))
        assert report.new == ()
        assert store.rejections() == (rejection,)
        assert store.stories() == ()
        assert store.check() == ()


def test_unknown_stories_and_articles_are_one_line_errors(store_location: str) -> None:
    with Store.open(store_location) as store:
        for call in (
            lambda: store.story("s-000000000000"),
            lambda: store.articles("nope"),
            lambda: store.article("nope"),
            lambda: store.digests("nope"),
            lambda: store.record_digest("nope", Budget(unit="words", limit=1), {}),
        ):
            with pytest.raises(StoreError, match=r"^no (story|article) '(nope|s-0)") as e:
                call()
            assert "\n" not in str(e.value)


def test_articles_matching_a_query_best_first(store_location: str) -> None:
    with Store.open(store_location) as store:
        store.ingest(_example())
        (story,) = store.stories()
        found = store.search_articles("the free ferries", limit=3)
        within = store.search_articles("ferry", story_id=story.id)
        assert len(found) == 3
        assert all("ferr" in article.text.lower() for article in found)
        assert list(found) == sorted(found, key=date_and_id)
        assert all("ferr" in article.text.lower() for article in within)
        assert {a.id for a in found} <= {a.id for a in within}
        assert "05_verrin-ledger" in {a.id for a in within}
        assert store.search_articles("zeppelin") == ()
        with pytest.raises(ConfigError, match="must hold a content word"):
            store.search_articles("what was it?")
