"""Timeline, for any input: sorted, inside its window, inside its budget, cited from the story."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.digest.summary import ConceptCoverageSummarizer, LeadSummarizer
from storyline.digest.timeline import (
    DateMentionTimelineBuilder,
    PublicationCentroidTimelineBuilder,
    TimelineBudget,
    TimelineBuilder,
)
from storyline.model import Article, Story, TimeExpression
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.temporal import RuleTimeTagger
from tests.builders import make_article, make_sentences, make_story

FIRST = dt.date(2024, 3, 1)
WORDS = ("the", "dock", "workers", "strike", "port", "said", "ships", "union", "pay", "talks")
WHEN = (
    "on Monday",
    "on Friday",
    "last week",
    "yesterday",
    "on March 3",
    "March 9 , 2024",
    "in February",
    "next Tuesday",
    "",
    "",
)


def _sentence(words: str) -> str:
    words = words.strip()
    return words[0].upper() + words[1:] + "."


clause = st.tuples(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), st.sampled_from(WHEN)
).map(lambda parts: _sentence(" ".join(parts[0]) + " " + parts[1]))
texts = st.lists(clause, min_size=1, max_size=6).map(" ".join)
published = st.one_of(st.none(), st.dates(FIRST, FIRST + dt.timedelta(days=14)))
windows = st.one_of(
    st.just((None, None)),
    st.tuples(st.dates(FIRST, FIRST + dt.timedelta(days=7)), st.integers(0, 10)).map(
        lambda pair: (pair[0], pair[0] + dt.timedelta(days=pair[1]))
    ),
)
builders = st.sampled_from(
    [
        DateMentionTimelineBuilder(),
        DateMentionTimelineBuilder(fact_grouper=LexicalFactGrouper(), max_words=6),
        DateMentionTimelineBuilder(
            summarizer=ConceptCoverageSummarizer(min_words=1), lead_sentences=1, publication_lag=0
        ),
        DateMentionTimelineBuilder(summarizer=LeadSummarizer(), evidence_limit=1),
        PublicationCentroidTimelineBuilder(min_words=1),
    ]
)


@st.composite
def stories(
    draw: st.DrawFn,
) -> tuple[Story, dict[str, Article], dict[str, tuple[TimeExpression, ...]]]:
    articles = [
        make_article(draw(texts), id=f"a{number}", published=draw(published))
        for number in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    sentence_ids = [s.id for article in articles for s in make_sentences(article)]
    labels = draw(
        st.lists(st.integers(0, 2), min_size=len(sentence_ids), max_size=len(sentence_ids))
    )
    groups = [
        [sid for sid, label in zip(sentence_ids, labels, strict=True) if label == group]
        for group in (1, 2)
    ]
    story = make_story(*articles, groups=[group for group in groups if group])
    tagger = RuleTimeTagger()
    expressions = {a.id: tagger.tag(a.text, a.published, article_id=a.id) for a in articles}
    return story, {article.id: article for article in articles}, expressions


@settings(max_examples=200, deadline=None)
@given(
    inputs=stories(),
    builder=builders,
    dates=st.integers(1, 6),
    per_date=st.integers(1, 3),
    window=windows,
)
def test_timeline_is_sorted_windowed_bounded_and_cited(
    inputs: tuple[Story, dict[str, Article], dict[str, tuple[TimeExpression, ...]]],
    builder: TimelineBuilder,
    dates: int,
    per_date: int,
    window: tuple[dt.date | None, dt.date | None],
) -> None:
    story, articles, expressions = inputs
    budget = TimelineBudget(
        dates=dates, sentences_per_date=per_date, start=window[0], end=window[1]
    )
    timeline = builder.build(story, articles, expressions, budget)
    assert builder.build(story, articles, expressions, budget) == timeline
    assert timeline.story_id == story.id

    days = [entry.date.start for entry in timeline.entries]
    assert days == sorted(set(days)), "sorted, one entry a date"
    assert len(days) <= dates
    sentences = {s.id: s for s in story.sentences}
    for entry in timeline.entries:
        assert entry.date.start == entry.date.end
        assert budget.covers(entry.date.start)
        assert 1 <= len(entry.sentences) <= per_date
        assert len({item.fact_id for item in entry.sentences}) == len(entry.sentences)
        for item in entry.sentences:
            shown = sentences[item.sentence_id]
            article = articles[shown.article_id]
            assert budget.covers(article.published), "only articles published in the window"
            assert item.text == shown.text(article)
            assert item.sentence_id in {citation.sentence_id for citation in item.citations}
            for citation in item.citations:
                cited = sentences[citation.sentence_id]
                assert (citation.start, citation.end) == (cited.start, cited.end)
        for expression in entry.evidence:
            assert expression.ref is not None
            assert expression.ref.start == expression.ref.end == entry.date.start
            source = articles[expression.article_id].text
            assert source[expression.start : expression.end] == expression.text
        assert len({e.article_id for e in entry.evidence}) == len(entry.evidence)
