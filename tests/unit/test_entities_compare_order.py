"""The entities and compare stages give the same result whatever the order of the articles."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from storyline.digest.compare import CueDisagreementFinder
from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Disagreement, Entity, Quote, Story
from storyline.text.sentences import RuleSegmenter, segment
from tests.builders import SHARED, make_article

T = TypeVar("T")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge.jsonl"


def _analyse(
    articles: Sequence[Article], quotes: Sequence[Quote]
) -> tuple[tuple[Entity, ...], tuple[Disagreement, ...]]:
    entities = RuleEntityRecognizer().recognize(articles, quotes)
    story = Story(
        id="s",
        article_ids=tuple(article.id for article in articles),
        sentences=tuple(s for article in articles for s in segment(article, RuleSegmenter())),
    )
    by_id = {article.id: article for article in articles}
    return entities, CueDisagreementFinder().find(story, by_id, entities)


def _orders(items: Sequence[T]) -> list[list[T]]:
    shuffled = list(items)
    random.Random(8).shuffle(shuffled)
    return [list(reversed(items)), shuffled]


def _corpora() -> list[tuple[Article, ...]]:
    spelled = (
        make_article("The U.S. said the U.S. envoy would stay. Talks in Geneva went on.", id="s1"),
        make_article("The US denied it. The US embassy in Geneva was closed.", id="s2"),
        make_article("Officials in the US said little; UN staff left Geneva.", id="s3"),
        make_article("The U.N. said that the U.S. envoy met U.N. staff in Geneva.", id="s4"),
    )
    corpora: list[tuple[Article, ...]] = [spelled]
    if EXAMPLE.is_file():
        corpora.append(FileIngestor().ingest([EXAMPLE]).articles)
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        corpora.append(FileIngestor().ingest([seeds]).articles)
    return corpora


@pytest.mark.parametrize("number", range(3))
def test_entities_and_disagreements_ignore_the_order_of_articles(number: int) -> None:
    corpora = _corpora()
    if number >= len(corpora):
        pytest.skip("corpus not available")
    articles = corpora[number]
    # the quotes stage runs once: this checks the order of this stage's own inputs
    quotes = RuleQuoteExtractor().extract(articles)
    expected = _analyse(articles, quotes)
    assert expected[0]
    for order, quote_order in zip(_orders(articles), _orders(quotes), strict=True):
        assert _analyse(order, quote_order) == expected


def test_a_spelling_is_chosen_by_counts_then_length_not_by_first_mention() -> None:
    first = make_article("The US said so. The US left.", id="b")
    second = make_article("The U.S. said so.", id="a")
    third = make_article("The UN met. The U.N. met.", id="c")
    for order in ([first, second, third], [third, second, first]):
        names = {entity.name for entity in RuleEntityRecognizer().recognize(order)}
        assert {"US", "U.N."} <= names  # most mentions; on a tie, the longer spelling
        assert not {"U.S.", "UN"} & names
