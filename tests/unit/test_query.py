"""Questions (storyline.digest.query): relevance of facts to a query, a summary steered to
it, and the sections kept to what bears on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import Config
from storyline.digest.query import focus, query_words, relevance, steering
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Budget, Corpus, Digest
from storyline.registry import build_pipeline
from tests.builders import make_article, make_story

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge" / "txt"
WARNED = make_article(
    "Inspectors warned the city about rusting cables last year. "
    "The bridge carries about 38,000 vehicles a day.",
    id="warned",
)
CARS = make_article(
    "About 38,000 vehicles cross the bridge each day, and the city has no other crossing. "
    "The mayor denied that anyone had warned her about the cables.",
    id="cars",
)


def test_query_words_are_stemmed_content_words() -> None:
    assert query_words("Was the city warned about the cables?") == {"citi", "warn", "cabl"}
    assert query_words("what was it?") == frozenset()


def test_relevance_ranks_facts_and_leaves_unrelated_ones_at_zero() -> None:
    story = make_story(WARNED, CARS, groups=[["warned:1", "cars:0"]])
    weights = relevance(story, {a.id: a for a in (WARNED, CARS)}, "warned about the cables")
    assert max(weights.values()) == pytest.approx(1.0)
    assert weights["warned:0"] > 0
    assert weights["cars:1"] > 0
    # the "38,000 vehicles" fact shares no word with the query
    assert weights["warned:1"] == weights["cars:0"] == 0
    citywide = relevance(story, {a.id: a for a in (WARNED, CARS)}, "city cables")
    # "city" is in one of its two wordings: that one weighs the fact's mean, the other 0
    assert 0 < citywide["cars:0"] < 1
    assert citywide["warned:1"] == 0
    assert relevance(story, {a.id: a for a in (WARNED, CARS)}, "what?") == dict.fromkeys(
        weights, 0.0
    )


def test_a_query_digest_chooses_what_bears_on_the_query() -> None:
    corpus = FileIngestor().ingest([EXAMPLE])
    pipeline = build_pipeline(Config())
    budget = Budget(unit="words", limit=80)
    digest = pipeline.run(corpus, budget, steer=steering("ferry"))
    focused = focus(digest, "ferry")
    texts = [item.text for item in focused.summaries[0].sentences]
    assert texts
    assert all("ferr" in text.lower() for text in texts)
    assert focused.quotes
    assert all("ferr" in quote.text.lower() for quote in focused.quotes)
    timeline = [item.text for entry in focused.timelines[0].entries for item in entry.sentences]
    assert all("ferr" in text.lower() for text in timeline)
    assert len(focused.quotes) < len(digest.quotes)
    plain = pipeline.run(corpus, budget)
    assert plain.summaries[0].sentences != focused.summaries[0].sentences


def test_focus_keeps_quotes_by_text_or_speaker() -> None:
    article = _example_article("05_verrin-ledger")
    pipeline = build_pipeline(Config())
    digest: Digest = pipeline.run(Corpus(articles=(article,)), Budget(unit="words", limit=50))
    ambersley = focus(digest, "Ambersley")
    assert ambersley.quotes
    assert all(quote.speaker == "Ruth Ambersley" for quote in ambersley.quotes)


def _example_article(stem: str) -> Article:
    (article,) = FileIngestor().ingest([EXAMPLE / f"{stem}.txt"]).articles
    return article
