"""Digests and updates of stored stories, computed once while the story stays the same.

Input: a story id and a word budget (and, for an update, what it is since). Output:
:class:`StoryDigest`, the story's overview, its :class:`~storyline.model.Digest` (for
the pages) and the digest's JSON document (schema 3,
:func:`~storyline.report.markdown.digest_to_dict`, without timings, for the API); or
:class:`StoryUpdate`, the :class:`~storyline.digest.updates.Update` and its document
(:func:`~storyline.report.updates.update_to_dict`). A digest is computed as ``storyline
digest --story`` computes it, an update as ``storyline update --story ID --since``
does (the story's articles and delivered digests from the store, through the
configured pipeline, :func:`~storyline.registry.build_pipeline`), except that an update
served here is not recorded as delivered: reading never writes.

Method: a least-recently-used cache of ``size`` entries keyed by (story, budget) or
(story, since, budget); an entry holds the story's article ids (and, for an update, the
ids of the digests delivered) when it was computed, and a story that has changed since
(an ingest, a merge, a new delivered digest) is computed again. Computations run one at
a time (the pipeline is CPU-bound, and two requests for the same story then share one
computation); the cache belongs to the app, never to the module.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from storyline.config import Config
from storyline.digest.updates import Baseline, EarlierDigest, Update, digest_new
from storyline.model import Budget, Corpus, Digest, StoryOverview
from storyline.pipeline.workers import fewer_collections
from storyline.registry import build_pipeline
from storyline.report.markdown import digest_to_dict
from storyline.report.updates import update_to_dict
from storyline.store import Store

__all__ = ["DigestCache", "StoryDigest", "StoryUpdate"]

_Entry = TypeVar("_Entry", "StoryDigest", "StoryUpdate")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDigest:
    """A story's digest under one budget, with the overview it was computed from."""

    overview: StoryOverview
    budget: Budget
    digest: Digest
    document: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryUpdate:
    """What is new in a story since a baseline, under one budget, with the overview and the
    delivered digests' ids it was computed from."""

    overview: StoryOverview
    delivered: tuple[int, ...]
    update: Update
    document: dict[str, Any]


class DigestCache:
    """The digests and updates of ``store``'s stories, computed with ``config``'s pipeline."""

    def __init__(self, *, store: Store, config: Config, size: int = 32) -> None:
        self.store = store
        self.config = config
        self.size = size
        self._entries: OrderedDict[Hashable, StoryDigest | StoryUpdate] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = threading.Lock()
        self.computed = 0  # how many digests were computed (not served from the cache)

    def digest(self, story_id: str, words: int) -> StoryDigest:
        """The digest of story ``story_id`` (or of the one it was merged into) in ``words``;
        an unknown story is a :class:`~storyline.errors.StoreError`."""

        def compute(overview: StoryOverview) -> StoryDigest:
            articles = self.store.articles(overview.id)
            budget = Budget(unit="words", limit=words)
            digest = build_pipeline(self.config).run(
                Corpus(articles=articles), budget, story_id=overview.id
            )
            document = digest_to_dict(digest, timings=False)
            return StoryDigest(overview=overview, budget=budget, digest=digest, document=document)

        return self._remembered(StoryDigest, story_id, ("digest", words), lambda _: True, compute)

    def update(self, story_id: str, since: int | dt.date | None, words: int) -> StoryUpdate:
        """What is new in story ``story_id`` in ``words`` since the delivered digest
        ``since`` (an id), since a day, or since the last digest delivered (None), as
        :meth:`~storyline.digest.updates.Baseline.of_story` reads it; not recorded as
        delivered. An unknown story is a :class:`~storyline.errors.StoreError`, no digest
        to start from a :class:`~storyline.errors.StorylineError`."""

        def delivered(overview: StoryOverview) -> tuple[int, ...]:
            return tuple(item.id for item in self.store.digests(overview.id))

        def compute(overview: StoryOverview) -> StoryUpdate:
            articles = self.store.articles(overview.id)
            stored = self.store.digests(overview.id)
            earlier = [
                EarlierDigest(id=item.id, delivered=item.delivered, document=item.document)
                for item in stored
            ]
            baseline = Baseline.of_story(earlier, articles, since=since, story_id=overview.id)
            budget = Budget(unit="words", limit=words)
            update = digest_new(
                build_pipeline(self.config), articles, baseline, budget, story_id=overview.id
            )
            return StoryUpdate(
                overview=overview,
                delivered=tuple(item.id for item in stored),
                update=update,
                document=update_to_dict(update, timings=False),
            )

        def current(entry: StoryUpdate) -> bool:
            return entry.delivered == delivered(entry.overview)

        return self._remembered(StoryUpdate, story_id, ("update", since, words), current, compute)

    def _remembered(
        self,
        kind: type[_Entry],
        story_id: str,
        key: tuple[Hashable, ...],
        current: Callable[[_Entry], bool],
        compute: Callable[[StoryOverview], _Entry],
    ) -> _Entry:
        """The cached entry of (story, ``key``) while its story's articles are the same and
        ``current`` holds, else ``compute``'s, remembered."""
        overview = self.store.story(story_id)
        found = self._cached(kind, (overview.id, *key), overview, current)
        if found is not None:
            return found
        with self._computing:
            overview = self.store.story(story_id)
            full = (overview.id, *key)
            found = self._cached(kind, full, overview, current)
            if found is not None:
                return found
            with fewer_collections():
                entry = compute(overview)
            with self._lock:
                self.computed += 1
                self._entries[full] = entry
                self._entries.move_to_end(full)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            return entry

    def _cached(
        self,
        kind: type[_Entry],
        key: Hashable,
        overview: StoryOverview,
        current: Callable[[_Entry], bool],
    ) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
        if (
            not isinstance(entry, kind)
            or entry.overview.article_ids != overview.article_ids
            or not current(entry)
        ):
            return None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        return entry
