"""The web app's worker processes: ingests and digests run away from the server's requests.

:class:`Workers` keeps two worker processes (each a
:class:`concurrent.futures.ProcessPoolExecutor` of one process, ``spawn``, started on first
use): one runs :meth:`~storyline.store.Store.ingest` (:meth:`Workers.ingest`), the other
any computation given to it (:meth:`Workers.call`: the app's digests and updates,
:mod:`storyline.service.digests`). Each opens the same store (the store's transactions keep
an ingest apart from everything else, as they do for two CLI processes; SQLite runs in WAL
mode, so reads go on during a write). Why processes and not threads of the server: an
ingest into a large store and the digest of a large story are seconds of Python that held
the interpreter's lock, and every request waited for them. Measured by
``bench/bench_service.py`` on 10,000 articles at 10 clients (bench/README.md): with both in
threads of the server, 8.5 requests/s and a read waited up to 5.2 s during a write.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from storyline.model import Corpus
from storyline.store import IngestReport, Store
from storyline.store.engine import StoreLocation

__all__ = ["Workers", "address_of"]

_T = TypeVar("_T")


def address_of(location: StoreLocation) -> str:
    """What :meth:`~storyline.store.Store.open` reads to open the store at ``location``."""
    if location.path is not None:
        return str(location.path)
    return location.url.render_as_string(hide_password=False)


def _ingest(address: str, corpus: Corpus, command: str) -> IngestReport:
    """In the worker: open the store at ``address`` and ingest ``corpus``."""
    with Store.open(address) as store:
        return store.ingest(corpus, command=command)


class Workers:
    """The worker processes of the app over the store at ``location``."""

    def __init__(self, location: StoreLocation) -> None:
        self.address = address_of(location)
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._lock = threading.Lock()

    async def ingest(self, corpus: Corpus, *, command: str = "serve") -> IngestReport:
        """The report of ingesting ``corpus`` (one ingest at a time)."""
        loop = asyncio.get_running_loop()
        pool = self._pool("ingest")
        return await loop.run_in_executor(pool, _ingest, self.address, corpus, command)

    def call(self, function: Callable[..., _T], /, *args: Any) -> _T:
        """``function(*args)`` in the computing worker (a module-level function, its
        arguments and result picklable), waited for."""
        return self._pool("compute").submit(function, *args).result()

    def _pool(self, name: str) -> ProcessPoolExecutor:
        with self._lock:
            if name not in self._pools:
                self._pools[name] = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            return self._pools[name]

    def close(self) -> None:
        """Stop the workers (after the work they are running, if any)."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
