"""Where a run's independent parts execute: here (the local engine) or on Dask workers.

A run's parts that do not depend on one another are spread out; the parts that need
every article run where the run started, in one ordered pass. Spread out:

- **reading the input**: the files, in consecutive parts of about ``partition_bytes``,
  each part a task returning its items in reading order
  (:meth:`storyline.ingest.files.FileIngestor.read`); the items are then checked
  across files here (:meth:`~storyline.ingest.files.FileIngestor.collect`: an id or
  URL given twice), in the same order as a local read;
- **splitting articles into sentences**: the canonical articles in consecutive parts of
  about ``partition_chars`` characters, each part a task (a sentence depends only on its
  article);
- **digesting each story**: one task a story, largest first, each given the story's
  articles, sentences and copies (:func:`storyline.pipeline.story_parts`) and returning
  the digest without its articles (:func:`storyline.pipeline.digest_one_story`).

Run here, once, in canonical order: copy detection and story clustering. Clustering is
a single ordered pass over the canonical articles (:mod:`storyline.stories.clusters`), so
the stories are those of the local engine whatever the partitions; each story is then
digested by the same function on the same data, which is why the digests are the same
bytes (tested on the example stream and a 2,000-article stream). The cluster pass is
cheap beside the digests (about 1% of a digest run's time on Timeline17); it is the part
that does not scale out.

:class:`DaskEngine` uses Dask distributed's futures (``Client.map``, ``Client.submit``,
``as_completed``; https://distributed.dask.org/en/stable/client.html): the pipeline is
sent to the workers once, as the result of a task of its own (not scattered data,
which would be lost with the workers holding it, where a task's result is made again).
A worker that dies mid-task has its tasks run again on another worker by the scheduler
(up to ``distributed.scheduler.allowed-failures`` times, 3 by default); a task that keeps
killing workers ends the run with one line naming the story (:class:`EngineError`),
before anything is written; so does a task left without any worker for
:data:`NO_WORKERS_TIMEOUT` (on a LocalCluster the engine starts; a cluster of your own
has its ``distributed.scheduler.no-workers-timeout``). The input paths must be readable
by the workers under the same names (one machine, or a shared file system): the workers
read the files themselves, so that the text crosses the network once.

What travels is counted (:attr:`DaskEngine.traffic`): the tasks submitted, the bytes of
their pickled arguments and shared values sent from here (each shared value once: a
worker that needs it copies it from another), and the bytes of every result. A task's
plain arguments and its result travel as one pickled blob each, made here and by the
worker (:func:`_measured`), so that what is counted is what is sent, pickled once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from storyline.errors import ConfigError, StorylineError
from storyline.ingest.files import FileIngestor, InputItem
from storyline.model import Article, Budget, Corpus, Digest, Rejection, Sentence, StoryOverview
from storyline.pipeline import (
    PackedDigest,
    digest_one_story,
    pack_digest,
    story_parts,
    unpack_digest,
)
from storyline.text.sentences import Segmenter, segment_all

if TYPE_CHECKING:
    from distributed import Client

    from storyline.digest.updates import Update
    from storyline.pipeline import Pipeline, _Prepared
    from storyline.store import Store

__all__ = ["DaskEngine", "EngineError", "Traffic", "engine_from", "stored_update"]

_Item = TypeVar("_Item")

NO_WORKERS_TIMEOUT = "5 minutes"
"""How long a LocalCluster's task waits when every worker has died and none came back."""


class EngineError(StorylineError):
    """The distributed engine could not finish: a task kept killing workers, or the
    scheduler could not be reached."""


@dataclass
class Traffic:
    """What a :class:`DaskEngine` sent to its cluster and received from it."""

    tasks: int = 0
    sent_bytes: int = 0
    received_bytes: int = 0

    def describe(self) -> str:
        return (
            f"dask: {self.tasks:,} tasks, {self.sent_bytes / 2**20:,.1f} MiB sent to the "
            f"workers, {self.received_bytes / 2**20:,.1f} MiB of results back"
        )


