"""Summaries in story order: the lead event first, then by the day each fact happened or was
first reported; no sentence opens dangling without the sentence it points back to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest

from storyline.config import Config
from storyline.digest.summary import ConceptCoverageSummarizer, LeadSummarizer
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Budget, Story, Summary, TimeExpression
from storyline.registry import build_pipeline
from storyline.text.cohesion import opens_dangling
from storyline.text.temporal import RuleTimeTagger
from tests.builders import SHARED, make_article, make_story

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge"
SEEDS = SHARED / "seeds"
WIDE = Budget(unit="words", limit=1000)


def _articles(*articles: Article) -> dict[str, Article]:
    return {article.id: article for article in articles}


def _ids(summary: Summary) -> list[str]:
    return [item.sentence_id for item in summary.sentences]


def test_a_fact_is_placed_by_its_first_report_not_by_its_wording() -> None:
    early = make_article(
        "Workers at the northern dock walked out over pay.", id="early", published="2024-03-01"
    )
    middle = make_article(
        "The port authority diverted ships to the southern berths.",
        id="middle",
        published="2024-03-02",
    )
    late = make_article(
        "Dock workers in the north walked out in a row over pay.", id="late", published="2024-03-03"
    )
    # The lead baseline visits "late" first, so the walk-out is worded as "late" has it...
    story = make_story(late, middle, early, groups=[("early:0", "late:0")])
    summary = LeadSummarizer().summarize(story, _articles(early, middle, late), WIDE)
    assert _ids(summary) == ["late:0", "middle:0"]  # ... but it was first reported on 03-01
    reading = LeadSummarizer(narrative=False).summarize(story, _articles(early, middle, late), WIDE)
    assert _ids(reading) == ["middle:0", "late:0"]


def _lead_order(*dated: tuple[str, str, str]) -> list[str]:
    """The lead baseline's summary, in story order, of articles (id, day, text)."""
    articles = [make_article(text, id=key, published=day) for key, day, text in dated]
    return _ids(LeadSummarizer().summarize(make_story(*articles), _articles(*articles), WIDE))


def test_a_fact_that_names_its_day_is_placed_on_that_day() -> None:
    vote = "The harbour council approved the emergency budget for the port district."
    fire = "The warehouse fire at the port started on March 1, 2024, officials said."
    order = _lead_order(("vote", "2024-03-05", vote), ("fire", "2024-03-06", fire))
    assert order == ["fire:0", "vote:0"]


def test_ties_go_to_the_earlier_position_in_its_article() -> None:
    first = "The strike began at dawn at the northern terminal. Ships were turned away by noon."
    second = "Union leaders called the strike over night pay. Talks resume in a week or so."
    order = _lead_order(("first", "2024-03-04", first), ("second", "2024-03-04", second))
    assert order == ["first:0", "second:0", "first:1", "second:1"]


def _walkout() -> tuple[Story, dict[str, Article]]:
    """Three reports of a walk-out; the ledger tells it second, after a bakery."""
    ledger = make_article(
        "A bakery near the harbour sold out of bread by noon on the busy day. "
        "Dock workers walked off the job at the northern terminal on Monday over night pay.",
        id="ledger",
        published="2024-03-04",
    )
    radio = make_article(
        "Dock workers walked off the job at the northern terminal on Monday over pay. "
        "The port authority said ships would be diverted to the southern berths.",
        id="radio",
        published="2024-03-04",
    )
    courier = make_article(
        "Hundreds of dock workers walked off the job at the northern terminal on Monday. "
        "Talks between the union and the port authority are set to resume next week.",
        id="courier",
        published="2024-03-05",
    )
    story = make_story(ledger, radio, courier, groups=[("ledger:1", "radio:0", "courier:0")])
    return story, _articles(ledger, radio, courier)


def test_the_lead_event_comes_first_even_when_reported_later_in_wording() -> None:
    story, articles = _walkout()
    summary = ConceptCoverageSummarizer().summarize(story, articles, Budget(unit="words", limit=60))
    # the walk-out, which three articles carry, leads, although the ledger reports it second
    walkout = next(fact for fact in story.facts if "radio:0" in fact.sentence_ids)
    assert summary.sentences[0].fact_id == walkout.id
    # by day and position alone the bakery (ledger:0, same day, same position) would tie
    # and come first by reading order
    assert _ids(summary)[:2] == ["radio:0", "ledger:0"]


