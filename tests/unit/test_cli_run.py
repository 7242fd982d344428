"""The console script's end (:func:`storyline.cli.run`): flush, then leave at once."""

from __future__ import annotations

import io
import logging
import os
import sys

import pytest

from storyline import cli


class _ExitedError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Output(io.StringIO):
    """A standard stream that records whether it was flushed after its last write."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed = False

    def write(self, text: str) -> int:
        self.flushed = False
        return super().write(text)

    def flush(self) -> None:
        self.flushed = True
        super().flush()


def _exit_now(code: int) -> None:
    raise _ExitedError(code)


class _LogFlush:
    calls = 0

    def __call__(self) -> None:
        self.calls += 1


_flush_logs = _LogFlush()


def _streams(monkeypatch: pytest.MonkeyPatch) -> tuple[_Output, _Output]:
    """Recording standard streams, an ``os._exit`` that raises, and no results kept yet
    (set in the test itself: pytest sets its own streams between setup and call)."""
    out, err = _Output(), _Output()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(os, "_exit", _exit_now)
    monkeypatch.setattr(cli, "_left_to_exit", None)
    # the real one would close the handlers pytest logs through
    monkeypatch.setattr(logging, "shutdown", _flush_logs)
    _flush_logs.calls = 0
    return out, err


def test_a_command_that_left_its_results_ends_the_process_after_flushing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, err = _streams(monkeypatch)
    kept = object()

    def command() -> int:
        cli._leave(kept)
        sys.stdout.write("the report")
        sys.stderr.write("a warning")
        return 3

    monkeypatch.setattr(cli, "main", command)
    with pytest.raises(_ExitedError) as ended:
        cli.run()
    assert ended.value.code == 3
    assert _flush_logs.calls == 1
    assert out.getvalue() == "the report"
    assert out.flushed
    assert err.getvalue() == "a warning"
    assert err.flushed
    assert cli._left_to_exit == [kept], "the results are still referenced at the end"


def test_a_command_that_left_nothing_exits_the_ordinary_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _streams(monkeypatch)
    monkeypatch.setattr(cli, "main", lambda: 2)
    with pytest.raises(SystemExit) as ended:
        cli.run()
    assert ended.value.code == 2


def test_a_stdout_that_cannot_be_flushed_gives_code_120(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, _ = _streams(monkeypatch)

    def broken() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def command() -> int:
        cli._leave(object())
        return 0

    monkeypatch.setattr(out, "flush", broken)
    monkeypatch.setattr(cli, "main", command)
    with pytest.raises(_ExitedError) as ended:
        cli.run()
    assert ended.value.code == 120


def test_outside_run_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_left_to_exit", None)
    cli._leave(object())
    assert cli._left_to_exit is None
