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
(an ingest, a merge, a new delivered digest) is computed again. The story's overview and
delivered digests are read through a :class:`~storyline.service.reads.ReadCache` (again
only when the store has changed). Computations run one at a time (the pipeline is
CPU-bound, and two requests for the same story then share one computation), in this
process or, given ``offload`` (the app gives
:meth:`~storyline.service.workers.Workers.call`), in a worker process that opens the
same store; a digest keeps the view of the story page's body
(:func:`~storyline.report.html.story_view`) made with it. The cache belongs to the app,
never to the module.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from storyline.config import Config
from storyline.digest.updates import Baseline, EarlierDigest, Update, digest_new
from storyline.model import Budget, Corpus, Digest, StoryOverview
from storyline.pipeline.workers import fewer_collections
from storyline.registry import build_pipeline
from storyline.report.html import StoryPage, story_view
from storyline.report.markdown import digest_to_dict
from storyline.report.updates import update_to_dict
from storyline.service.reads import ReadCache
from storyline.service.workers import address_of
from storyline.store import DeliveredDigest, Store

__all__ = [
    "DigestCache",
    "Offload",
    "StoryDigest",
    "StoryUpdate",
    "compute_digest",
    "compute_update",
]

_Entry = TypeVar("_Entry", "StoryDigest", "StoryUpdate")
_MADE_PER_DIGEST = 8  # things made from one digest that are kept (DigestCache.made)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDigest:
    """A story's digest under one budget, with the overview it was computed from, its JSON
    document and the view of the story page's body (:func:`~storyline.report.html.story_view`,
    made once: a large story's takes seconds; the page lays it out with the report's macros)."""

    overview: StoryOverview
    budget: Budget
    digest: Digest
    document: dict[str, Any]
    view: StoryPage


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryUpdate:
    """What is new in a story since a baseline, under one budget, with the overview and the
    delivered digests' ids it was computed from."""

    overview: StoryOverview
    delivered: tuple[int, ...]
    update: Update
    document: dict[str, Any]


class Offload(Protocol):
    """What runs a computation elsewhere (:meth:`~storyline.service.workers.Workers.call`)."""

    def __call__(self, function: Callable[..., _T], /, *args: Any) -> _T: ...


def compute_digest(
    store: Store, config: Config, overview: StoryOverview, words: int
) -> StoryDigest:
    """The digest of the story ``overview`` in ``words``, as ``storyline digest --story``."""
    articles = store.articles(overview.id)
    budget = Budget(unit="words", limit=words)
    with fewer_collections():
        digest = build_pipeline(config).run(Corpus(articles=articles), budget, story_id=overview.id)
    return StoryDigest(
        overview=overview,
        budget=budget,
        digest=digest,
        document=digest_to_dict(digest, timings=False),
        view=story_view(digest),
    )


def compute_update(
    store: Store,
    config: Config,
    overview: StoryOverview,
    since: int | dt.date | None,
    words: int,
) -> StoryUpdate:
    """What is new in the story ``overview`` since ``since``, as ``storyline update``."""
    articles = store.articles(overview.id)
    stored = store.digests(overview.id)
    earlier = [
        EarlierDigest(id=item.id, delivered=item.delivered, document=item.document)
        for item in stored
    ]
    baseline = Baseline.of_story(earlier, articles, since=since, story_id=overview.id)
    budget = Budget(unit="words", limit=words)
    with fewer_collections():
        update = digest_new(
            build_pipeline(config), articles, baseline, budget, story_id=overview.id
        )
    return StoryUpdate(
        overview=overview,
        delivered=tuple(item.id for item in stored),
        update=update,
        document=update_to_dict(update, timings=False),
    )


def _opened(address: str, function: Callable[..., _T], config: Config, *args: Any) -> _T:
    """In a worker process: ``function`` over the store at ``address``."""
    with Store.open(address) as store:
        return function(store, config, *args)


class DigestCache:
    """The digests and updates of ``store``'s stories, computed with ``config``'s pipeline."""

    def __init__(
        self,
        *,
        store: Store,
        config: Config,
        size: int = 32,
        reads: ReadCache | None = None,
        offload: Offload | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.size = size
        self.reads = reads or ReadCache(store=store)
        self.offload = offload
        self._entries: OrderedDict[Hashable, StoryDigest | StoryUpdate] = OrderedDict()
        self._made: OrderedDict[Hashable, tuple[StoryDigest, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = threading.Lock()
        self.computed = 0  # how many digests were computed (not served from the cache)

    def digest(self, story_id: str, words: int) -> StoryDigest:
        """The digest of story ``story_id`` (or of the one it was merged into) in ``words``;
        an unknown story is a :class:`~storyline.errors.StoreError`."""
        return self._remembered(
            StoryDigest,
            story_id,
            ("digest", words),
            lambda _: True,
            lambda overview: self._compute(compute_digest, overview, words),
        )

    def made(self, story_id: str, words: int, name: str, make: Callable[[StoryDigest], _T]) -> _T:
        """``make(digest)`` of the story's digest in ``words`` (:meth:`digest`), made once
        per computed digest and kept under ``name`` while that digest is the current one: a
        page or a JSON text served again and again is not made again for every request."""
        entry = self.digest(story_id, words)
        key = (entry.overview.id, words, name)
        with self._lock:
            found = self._made.get(key)
            if found is not None and found[0] is entry:
                self._made.move_to_end(key)
                return cast(_T, found[1])
        value = make(entry)
        with self._lock:
            self._made[key] = (entry, value)
            self._made.move_to_end(key)
            while len(self._made) > self.size * _MADE_PER_DIGEST:
                self._made.popitem(last=False)
        return value

    def update(self, story_id: str, since: int | dt.date | None, words: int) -> StoryUpdate:
        """What is new in story ``story_id`` in ``words`` since the delivered digest
        ``since`` (an id), since a day, or since the last digest delivered (None), as
        :meth:`~storyline.digest.updates.Baseline.of_story` reads it; not recorded as
        delivered. An unknown story is a :class:`~storyline.errors.StoreError`, no digest
        to start from a :class:`~storyline.errors.StorylineError`."""

        def current(entry: StoryUpdate) -> bool:
            return entry.delivered == tuple(item.id for item in self.delivered(story_id))

        return self._remembered(
            StoryUpdate,
            story_id,
            ("update", since, words),
            current,
            lambda overview: self._compute(compute_update, overview, since, words),
        )

    def _compute(
        self,
        function: Callable[..., _Entry],
        overview: StoryOverview,
        *args: Any,
    ) -> _Entry:
        """``function(store, config, overview, *args)``, here or in the worker process."""
        if self.offload is None:
            return function(self.store, self.config, overview, *args)
        computed: _Entry = self.offload(
            _opened, address_of(self.store.location), function, self.config, overview, *args
        )
        return computed

    def overview(self, story_id: str) -> StoryOverview:
        """The story ``story_id`` (or the one it was merged into), read again only when the
        store has changed; unknown: :class:`~storyline.errors.StoreError`."""
        return self.reads.get(("story", story_id), lambda: self.store.story(story_id))

    def delivered(self, story_id: str) -> tuple[DeliveredDigest, ...]:
        """The digests delivered of story ``story_id``, oldest first, read again only when
        the store has changed."""
        return self.reads.get(("digests", story_id), lambda: self.store.digests(story_id))

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
        overview = self.overview(story_id)
        found = self._cached(kind, (overview.id, *key), overview, current)
        if found is not None:
            return found
        with self._computing:
            overview = self.overview(story_id)
            full = (overview.id, *key)
            found = self._cached(kind, full, overview, current)
            if found is not None:
                return found
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
