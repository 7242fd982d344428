"""OnlineClusterer: stories of a stream, time windows, incremental runs, its state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.model import Article
from storyline.stories.clusters import (
    ClusterState,
    OnlineClusterer,
    StoryClusterer,
    canonical_order,
)
from tests.builders import make_article

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
        ClusterState.from_dict({"version": 1})


@pytest.mark.parametrize(
    ("name", "value"),
    [("threshold", 0.0), ("threshold", 1.5), ("window_days", -1), ("max_terms", 0)],
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
