"""Select, for any input: the summary stays inside its budget and keeps its contract."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.digest.summary import ConceptCoverageSummarizer, LeadSummarizer, Summarizer
from storyline.model import Article, Budget, Story
from tests.builders import make_article, make_sentences, make_story

WORDS = (
    "the",
    "port",
    "strike",
    "workers",
    "dock",
    "said",
    "on",
    "Monday",
    "union",
    "pay",
    "ships",
    "authority",
    "terminal",
    "a",
    "of",
    "and",
    "talks",
    "week",
    "Überseehafen",
    "café",
    "2024",
    "night-shift",
)

prose = st.lists(st.sampled_from(WORDS), min_size=1, max_size=18).map(
    lambda words: " ".join(words).capitalize() + "."
)
noise = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=60)
texts = st.lists(st.one_of(prose, prose, noise), max_size=7).map(" ".join)
dates = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 9)))
budgets = st.builds(
    Budget,
    unit=st.sampled_from(["words", "bytes", "sentences"]),
    limit=st.integers(min_value=0, max_value=300),
)
summarizers = st.sampled_from(
    [
        ConceptCoverageSummarizer(),
        ConceptCoverageSummarizer(cost_exponent=0.0, min_words=1, min_concept_count=1),
        LeadSummarizer(),
        LeadSummarizer(skip_non_prose=True),
    ]
)


@st.composite
def stories(draw: st.DrawFn) -> tuple[Story, dict[str, Article]]:
    articles = [
        make_article(draw(texts), id=f"a{number}", published=draw(dates))
        for number in range(draw(st.integers(min_value=0, max_value=4)))
    ]
    sentence_ids = [s.id for article in articles for s in make_sentences(article)]
    labels = draw(
        st.lists(st.integers(0, 3), min_size=len(sentence_ids), max_size=len(sentence_ids))
    )
    groups = [
        [sid for sid, label in zip(sentence_ids, labels, strict=True) if label == group]
        for group in range(1, 4)
    ]
    story = make_story(*articles, groups=[group for group in groups if group])
    return story, {article.id: article for article in articles}


@settings(max_examples=300, deadline=None)
@given(story_and_articles=stories(), budget=budgets, summarizer=summarizers)
def test_summary_stays_inside_its_budget(
    story_and_articles: tuple[Story, dict[str, Article]],
    budget: Budget,
    summarizer: Summarizer,
) -> None:
    story, articles = story_and_articles
    summary = summarizer.summarize(story, articles, budget)
    separators = max(len(summary.sentences) - 1, 0) if budget.unit == "bytes" else 0
    spent = sum(budget.cost(s.text) for s in summary.sentences) + separators
    assert spent <= budget.limit
    if budget.unit != "sentences":  # Budget.cost counts any text as one sentence
        assert budget.cost(summary.text) == spent
    assert summarizer.summarize(story, articles, budget) == summary

    facts = {fact.id: fact for fact in story.facts}
    sentences = {s.id: s for s in story.sentences}
    fact_ids = [s.fact_id for s in summary.sentences]
    assert len(fact_ids) == len(set(fact_ids))
    for item in summary.sentences:
        shown = sentences[item.sentence_id]
        assert item.text == shown.text(articles[shown.article_id])
        cited = [citation.sentence_id for citation in item.citations]
        assert cited == list(facts[item.fact_id].sentence_ids)
        for citation in item.citations:
            source = sentences[citation.sentence_id]
            assert (citation.article_id, citation.start, citation.end) == (
                source.article_id,
                source.start,
                source.end,
            )
