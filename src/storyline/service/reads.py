"""Store reads kept while the store stays the same: a key and a read -> the read's result.

The web app reads the same things over and over (the story index, a story's overview and
articles, the articles per day): :class:`ReadCache` keeps each result with the store's
revision (:meth:`~storyline.store.Store.revision`, one small query) read before it, and
serves it again while the revision is the same; a command that writes (an ingest, a
delivered digest) changes the revision, and the next request reads afresh. The revision
itself is read at most every ``recheck`` seconds (the app: 0.25), and right after a write
of the app's own (:meth:`ReadCache.wrote`): a client reads its own writes at once, and
another process's within a quarter of a second. Reading it on every call cost 2 to 5 ms,
two or three times a request (``bench/bench_service.py``). Reading the
revision first means a result is never kept under a revision older than the data it saw.

Method: a least-recently-used mapping of ``size`` entries under a lock; requests that miss
the same key at once read it once (the others wait for that read: after a write, the
story index is read once, not by every client that asks for it at that moment). A
result read at a later revision than the one a request saw serves that request too.
Written here because the check against the store's revision is the whole point and no
caching library knows it; measured by ``bench/bench_service.py`` (bench/README.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from storyline.model import StoryOverview
from storyline.store import Store

__all__ = ["ReadCache", "StoryIndex"]

_T = TypeVar("_T")


class ReadCache:
    """Results of reads of ``store``, ``size`` at most, each kept while the store's
    revision is the one read before it."""

    def __init__(self, *, store: Store, size: int = 256, recheck: float = 0.0) -> None:
        self.store = store
        self.size = size
        self.recheck = recheck
        self._revision = (-1, -math.inf)  # the revision last read, and when (monotonic)
        self._writes = 0  # the app's own writes so far
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._reading: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, read: Callable[[], _T]) -> _T:
        """``read()``'s result, kept under ``key`` (which must name everything the read
        depends on besides the store) while the store does not change."""
        revision = self.revision()
        found = self._found(key, revision)
        if found is not None:
            return cast(_T, found[0])
        with self._lock:
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:  # one read of a key at a time: the others wait for its result
            found = self._found(key, revision)
            if found is not None:
                return cast(_T, found[0])
            value = read()
            with self._lock:
                self._entries[key] = (revision, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    gone, _ = self._entries.popitem(last=False)
                    self._reading.pop(gone, None)
        return value

    def revision(self) -> int:
        """The store's revision, read from the store at most every ``recheck`` seconds and
        after :meth:`wrote`."""
        now = time.monotonic()
        with self._lock:
            revision, read = self._revision
            writes = self._writes
        if now - read < self.recheck:
            return revision
        revision = self.store.revision()
        with self._lock:
            if writes == self._writes:  # else it may have been read before that write
                self._revision = max(self._revision, (revision, now))
        return revision

    def wrote(self) -> None:
        """This app wrote to the store: the next read reads the revision again."""
        with self._lock:
            self._writes += 1
            self._revision = (self._revision[0], -math.inf)

    def _found(self, key: Hashable, revision: int) -> tuple[Any] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < revision:
                return None
            self._entries.move_to_end(key)
            return (found[1],)


class StoryIndex:
    """The live stories of ``store``, each overview kept while its story's articles stay
    the same.

    :meth:`stories` reads which articles each story has (:meth:`Store.changed_stories
    <storyline.store.Store.changed_stories>`: two short columns) and reads again only the
    overviews of the stories whose articles changed, appeared or went (a merge). An
    overview is made of its articles alone, and stored articles never change, so the
    result is what :meth:`Store.stories <storyline.store.Store.stories>` reads, without
    reading every article's title, date, source and opening after each write. Measured
    on the 10,000-article store of ``bench/bench_service.py``: 8-11 ms against 86-120 ms
    for reading all of them; the web app's story list is read again after every write
    (one a second in that benchmark), by a thread that shares the interpreter with the
    requests.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, tuple[tuple[str, ...], StoryOverview]] = {}
        self._lock = threading.Lock()

    def stories(self) -> tuple[StoryOverview, ...]:
        """Every live story's overview, in no particular order."""
        with self._lock:
            known = self._known
            members, fresh = self.store.changed_stories({s: k[0] for s, k in known.items()})
            made = {overview.id: overview for overview in fresh}
            self._known = {
                story_id: (ids, made[story_id] if story_id in made else known[story_id][1])
                for story_id, ids in members.items()
            }
            return tuple(overview for _, overview in self._known.values())
