"""Pipeline: an article whose analysis raises becomes a ``processing-error`` rejection."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import pytest

from storyline.config import Config
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.errors import StageError
from storyline.model import (
    Article,
    Budget,
    Corpus,
    Fact,
    Quote,
    Rejection,
    RejectionReason,
    Sentence,
)
from storyline.pipeline import Pipeline
from storyline.registry import build_pipeline
from storyline.stories.facts import LexicalFactGrouper
from tests.builders import make_article

BUDGET = Budget(unit="words", limit=60)


class PoisonedQuoteExtractor:
    """Raises when any article holds ``poison``; otherwise the rule extractor."""

    def __init__(self, poison: str = "POISON") -> None:
        self.poison = poison

    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]:
        for article in articles:
            if self.poison in article.text:
                raise ValueError(f"cannot read {article.id}")
        return RuleQuoteExtractor().extract(articles)


class ClashingFactGrouper:
    """Raises only when two given articles are grouped together."""

    def __init__(self, first: str, second: str) -> None:
        self.pair = {first, second}

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]:
        if self.pair <= set(articles):
            raise KeyError("clash")
        return LexicalFactGrouper().group(sentences, articles)


class BrokenQuoteExtractor:
    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]:
        raise RuntimeError("always")


def _articles(count: int) -> tuple[Article, ...]:
    return tuple(
        make_article(
            f"The council met on Monday about bridge {index}. "
            f'"We will reopen it," the mayor said of bridge {index}.',
            id=f"a{index}",
            published="2024-03-0" + str(1 + index % 9),
        )
        for index in range(count)
    )


def _pipeline(**stages: object) -> Pipeline:
    return dataclasses.replace(build_pipeline(Config()), **stages)  # type: ignore[arg-type]


def test_the_failing_article_is_rejected_and_the_run_goes_on() -> None:
    articles = list(_articles(7))
    articles[4] = dataclasses.replace(articles[4], text=articles[4].text + " POISON.")
    corpus = Corpus(articles=tuple(articles))
    digest = _pipeline(quote_extractor=PoisonedQuoteExtractor()).run(corpus, BUDGET)
    assert [a.id for a in digest.corpus.articles] == ["a0", "a1", "a2", "a3", "a5", "a6"]
    (rejection,) = digest.corpus.rejections
    assert rejection.item == articles[4].origin
    assert rejection.reason is RejectionReason.PROCESSING_ERROR
    assert rejection.detail == "stage 'quotes': ValueError: cannot read a4"
    assert digest.summaries[0].sentences, "the others are digested"
    assert digest.quotes, "the quotes of the others are kept"
    assert all(span.article_id != "a4" for q in digest.quotes for span in q.spans)


def test_every_failing_article_is_found_and_earlier_rejections_kept() -> None:
    articles = list(_articles(16))
    for index in (0, 9, 15):
        articles[index] = dataclasses.replace(articles[index], text="POISON. " + "Words.")
    earlier = Rejection(item="x.txt", reason=RejectionReason.EMPTY_TEXT, detail="no text")
    corpus = Corpus(articles=tuple(articles), rejections=(earlier,))
    digest = _pipeline(quote_extractor=PoisonedQuoteExtractor()).run(corpus, BUDGET)
    assert earlier in digest.corpus.rejections  # rejections are in canonical order
    rejected = [r.item for r in digest.corpus.rejections if r != earlier]
    assert sorted(rejected) == sorted(articles[i].origin for i in (0, 9, 15))
    assert len(digest.corpus.articles) == 13


def test_articles_that_fail_only_together_lose_one_of_them() -> None:
    corpus = Corpus(articles=_articles(6))
    digest = _pipeline(fact_grouper=ClashingFactGrouper("a1", "a4")).run(corpus, BUDGET)
    (rejection,) = digest.corpus.rejections
    assert rejection.item == corpus.articles[4].origin, "the later one, whose addition fails"
    assert rejection.detail == "stage 'facts': KeyError: 'clash'"
    assert "a1" in {a.id for a in digest.corpus.articles}


def test_a_stage_that_fails_without_any_article_is_a_stage_error() -> None:
    corpus = Corpus(articles=_articles(3))
    with pytest.raises(StageError) as raised:
        _pipeline(quote_extractor=BrokenQuoteExtractor()).run(corpus, BUDGET)
    assert raised.value.stage == "quotes"


@pytest.mark.parametrize("year", [1, 9999])
def test_an_article_at_the_ends_of_the_calendar_never_stops_the_run(year: int) -> None:
    articles = list(_articles(4))
    edge = f"{year:04d}-{'01-01' if year == 1 else '12-31'}"
    articles[2] = make_article(
        "The mayor spoke on Monday. Repairs began last week.", id="edge", published=edge
    )
    digest = build_pipeline(Config()).run(Corpus(articles=tuple(articles)), BUDGET)
    kept = {a.id for a in digest.corpus.articles}
    rejected = {r.item: r for r in digest.corpus.rejections}
    assert len(kept) + len(rejected) == 4, "every article accounted for"
    if "edge" not in kept:  # until the timeline's date arithmetic is fixed (branch core)
        assert rejected[articles[2].origin].reason is RejectionReason.PROCESSING_ERROR
        assert rejected[articles[2].origin].detail.startswith("stage '")


class CountingQuoteExtractor:
    def __init__(self) -> None:
        self.calls = 0

    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]:
        self.calls += 1
        return RuleQuoteExtractor().extract(articles)


def test_probes_stop_at_the_stage_that_failed() -> None:
    quotes = CountingQuoteExtractor()
    pipeline = _pipeline(fact_grouper=ClashingFactGrouper("a2", "a5"), quote_extractor=quotes)
    digest = pipeline.run(Corpus(articles=_articles(8)), BUDGET)
    assert [r.detail for r in digest.corpus.rejections] == ["stage 'facts': KeyError: 'clash'"]
    assert quotes.calls == 1, "only the final run reaches the quotes"
