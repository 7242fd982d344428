"""Config: TOML overlays the defaults; unknown keys, wrong types, numbers out of range rejected."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import (
    Config,
    DedupConfig,
    FactsConfig,
    IngestConfig,
    Interval,
    TimelineConfig,
    load_config,
)
from storyline.errors import ConfigError


def _load(tmp_path: Path, toml: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    return load_config(path)


def _numeric_settings(config: object, section: str = "") -> Iterator[tuple[type, str]]:
    hints = typing.get_type_hints(type(config))
    for item in dataclasses.fields(config):  # type: ignore[arg-type]
        value = getattr(config, item.name)
        if dataclasses.is_dataclass(value):
            yield from _numeric_settings(value, f"{section}{item.name}.")
        elif hints[item.name] in (int, float):
            yield type(config), item.name


def test_every_numeric_setting_has_a_declared_range() -> None:
    settings = list(_numeric_settings(Config()))
    assert settings, "the tree has numeric settings"
    for owner, name in settings:
        constraints = getattr(owner, "CONSTRAINTS", {})
        assert name in constraints, f"{owner.__name__}.{name} has no range"
        assert constraints[name].accepts(getattr(owner(), name)), "the default is in range"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[dedup]\nshingle_size = 0",
            "The 'dedup.shingle_size' parameter of the configuration must be an int in the "
            "range [1, 64]. Got 0 instead.",
        ),
        (
            "[ingest]\nmax_text_chars = -5",
            "The 'ingest.max_text_chars' parameter of the configuration must be an int in the "
            "range [1, inf). Got -5 instead.",
        ),
        (
            "[dedup]\narticle_similarity = nan",
            "The 'dedup.article_similarity' parameter of the configuration must be a float in "
            "the range (0.0, 1.0]. Got nan instead.",
        ),
        (
            "[dedup]\narticle_similarity = 1.5",
            "The 'dedup.article_similarity' parameter of the configuration must be a float in "
            "the range (0.0, 1.0]. Got 1.5 instead.",
        ),
        (
            "[facts]\nsimilarity = 0",
            "The 'facts.similarity' parameter of the configuration must be a float in "
            "the range (0.0, 1.0]. Got 0 instead.",
        ),
        (
            "[facts]\nsimilarity = -inf",
            "The 'facts.similarity' parameter of the configuration must be a float in "
            "the range (0.0, 1.0]. Got -inf instead.",
        ),
        (
            "[ingest]\nmax_file_bytes = 0",
            "The 'ingest.max_file_bytes' parameter of the configuration must be an int in the "
            "range [1, inf). Got 0 instead.",
        ),
        (
            "[timeline]\ndates = 2.0",
            "The 'timeline.dates' parameter of the configuration must be an int in the "
            "range [1, inf). Got 2.0 instead.",
        ),
        (
            "[timeline]\nsentences_per_date = true",
            "The 'timeline.sentences_per_date' parameter of the configuration must be an int in "
            "the range [1, inf). Got True instead.",
        ),
        (
            '[dedup]\nshingle_size = "5"',
            "The 'dedup.shingle_size' parameter of the configuration must be an int in the "
            "range [1, 64]. Got '5' instead.",
        ),
        (
            "[select]\nmethod = 3",
            "The 'select.method' parameter of the configuration must be a str. Got 3 instead.",
        ),
        (
            "dedup = 3",
            "The 'dedup' parameter of the configuration must be a table. Got 3 instead.",
        ),
    ],
)
def test_bad_value_is_rejected_in_one_shape(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, toml)
    assert str(raised.value) == message


def test_values_at_the_bounds_are_accepted(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "[ingest]\nmax_text_chars = 1\n[dedup]\nshingle_size = 64\narticle_similarity = 1\n"
        "[facts]\nsimilarity = 0.01\n[timeline]\ndates = 1\nsentences_per_date = 1\n",
    )
    assert config.dedup == DedupConfig(shingle_size=64, article_similarity=1.0)
    assert isinstance(config.dedup.article_similarity, float)
    assert config.facts.similarity == 0.01
    assert config.ingest.max_text_chars == 1


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: DedupConfig(shingle_size=0),
            "The 'shingle_size' parameter of DedupConfig must be an int in the range [1, 64]. "
            "Got 0 instead.",
        ),
        (
            lambda: IngestConfig(max_text_chars=-5),
            "The 'max_text_chars' parameter of IngestConfig must be an int in the range "
            "[1, inf). Got -5 instead.",
        ),
        (
            lambda: FactsConfig(similarity=float("nan")),
            "The 'similarity' parameter of FactsConfig must be a float in the range (0.0, 1.0]. "
            "Got nan instead.",
        ),
        (
            lambda: TimelineConfig(dates=0),
            "The 'dates' parameter of TimelineConfig must be an int in the range [1, inf). "
            "Got 0 instead.",
        ),
    ],
)
def test_config_built_in_code_is_held_to_the_same_ranges(
    build: typing.Callable[[], object], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        build()
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("interval", "inside", "outside", "shown"),
    [
        (
            Interval(kind=int, low=1),
            [1, 10**30],
            [0, -1, 1.0, True, "1"],
            "an int in the range [1, inf)",
        ),
        (
            Interval(kind=float, low=0.0, high=1.0, closed="right"),
            [1, 0.5, 1e-300],
            [0, 0.0, 1.0000001, float("nan"), float("inf"), None],
            "a float in the range (0.0, 1.0]",
        ),
        (
            Interval(kind=float, low=None, high=0.0, closed="neither"),
            [-1e300, -1],
            [0.0, float("-nan")],
            "a float in the range (-inf, 0.0)",
        ),
    ],
)
def test_interval(
    interval: Interval, inside: list[object], outside: list[object], shown: str
) -> None:
    assert all(interval.accepts(value) for value in inside)
    assert not any(interval.accepts(value) for value in outside)
    assert str(interval) == shown


def test_unknown_key_is_still_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown config key 'dedup\.shingles'"):
        _load(tmp_path, "[dedup]\nshingles = 3")