class DaskEngine:
    """The independent parts as tasks of a Dask distributed cluster (module docstring)."""

    def __init__(
        self,
        client: Client,
        *,
        partition_chars: int = 4_000_000,
        partition_bytes: int = 16_000_000,
    ) -> None:
        self.client = client
        self.partition_chars = partition_chars
        self.partition_bytes = partition_bytes
        self.traffic = Traffic()

    def read(self, ingestor: FileIngestor, paths: Sequence[str | Path]) -> Corpus:
        files = ingestor.expand(paths)
        parts = _runs(files, _file_size, self.partition_bytes)
        if not parts:
            return ingestor.collect(())
        futures = [self._submit(ingestor.read, part) for part in parts]
        items: list[InputItem] = []
        for number, future in enumerate(futures):
            items += self._result(future, f"reading {_describe(parts[number])}")
        return ingestor.collect(items)

    def segment(
        self, segmenter: Segmenter, articles: Sequence[Article]
    ) -> dict[str, tuple[Sentence, ...]]:
        parts = _runs(articles, _text_size, self.partition_chars)
        if not parts:
            return {}
        shared = self._shared(segmenter)
        futures = [self._submit(segment_all, part, shared) for part in parts]
        sentences: dict[str, tuple[Sentence, ...]] = {}
        for part, future in zip(parts, futures, strict=True):
            sentences |= self._result(
                future, f"splitting articles {part[0].id} .. {part[-1].id} into sentences"
            )
        return sentences

    def digest_stories(
        self,
        pipeline: Pipeline,
        budget: Budget,
        stories: Sequence[StoryOverview],
        articles: Mapping[str, Article],
        prepared: _Prepared,
    ) -> dict[str, Digest]:
        shared = self._shared(pipeline)
        pending = {}
        for rank, overview in enumerate(stories):  # the largest first
            parts = story_parts(overview, articles, prepared)
            future = self._story_task(
                digest_one_story, shared, budget, parts, story_id=overview.id, rank=rank
            )
            pending[overview.id] = (future, parts[0])
        made = {}
        for story_id, (future, members) in pending.items():
            reply = self._result(future, f"digesting story {story_id}")
            if reply is not None:
                made[story_id] = unpack_digest(reply, members)
        return made

    def digest_stored(
        self,
        pipeline: Pipeline,
        budget: Budget,
        store: str,
        story_ids: Sequence[str],
        deliver: Callable[[str, Digest], None],
    ) -> None:
        """Digest each story of the store at ``store`` (an SQLite file's absolute path or a
        database URL the workers can reach) as one task that reads the story's articles
        from the store itself and digests them as :meth:`Pipeline.run` does; hand each
        digest to ``deliver`` here, in the order the tasks finish (give the largest story
        first). The workers only read the store: what is delivered is written here."""

        def unpacked(story_id: str, reply: PackedDigest) -> None:
            deliver(story_id, unpack_digest(reply))

        self._each_stored(_digest_stored, (pipeline, budget), store, story_ids, unpacked)

    def update_stored(
        self,
        pipeline: Pipeline,
        budget: Budget,
        store: str,
        story_ids: Sequence[str],
        deliver: Callable[[str, Update | None], None],
        *,
        since: dt.date | None = None,
    ) -> None:
        """What is new in each story of the store at ``store`` (see :func:`stored_update`),
        one task a story reading from the store itself, as :meth:`digest_stored` does."""
        self._each_stored(_update_stored, (pipeline, budget, since), store, story_ids, deliver)

    def _each_stored(
        self,
        task: Callable[..., Any],
        shared: tuple[object, ...],
        store: str,
        story_ids: Sequence[str],
        deliver: Callable[[str, Any], None],
    ) -> None:
        """``task(*shared, (store, story_id))`` for each story, ``shared`` sent once; each
        result handed to ``deliver`` here in the order the tasks finish."""
        from distributed import as_completed  # noqa: PLC0415 (an optional extra)

        held = self._shared(shared)
        futures = {
            self._story_task(
                _unpacking, task, held, (store, story_id), story_id=story_id, rank=rank
            ): story_id
            for rank, story_id in enumerate(story_ids)
        }
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            story_id = futures[future]
            deliver(story_id, self._result(future, f"digesting story {story_id}"))

    def _story_task(
        self, task: Callable[..., Any], *arguments: object, story_id: str, rank: int
    ) -> Any:
        """A future of ``task(*arguments)`` digesting one story: stories given earlier (a
        lower ``rank``: the larger) run first; each run of a story is a task of its own."""
        return self._submit(
            task, *arguments, priority=-rank, key=f"digest-{story_id}-{os.urandom(4).hex()}"
        )

    def _submit(self, task: Callable[..., Any], *arguments: object, **options: Any) -> Any:
        """A future of ``task(*arguments)`` run on a worker, its traffic counted: the
        arguments' pickled bytes (other futures are references, not counted again) and,
        when it finishes, its result's."""
        shared = [argument for argument in arguments if _is_future(argument)]
        plain = [_SharedSlot if _is_future(argument) else argument for argument in arguments]
        blob = pickle.dumps((task, plain), pickle.HIGHEST_PROTOCOL)
        self.traffic.tasks += 1
        self.traffic.sent_bytes += len(blob)
        return self.client.submit(_measured, blob, *shared, pure=False, **options)

    def _shared(self, value: object) -> Any:
        """A future holding ``value`` on the workers, for every task that needs it: a task of
        its own rather than scattered data, so that the scheduler makes it again when the
        workers holding it die."""
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self.traffic.tasks += 1
        self.traffic.sent_bytes += len(blob)
        return self.client.submit(pickle.loads, blob, pure=False)

    def _result(self, future: Any, what: str) -> Any:
        """The task's result, released on the workers; a task that killed its workers ends
        the run naming it."""
        from distributed import KilledWorker  # noqa: PLC0415 (an optional extra)
        from distributed.scheduler import (  # noqa: PLC0415
            NoValidWorkerError,
            NoWorkerError,
        )

        try:
            blob = future.result()
        except KilledWorker as error:
            raise EngineError(
                f"the Dask workers died {what}, again after the scheduler's retries ({error})"
            ) from error
        except (CancelledError, OSError) as error:
            raise EngineError(f"the Dask cluster stopped {what}: {error}") from error
        except (NoWorkerError, NoValidWorkerError) as error:
            raise EngineError(
                f"no Dask worker was left to go on {what}: none came back within "
                f"{NO_WORKERS_TIMEOUT}"
            ) from error
        self.traffic.received_bytes += len(blob)
        # the result is here now: the worker holding it may drop it (else every digest of
        # a run stays in the workers' memory until the run ends)
        future.release()
        return pickle.loads(blob)


