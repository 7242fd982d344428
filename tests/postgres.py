"""A throwaway PostgreSQL server for the store's tests: initdb and pg_ctl in a temporary
directory, listening on a free port of 127.0.0.1, run as the ``postgres`` user when the
tests run as root (PostgreSQL refuses to run as root), stopped and removed at the end.

The binaries are taken from ``PATH`` (``pg_ctl``, ``initdb``), else from Debian's
``/usr/lib/postgresql/<version>/bin`` (the newest), which ``make test`` installs
(the ``postgres`` target) when missing.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PostgresServer", "PostgresUnavailableError", "start_postgres"]


class PostgresUnavailableError(Exception):
    """The server could not be started; the message says why."""


@dataclass(slots=True, kw_only=True)
class PostgresServer:
    """A running server: ``database()`` makes a fresh store location and returns its URL."""

    directory: Path
    port: int
    binaries: Path
    run_as: str | None
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new, empty store's URL: a schema of its own, first on the search path.

        A schema is as separate as a database for the store (every name it uses is
        unqualified) and takes 2 ms to make where ``CREATE DATABASE`` takes 200.
        """
        import psycopg  # noqa: PLC0415 (the postgres extra: absent, the tests skip)

        name = f"store_{next(self._numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url()}?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        _run(self, [str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        shutil.rmtree(self.directory, ignore_errors=True)

    @property
    def data(self) -> Path:
        return self.directory / "data"


def start_postgres() -> PostgresServer:
    """Start a server (see the module docstring); PostgresUnavailableError says why not."""
    binaries = _binaries()
    run_as = "postgres" if os.geteuid() == 0 else None
    if run_as is not None:
        try:
            pwd.getpwnam(run_as)
        except KeyError:
            raise PostgresUnavailableError(
                "running as root and there is no 'postgres' user"
            ) from None
    directory = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    if run_as is not None:
        shutil.chown(directory, user=run_as)
    server = PostgresServer(
        directory=directory, port=_free_port(), binaries=binaries, run_as=run_as
    )
    settings = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -c unix_socket_directories={directory} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        _run(
            server,
            [
                str(binaries / "initdb"),
                "-D",
                str(server.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )
        _run(
            server,
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(server.data),
                "-l",
                str(directory / "log"),
                "-o",
                settings,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
    except PostgresUnavailableError as error:
        log = directory / "log"
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        shutil.rmtree(directory, ignore_errors=True)
        raise PostgresUnavailableError(" ".join([str(error), *tail])) from None
    return server


def _binaries() -> Path:
    found = shutil.which("pg_ctl")
    if found is not None and shutil.which("initdb") is not None:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if not versions:
        raise PostgresUnavailableError(
            "no PostgreSQL binaries (pg_ctl, initdb) on PATH or in /usr/lib/postgresql/*/bin; "
            "`make test` installs Debian's postgresql"
        )
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(server: PostgresServer, command: Sequence[str]) -> None:
    if server.run_as is not None and shutil.which("runuser"):
        command = ["runuser", "-u", server.run_as, "--", *command]
    elif server.run_as is not None:
        command = ["su", server.run_as, "-s", "/bin/sh", "-c", shlex.join(command)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=120, check=False, cwd=server.directory
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PostgresUnavailableError(f"{Path(command[0]).name}: {error}") from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise PostgresUnavailableError(
            f"{' '.join(command[-1:])} failed: {lines[-1] if lines else done.returncode}"
        )
