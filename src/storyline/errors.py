"""Errors raised by storyline.

The tree::

    StorylineError            base of everything storyline raises on purpose
    ├── ConfigError           bad option, unknown registry key, bad config file, a
    │                         setting out of its range (usage)
    ├── IngestError           an input that cannot be read at all (not one bad item:
    │                         bad items become rejections, see ``model.Rejection``)
    ├── StageError            a pipeline stage failed; ``stage`` names it (the pipeline
    │                         rejects an article that makes a stage fail as
    │                         ``processing-error``; this propagates only when no
    │                         article is to blame)
    ├── ReportError           an output could not be written
    ├── StoreError            the store cannot be opened or used: a bad location, an
    │                         unreachable server, a file that is no store, a schema
    │                         version other than the code's, an unknown story or article
    └── EvaluationError       a benchmark dataset is missing or malformed

The CLI prints ``str(error)`` as one line and exits 2 for ``ConfigError``,
1 for the others.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EvaluationError",
    "IngestError",
    "ReportError",
    "StageError",
    "StoreError",
    "StorylineError",
]


class StorylineError(Exception):
    """Base class of the errors storyline raises on purpose."""


class ConfigError(StorylineError):
    """An option, registry key or configuration file is invalid."""


class IngestError(StorylineError):
    """An input path cannot be used at all."""


class StageError(StorylineError):
    """A pipeline stage failed; the message names the stage."""

    def __init__(self, stage: str, cause: BaseException) -> None:
        super().__init__(f"stage '{stage}' failed: {cause}")
        self.stage = stage
        self.cause = cause


class ReportError(StorylineError):
    """An output could not be written."""


class StoreError(StorylineError):
    """The store cannot be opened or used, or holds no such story or article."""


class EvaluationError(StorylineError):
    """A benchmark dataset is missing or malformed."""