def _digest_stored(pipeline: Pipeline, budget: Budget, story: tuple[str, str]) -> PackedDigest:
    """The digest of a stored story (the store's location, the story's id), its articles
    read from the store (a Dask task)."""
    store, story_id = story
    from storyline.store import Store  # noqa: PLC0415 (the store is imported where it is used)

    with Store.open(store, create=False) as opened:
        corpus = Corpus(articles=opened.articles(story_id))
    return pack_digest(pipeline.run(corpus, budget, story_id=story_id), articles=True)


def _update_stored(
    pipeline: Pipeline, budget: Budget, since: dt.date | None, story: tuple[str, str]
) -> Update | None:
    """What is new in a stored story (a Dask task; see :func:`stored_update`)."""
    location, story_id = story
    from storyline.store import Store  # noqa: PLC0415 (the store is imported where it is used)

    with Store.open(location, create=False) as opened:
        return stored_update(opened, pipeline, budget, story_id, since=since)


def stored_update(
    store: Store,
    pipeline: Pipeline,
    budget: Budget,
    story_id: str,
    *,
    since: int | dt.date | None = None,
) -> Update | None:
    """What is new in the stored story ``story_id`` since the digests delivered of it (or
    since ``since``: a digest id or a day, as :meth:`Baseline.of_story` reads it), made from
    the store's articles and digests; None when the story has no digest to start from
    and no ``since``."""
    from storyline.digest.updates import Baseline, EarlierDigest, digest_new  # noqa: PLC0415

    earlier = [
        EarlierDigest(id=item.id, delivered=item.delivered, document=item.document)
        for item in store.digests(story_id)
    ]
    if not earlier and since is None:
        return None
    articles = store.articles(story_id)
    baseline = Baseline.of_story(earlier, articles, since=since, story_id=story_id)
    return digest_new(pipeline, articles, baseline, budget, story_id=story_id)


