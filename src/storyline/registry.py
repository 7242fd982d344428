"""Registry: every stage implementation, by stage and kebab-case key, in one place.

Configuration names implementations by key (``[select] method = "lead"``); an
unknown key is a :class:`~storyline.errors.ConfigError` listing the choices.
``tests/unit/test_registry.py`` snapshots this table, so adding or renaming an
implementation is a visible change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from storyline.config import Config
from storyline.digest.compare import CueDisagreementFinder
from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.digest.summary import ConceptCoverageSummarizer, LeadSummarizer
from storyline.digest.timeline import (
    DateMentionTimelineBuilder,
    PublicationCentroidTimelineBuilder,
    TimelineBudget,
    TimelineBuilder,
)
from storyline.errors import ConfigError
from storyline.pipeline import Pipeline
from storyline.stories.clusters import OnlineClusterer, StoryClusterer
from storyline.stories.copies import ShingleDeduplicator
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter, Segmenter
from storyline.text.temporal import RuleTimeTagger

__all__ = [
    "REGISTRY",
    "build_clusterer",
    "build_pipeline",
    "build_segmenter",
    "build_timeline_builder",
    "create",
]

REGISTRY: Mapping[str, Mapping[str, Callable[..., Any]]] = {
    "segment": {"rule": RuleSegmenter},
    "dedup": {"shingle": ShingleDeduplicator},
    "cluster": {"online": OnlineClusterer},
    "facts": {"lexical": LexicalFactGrouper},
    "select": {"concept": ConceptCoverageSummarizer, "lead": LeadSummarizer},
    "quotes": {"rule": RuleQuoteExtractor},
    "entities": {"rule": RuleEntityRecognizer},
    "compare": {"cue": CueDisagreementFinder},
    "temporal": {"rule": RuleTimeTagger},
    "timeline": {
        "date-mention": DateMentionTimelineBuilder,
        "publication-centroid": PublicationCentroidTimelineBuilder,
    },
}


def create(stage: str, key: str, **options: Any) -> Any:
    """Instantiate the implementation registered for ``stage`` under ``key``."""
    if stage not in REGISTRY:
        raise ConfigError(f"unknown stage '{stage}'; expected one of: {', '.join(REGISTRY)}")
    table = REGISTRY[stage]
    if key not in table:
        raise ConfigError(
            f"The '{stage}.method' parameter must be one of {', '.join(sorted(table))}. "
            f"Got '{key}' instead."
        )
    return table[key](**options)


def build_pipeline(config: Config, *, analyses: bool = True) -> Pipeline:
    """The pipeline that ``config`` describes.

    ``analyses=False`` leaves out quotes, entities and compare, for benchmarks
    that score the summary alone.
    """
    return Pipeline(
        segmenter=build_segmenter(config),
        deduplicator=create(
            "dedup",
            config.dedup.method,
            shingle_size=config.dedup.shingle_size,
            threshold=config.dedup.article_similarity,
        ),
        fact_grouper=create("facts", config.facts.method, similarity=config.facts.similarity),
        summarizer=create("select", config.select.method),
        quote_extractor=create("quotes", config.quotes.method) if analyses else None,
        entity_recognizer=create("entities", config.entities.method) if analyses else None,
        disagreement_finder=create("compare", config.compare.method) if analyses else None,
        tagger=create("temporal", "rule") if analyses else None,
        timeline_builder=build_timeline_builder(config) if analyses else None,
        timeline_budget=TimelineBudget(
            dates=config.timeline.dates, sentences_per_date=config.timeline.sentences_per_date
        ),
        clusterer=build_clusterer(config),
        workers=config.pipeline.workers,
        workers_from_chars=config.pipeline.workers_from_chars,
    )


def build_clusterer(config: Config) -> StoryClusterer | None:
    """The story clusterer ``config`` names; None for ``method = "none"`` (one story)."""
    if config.cluster.method == "none":
        return None
    return create("cluster", config.cluster.method)  # type: ignore[no-any-return]


def build_segmenter(config: Config) -> Segmenter:
    """The sentence segmenter that ``config`` describes (method and sentence-length cap)."""
    return create(  # type: ignore[no-any-return]
        "segment", config.segment.method, max_chars=config.segment.max_chars
    )


def build_timeline_builder(config: Config, method: str | None = None) -> TimelineBuilder:
    """The timeline builder ``method`` (default: the configured one).

    The date-mention builder selects with the configured summarizer and groups
    the candidates of a story built without facts with the configured grouper.
    """
    key = method or config.timeline.method
    if key != "date-mention":
        return create("timeline", key)  # type: ignore[no-any-return]
    return create(  # type: ignore[no-any-return]
        "timeline",
        key,
        summarizer=create("select", config.select.method, narrative=False),
        fact_grouper=create("facts", config.facts.method, similarity=config.facts.similarity),
    )
