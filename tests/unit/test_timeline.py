"""Timeline: dates ranked from resolved mentions, each summarised with citations and wording."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence

import pytest

from storyline.config import Config
from storyline.digest.summary import LeadSummarizer
from storyline.digest.timeline import (
    DateMentionTimelineBuilder,
    PublicationCentroidTimelineBuilder,
    TimelineBudget,
    TimelineBuilder,
)
from storyline.errors import ConfigError
from storyline.ingest.files import FileIngestor
from storyline.model import (
    Article,
    Budget,
    Corpus,
    Digest,
    Story,
    TimeExpression,
    Timeline,
    TimelineEntry,
)
from storyline.registry import build_pipeline, build_timeline_builder
from storyline.report.markdown import to_json, to_markdown
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.temporal import RuleTimeTagger
from tests.builders import SHARED, make_article, make_story

# Tuesday 2024-03-05 and Wednesday 2024-03-06; "on Monday" is 2024-03-04 in both.
LEDGER = make_article(
    "Dock workers walked off the job at the northern terminal on Monday over night-shift pay. "
    "The port authority said ships would be diverted to the southern berths for the week. "
    "The union first threatened the strike on February 20 after talks about pay collapsed.",
    id="ledger",
    published="2024-03-05",
)
RADIO = make_article(
    "The strike over night-shift pay began when dock workers walked off the job on Monday. "
    "Ships were diverted to the southern berths on Tuesday, the port authority said today.",
    id="radio",
    published="2024-03-06",
)
COURIER = make_article(
    "Hundreds of dock workers stopped work at the northern terminal on Monday in a pay protest. "
    "Harbour pilots joined the protest in the afternoon and blocked the main shipping channel.",
    id="courier",
    published="2024-03-05",
)
ARTICLES = (LEDGER, RADIO, COURIER)
STRIKE = dt.date(2024, 3, 4)


def _inputs(
    *articles: Article, groups: Sequence[Sequence[str]] = ()
) -> tuple[Story, dict[str, Article], dict[str, tuple[TimeExpression, ...]]]:
    story = make_story(*articles, groups=groups)
    tagger = RuleTimeTagger()
    expressions = {a.id: tagger.tag(a.text, a.published, article_id=a.id) for a in articles}
    return story, {a.id: a for a in articles}, expressions


def _build(
    builder: TimelineBuilder,
    budget: TimelineBudget,
    *articles: Article,
    groups: Sequence[Sequence[str]] = (),
) -> Timeline:
    story, by_id, expressions = _inputs(*(articles or ARTICLES), groups=groups)
    return builder.build(story, by_id, expressions, budget)


def _entry(timeline: Timeline, day: dt.date) -> TimelineEntry:
    for entry in timeline.entries:
        if entry.date.start == day:
            return entry
    raise AssertionError(f"no entry on {day}: {[e.date.start for e in timeline.entries]}")


def _cited(entry: TimelineEntry) -> set[str]:
    return {citation.article_id for item in entry.sentences for citation in item.citations}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"dates": 0, "sentences_per_date": 1}, "'dates' parameter"),
        ({"dates": 2, "sentences_per_date": -1}, "'sentences_per_date' parameter"),
        ({"dates": True, "sentences_per_date": 1}, "'dates' parameter"),
        (
            {
                "dates": 1,
                "sentences_per_date": 1,
                "start": dt.date(2024, 3, 5),
                "end": dt.date(2024, 3, 4),
            },
            "must not be after 'end'",
        ),
    ],
)
def test_budget_rejects_impossible_sizes(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TimelineBudget(**options)  # type: ignore[arg-type]


def test_budget_window_covers_only_dated_days_inside_it() -> None:
    budget = TimelineBudget(dates=1, sentences_per_date=1, start=STRIKE, end=STRIKE)
    assert budget.covers(STRIKE)
    assert not budget.covers(STRIKE + dt.timedelta(days=1))
    assert not budget.covers(None)
    assert TimelineBudget(dates=1, sentences_per_date=1).covers(None)


def test_the_day_most_articles_refer_to_comes_first_with_its_wording() -> None:
    timeline = _build(DateMentionTimelineBuilder(), TimelineBudget(dates=1, sentences_per_date=2))
    assert [entry.date.start for entry in timeline.entries] == [STRIKE]
    entry = timeline.entries[0]
    assert entry.date.granularity == "day"
    assert {expression.article_id for expression in entry.evidence} == {
        "ledger",
        "radio",
        "courier",
    }
    assert {expression.text for expression in entry.evidence} == {"Monday"}
    for expression in entry.evidence:
        article = {a.id: a for a in ARTICLES}[expression.article_id]
        assert article.text[expression.start : expression.end] == expression.text
    assert all("Monday" in item.text or "strike" in item.text for item in entry.sentences)
    assert len(entry.sentences) <= 2


def test_entries_are_sorted_and_stay_inside_the_budget() -> None:
    timeline = _build(DateMentionTimelineBuilder(), TimelineBudget(dates=3, sentences_per_date=1))
    days = [entry.date.start for entry in timeline.entries]
    assert days == sorted(days)
    assert len(days) == len(set(days)) == 3
    assert all(len(entry.sentences) == 1 for entry in timeline.entries)
    assert STRIKE in days
    assert dt.date(2024, 2, 20) in days


def test_the_window_limits_articles_and_dates() -> None:
    budget = TimelineBudget(
        dates=5, sentences_per_date=2, start=dt.date(2024, 3, 4), end=dt.date(2024, 3, 5)
    )
    timeline = _build(DateMentionTimelineBuilder(), budget)
    for entry in timeline.entries:
        assert budget.covers(entry.date.start)
        assert "radio" not in _cited(entry), "published after the window"
        assert all(expression.article_id != "radio" for expression in entry.evidence)
    assert dt.date(2024, 2, 20) not in {entry.date.start for entry in timeline.entries}


def test_a_day_without_mentions_is_dated_by_publication_and_ranks_last() -> None:
    quiet = make_article(
        "Shipping agents counted the cost of the diverted vessels in a long meeting.",
        id="quiet",
        published="2024-03-10",
    )
    builder = DateMentionTimelineBuilder()
    timeline = _build(builder, TimelineBudget(dates=10, sentences_per_date=1), *ARTICLES, quiet)
    entry = _entry(timeline, dt.date(2024, 3, 10))
    assert entry.evidence == ()
    assert _cited(entry) == {"quiet"}
    one = _build(builder, TimelineBudget(dates=1, sentences_per_date=1), *ARTICLES, quiet)
    assert [e.date.start for e in one.entries] == [STRIKE]


def test_days_far_after_a_report_are_page_furniture_not_mentions() -> None:
    stamped = [
        make_article(
            "Dock workers walked off the job on Monday. "
            f"Read the {n} latest posts on the strike, updated on February 11, 2026 at noon.",
            id=f"stamped{n}",
            published="2024-03-05",
        )
        for n in range(4)
    ]
    budget = TimelineBudget(dates=3, sentences_per_date=1)
    days = [
        entry.date.start for entry in _build(DateMentionTimelineBuilder(), budget, *stamped).entries
    ]
    assert STRIKE in days
    assert dt.date(2026, 2, 11) not in days
    wide = _build(DateMentionTimelineBuilder(horizon=1000), budget, *stamped)
    assert dt.date(2026, 2, 11) in [entry.date.start for entry in wide.entries]


# Two reports of the day name it ("today"); a report two days later names the day before.
MORNING_AFTER = (
    make_article(
        "The port reopened to ships today after the storm passed.",
        id="reopened",
        published="2024-03-05",
    ),
    make_article(
        "Ships returned to the harbour today as the storm eased.",
        id="returned",
        published="2024-03-05",
    ),
    make_article(
        "The storm that closed the port struck on March 4 with strong winds.",
        id="struck",
        published="2024-03-06",
    ),
)


@pytest.mark.parametrize(("share", "first"), [(0.0, dt.date(2024, 3, 5)), (0.4, STRIKE)])
def test_a_report_naming_its_own_day_also_speaks_for_the_day_before(
    share: float, first: dt.date
) -> None:
    builder = DateMentionTimelineBuilder(day_before_share=share)
    timeline = _build(builder, TimelineBudget(dates=1, sentences_per_date=1), *MORNING_AFTER)
    assert [entry.date.start for entry in timeline.entries] == [first]


def test_the_day_before_share_stays_inside_the_window() -> None:
    budget = TimelineBudget(
        dates=1, sentences_per_date=1, start=dt.date(2024, 3, 5), end=dt.date(2024, 3, 6)
    )
    timeline = _build(DateMentionTimelineBuilder(day_before_share=0.9), budget, *MORNING_AFTER)
    assert [entry.date.start for entry in timeline.entries] == [dt.date(2024, 3, 5)]


def test_a_sentence_is_shown_under_one_date_only() -> None:
    both = [
        make_article(
            "Dock workers walked off the job on Monday and the pilots joined them on Tuesday.",
            id=f"both{n}",
            published="2024-03-06",
        )
        for n in range(3)
    ]
    timeline = _build(
        DateMentionTimelineBuilder(),
        TimelineBudget(dates=5, sentences_per_date=2),
        *both,
        groups=[tuple(f"{article.id}:0" for article in both)],
    )
    shown = [item.text for entry in timeline.entries for item in entry.sentences]
    assert shown == [both[0].text], "one wording, under the first-ranked of its dates"


def test_a_sentence_cites_every_sentence_of_its_story_fact() -> None:
    groups = [("ledger:0", "radio:0", "courier:0")]
    timeline = _build(
        DateMentionTimelineBuilder(), TimelineBudget(dates=1, sentences_per_date=3), groups=groups
    )
    entry = timeline.entries[0]
    facts = [item for item in entry.sentences if item.sentence_id in groups[0]]
    assert len(facts) == 1, "one sentence per fact"
    assert {c.sentence_id for c in facts[0].citations} == set(groups[0])


def test_candidates_outside_story_facts_are_grouped_by_the_fact_grouper() -> None:
    twin = make_article(
        "Dock workers walked off the job at the northern terminal on Monday over night-shift pay.",
        id="twin",
        published="2024-03-05",
    )
    story, articles, expressions = _inputs(*ARTICLES, twin)
    story = dataclasses.replace(story, facts=())
    budget = TimelineBudget(dates=1, sentences_per_date=3)
    grouped = DateMentionTimelineBuilder(fact_grouper=LexicalFactGrouper()).build(
        story, articles, expressions, budget
    )
    texts = [item.text for item in grouped.entries[0].sentences]
    assert len(texts) == len(set(texts)), "the twin sentences are one fact"
    walked = [item for item in grouped.entries[0].sentences if "walked off" in item.text]
    assert any({c.article_id for c in item.citations} >= {"ledger", "twin"} for item in walked)


def test_the_injected_summarizer_selects_each_day() -> None:
    lead = DateMentionTimelineBuilder(summarizer=LeadSummarizer())
    timeline = _build(lead, TimelineBudget(dates=1, sentences_per_date=1))
    (item,) = timeline.entries[0].sentences
    assert item.sentence_id.endswith(":0"), "the lead baseline takes an opening sentence"


def test_long_candidates_give_way_to_short_ones() -> None:
    long = make_article(
        "On Monday "
        + "the dock workers and the harbour pilots and the crane drivers " * 6
        + "met.",
        id="long",
        published="2024-03-05",
    )
    builder = DateMentionTimelineBuilder(max_words=30)
    timeline = _build(builder, TimelineBudget(dates=1, sentences_per_date=5), *ARTICLES, long)
    assert all(len(item.text.split()) <= 30 for item in timeline.entries[0].sentences)


def test_only_the_first_three_sentences_of_a_report_are_its_day_leads() -> None:
    report = make_article(
        "Dock workers walked off the job at the northern terminal over night-shift pay. "
        "The port authority diverted all container ships to the southern berths. "
        "Harbour pilots joined the protest and blocked the main shipping channel. "
        "Union leaders recalled a long history of disputes at the old harbour site. "
        "Local shopkeepers described quiet streets and closed cafes near the docks.",
        id="report",
        published="2024-03-05",
    )
    budget = TimelineBudget(dates=1, sentences_per_date=5)
    default = _build(DateMentionTimelineBuilder(), budget, report)
    wider = _build(DateMentionTimelineBuilder(lead_sentences=5), budget, report)
    indices = {int(item.sentence_id.rsplit(":", 1)[1]) for item in default.entries[0].sentences}
    assert indices
    assert max(indices) < 3
    assert len(wider.entries[0].sentences) > len(default.entries[0].sentences)


def test_no_article_means_no_entry() -> None:
    budget = TimelineBudget(dates=3, sentences_per_date=2)
    for builder in (DateMentionTimelineBuilder(), PublicationCentroidTimelineBuilder()):
        assert builder.build(Story(id="empty", article_ids=()), {}, {}, budget).entries == ()


def test_peer_baseline_takes_the_busiest_publication_days() -> None:
    timeline = _build(
        PublicationCentroidTimelineBuilder(), TimelineBudget(dates=1, sentences_per_date=2)
    )
    (entry,) = timeline.entries
    assert entry.date.start == dt.date(2024, 3, 5), "two articles that day, one the next"
    assert entry.evidence == ()
    assert _cited(entry) <= {"ledger", "courier"}
    assert len({item.text for item in entry.sentences}) == len(entry.sentences) == 2


def _seed_corpus() -> Mapping[str, Article]:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seeds not found at {seeds} (set STORYLINE_SHARED)")
    corpus = FileIngestor(config=Config().ingest).ingest([str(seeds)])
    if len(corpus.articles) < 3:
        pytest.skip(f"fewer than three seed articles could be read from {seeds}")
    return {article.id: article for article in corpus.articles}


def _seed_digest(sentences_per_date: int) -> Digest:
    articles = _seed_corpus()
    config = Config()
    config = dataclasses.replace(
        config,
        timeline=dataclasses.replace(config.timeline, sentences_per_date=sentences_per_date),
    )
    corpus = Corpus(articles=tuple(articles.values()))
    return build_pipeline(config).run(corpus, Budget(unit="words", limit=100))


def test_seeds_put_the_versailles_meeting_on_monday_29_may_citing_all_three() -> None:
    digest = _seed_digest(sentences_per_date=2)
    (timeline,) = digest.timelines
    entry = _entry(timeline, dt.date(2017, 5, 29))
    seeds = {article.id for article in digest.corpus.articles}
    assert timeline.entries[0].date.start <= entry.date.start
    assert any("meeting" in item.text for item in entry.sentences)
    dated_from = {expression.article_id for expression in entry.evidence}
    assert dated_from == seeds, "every seed calls it Monday"
    assert all("Monday" in expression.text for expression in entry.evidence)
    assert _cited(entry) | dated_from == seeds


def test_seeds_with_three_sentences_a_date_cite_all_three_in_the_sentences() -> None:
    digest = _seed_digest(sentences_per_date=3)
    entry = _entry(digest.timelines[0], dt.date(2017, 5, 29))
    assert _cited(entry) == {article.id for article in digest.corpus.articles}


def test_pipeline_runs_the_temporal_and_timeline_stages() -> None:
    pipeline = build_pipeline(Config())
    assert pipeline.stage_names[4:6] == ("temporal", "timeline")
    assert "timeline" not in build_pipeline(Config(), analyses=False).stage_names
    digest = pipeline.run(Corpus(articles=ARTICLES), Budget(unit="words", limit=60))
    assert {"temporal", "timeline"} <= set(digest.timings)
    assert digest.timelines[0].story_id == digest.stories[0].id
    assert len(digest.timelines[0].entries) <= pipeline.timeline_budget.dates


def test_registry_builds_each_timeline_builder() -> None:
    config = Config()
    assert isinstance(build_timeline_builder(config), DateMentionTimelineBuilder)
    peer = build_timeline_builder(config, "publication-centroid")
    assert isinstance(peer, PublicationCentroidTimelineBuilder)
    with pytest.raises(ConfigError, match=r"timeline\.method"):
        build_timeline_builder(config, "oracle")


def test_reports_show_the_timeline_in_markdown_and_json() -> None:
    digest = build_pipeline(Config()).run(Corpus(articles=ARTICLES), Budget(unit="words", limit=60))
    markdown = to_markdown(digest)
    assert "## Timeline (" in markdown
    section = markdown.split("## Timeline")[1].split("\n## ")[0]
    assert "### 2024-03-04" in section
    assert "Dated from: “Monday” [1][2][3]" in section
    assert all(line.endswith("]") for line in section.splitlines() if line.startswith("- "))
    data = json.loads(to_json(digest))
    entries = data["stories"][0]["timeline"]["entries"]
    first = next(e for e in entries if e["date"]["start"] == "2024-03-04")
    assert first["date"] == {"start": "2024-03-04", "end": "2024-03-04", "granularity": "day"}
    assert {e["article_id"] for e in first["evidence"]} == {"ledger", "radio", "courier"}
    assert first["sentences"][0]["citations"][0].keys() == {
        "article_id",
        "sentence_id",
        "start",
        "end",
    }
    only = json.loads(to_json(digest, sections=("timeline",)))
    assert "timeline" in only["stories"][0]
    assert "summary" not in only["stories"][0]


_RELATIVE = (
    "On Monday the council met. Yesterday, the mayor said the bridge will reopen next week. "
    "Last year the bridge closed in May. The works began on January 1, two days ago. "
    "Tomorrow, in two weeks, next month and this weekend the crews work. Last Friday, "
    "next Friday, Dec. 31 and Jan. 1 were named, as were the past two weeks and a decade ago."
)


@pytest.mark.parametrize(
    "published",
    [dt.date.min, dt.date(1, 1, 2), dt.date.max, dt.date(9999, 12, 30), None],
)
def test_dates_at_the_ends_of_the_calendar_do_not_stop_the_timeline(
    published: dt.date | None,
) -> None:
    articles = (
        make_article(_RELATIVE, id="first", published=published),
        make_article(_RELATIVE + " Also on Tuesday.", id="second", published=published),
    )
    pipeline = dataclasses.replace(
        build_pipeline(Config()),
        quote_extractor=None,
        entity_recognizer=None,
        disagreement_finder=None,
    )
    digest = pipeline.run(Corpus(articles=articles), Budget(unit="words", limit=60))
    (timeline,) = digest.timelines
    days = [entry.date.start for entry in timeline.entries]
    assert days == sorted(days)
    if published is not None:
        assert timeline.entries


def test_copies_facts_and_timeline_do_not_depend_on_input_order() -> None:
    copy = make_article(LEDGER.text + " Filed later.", id="ledger-copy", published="2024-03-05")
    articles = (*ARTICLES, copy, make_article(RADIO.text, id="radio-twin", published="2024-03-06"))
    pipeline = dataclasses.replace(
        build_pipeline(Config()),
        quote_extractor=None,
        entity_recognizer=None,
        disagreement_finder=None,
    )
    budget = Budget(unit="words", limit=80)
    forward = pipeline.run(Corpus(articles=articles), budget)
    backward = pipeline.run(Corpus(articles=articles[::-1]), budget)
    assert forward.stories[0].duplicates == backward.stories[0].duplicates
    assert forward.stories[0].duplicates  # the copies were found
    assert forward.stories[0].facts == backward.stories[0].facts
    assert forward.timelines == backward.timelines
    assert forward.summaries == backward.summaries
