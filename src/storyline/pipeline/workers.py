"""How a run uses the interpreter: the cyclic garbage collector and worker processes.

**The collector.** A digest builds millions of small objects (tokens, candidates,
mentions) that hold no reference cycles. CPython's default gen-0 threshold (700
allocations) then walks the young objects hundreds of thousands of times: measured
on 1,000 Timeline17 articles, 15% of the run (28.3 s -> 24.5 s with a threshold of
100,000; switching the collector off altogether gained nothing more). While a run
lasts, :func:`fewer_collections` raises the thresholds; the previous ones come back
afterwards, so an embedding program keeps its own setting.

**Workers.** A :class:`Worker` runs one function in a process of its own and talks
to it over pipes, so that the quotes and entities stages can use the machine's other
core while the main process runs the core stages. The process is a fresh interpreter
(``python -m storyline.pipeline._worker``): not a fork of the caller, which may run threads (a
progress display), and not :mod:`multiprocessing`'s spawn or fork server, which import
the caller's ``__main__`` again (a script without a ``__main__`` guard would run
twice). The function, its arguments and every message are pickled; whatever the
function raises comes back as a :class:`WorkerFailure`, and a worker that dies
(killed, out of memory) is a :class:`WorkerError` naming its exit code.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

__all__ = [
    "Channel",
    "Worker",
    "WorkerError",
    "WorkerFailure",
    "fewer_collections",
    "portable",
    "serve",
]

# a young generation of 100,000 objects, a full collection only after 5,000 young ones
_THRESHOLDS = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage rarely while the block runs (see the module docstring)."""
    previous = gc.get_threshold()
    gc.set_threshold(*_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


# ----------------------------------------------------------------------------- workers


@dataclass(frozen=True, slots=True)
class WorkerFailure:
    """What a worker sends back instead of a result: where it failed and the error."""

    stage: str
    error: BaseException


class Worker:
    """``target(channel, *args)`` run in a worker process (see the module docstring).

    The target sends results (and may receive more input) with ``channel.send`` and
    ``channel.recv``; :meth:`receive` returns what it sent, or raises a
    :class:`WorkerError` with the error it raised.
    """

    def __init__(self, target: Callable[..., None], *args: Any, stage: str) -> None:
        self.stage = stage
        # the worker's stderr, shown if it dies; closed by close()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self._process = subprocess.Popen(
            [sys.executable, "-m", "storyline.pipeline._worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=_environment(),
        )
        self._channel = Channel(
            cast(BinaryIO, self._process.stdout), cast(BinaryIO, self._process.stdin)
        )
        # what to run, sent by a thread: the pipe takes it only as fast as the new
        # interpreter starts and reads, and the caller has work to do meanwhile
        self._starting = threading.Thread(target=self._send_now, args=((target, stage, args),))
        self._starting.start()

    def send(self, value: object) -> None:
        self.send_frame(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def send_frame(self, frame: bytes) -> None:
        """Send a message already pickled (as :meth:`receive_frame` returned it)."""
        self._starting.join()  # after what to run
        self._send_frame_now(frame)

    def _send_now(self, value: object) -> None:
        self._send_frame_now(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _send_frame_now(self, frame: bytes) -> None:
        with contextlib.suppress(BrokenPipeError, ValueError):  # stopped: receive() says why
            self._channel.send_frame(frame)

    def receive(self) -> object:
        """The next message of the worker; a failure it reports is raised here."""
        return self.unpickle(self.receive_frame())

    def receive_frame(self) -> bytes:
        """The next message of the worker, still pickled (to pass on or unpickle later)."""
        try:
            return self._channel.recv_frame()
        except (EOFError, OSError, ValueError):
            code = self._process.wait()
            reason = f"the worker process exited with code {code}{self._last_words()}"
            raise WorkerError(self.stage, reason) from None

    def unpickle(self, frame: bytes) -> object:
        """A message from its frame; a failure the worker reported is raised here."""
        message = pickle.loads(frame)
        if isinstance(message, WorkerFailure):
            raise WorkerError(message.stage, message.error)
        return message

    def stop_input(self) -> None:
        """Close the worker's input: a worker waiting for a message ends (it gets EOF)."""
        self._channel.close_outgoing()

    def close(self) -> None:
        """Stop the worker (if it still runs) and release its pipes."""
        if self._process.poll() is None:
            self._process.terminate()  # also ends a start still being sent
        self._starting.join()
        self._channel.close()
        self._process.wait()
        self._log.close()

    def _last_words(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return f" ({lines[-1]})" if lines else ""


class Channel:
    """Pickled messages over a pair of byte streams (one end of a worker's pipes).

    Each message is a frame: its length (8 bytes, little-endian), then its pickle, so
    that a message can be passed on without being unpickled.
    """

    def __init__(self, incoming: BinaryIO, outgoing: BinaryIO) -> None:
        self._incoming = incoming
        self._outgoing = outgoing
        self.stage = ""  # in a worker: the stage it is in, named if it fails

    def send(self, value: object) -> None:
        self.send_frame(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def send_frame(self, frame: bytes) -> None:
        self._outgoing.write(len(frame).to_bytes(8, "little"))
        self._outgoing.write(frame)
        self._outgoing.flush()

    def recv(self) -> object:
        return pickle.loads(self.recv_frame())

    def recv_frame(self) -> bytes:
        header = self._incoming.read(8)
        if len(header) < 8:
            raise EOFError("the other end closed the channel")
        size = int.from_bytes(header, "little")
        frame = self._incoming.read(size)
        if len(frame) < size:
            raise EOFError("the channel closed inside a message")
        return frame

    def close_outgoing(self) -> None:
        with contextlib.suppress(OSError):  # a broken pipe: the other end is gone already
            self._outgoing.close()

    def close(self) -> None:
        for stream in (self._outgoing, self._incoming):
            with contextlib.suppress(OSError):
                stream.close()


class WorkerError(Exception):
    """A worker's failure in the main process: the stage it was in and its error."""

    def __init__(self, stage: str, error: BaseException | str) -> None:
        self.stage = stage
        self.error = error if isinstance(error, BaseException) else RuntimeError(error)
        super().__init__(f"{stage}: {self.error}")


def _environment() -> dict[str, str]:
    """The caller's environment, with this package's folder first on the import path."""
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    paths = [package_root, *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    environment["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return environment


def serve() -> None:
    """A worker process's body (``python -m storyline.pipeline._worker``): read what to run from
    stdin, run it under the run's collector setting, send its messages (or its failure)
    to stdout. Anything the code prints goes to stderr, never into the message stream."""
    incoming = os.fdopen(os.dup(0), "rb")
    outgoing = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    channel = Channel(incoming, outgoing)
    target, channel.stage, args = cast(
        tuple[Callable[..., None], str, tuple[Any, ...]], channel.recv()
    )
    try:
        with fewer_collections():
            target(channel, *args)
    except BaseException as error:
        with contextlib.suppress(BrokenPipeError):  # the main process has gone: nobody to tell
            channel.send(WorkerFailure(channel.stage, portable(error)))
    finally:
        channel.close()


_E = TypeVar("_E", bound=BaseException)


def portable(error: _E) -> _E | RuntimeError:
    """``error`` if it survives pickling, else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
