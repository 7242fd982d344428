"""The Dask engine's failures become one line (no cluster started: the futures are
stand-ins that fail as Dask's do)."""

from __future__ import annotations

import pickle
from types import SimpleNamespace
from typing import Any, cast

import pytest

pytest.importorskip("distributed", reason="Dask distributed is not installed (extra 'dask')")

from distributed import KilledWorker
from distributed.scheduler import NoWorkerError

from storyline.pipeline.engines import NO_WORKERS_TIMEOUT, DaskEngine, EngineError


class _Failing:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def result(self) -> Any:
        raise self.error


def test_a_task_left_without_workers_ends_the_run_in_one_line() -> None:
    engine = DaskEngine(cast(Any, None))
    with pytest.raises(EngineError) as raised:
        engine._result(
            _Failing(NoWorkerError(task="digest-s-1", timeout=300)), "digesting story s-1"
        )
    assert str(raised.value) == (
        f"no Dask worker was left to go on digesting story s-1: none came back within "
        f"{NO_WORKERS_TIMEOUT}"
    )


def test_a_task_that_killed_its_workers_is_named() -> None:
    engine = DaskEngine(cast(Any, None))
    last = cast(Any, SimpleNamespace(address="tcp://127.0.0.1:1"))
    died = KilledWorker("digest-s-2", last, allowed_failures=3)
    with pytest.raises(EngineError) as raised:
        engine._result(_Failing(died), "digesting story s-2")
    message = str(raised.value)
    assert message.startswith("the Dask workers died digesting story s-2, again")
    assert "\n" not in message


def test_results_arrive_with_their_size_counted_and_are_released() -> None:
    class _Done:
        released = False

        def result(self) -> Any:
            return pickle.dumps("digest")

        def release(self) -> None:
            self.released = True

    engine = DaskEngine(cast(Any, None))
    done = _Done()
    assert engine._result(done, "digesting story s-3") == "digest"
    assert engine.traffic.received_bytes == len(pickle.dumps("digest"))
    assert done.released, "the workers may drop a result once it is here"
    assert "1 tasks" not in engine.traffic.describe()
