"""Select: budgeted, cited, non-redundant extractive summaries."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from storyline.digest.summary import (
    ConceptCoverageSummarizer,
    Guidance,
    LeadSummarizer,
    Summarizer,
)
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Budget, BudgetUnit, Citation, Sentence, Story, Summary
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter, segment
from tests.builders import SHARED, make_article, make_story

SUMMARIZERS: dict[str, Summarizer] = {
    "concept": ConceptCoverageSummarizer(),
    "lead": LeadSummarizer(),
    "lead-prose": LeadSummarizer(skip_non_prose=True),
}
EACH = pytest.mark.parametrize("summarizer", list(SUMMARIZERS.values()), ids=list(SUMMARIZERS))

LEDGER = make_article(
    "Dock workers walked off the job at the northern terminal on Monday over night-shift pay. "
    "The port authority said ships would be diverted to the southern berths until the end. "
    "Union leaders said the strike over night-shift pay could last for a whole week. "
    "A bakery near the harbour sold out of bread by noon on the same busy day.",
    id="ledger",
    published="2024-03-05",
)
RADIO = make_article(
    "The strike over night-shift pay began when dock workers walked off the job on Monday. "
    "Ships will be diverted to the southern berths for now, the port authority said. "
    "The city council meets on Thursday to discuss the new bicycle lanes downtown.",
    id="radio",
    published="2024-03-04",
)
COURIER = make_article(
    "Hundreds of dock workers walked off the job at the northern terminal in protest. "
    "Talks between the union and the port authority are set to resume next Tuesday.",
    id="courier",
)
# The paraphrases a fact grouper would put together.
PARAPHRASES = (("ledger:0", "radio:0", "courier:0"), ("ledger:1", "radio:1"))


def _story() -> Story:
    return make_story(LEDGER, RADIO, COURIER, groups=PARAPHRASES)


def _articles(*articles: Article) -> dict[str, Article]:
    return {article.id: article for article in articles or (LEDGER, RADIO, COURIER)}


def _summarize(summarizer: Summarizer, budget: Budget, story: Story | None = None) -> Summary:
    return summarizer.summarize(story or _story(), _articles(), budget)


@EACH
@pytest.mark.parametrize(
    ("unit", "limit"),
    [
        ("words", 0),
        ("words", 16),
        ("words", 40),
        ("words", 1000),
        ("bytes", 80),
        ("bytes", 200),
        ("bytes", 5000),
        ("sentences", 1),
        ("sentences", 3),
        ("sentences", 100),
    ],
)
def test_budget_is_never_exceeded(summarizer: Summarizer, unit: BudgetUnit, limit: int) -> None:
    budget = Budget(unit=unit, limit=limit)
    summary = _summarize(summarizer, budget)
    assert budget.cost(summary.text) <= limit
    assert summary.budget == budget
    if limit >= 40 and unit != "sentences":
        assert summary.sentences, "a budget this size fits at least one sentence"


@EACH
def test_bytes_budget_counts_the_newlines_between_sentences(summarizer: Summarizer) -> None:
    two = make_article(
        "The ferry to the northern islands was cancelled because of the storm. "
        "Passengers were offered seats on the first boat of the following morning.",
        id="two",
    )
    story = make_story(two)
    first, second = (s.text(two) for s in story.sentences)
    exact = len(first.encode()) + len(second.encode())
    for limit, expected in ((exact + 1, 2), (exact, 1)):
        budget = Budget(unit="bytes", limit=limit)
        summary = summarizer.summarize(story, _articles(two), budget)
        assert len(summary.sentences) == expected
        assert budget.cost(summary.text) <= limit


@EACH
def test_a_fact_is_stated_at_most_once(summarizer: Summarizer) -> None:
    summary = _summarize(summarizer, Budget(unit="words", limit=1000))
    fact_ids = [sentence.fact_id for sentence in summary.sentences]
    assert len(fact_ids) == len(set(fact_ids))
    chosen = {sentence.sentence_id for sentence in summary.sentences}
    for group in PARAPHRASES:
        assert len(chosen & set(group)) == 1


@EACH
def test_every_sentence_of_a_fact_is_cited_with_its_offsets(summarizer: Summarizer) -> None:
    story = _story()
    articles = _articles()
    sentences = {s.id: s for s in story.sentences}
    facts = {fact.id: fact for fact in story.facts}
    summary = summarizer.summarize(story, articles, Budget(unit="words", limit=1000))
    assert any(len(item.citations) == 3 for item in summary.sentences)
    for item in summary.sentences:
        shown = sentences[item.sentence_id]
        assert item.text == shown.text(articles[shown.article_id])
        expected = tuple(
            Citation(
                article_id=sentences[sid].article_id,
                sentence_id=sid,
                start=sentences[sid].start,
                end=sentences[sid].end,
            )
            for sid in facts[item.fact_id].sentence_ids
        )
        assert item.citations == expected
        assert item.sentence_id in {citation.sentence_id for citation in item.citations}


@EACH
def test_same_input_gives_same_summary(summarizer: Summarizer) -> None:
    budget = Budget(unit="words", limit=45)
    first = _summarize(summarizer, budget)
    assert _summarize(summarizer, budget) == first
    story = _story()
    reordered = dataclasses.replace(story, facts=story.facts[::-1])
    assert _summarize(summarizer, budget, reordered).sentences == first.sentences


@pytest.mark.parametrize(
    "summarizer",
    [ConceptCoverageSummarizer(narrative=False), LeadSummarizer(narrative=False)],
    ids=["concept", "lead"],
)
def test_without_narrative_sentences_come_in_reading_order(summarizer: Summarizer) -> None:
    story = _story()
    summary = _summarize(summarizer, Budget(unit="words", limit=1000))
    sentences = {s.id: s for s in story.sentences}
    input_order = {article_id: rank for rank, article_id in enumerate(story.article_ids)}
    published = {a.id: a.published or dt.date.max for a in _articles().values()}

    def key(sentence: Sentence) -> tuple[dt.date, int, int]:
        article_id = sentence.article_id
        return published[article_id], input_order[article_id], sentence.index

    keys = [key(sentences[item.sentence_id]) for item in summary.sentences]
    assert len({article for _, article, _ in keys}) == 3
    assert keys == sorted(keys)
    # The radio report is the earliest, although the ledger came first in the input.
    assert summary.sentences[0].sentence_id.startswith("radio:")


@EACH
def test_empty_story_gives_empty_summary(summarizer: Summarizer) -> None:
    budget = Budget(unit="words", limit=100)
    summary = summarizer.summarize(Story(id="empty", article_ids=()), {}, budget)
    assert summary == Summary(story_id="empty", budget=budget, sentences=())


@EACH
@pytest.mark.parametrize("unit", ["words", "bytes", "sentences"])
def test_budget_below_every_sentence_gives_empty_summary(
    summarizer: Summarizer, unit: BudgetUnit
) -> None:
    summary = _summarize(summarizer, Budget(unit=unit, limit=0 if unit == "sentences" else 5))
    assert summary.sentences == ()
    assert summary.text == ""


@EACH
def test_sentences_without_a_fact_stand_for_themselves(summarizer: Summarizer) -> None:
    story = dataclasses.replace(_story(), facts=())
    summary = _summarize(summarizer, Budget(unit="sentences", limit=2), story)
    assert summary.sentences
    for item in summary.sentences:
        assert item.fact_id == item.sentence_id
        assert [c.sentence_id for c in item.citations] == [item.sentence_id]


@EACH
def test_a_fact_citing_an_unknown_sentence_is_an_error(summarizer: Summarizer) -> None:
    story = _story()
    broken = dataclasses.replace(
        story.facts[0], sentence_ids=(*story.facts[0].sentence_ids, "nowhere:9")
    )
    story = dataclasses.replace(story, facts=(broken, *story.facts[1:]))
    with pytest.raises(ValueError, match="nowhere:9"):
        _summarize(summarizer, Budget(unit="words", limit=100), story)


def test_lead_takes_first_sentences_round_robin() -> None:
    summary = LeadSummarizer().summarize(
        make_story(LEDGER, RADIO), _articles(), Budget(unit="sentences", limit=3)
    )
    # Visited ledger:0, radio:0, ledger:1; shown in reading order (radio is older).
    assert [s.sentence_id for s in summary.sentences] == ["radio:0", "ledger:0", "ledger:1"]


def test_lead_skips_a_fact_it_already_has() -> None:
    summary = LeadSummarizer().summarize(_story(), _articles(), Budget(unit="sentences", limit=4))
    chosen = [s.sentence_id for s in summary.sentences]
    assert "radio:0" not in chosen  # same fact as ledger:0, visited first
    assert "courier:0" not in chosen
    assert chosen == ["ledger:0", "ledger:1", "ledger:2", "courier:1"]


def test_concept_summary_prefers_what_several_articles_report() -> None:
    summary = ConceptCoverageSummarizer().summarize(
        make_story(LEDGER, RADIO, COURIER), _articles(), Budget(unit="words", limit=18)
    )
    (only,) = summary.sentences
    assert "dock workers walked off the job" in only.text.lower()


def test_concept_summary_does_not_repeat_itself() -> None:
    # Not grouped into facts, the near-copies are distinct candidates; once one of
    # them is in, the other adds nothing but its lead prior.
    first = make_article(
        "Dock workers walked off the job at the northern terminal on Monday over pay. "
        "The port authority said ships would be diverted to the southern berths.",
        id="first",
    )
    second = make_article(
        "Dock workers walked off the job at the northern terminal on Monday over wages. "
        "The port authority said that ships would be diverted to the southern berths.",
        id="second",
    )
    summary = ConceptCoverageSummarizer().summarize(
        make_story(first, second), _articles(first, second), Budget(unit="sentences", limit=2)
    )
    chosen = sorted(s.sentence_id.split(":")[1] for s in summary.sentences)
    assert chosen == ["0", "1"]


def _by_lines(*lines: str, id: str) -> tuple[Article, tuple[Sentence, ...]]:
    """An article whose sentences are its lines (headings and menus have no period)."""
    article = make_article("\n".join(lines), id=id)
    sentences = []
    start = 0
    for index, line in enumerate(lines):
        end = start + len(line)
        sentences.append(
            Sentence(id=f"{id}:{index}", article_id=id, index=index, start=start, end=end)
        )
        start = end + 1
    return article, tuple(sentences)


NOT_PROSE = (
    "Port Strike Enters Second Week As Talks Stall At The Ministry",
    "Share Tweet Pin Email",
    "By Jane Doe and John Roe, Staff Writers",
    "Photo credit: Jane Doe for the Verrin Ledger, taken at the gate.",
    "Image caption Dock workers gather at the gate of the northern terminal.",
    "He said so on Monday.",
    "and the union said talks would resume at the ministry next week.",
    "Dock workers at the northern terminal have walked off the job over pay:",
    "Tags: dock strike, northern terminal, port authority, union pay talks.",
)
PROSE = (
    "Dock workers at the northern terminal walked off the job over pay on Monday.",
    "The port authority said ships would be diverted to the southern berths.",
)


@pytest.mark.parametrize(
    "summarizer",
    [ConceptCoverageSummarizer(), LeadSummarizer(skip_non_prose=True)],
    ids=["concept", "lead-prose"],
)
def test_lines_that_are_not_prose_are_never_selected(summarizer: Summarizer) -> None:
    first, first_sentences = _by_lines(*NOT_PROSE, PROSE[0], id="page")
    second, second_sentences = _by_lines(*NOT_PROSE[::-1], PROSE[1], id="other")
    story = Story(
        id="s",
        article_ids=("page", "other"),
        sentences=first_sentences + second_sentences,
    )
    summary = summarizer.summarize(
        story, _articles(first, second), Budget(unit="words", limit=1000)
    )
    assert sorted(s.text for s in summary.sentences) == sorted(PROSE)


def test_sentences_of_an_article_not_given_are_an_error() -> None:
    with pytest.raises(ValueError, match="courier"):
        ConceptCoverageSummarizer().summarize(
            _story(), _articles(LEDGER, RADIO), Budget(unit="words", limit=100)
        )


def test_only_the_lead_sentences_of_an_article_are_candidates() -> None:
    filler = " ".join(
        f"Item number {n} of the harbour report was read out to the committee." for n in range(5)
    )
    deep = make_article(
        filler + " Dock workers walked off the job at the northern terminal on Monday.", id="deep"
    )
    # Fragments too short to be selected, but they vote for the concepts of deep:5.
    votes = make_article("Dock workers walked off the job. At the northern terminal on Monday.")
    story = make_story(deep, votes)
    budget = Budget(unit="sentences", limit=1)
    articles = _articles(deep, votes)
    unlimited = ConceptCoverageSummarizer(lead_sentences=None).summarize(story, articles, budget)
    windowed = ConceptCoverageSummarizer(lead_sentences=3).summarize(story, articles, budget)
    assert [s.sentence_id for s in unlimited.sentences] == ["deep:5"]
    assert [s.sentence_id for s in windowed.sentences] == ["deep:0"]


@pytest.mark.parametrize(
    ("sources", "expected"), [(("ledger", "ledger", "radio"), "Dock"), (("a", "b", "c"), "Readers")]
)
def test_agreement_is_counted_between_sources_not_articles(
    sources: tuple[str, str, str], expected: str
) -> None:
    furniture = "Readers can find more reports about the harbour and its ships on our website."
    texts = (
        f"{furniture} Dock workers walked off the job at the northern terminal on Monday.",
        f"{furniture} The ferry timetable changed for the summer season this week.",
        "The city council met to discuss new bicycle lanes downtown on Tuesday. "
        "Dock workers walked off the job at the northern terminal on Monday, the union said.",
    )
    articles = [
        make_article(text, id=f"n{number}", source=source)
        for number, (text, source) in enumerate(zip(texts, sources, strict=True))
    ]
    summary = ConceptCoverageSummarizer().summarize(
        make_story(*articles), _articles(*articles), Budget(unit="sentences", limit=1)
    )
    (only,) = summary.sentences
    assert only.text.startswith(expected)


def test_seed_story_summary_is_cited_verbatim_and_fits() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seeds not found at {seeds} (set STORYLINE_SHARED)")
    articles = FileIngestor().ingest([seeds]).articles
    by_id = {article.id: article for article in articles}
    sentences = tuple(s for a in articles for s in segment(a, RuleSegmenter()))
    story = Story(
        id="seeds",
        article_ids=tuple(by_id),
        sentences=sentences,
        facts=LexicalFactGrouper().group(sentences, by_id),
    )
    budget = Budget(unit="words", limit=120)
    summary = ConceptCoverageSummarizer().summarize(story, by_id, budget)
    assert 80 <= budget.cost(summary.text) <= 120
    assert len({item.fact_id for item in summary.sentences}) == len(summary.sentences)
    assert "Putin" in summary.text
    assert "Macron" in summary.text
    for item in summary.sentences:
        for citation in item.citations:
            cited = by_id[citation.article_id].text[citation.start : citation.end]
            assert cited.strip() == cited
            assert cited
        shown = next(c for c in item.citations if c.sentence_id == item.sentence_id)
        assert by_id[shown.article_id].text[shown.start : shown.end] == item.text


@EACH
def test_guidance_limits_the_candidates(summarizer: Summarizer) -> None:
    story = _story()
    allowed = frozenset(s.id for s in story.sentences if s.article_id == "courier")
    budget = Budget(unit="words", limit=1000)
    guided = summarizer.summarize(story, _articles(), budget, Guidance(candidates=allowed))
    assert guided.sentences
    assert {item.sentence_id for item in guided.sentences} <= allowed
    nothing = summarizer.summarize(story, _articles(), budget, Guidance(candidates=frozenset()))
    assert nothing.sentences == ()


@EACH
def test_no_guidance_and_an_empty_one_choose_alike(summarizer: Summarizer) -> None:
    budget = Budget(unit="words", limit=45)
    assert summarizer.summarize(_story(), _articles(), budget, Guidance()) == _summarize(
        summarizer, budget
    )


@EACH
def test_relevance_decides_between_facts_and_zero_is_never_chosen(
    summarizer: Summarizer,
) -> None:
    story = _story()
    budget = Budget(unit="sentences", limit=1)
    strike = {s.id: 1.0 for s in story.sentences if s.id == "courier:1"}
    summary = summarizer.summarize(story, _articles(), budget, Guidance(relevance=strike))
    assert [item.sentence_id for item in summary.sentences] == ["courier:1"]
    weights = {s.id: 0.01 for s in story.sentences} | {"radio:2": 1.0}
    ranked = summarizer.summarize(story, _articles(), budget, Guidance(relevance=weights))
    assert [item.sentence_id for item in ranked.sentences] == ["radio:2"]
