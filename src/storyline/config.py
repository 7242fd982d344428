"""Configuration: a frozen tree with defaults in code, overlaid from a TOML file.

One :class:`Config` is shared by the library and the CLI. A TOML file may set
any subset of the keys below; an unknown section or key, a value of the wrong
type or out of its range, is a :class:`~storyline.errors.ConfigError` naming it
in scikit-learn's shape: "The 'dedup.shingle_size' parameter of the
configuration must be an int in the range [1, 64]. Got 0 instead."

Ranges are declared, one table a section (``CONSTRAINTS``, setting ->
:class:`Interval`), and checked on load and on every construction, so that a
configuration built in code is held to them too::

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

    [pipeline]
    workers = true      # false: every stage in one process
    workers_from_chars = 2000000   # smaller inputs stay in one process

    [report]
    timings = true      # false: no stage times in the output (the JSON "run" section)
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Literal, TypeVar

from storyline.errors import ConfigError

__all__ = [
    "CompareConfig",
    "Config",
    "Constraints",
    "DedupConfig",
    "EntitiesConfig",
    "FactsConfig",
    "FieldNames",
    "IngestConfig",
    "InputFormat",
    "Interval",
    "PipelineConfig",
    "QuotesConfig",
    "ReportConfig",
    "SegmentConfig",
    "SelectConfig",
    "TimelineConfig",
    "load_config",
    "validate_ranges",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """The numbers a setting accepts: its type and bounds (scikit-learn's ``Interval``).

    ``low`` or ``high`` ``None`` is unbounded; ``closed`` says which bounds are
    included. NaN is in no interval.
    """

    kind: type[int] | type[float]
    low: float | None = None
    high: float | None = None
    closed: Literal["left", "right", "both", "neither"] = "both"

    def accepts(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.kind is int and not isinstance(value, int):
            return False
        if isinstance(value, float) and math.isnan(value):
            return False
        if self.low is not None and not (
            value >= self.low if self.closed in ("left", "both") else value > self.low
        ):
            return False
        return self.high is None or (
            value <= self.high if self.closed in ("right", "both") else value < self.high
        )

    def __str__(self) -> str:
        left = "[" if self.closed in ("left", "both") and self.low is not None else "("
        right = "]" if self.closed in ("right", "both") and self.high is not None else ")"
        low = "-inf" if self.low is None else self.kind(self.low)
        high = "inf" if self.high is None else self.kind(self.high)
        kind = "an int" if self.kind is int else "a float"
        return f"{kind} in the range {left}{low}, {high}{right}"


Constraints = Mapping[str, Interval]
"""A config section's table: setting name -> the numbers it accepts."""

_NO_CONSTRAINTS: Constraints = MappingProxyType({})
_POSITIVE_INT = Interval(kind=int, low=1)
_SHARE = Interval(kind=float, low=0.0, high=1.0, closed="right")


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldNames:
    """Names of the JSON fields that hold each article attribute."""

    id: str = "id"
    title: str = "title"
    text: str = "text"
    date: str = "date"
    url: str = "url"
    source: str = "source"


InputFormat = Literal["text", "json", "jsonl", "html", "feed", "crawl"]
"""The input formats (see :mod:`storyline.ingest.files`); ``IngestConfig.format`` may also
be "auto"."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestConfig:
    fields: FieldNames = field(default_factory=FieldNames)
    max_file_bytes: int = 256 * 1024 * 1024
    max_text_chars: int = 2_000_000
    # "auto": each file's format from its content, then its name; or one of
    # text, json, jsonl, html, feed, crawl for every file (--format-hint)
    format: str = "auto"

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType(
        {"max_file_bytes": _POSITIVE_INT, "max_text_chars": _POSITIVE_INT}
    )
    FORMATS: ClassVar[tuple[str, ...]] = ("auto", *typing.get_args(InputFormat))

    def __post_init__(self) -> None:
        validate_ranges(self)
        if self.format not in self.FORMATS:
            raise ConfigError(
                f"The 'ingest.format' parameter of the configuration must be one of "
                f"{', '.join(self.FORMATS)}. Got {self.format!r} instead."
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterConfig:
    """How ``digest`` puts a mixed stream into stories: ``method`` names the clusterer
    (``"none"`` takes the whole input as one story); stories of fewer than
    ``min_articles`` articles stay in the story index but get no digest."""

    method: str = "online"
    min_articles: int = 1

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType(
        {"min_articles": Interval(kind=int, low=1)}
    )

    def __post_init__(self) -> None:
        validate_ranges(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmentConfig:
    method: str = "rule"
    max_chars: int = 1000

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType({"max_chars": Interval(kind=int, low=2)})

    def __post_init__(self) -> None:
        validate_ranges(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupConfig:
    method: str = "shingle"
    article_similarity: float = 0.8
    shingle_size: int = 5

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType(
        {"article_similarity": _SHARE, "shingle_size": Interval(kind=int, low=1, high=64)}
    )

    def __post_init__(self) -> None:
        validate_ranges(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class FactsConfig:
    method: str = "lexical"
    similarity: float = 0.5

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType({"similarity": _SHARE})

    def __post_init__(self) -> None:
        validate_ranges(self)


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

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType(
        {"dates": _POSITIVE_INT, "sentences_per_date": _POSITIVE_INT}
    )

    def __post_init__(self) -> None:
        validate_ranges(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class PipelineConfig:
    """How a run uses the machine: ``workers`` runs the quotes and entities stages in two
    worker processes beside the core stages (same output, less wall time on two or more
    cores) when the articles hold at least ``workers_from_chars`` characters."""

    workers: bool = True
    workers_from_chars: int = 2_000_000

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType(
        {"workers_from_chars": Interval(kind=int, low=0)}
    )

    def __post_init__(self) -> None:
        validate_ranges(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportConfig:
    """What the reports show beyond the digest: ``timings``, the seconds of each stage."""

    timings: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    facts: FactsConfig = field(default_factory=FactsConfig)
    select: SelectConfig = field(default_factory=SelectConfig)
    quotes: QuotesConfig = field(default_factory=QuotesConfig)
    entities: EntitiesConfig = field(default_factory=EntitiesConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
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
    constraints = _constraints(base)
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{section}.{key}" if section else key
        if key not in known:
            choices = ", ".join(sorted(known))
            raise ConfigError(f"unknown config key '{where}'; expected one of: {choices}")
        current = getattr(base, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, Mapping):
                raise ConfigError(_invalid(where, "the configuration", "a table", value))
            changes[key] = _overlay(current, value, section=where)
            continue
        checked = _checked(value, hints[key])
        constraint = constraints.get(key)
        if checked is None or (constraint is not None and not constraint.accepts(checked)):
            expected = str(constraint) if constraint is not None else _type_names(hints[key])
            raise ConfigError(_invalid(where, "the configuration", expected, value))
        changes[key] = checked
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]


def _checked(value: object, expected: object) -> object | None:
    """``value`` as the type ``expected`` (an int is a float), or None if it is not one."""
    for kind in _types(expected):
        if kind is bool and isinstance(value, bool):
            return value
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(kind, type) and isinstance(value, kind) and not isinstance(value, bool):
            return value
    return None


def _types(expected: object) -> tuple[object, ...]:
    return typing.get_args(expected) if isinstance(expected, types.UnionType) else (expected,)


def _type_names(expected: object) -> str:
    names: dict[object, str] = {int: "an int", float: "a float", str: "a str", bool: "a bool"}
    return " or ".join(names.get(kind, str(kind)) for kind in _types(expected))


def _constraints(config: object) -> Constraints:
    table: Constraints = getattr(type(config), "CONSTRAINTS", _NO_CONSTRAINTS)
    return table


def validate_ranges(config: object) -> None:
    """Raise :class:`ConfigError` for the first setting of ``config`` outside its range.

    The ranges are the ``CONSTRAINTS`` table of ``config``'s class; stages whose
    options are also settings check them with the same table.
    """
    for name, constraint in _constraints(config).items():
        value = getattr(config, name)
        if not constraint.accepts(value):
            raise ConfigError(_invalid(name, type(config).__name__, str(constraint), value))


def _invalid(name: str, owner: str, expected: str, value: object) -> str:
    """scikit-learn's one error shape for a bad parameter."""
    return f"The '{name}' parameter of {owner} must be {expected}. Got {value!r} instead."
