"""storyline: dated news articles in, a cited, non-redundant event digest out.

The public API is re-exported here; everything else is an implementation detail.
:class:`FileIngestor` is imported when first asked for: its readers bring feedparser,
trafilatura and warcio (about a second of CPU to import), which a process that only
digests never uses, and every story worker of ``digest --all`` imports this package.
"""

from typing import TYPE_CHECKING, Any

from storyline.config import Config, load_config
from storyline.errors import (
    ConfigError,
    EvaluationError,
    IngestError,
    ReportError,
    StageError,
    StorylineError,
)
from storyline.model import (
    Article,
    Budget,
    Citation,
    Corpus,
    Digest,
    DuplicateGroup,
    Fact,
    Rejection,
    RejectionReason,
    Sentence,
    Story,
    Summary,
    SummarySentence,
    TimeRef,
)
from storyline.pipeline import Pipeline
from storyline.registry import build_pipeline
from storyline.report.markdown import to_json, to_markdown

if TYPE_CHECKING:
    from storyline.ingest.files import FileIngestor

__all__ = [
    "Article",
    "Budget",
    "Citation",
    "Config",
    "ConfigError",
    "Corpus",
    "Digest",
    "DuplicateGroup",
    "EvaluationError",
    "Fact",
    "FileIngestor",
    "IngestError",
    "Pipeline",
    "Rejection",
    "RejectionReason",
    "ReportError",
    "Sentence",
    "StageError",
    "Story",
    "StorylineError",
    "Summary",
    "SummarySentence",
    "TimeRef",
    "build_pipeline",
    "load_config",
    "to_json",
    "to_markdown",
]


def __getattr__(name: str) -> Any:
    if name == "FileIngestor":
        from storyline.ingest.files import FileIngestor  # noqa: PLC0415 - see the docstring

        return FileIngestor
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