def _dangling(summary: Summary, story: Story) -> list[str]:
    """Summary sentences that open dangling without their article's previous sentence
    right before them."""
    by_id = {sentence.id: sentence for sentence in story.sentences}
    found = []
    previous = None
    for item in summary.sentences:
        sentence = by_id[item.sentence_id]
        if opens_dangling(item.text):
            before = previous is not None and (
                previous.article_id == sentence.article_id and previous.index == sentence.index - 1
            )
            if not before:
                found.append(item.text)
        previous = sentence
    return found


def test_a_dangling_sentence_comes_with_its_antecedent_or_not_at_all() -> None:
    texts = {
        "one": "The mayor closed the old harbour bridge after a steel cable snapped. "
        "However, the free ferry across the harbour will run every hour all week.",
        "two": "A free ferry across the harbour will run every hour all week, the city said. "
        "Officials said the steel cable snapped late on Saturday night.",
        "three": "The free ferry across the harbour will run every hour all week. "
        "He said the old harbour bridge would stay closed until the autumn.",
    }
    articles = [make_article(text, id=key, published="2024-04-13") for key, text in texts.items()]
    story = make_story(*articles)
    for limit in (15, 30, 45, 60, 200):
        summary = ConceptCoverageSummarizer(min_concept_count=1).summarize(
            story, _articles(*articles), Budget(unit="words", limit=limit)
        )
        assert _dangling(summary, story) == [], limit
    ids = _ids(summary)  # everything fits: both come, each right after its antecedent
    assert ids.index("one:1") == ids.index("one:0") + 1
    assert ids.index("three:1") == ids.index("three:0") + 1


def _digest(paths: list[Path]) -> tuple[Summary, Story, Mapping[str, Article]]:
    corpus = FileIngestor().ingest(paths)
    pipeline = build_pipeline(Config(), analyses=False)
    digest = pipeline.run(corpus, Budget(unit="words", limit=120))
    return digest.summaries[0], digest.stories[0], {a.id: a for a in corpus.articles}


def test_seed_summary_opens_with_the_meeting_and_nothing_dangles() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds missing: {SEEDS} (set STORYLINE_SHARED)")
    summary, story, _ = _digest([SEEDS])
    first = summary.sentences[0].text
    assert {"Macron", "Putin", "meeting"} <= set(first.replace(",", " ").split())
    assert _dangling(summary, story) == []


@pytest.mark.parametrize("path", [EXAMPLE / "txt", EXAMPLE.with_suffix(".jsonl")])
def test_example_summary_opens_with_the_bridge_closure_and_nothing_dangles(path: Path) -> None:
    summary, story, _ = _digest([path])
    first = summary.sentences[0].text
    assert "closed the Gull Island Bridge" in first
    assert _dangling(summary, story) == []


class _CountingTagger:
    """The rule tagger, keeping every text it is asked to tag."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        self.texts.append(text)
        return RuleTimeTagger().tag(text, published, article_id=article_id)


def test_a_wording_is_tagged_once_per_summary_however_many_sentences_carry_it() -> None:
    wire = "Dock workers walked off the job at the northern terminal over night pay."
    copies = [make_article(wire, id=key, published="2024-03-04") for key in ("a", "b", "c")]
    berths = make_article(
        "The port authority diverted ships to the southern berths for the week.",
        id="d",
        published="2024-03-04",
    )
    story = make_story(*copies, berths, groups=[("a:0", "b:0", "c:0")])
    tagger = _CountingTagger()
    summary = LeadSummarizer(tagger=tagger).summarize(story, _articles(*copies, berths), WIDE)
    assert _ids(summary) == ["a:0", "d:0"]
    assert sorted(tagger.texts) == sorted([wire, berths.text])  # not once a copy


def test_the_lead_events_dates_are_not_read() -> None:
    story, articles = _walkout()
    tagger = _CountingTagger()
    summary = ConceptCoverageSummarizer(tagger=tagger).summarize(
        story, articles, Budget(unit="words", limit=60)
    )
    assert _ids(summary)[0] == "radio:0"  # the lead event: three articles carry it
    assert tagger.texts  # the others' dates are read ...
    assert not any("walked off" in text for text in tagger.texts)  # ... the lead's are not
