"""storyline: dated news articles in, a cited, non-redundant event digest out.

The public API is re-exported here; everything else is an implementation detail.
"""

from storyline.config import Config, load_config
from storyline.errors import (
    ConfigError,
    EvaluationError,
    IngestError,
    ReportError,
    StageError,
    StorylineError,
)
from storyline.ingest.files import FileIngestor
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
