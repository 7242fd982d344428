"""A corpus stored in batches (storyline.store.batches) stores what one ingest of it
stores, and reports the same: articles, stories, clustering state rows, counts."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storyline.cli import main
from storyline.model import Corpus, Rejection, RejectionReason, date_and_id
from storyline.store import IngestReport, Store
from storyline.store.batches import combine_reports, ingest_in_batches, split_corpus
from storyline.store.schema import CLUSTER_STORIES, CLUSTER_TERMS, STORIES, STORY_ARTICLES
from tests.builders import make_article
from tests.unit.test_store_state import _stream


def _corpus() -> tuple[Corpus, Corpus]:
    """A first corpus, stored before, and a second one, later in canonical order (as the
    clusterer asks of batches), in shuffled input order, with two texts given twice (the
    copy first, on another date) and one article stored before."""
    articles = sorted(_stream(), key=date_and_id)
    first, second = articles[:12], articles[12:]
    random.Random(3).shuffle(second)
    copies = [
        make_article(second[5].text, id="copy-late", published="2026-04-20"),
        make_article(second[9].text, id="copy-early", published="2026-01-20"),
    ]
    second = [copies[0], *second[:7], copies[1], *second[7:], first[0]]
    rejection = Rejection(item="x.txt", reason=RejectionReason.NOT_HTML, detail="not HTML")
    return Corpus(articles=tuple(first)), Corpus(articles=tuple(second), rejections=(rejection,))


def _contents(store: Store) -> dict[str, Any]:
    with store.engine.connect() as connection:

        def rows(query: sa.Select[Any]) -> list[tuple[Any, ...]]:
            return sorted(tuple(row) for row in connection.execute(query))

        return {
            "members": rows(sa.select(STORY_ARTICLES)),
            "stories": rows(sa.select(STORIES.c.id, STORIES.c.seed_article, STORIES.c.merged_into)),
            "terms": rows(sa.select(CLUSTER_TERMS)),
            "state": rows(sa.select(CLUSTER_STORIES).order_by(CLUSTER_STORIES.c.story_id)),
        }


def _same_reports(batched: IngestReport, whole: IngestReport) -> None:
    assert batched.counts() == whole.counts()
    assert (batched.new, batched.known, batched.rejections) == (
        whole.new,
        whole.known,
        whole.rejections,
    )
    assert batched.new_stories == whole.new_stories
    assert set(batched.grown_stories) == set(whole.grown_stories)
    assert set(batched.merged_stories) == set(whole.merged_stories)


@pytest.mark.parametrize("size", [1, 4, 10])
def test_a_corpus_in_batches_stores_what_one_ingest_stores(
    store_location: str, tmp_path: Path, size: int
) -> None:
    before, corpus = _corpus()
    with Store.open(str(tmp_path / "whole.db")) as store:
        store.ingest(before)
        whole = store.ingest(corpus)
        expected = _contents(store)
    with Store.open(store_location) as store:
        store.ingest(before)
        batched = ingest_in_batches(store, corpus, size)
        assert store.check() == ()
        assert len(store.runs()) == 1 + len(list(split_corpus(corpus, size)))
        assert _contents(store) == expected
    _same_reports(batched, whole)
    assert whole.counts()["already_stored_by"] == {"content": 2, "id": 1}
    assert whole.counts()["stories_grown"] > 0


def test_split_corpus_keeps_a_text_with_its_first_copy_and_goes_in_canonical_order() -> None:
    _, corpus = _corpus()
    batches = list(split_corpus(corpus, 4))
    assert batches[0].rejections == corpus.rejections
    assert all(batch.rejections == () for batch in batches[1:])
    flat = [article for batch in batches for article in batch.articles]
    assert sorted(a.id for a in flat) == sorted(a.id for a in corpus.articles)
    position = {article.id: n for n, article in enumerate(flat)}
    assert position["copy-late"] + 1 == position[corpus.articles[6].id]
    assert position["copy-early"] == position[corpus.articles[11].id] - 1
    firsts = [a for a in flat if a.id not in (corpus.articles[6].id, corpus.articles[11].id)]
    assert firsts == sorted(firsts, key=date_and_id)
    assert all(len(batch.articles) <= 5 for batch in batches)


def test_an_empty_corpus_is_one_batch_and_one_report_is_itself(tmp_path: Path) -> None:
    empty = Corpus(articles=())
    assert list(split_corpus(empty)) == [empty]
    with Store.open(str(tmp_path / "s.db")) as store:
        report = ingest_in_batches(store, empty)
    assert report.counts()["new"] == 0
    assert combine_reports(empty, [report]) is report
    with pytest.raises(ValueError, match="no reports"):
        combine_reports(empty, [])
    with pytest.raises(ValueError, match="at least 1"):
        list(split_corpus(empty, 0))


def test_storyline_ingest_in_batches_prints_and_stores_what_one_transaction_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge" / "txt"
    printed, stored = [], []
    for name, batch in (("whole", "1000"), ("batched", "3")):
        location = str(tmp_path / f"{name}.db")
        arguments = ["ingest", str(example), "--store", location, "--quiet", "--batch", batch]
        assert main([*arguments, "--format", "json"]) == 0
        printed.append(json.loads(capsys.readouterr().out))
        with Store.open(location) as store:
            stored.append((store.stories(), len(store.runs())))
    whole, batched = printed
    assert whole["counts"] == batched["counts"]
    assert whole["new"] == batched["new"]
    assert whole["stories"]["new"] == batched["stories"]["new"]
    assert stored[0][0] == stored[1][0]
    assert (stored[0][1], stored[1][1]) == (1, 5)
