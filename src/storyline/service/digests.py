"""Digests of stored stories, computed once per story and budget while the story stays the same.

Input: a story id and a word budget. Output: :class:`StoryDigest`, the story's overview,
its :class:`~storyline.model.Digest` (for the pages) and the digest's JSON document
(schema 3, :func:`~storyline.report.markdown.digest_to_dict`, without timings, for the
API). The digest is computed as ``storyline digest --story`` computes it: the story's
articles from the store, through the configured pipeline
(:func:`~storyline.registry.build_pipeline`), as one story named by its id.

Method: a least-recently-used cache of ``size`` entries keyed by (story, budget); an
entry holds the story's article ids when it was computed, and a story that has gained
or lost an article since (an ingest, a merge) is computed again. Digests are computed
one at a time (the pipeline is CPU-bound, and two requests for the same story then
share one computation); the cache belongs to the app, never to the module.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from storyline.config import Config
from storyline.model import Budget, Corpus, Digest, StoryOverview
from storyline.pipeline.workers import fewer_collections
from storyline.registry import build_pipeline
from storyline.report.markdown import digest_to_dict
from storyline.store import Store

__all__ = ["DigestCache", "StoryDigest"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDigest:
    """A story's digest under one budget, with the overview it was computed from."""

    overview: StoryOverview
    budget: Budget
    digest: Digest
    document: dict[str, Any]


class DigestCache:
    """The digests of ``store``'s stories, computed with ``config``'s pipeline."""

    def __init__(self, *, store: Store, config: Config, size: int = 32) -> None:
        self.store = store
        self.config = config
        self.size = size
        self._entries: OrderedDict[tuple[str, int], StoryDigest] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = threading.Lock()
        self.computed = 0  # how many digests were computed (not served from the cache)

    def digest(self, story_id: str, words: int) -> StoryDigest:
        """The digest of story ``story_id`` (or of the one it was merged into) in ``words``;
        an unknown story is a :class:`~storyline.errors.StoreError`."""
        overview = self.store.story(story_id)
        key = (overview.id, words)
        found = self._cached(key, overview)
        if found is not None:
            return found
        with self._computing:
            overview = self.store.story(story_id)
            found = self._cached(key, overview)
            if found is not None:
                return found
            articles = self.store.articles(overview.id)
            budget = Budget(unit="words", limit=words)
            with fewer_collections():
                digest = build_pipeline(self.config).run(
                    Corpus(articles=articles), budget, story_id=overview.id
                )
                document = digest_to_dict(digest, timings=False)
            entry = StoryDigest(overview=overview, budget=budget, digest=digest, document=document)
            with self._lock:
                self.computed += 1
                self._entries[key] = entry
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return entry

    def _cached(self, key: tuple[str, int], overview: StoryOverview) -> StoryDigest | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.overview.article_ids != overview.article_ids:
                return None
            self._entries.move_to_end(key)
            return entry
