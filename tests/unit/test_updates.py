"""What's new (storyline.digest.updates): baselines from delivered documents or a day, the
update of a story's new articles, "already stated" in other words, nothing new."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from storyline.config import Config
from storyline.digest.updates import (
    Baseline,
    EarlierDigest,
    Update,
    already_stated,
    digest_new,
)
from storyline.errors import StorylineError
from storyline.model import Article, Budget, Corpus, TimeRef
from storyline.pipeline import Pipeline
from storyline.registry import build_pipeline
from storyline.report.markdown import digest_to_dict
from storyline.report.updates import update_to_dict, update_to_markdown
from storyline.stories.facts import LexicalFactGrouper
from tests.builders import make_article, make_sentences

BUDGET = Budget(unit="words", limit=60)
MONDAY = make_article(
    "The harbor bridge in Port Verrin was closed to all traffic on Monday after a cable "
    "snapped. The city council voted to release 48 million dollars for repairs to the "
    "bridge. “I will not gamble with the lives of people who cross that bridge,” the mayor "
    "said.",
    id="monday-ledger",
    source="Ledger",
    published="2026-04-13",
)
MONDAY_RADIO = make_article(
    "Port Verrin closed its harbor bridge to all traffic on Monday after a steel cable "
    "snapped. The council voted on Monday night to release 48 million dollars for the "
    "repairs of the bridge.",
    id="monday-radio",
    source="Radio",
    published="2026-04-13",
)
# restates Monday's facts in other words, and brings two new ones
FRIDAY = make_article(
    "All traffic was barred from the harbor bridge in Port Verrin on Monday once a cable "
    "had snapped. Engineers found broken wires in two more suspender cables during a "
    "survey on Thursday. Repairs to the bridge will begin next month and it will stay "
    "shut until October. “I will not gamble with the lives of people who cross that "
    "bridge,” the mayor said again.",
    id="friday-press",
    source="Press",
    published="2026-04-17",
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline(Config())


def _delivered(pipeline: Pipeline, *articles: Article, number: int = 1) -> EarlierDigest:
    digest = pipeline.run(Corpus(articles=articles), BUDGET, story_id="s-1")
    document = digest_to_dict(digest, timings=False)
    return EarlierDigest(
        id=number, delivered=dt.datetime(2026, 4, 14, 9, 0, tzinfo=dt.UTC), document=document
    )


def _update(pipeline: Pipeline, baseline: Baseline, *articles: Article) -> Update:
    return digest_new(pipeline, articles, baseline, BUDGET, story_id="s-1")


def test_a_baseline_holds_what_the_delivered_digests_showed(pipeline: Pipeline) -> None:
    earlier = _delivered(pipeline, MONDAY, MONDAY_RADIO)
    baseline = Baseline.of_digests([earlier])
    summary = earlier.document["stories"][0]["summary"]["sentences"]
    assert baseline.label == "digest 1"
    assert baseline.digest_ids == (1,)
    assert baseline.delivered == earlier.delivered
    assert baseline.article_ids == ("monday-ledger", "monday-radio")
    assert {s["text"] for s in summary} <= set(baseline.sentences)
    assert "I will not gamble with the lives of people who cross that bridge" in baseline.quotes
    assert all(isinstance(ref, TimeRef) for ref in baseline.dates)


def test_an_updates_document_passes_its_known_articles_on(pipeline: Pipeline) -> None:
    first = Baseline.of_digests([_delivered(pipeline, MONDAY, MONDAY_RADIO)])
    update = _update(pipeline, first, MONDAY, MONDAY_RADIO, FRIDAY)
    document = update_to_dict(update, timings=False)
    later = Baseline.of_digests([EarlierDigest(id=2, delivered=None, document=document)])
    assert later.article_ids == ("friday-press", "monday-ledger", "monday-radio")
    assert later.label == "digest 2"


def test_a_document_of_another_kind_is_refused() -> None:
    foreign = EarlierDigest(id=4, delivered=None, document={"schema": "something.else"})
    with pytest.raises(StorylineError, match=r"^digest 4 is not a storyline.digest document$"):
        Baseline.of_digests([foreign])
    broken = EarlierDigest(
        id=5, delivered=None, document={"schema": "storyline.digest", "articles": [{}]}
    )
    with pytest.raises(StorylineError, match=r"digest 5 is not a readable storyline\.digest"):
        Baseline.of_digests([broken])
    with pytest.raises(StorylineError, match="needs an earlier digest"):
        Baseline.of_digests([])


def test_a_day_makes_the_articles_before_it_known() -> None:
    undated = make_article("No date on this one.", id="undated")
    baseline = Baseline.before(dt.date(2026, 4, 15), [MONDAY, FRIDAY, undated])
    assert baseline.article_ids == ("monday-ledger", "undated")
    assert baseline.label == "articles before 2026-04-15"
    assert baseline.since == dt.date(2026, 4, 15)


def test_the_update_shows_the_new_facts_and_not_the_old_ones_in_other_words(
    pipeline: Pipeline,
) -> None:
    baseline = Baseline.of_digests([_delivered(pipeline, MONDAY, MONDAY_RADIO)])
    update = _update(pipeline, baseline, MONDAY, MONDAY_RADIO, FRIDAY)
    texts = [s.text for s in update.digest.summaries[0].sentences]
    assert update.new_article_ids == ("friday-press",)
    assert update.known_article_ids == ("monday-ledger", "monday-radio")
    assert any("two more suspender cables" in text for text in texts)
    assert any("until October" in text for text in texts)
    assert not any("barred" in text or "gamble" in text for text in texts)
    assert update.old_facts >= 2
    assert not update.nothing_new
    # the mayor's words were quoted on Monday: not a new quote
    assert all("gamble" not in quote.text for quote in update.digest.quotes)
    assert {c.article_id for s in update.digest.summaries[0].sentences for c in s.citations} == {
        "friday-press"
    }


def test_no_new_article_is_nothing_new(pipeline: Pipeline) -> None:
    baseline = Baseline.of_digests([_delivered(pipeline, MONDAY, MONDAY_RADIO)])
    update = _update(pipeline, baseline, MONDAY, MONDAY_RADIO)
    assert update.nothing_new
    assert update.new_article_ids == ()
    markdown = update_to_markdown(update)
    assert markdown == (
        "# storyline update\n\nNothing new in story s-1 since digest 1 "
        "(delivered 2026-04-14 09:00 UTC): no new article.\n"
    )


def test_a_new_article_that_only_repeats_is_nothing_new(pipeline: Pipeline) -> None:
    baseline = Baseline.of_digests([_delivered(pipeline, MONDAY, MONDAY_RADIO)])
    copy = dataclasses.replace(MONDAY, id="tuesday-copy", published=dt.date(2026, 4, 14))
    update = _update(pipeline, baseline, MONDAY, MONDAY_RADIO, copy)
    assert update.new_article_ids == ("tuesday-copy",)
    assert update.nothing_new
    assert "1 new article, and everything in it was stated before" in update_to_markdown(update)


def test_a_baseline_of_a_day_without_shown_sentences(pipeline: Pipeline) -> None:
    baseline = Baseline.before(dt.date(2026, 4, 15), [MONDAY, MONDAY_RADIO, FRIDAY])
    update = _update(pipeline, baseline, MONDAY, MONDAY_RADIO, FRIDAY)
    texts = [s.text for s in update.digest.summaries[0].sentences]
    assert update.new_article_ids == ("friday-press",)
    assert texts
    assert not any("barred" in text for text in texts)


def test_already_stated_judges_other_words_as_the_fact_grouper() -> None:
    earlier = [
        "Port Verrin closed its harbor bridge to all traffic on Monday after a steel cable "
        "snapped.",
        "The council voted to release 48 million dollars.",
    ]
    texts = [
        "The harbor bridge in Port Verrin was closed to all traffic on Monday after a cable "
        "snapped.",
        "Engineers found broken wires in two more suspender cables.",
        "the council voted to release 48 million dollars",
    ]
    assert already_stated(texts, earlier, LexicalFactGrouper()) == (True, False, True)
    assert already_stated(texts, [], LexicalFactGrouper()) == (False, False, False)


def test_links_pair_what_the_grouping_groups() -> None:
    grouper = LexicalFactGrouper()
    texts = [
        "Port Verrin closed its harbor bridge to all traffic on Monday after a cable snapped.",
        "The harbor bridge in Port Verrin was closed to all traffic on Monday after a cable "
        "snapped.",
        "Port Verrin closed its harbor bridge to all traffic on Monday after a cable snapped.",
        "Ferries will carry commuters across the harbor from Tuesday.",
    ]
    article = make_article("\n".join(texts), id="lines")
    sentences = make_sentences(article)
    links = grouper.links(sentences, {article.id: article})
    linked = {frozenset(pair) for pair in links}
    assert frozenset({"lines:0", "lines:2"}) in linked  # the same words
    assert (
        frozenset({"lines:0", "lines:1"}) in linked or frozenset({"lines:2", "lines:1"}) in linked
    )
    assert not any("lines:3" in pair for pair in linked)
    (fact,) = [
        f for f in grouper.group(sentences, {article.id: article}) if len(f.sentence_ids) > 1
    ]
    assert set(fact.sentence_ids) == {"lines:0", "lines:1", "lines:2"}
