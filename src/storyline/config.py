"""Configuration: a frozen tree with defaults in code, overlaid from a TOML file.

One :class:`Config` is shared by the library and the CLI. A TOML file may set
any subset of the keys below; an unknown section or key, or a value of the
wrong type, is a :class:`~storyline.errors.ConfigError` naming it::

    [ingest]
    max_file_bytes = 268435456
    max_text_chars = 2000000
    [ingest.fields]
    id = "id"
    text = "text"

    [dedup]
    article_similarity = 0.8

    [facts]
    method = "lexical"
    similarity = 0.5

    [select]
    method = "concept"

    [timeline]
    method = "date-mention"
    dates = 10
    sentences_per_date = 2

    [report]
    timings = true      # false: no stage times in the output (the JSON "run" section)
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from storyline.errors import ConfigError

__all__ = [
    "CompareConfig",
    "Config",
    "DedupConfig",
    "EntitiesConfig",
    "FactsConfig",
    "FieldNames",
    "IngestConfig",
    "QuotesConfig",
    "ReportConfig",
    "SegmentConfig",
    "SelectConfig",
    "TimelineConfig",
    "load_config",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldNames:
    """Names of the JSON fields that hold each article attribute."""

    id: str = "id"
    title: str = "title"
    text: str = "text"
    date: str = "date"
    url: str = "url"
    source: str = "source"


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestConfig:
    fields: FieldNames = field(default_factory=FieldNames)
    max_file_bytes: int = 256 * 1024 * 1024
    max_text_chars: int = 2_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmentConfig:
    method: str = "rule"


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupConfig:
    method: str = "shingle"
    article_similarity: float = 0.8
    shingle_size: int = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class FactsConfig:
    method: str = "lexical"
    similarity: float = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectConfig:
    method: str = "concept"


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotesConfig:
    method: str = "rule"


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitiesConfig:
    method: str = "rule"


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareConfig:
    method: str = "cue"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineConfig:
    """The timeline's builder and its default size (dates, sentences a date)."""

    method: str = "date-mention"
    dates: int = 10
    sentences_per_date: int = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportConfig:
    """What the reports show beyond the digest: ``timings``, the seconds of each stage."""

    timings: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    facts: FactsConfig = field(default_factory=FactsConfig)
    select: SelectConfig = field(default_factory=SelectConfig)
    quotes: QuotesConfig = field(default_factory=QuotesConfig)
    entities: EntitiesConfig = field(default_factory=EntitiesConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    report: ReportConfig = field(default_factory=ReportConfig)


_T = TypeVar("_T")


def load_config(path: Path | None = None) -> Config:
    """Return the defaults, overlaid with the TOML file at ``path`` if given."""
    if path is None:
        return Config()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from error
    return _overlay(Config(), data, section="")


def _overlay(base: _T, data: Mapping[str, Any], *, section: str) -> _T:
    known = {f.name: f for f in dataclasses.fields(base)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(type(base))
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{section}.{key}" if section else key
        if key not in known:
            choices = ", ".join(sorted(known))
            raise ConfigError(f"unknown config key '{where}'; expected one of: {choices}")
        expected = hints[key]
        current = getattr(base, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, Mapping):
                raise ConfigError(f"config key '{where}' must be a table. Got {value!r} instead.")
            changes[key] = _overlay(current, value, section=where)
        else:
            changes[key] = _checked(value, expected, where)
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]


def _checked(value: object, expected: object, where: str) -> object:
    allowed = typing.get_args(expected) if isinstance(expected, types.UnionType) else (expected,)
    for kind in allowed:
        if kind is bool and isinstance(value, bool):
            return value
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(kind, type) and isinstance(value, kind) and not isinstance(value, bool):
            return value
    names = " or ".join(getattr(kind, "__name__", str(kind)) for kind in allowed)
    raise ConfigError(f"config key '{where}' must be {names}. Got {value!r} instead.")