def _unpacking(task: Callable[..., Any], shared: tuple[object, ...], item: object) -> Any:
    return task(*shared, item)


class _SharedSlot:
    """Where a shared value (a future, resolved by Dask) goes among a task's arguments."""


def _measured(blob: bytes, *shared: object) -> bytes:
    """Run the task pickled in ``blob`` (with ``shared``, in order, in its
    :class:`_SharedSlot` places) and return its result pickled: the bytes the worker sends
    back, counted by the engine as they are."""
    task, plain = pickle.loads(blob)
    values = iter(shared)
    arguments = [next(values) if item is _SharedSlot else item for item in plain]
    return pickle.dumps(task(*arguments), pickle.HIGHEST_PROTOCOL)


def _is_future(value: object) -> bool:
    from distributed import Future  # noqa: PLC0415 (an optional extra)

    return isinstance(value, Future)


def _runs(items: Sequence[_Item], size: Callable[[_Item], int], limit: int) -> list[list[_Item]]:
    """Consecutive runs of ``items`` of about ``limit`` in ``size`` each (an item is never
    split: a run ends once it reaches the limit)."""
    runs: list[list[_Item]] = []
    held = limit
    for item in items:
        if held >= limit:
            runs.append([])
            held = 0
        runs[-1].append(item)
        held += size(item)
    return runs


def _file_size(file: Path | Rejection) -> int:
    if isinstance(file, Path):
        with contextlib.suppress(OSError):
            return file.stat().st_size
    return 0


def _text_size(article: Article) -> int:
    return len(article.text)


def _describe(files: Sequence[Path | Rejection]) -> str:
    names = [str(file) for file in files if isinstance(file, Path)]
    if not names:
        return "the input"
    return names[0] if len(names) == 1 else f"{names[0]} .. {names[-1]}"


@contextlib.contextmanager
def engine_from(
    name: str, *, scheduler: str | None = None, workers: int | None = None
) -> Iterator[DaskEngine | None]:
    """The engine named ``name`` for the length of the block: None for ``local`` (the
    pipeline's own way), or a :class:`DaskEngine` connected to ``scheduler`` (an address
    such as ``tcp://10.0.0.5:8786``) or to a LocalCluster of ``workers`` processes (2 by
    default) on this machine, closed afterwards."""
    if name == "local":
        if scheduler is not None or workers is not None:
            raise ConfigError("--scheduler and --workers need --engine dask")
        yield None
        return
    if name != "dask":
        raise ConfigError(f"unknown engine '{name}': expected 'local' or 'dask'")
    if scheduler is not None and workers is not None:
        raise ConfigError("give --scheduler ADDRESS or --workers N, not both")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    try:
        from distributed import Client, LocalCluster  # noqa: PLC0415 (an optional extra)
    except ImportError as error:
        raise ConfigError(
            "--engine dask needs Dask distributed: pip install 'storyline[dask]'"
        ) from error
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            import dask  # noqa: PLC0415 (an optional extra)

            # a task left with no worker (every worker died and none came back) fails
            # after this long instead of waiting for ever
            timeout = {"distributed.scheduler.no-workers-timeout": NO_WORKERS_TIMEOUT}
            with dask.config.set(timeout):
                cluster = stack.enter_context(
                    LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=workers or 2,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                    )
                )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        else:
            try:
                client = stack.enter_context(
                    Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
                )
            except (OSError, TimeoutError, ValueError) as error:
                raise EngineError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}"
                ) from error
        yield DaskEngine(client)
