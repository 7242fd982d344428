"""OnlineClusterer: stories of a stream, time windows, incremental runs, its state."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.config import Config
from storyline.errors import ConfigError
from storyline.evaluate.clustering import read_labelled_stream
from storyline.ingest.files import FileIngestor
from storyline.model import Article
from storyline.stories.clusters import (
    ClusterState,
    LiveClustering,
    OnlineClusterer,
    StoryClusterer,
    canonical_order,
)
from storyline.text.tokens import stem
from tests.builders import make_article, shared_path

QUAKE = [
    "A strong earthquake struck Valdoria near the city of Marrenburg, collapsing houses.",
    "Rescuers in Marrenburg search rubble after the Valdoria earthquake killed dozens.",
    "Valdoria earthquake: Marrenburg hospitals overwhelmed as aftershocks continue.",
    "Aid arrives in Marrenburg days after the Valdoria earthquake.",
]
TRIAL = [
    "Jurors in the Quillon fraud trial heard from the former Zentrix accountant.",
    "Zentrix founder Quillon denies fraud charges as trial enters second week.",
    "Quillon trial: Zentrix accountant describes hidden accounts to the jury.",
]
FLOOD = [
    "Storm floods the coastal town of Pellham as rivers burst their banks.",
    "Pellham flood: rivers burst their banks after the storm.",
    "Rivers burst their banks in Pellham as the storm floods homes.",
]


def _stream(texts: list[str], prefix: str, date: str | None) -> list[Article]:
    return [
        make_article(text, id=f"{prefix}{n}", title=text, published=date)
        for n, text in enumerate(texts)
    ]


def _partition(stories: tuple[tuple[str, ...], ...]) -> set[frozenset[str]]:
    return {frozenset(story) for story in stories}


def test_is_a_story_clusterer() -> None:
    clusterer: StoryClusterer = OnlineClusterer()
    assert clusterer.cluster([]).stories == ()


def test_two_unrelated_stories_are_split() -> None:
    articles = _stream(QUAKE, "q", "2024-05-01") + _stream(TRIAL, "t", "2024-05-02")
    stories = OnlineClusterer().cluster(articles).stories
    assert _partition(stories) == {
        frozenset(f"q{n}" for n in range(4)),
        frozenset(f"t{n}" for n in range(3)),
    }


def test_the_same_kind_of_event_months_later_is_another_story() -> None:
    first = _stream(QUAKE, "early", "2024-01-10")
    later = _stream(QUAKE, "late", "2024-06-10")
    stories = OnlineClusterer().cluster(first + later).stories
    assert _partition(stories) == {
        frozenset(f"early{n}" for n in range(4)),
        frozenset(f"late{n}" for n in range(4)),
    }


def test_a_story_goes_on_while_reports_keep_coming() -> None:
    days = ["2024-01-01", "2024-01-20", "2024-02-08", "2024-02-27"]
    articles = [
        make_article(text, id=f"q{n}", title=text, published=day)
        for n, (text, day) in enumerate(zip(QUAKE, days, strict=True))
    ]
    assert OnlineClusterer().cluster(articles).stories == (("q0", "q1", "q2", "q3"),)


def test_undated_articles_join_on_content_alone() -> None:
    articles = _stream(QUAKE, "q", "2024-01-10") + _stream(QUAKE[:2], "u", None)
    articles += _stream(TRIAL, "t", None)
    stories = OnlineClusterer().cluster(articles).stories
    assert _partition(stories) == {
        frozenset({"q0", "q1", "q2", "q3", "u0", "u1"}),
        frozenset({"t0", "t1", "t2"}),
    }


def test_undated_reports_need_more_in_common_than_reports_of_one_day() -> None:
    # a cosine of about 0.27: enough on one day, not without dates (x 0.6)
    texts = [
        "Heavy rain floods the coastal town as the river bursts its banks.",
        "Residents return home as the river recedes from the town.",
    ]
    dated = _stream(texts, "d", "2024-05-01")
    undated = _stream(texts, "u", None)
    assert len(OnlineClusterer().cluster(dated).stories) == 1
    assert len(OnlineClusterer().cluster(undated).stories) == 2
    assert len(OnlineClusterer(undated_weight=1.0).cluster(undated).stories) == 1


def test_a_large_story_draws_a_report_that_its_centroid_alone_would_not() -> None:
    reports = [
        make_article(FLOOD[n % 3], id=f"f{n:02d}", title=FLOOD[n % 3], published="2024-05-01")
        for n in range(20)
    ]
    late = "Residents return home as rivers recede in the coastal town."
    reports.append(make_article(late, id="late", title=late, published="2024-05-02"))
    assert len(OnlineClusterer().cluster(reports).stories) == 1
    assert len(OnlineClusterer(size_weight=0.0).cluster(reports).stories) == 2


def test_capitals_of_title_case_headlines_are_no_evidence_of_names() -> None:
    articles = [
        make_article(text, id=f"h{n}", title=text, published="2024-05-01")
        for n, text in enumerate(
            [
                "Hopes For Microsoft Console Rest With New Shooter Game",
                "Analysts say hopes for the console rest on Microsoft",
            ]
        )
    ]
    capitalised = OnlineClusterer().cluster(articles).state.to_dict()["capitalised"]
    # only the sentence-case headline counts: "hopes" lower-case, "Microsoft" capitalised
    assert capitalised[stem("hopes")] == [0, 1]
    assert capitalised[stem("microsoft")] == [1, 1]
    assert stem("shooter") not in capitalised


def test_stories_and_ids_come_in_canonical_order_whatever_the_input_order() -> None:
    articles = _stream(TRIAL, "t", "2024-05-02") + _stream(QUAKE, "q", "2024-05-01")
    expected = OnlineClusterer().cluster(articles).stories
    assert expected == (("q0", "q1", "q2", "q3"), ("t0", "t1", "t2"))
    for shift in range(1, len(articles)):
        rotated = articles[shift:] + articles[:shift]
        assert OnlineClusterer().cluster(rotated[::-1]).stories == expected


def test_every_article_is_in_exactly_one_story() -> None:
    articles = _stream(QUAKE, "q", "2024-05-01") + _stream(TRIAL, "t", None)
    articles.append(make_article("...", id="empty", published="2024-05-01"))
    stories = OnlineClusterer().cluster(articles).stories
    ids = [item for story in stories for item in story]
    assert sorted(ids) == sorted(article.id for article in articles)
    assert ("empty",) in stories


def test_a_repeated_id_is_counted_once() -> None:
    articles = _stream(QUAKE, "q", "2024-05-01")
    clustering = OnlineClusterer().cluster(articles + articles[:2])
    again = OnlineClusterer().cluster(articles[:1], clustering.state)
    assert again.stories == clustering.stories == (("q0", "q1", "q2", "q3"),)


def test_incremental_batches_give_the_batch_result() -> None:
    articles = canonical_order(
        _stream(QUAKE, "q", "2024-05-01")
        + _stream(TRIAL, "t", "2024-05-03")
        + _stream(QUAKE, "late", "2024-09-01")
        + _stream(TRIAL[:1], "u", None)
    )
    clusterer = OnlineClusterer()
    batch = clusterer.cluster(articles)
    for size in (1, 2, 5):
        state = None
        for start in range(0, len(articles), size):
            clustering = clusterer.cluster(articles[start : start + size], state)
            # the state goes through JSON, as a store would keep it
            state = ClusterState.from_dict(json.loads(json.dumps(clustering.state.to_dict())))
        assert clustering.stories == batch.stories
        assert clustering.state.to_dict() == batch.state.to_dict()


@pytest.mark.parametrize(
    ("parts", "count", "size"),
    [
        (("clustering", "uci_head6k.jsonl"), 1500, 200),  # dated headlines over two days
        (("clustering", "multinews_val250_stories.jsonl"), 240, 60),  # undated full text
    ],
)
def test_incremental_batches_give_the_batch_result_on_real_streams(
    parts: tuple[str, str], count: int, size: int
) -> None:
    path = shared_path("benchmarks", *parts)
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    articles = read_labelled_stream(path).articles[:count]
    clusterer = OnlineClusterer()
    batch = clusterer.cluster(articles)
    state = None
    for start in range(0, len(articles), size):
        clustering = clusterer.cluster(articles[start : start + size], state)
        state = ClusterState.from_dict(json.loads(json.dumps(clustering.state.to_dict())))
    assert clustering.stories == batch.stories
    assert len(batch.stories) < len(articles)


def test_the_example_stream_keeps_its_stories_apart() -> None:
    stream = Path(__file__).resolve().parents[2] / "examples" / "stream"
    answers = json.loads((stream / "answers.json").read_text(encoding="utf-8"))
    by_article = {item["article"]: item["story"] for item in answers["items"] if "story" in item}
    for label, story in answers["stories"].items():
        by_article.update(dict.fromkeys(story["articles"], label))
    articles = FileIngestor(config=Config().ingest).ingest([stream]).articles
    label = {a.id: answers["articles"].get(a.url) or by_article[a.id] for a in articles}
    stories = OnlineClusterer().cluster(articles).stories
    # the dock strike at the bridge's island may join the bridge story; nothing else mixes,
    # and the two water-main breaks four months apart stay two stories
    mixed = [story for story in stories if len({label[i] for i in story} - {"dock-strike"}) > 1]
    assert mixed == []
    assert len(stories) >= 6


def test_the_state_is_plain_data_and_documented() -> None:
    articles = _stream(QUAKE, "q", "2024-05-01") + _stream(TRIAL, "t", None)
    data = OnlineClusterer().cluster(articles).state.to_dict()
    assert set(data) == {
        "version",
        "parameters",
        "documents",
        "clock",
        "document_frequency",
        "capitalised",
        "stories",
    }
    assert data["documents"] == 7
    assert data["clock"] == "2024-05-01"
    assert json.loads(json.dumps(data)) == data
    assert {"articles", "positions", "first", "last", "centroid", "norm2"} == set(
        data["stories"][0]
    )


def test_a_state_of_other_parameters_or_malformed_is_a_config_error() -> None:
    state = OnlineClusterer().cluster(_stream(QUAKE, "q", "2024-05-01")).state
    with pytest.raises(ConfigError, match="other parameters"):
        OnlineClusterer(threshold=0.3).cluster([], state)
    with pytest.raises(ConfigError, match="malformed"):
        ClusterState.from_dict({"version": 2})
    older = {**state.to_dict(), "version": 1}
    with pytest.raises(ConfigError, match="has version 1 and this storyline reads version 2"):
        ClusterState.from_dict(older)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("threshold", 0.0),
        ("threshold", 1.5),
        ("window_days", -1),
        ("max_terms", 0),
        ("size_weight", -0.1),
        ("undated_weight", 0.0),
        ("undated_weight", 1.5),
    ],
)
def test_bad_parameters_are_config_errors(name: str, value: float) -> None:
    with pytest.raises(ConfigError, match=f"The '{name}' parameter of OnlineClusterer"):
        OnlineClusterer(**{name: value})  # type: ignore[arg-type]


def test_the_result_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(
        "import json\n"
        "from storyline.stories.clusters import OnlineClusterer\n"
        "from tests.builders import make_article\n"
        f"texts = {QUAKE + TRIAL!r}\n"
        "articles = [make_article(t, id=f'a{n}', published='2024-05-01') "
        "for n, t in enumerate(texts)]\n"
        "result = OnlineClusterer().cluster(articles)\n"
        "print(json.dumps([result.stories, result.state.to_dict()]))\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[2]
    outputs = set()
    for seed in ("1", "2", "3"):
        environment = os.environ | {
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)]),
        }
        outputs.add(
            subprocess.run(
                [sys.executable, str(script)],
                env=environment,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    assert len(outputs) == 1


def test_a_live_clustering_gives_the_partial_states_of_continued_calls() -> None:
    """LiveClustering (a store's ingest_all) keeps its working state between batches and
    gives, for each, the partial states before and after that continuing from the open
    stories and the batch's term counts gives (what a store writes back)."""
    path = shared_path("benchmarks", "clustering", "uci_head6k.jsonl")
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    articles = canonical_order(read_labelled_stream(path).articles[:1200])
    clusterer = OnlineClusterer(window_days=0)  # a day's window: stories close
    live = LiveClustering(clusterer, None)
    whole: ClusterState | None = None  # the whole state, as one call after another has it
    for start in range(0, len(articles), 150):
        batch = articles[start : start + 150]
        terms = clusterer.analyse(batch)
        vocabulary = sorted(OnlineClusterer.vocabulary(terms))
        partial = None
        if whole is not None:
            counts = whole.document_frequency
            partial = dataclasses.replace(
                whole,
                document_frequency={t: counts[t] for t in vocabulary if t in counts},
                capitalised={t: whole.capitalised[t] for t in vocabulary if t in whole.capitalised},
                stories=tuple(story for story in whole.stories if story.open),
            )
        expected = clusterer.cluster_analysed(batch, terms, partial).state
        assert live.continues(partial.head() if partial is not None else None)
        before, after = live.cluster(batch, terms)
        assert before.stories == (partial.stories if partial is not None else ())
        assert before.document_frequency == (partial.document_frequency if partial else {})
        assert after.to_dict() == expected.to_dict()
        assert list(after.document_frequency) == list(expected.document_frequency)
        assert live.head == after.head()
        whole = clusterer.cluster(articles[: start + 150]).state
    assert whole is not None
    assert any(not story.open for story in whole.stories)
