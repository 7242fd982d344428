"""Timeline evaluation: the TLS reader, the protocol's budget, and tilse's scores."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.digest.timeline import DateMentionTimelineBuilder, PublicationCentroidTimelineBuilder
from storyline.errors import EvaluationError
from storyline.evaluate.timelines import (
    PRF,
    ReferenceTimeline,
    evaluate_timelines,
    read_timeline_topics,
    score_timeline,
)
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter
from storyline.text.temporal import RuleTimeTagger
from tests.builders import shared_path

DAY = dt.date(2011, 1, 28)
STORM = "Protesters storm the palace in Cairo ."
RALLY = "Markets rallied on Wall Street ."


def _reference(*entries: tuple[dt.date, tuple[str, ...]]) -> ReferenceTimeline:
    return ReferenceTimeline(name="ref", entries=entries)


def _tilse() -> None:
    pytest.importorskip("tilse.evaluation.rouge", reason="tilse (evaluation extra) not installed")


def _topic_line(**overrides: object) -> str:
    record: dict[str, object] = {
        "id": "cairo",
        "docs": [
            {
                "id": "a1",
                "date": "2011-01-29",
                "title": None,
                "text": "Protesters stormed the palace in Cairo on Friday .\n"
                "Police fired tear gas at the crowd on Friday night .",
            },
            {
                "id": "a2",
                "date": "2011-01-29",
                "title": None,
                "text": "The palace in Cairo was stormed by protesters on Friday .\n"
                "The army moved into the streets on Saturday after the protests .",
            },
            {
                "id": "a3",
                "date": "2011-02-01",
                "title": None,
                "text": "Mubarak spoke on state television on Tuesday evening .\n"
                "He said he would not run again .",
            },
        ],
        "timelines": [
            [
                {"date": "2011-01-28", "sentences": [STORM, "Police fire tear gas ."]},
                {"date": "2011-01-29", "sentences": ["The army moves into the streets ."]},
            ]
        ],
        "timeline_names": ["cairo/tl1.txt"],
    }
    record.update(overrides)
    return json.dumps(record)


def test_reader_builds_articles_and_references(tmp_path: Path) -> None:
    path = tmp_path / "tls.jsonl"
    path.write_text(_topic_line() + "\n\n", encoding="utf-8")
    (topic,) = read_timeline_topics(path)
    assert topic.id == "cairo"
    assert [a.published for a in topic.articles] == [
        dt.date(2011, 1, 29),
        dt.date(2011, 1, 29),
        dt.date(2011, 2, 1),
    ]
    (reference,) = topic.references
    assert reference.name == "cairo/tl1.txt"
    assert reference.dates == (DAY, dt.date(2011, 1, 29))
    assert reference.entries[0][1] == (STORM, "Police fire tear gas .")


@pytest.mark.parametrize(
    "line",
    ["{not json", json.dumps({"id": "x", "docs": []}), _topic_line(timelines=[[{"date": "soon"}]])],
)
def test_reader_rejects_malformed_records(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:1"):
        list(read_timeline_topics(path))


def test_reader_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="cannot read dataset"):
        list(read_timeline_topics(tmp_path / "absent.jsonl"))


@pytest.mark.parametrize(("counts", "expected"), [((1, 2), 2), ((3, 3, 2), 3), ((1, 1, 2, 2), 2)])
def test_budget_follows_the_protocol(counts: tuple[int, ...], expected: int) -> None:
    entries = tuple(
        (DAY + dt.timedelta(days=3 * i), tuple(f"s{j}" for j in range(n)))
        for i, n in enumerate(counts)
    )
    budget = _reference(*entries).budget()
    assert budget.dates == len(counts)
    assert budget.sentences_per_date == expected, "round() of the mean, as news-tls"
    assert budget.start == DAY
    assert budget.end == DAY + dt.timedelta(days=3 * (len(counts) - 1))


def test_prf_of_zero_is_zero() -> None:
    assert PRF.of(0.0, 0.0).f1 == 0.0
    assert PRF.of(0.5, 1.0).f1 == pytest.approx(2 / 3)


def test_identical_timeline_scores_one() -> None:
    _tilse()
    reference = _reference((DAY, (STORM,)), (DAY + dt.timedelta(days=2), (RALLY,)))
    scores = score_timeline(dict(reference.entries), reference)
    assert scores.dates.f1 == 1.0
    assert scores.rouge1.f1 == pytest.approx(1.0)
    assert scores.rouge2.f1 == pytest.approx(1.0)


def test_a_date_one_day_off_earns_half_through_the_alignment() -> None:
    _tilse()
    reference = _reference((DAY, (STORM,)))
    scores = score_timeline({DAY + dt.timedelta(days=1): [STORM]}, reference)
    assert scores.dates.f1 == 0.0
    assert scores.rouge1.precision == pytest.approx(0.5)
    assert scores.rouge1.recall == pytest.approx(0.5)
    assert scores.rouge2.f1 == pytest.approx(0.5)


def test_an_extra_unrelated_date_costs_precision_only() -> None:
    _tilse()
    reference = _reference((DAY, (STORM,)))
    # Four content tokens each (stop words and punctuation are dropped), so half
    # of the predicted unigrams and bigrams match.
    scores = score_timeline({DAY: [STORM], DAY + dt.timedelta(days=5): [RALLY]}, reference)
    assert (scores.dates.precision, scores.dates.recall) == (0.5, 1.0)
    assert scores.rouge1.precision == pytest.approx(0.5)
    assert scores.rouge1.recall == pytest.approx(1.0)
    assert scores.rouge2.f1 == pytest.approx(2 / 3)


def test_an_empty_prediction_scores_zero() -> None:
    _tilse()
    scores = score_timeline({}, _reference((DAY, (STORM,))))
    assert scores.dates.f1 == scores.rouge1.f1 == scores.rouge2.f1 == 0.0


def test_evaluation_runs_every_builder_on_every_reference(tmp_path: Path) -> None:
    _tilse()
    path = tmp_path / "tls.jsonl"
    path.write_text(_topic_line() + "\n", encoding="utf-8")
    topics = list(read_timeline_topics(path))
    seen: list[str] = []
    evaluations = evaluate_timelines(
        topics,
        {
            "date-mention": DateMentionTimelineBuilder(fact_grouper=LexicalFactGrouper()),
            "publication-centroid": PublicationCentroidTimelineBuilder(),
        },
        segmenter=RuleSegmenter(),
        tagger=RuleTimeTagger(),
        on_timeline=lambda name, _result: seen.append(name),
    )
    assert [e.builder for e in evaluations] == ["date-mention", "publication-centroid"]
    assert seen == ["date-mention", "publication-centroid"]
    mention, peer = evaluations
    (result,) = mention.results
    assert result.reference == "cairo/tl1.txt"
    days = [entry.date.start for entry in result.timeline.entries]
    assert days == [DAY, dt.date(2011, 1, 29)], "Friday and Saturday are mentioned"
    cited = {
        c.article_id for e in result.timeline.entries for s in e.sentences for c in s.citations
    }
    assert "a3" not in cited, "published after the reference's last date"
    assert mention.mean.dates.f1 == 1.0
    assert mention.mean.rouge1.f1 == pytest.approx(result.scores.rouge1.f1)
    assert peer.results[0].timeline.entries[0].date.start >= dt.date(2011, 1, 29)
    shared_preparation = {result.preparation_seconds for result in (mention, peer)}
    assert len(shared_preparation) == 1, "both builders report the one shared preparation"
    assert "tilse" in mention.scorer


def test_evaluation_needs_a_builder() -> None:
    with pytest.raises(EvaluationError, match="no timeline builder"):
        evaluate_timelines([], {}, segmenter=RuleSegmenter(), tagger=RuleTimeTagger())


def test_timeline17_topic_beats_the_publication_peer() -> None:
    """Quality gate on one real topic (Haiti, BBC): dates and content above the peer's."""
    _tilse()
    dataset = shared_path("benchmarks", "t17", "t17_topics.jsonl")
    if not dataset.is_file():
        pytest.skip(f"Timeline17 not found at {dataset} (set STORYLINE_SHARED)")
    topics = [topic for topic in read_timeline_topics(dataset) if topic.id == "haiti"]
    if not topics:
        pytest.skip("the Haiti topic is not in the dataset")
    mention, peer = evaluate_timelines(
        topics,
        {
            "date-mention": DateMentionTimelineBuilder(fact_grouper=LexicalFactGrouper()),
            "publication-centroid": PublicationCentroidTimelineBuilder(),
        },
        segmenter=RuleSegmenter(),
        tagger=RuleTimeTagger(),
    )
    assert mention.mean.dates.f1 >= peer.mean.dates.f1
    assert mention.mean.dates.f1 >= 0.8
    assert mention.mean.rouge2.f1 > peer.mean.rouge2.f1
    assert mention.mean.rouge1.f1 > peer.mean.rouge1.f1
