"""Where the store is, and how to talk to it: a location -> a checked SQLAlchemy engine.

A location is a file path (SQLite) or a ``postgresql://`` URL (PostgreSQL through
psycopg 3, ``postgresql+psycopg://``); :func:`locate` takes the one given, else
``$STORYLINE_STORE``, else ``./storyline.db``.

Before SQLite opens a file it is checked without being written to: it must not
exist yet or be empty (a new store, or one that another process is creating), or
start with SQLite's header and, read through a read-only connection, be a store (its
schema-version table is there) or hold no table at all. Anything else (a text file,
random bytes, an SQLite database of another application, a damaged database) is a
one-line :class:`~storyline.errors.StoreError` and the file keeps every byte: only
after the check does a writable connection switch the file to WAL mode.

SQLite connections run in WAL mode (readers go on while one process writes) with a
busy timeout; the driver's own transaction handling is turned off and every
transaction begins explicitly, ``BEGIN IMMEDIATE`` for a write, so that a write
takes the database's write lock before it reads what it will change (SQLAlchemy's
recipe for pysqlite, "Serializable isolation / Savepoints / Transactional DDL").
:func:`transact` runs a unit of work in one transaction and runs it again when
SQLite still reports "database is locked" or PostgreSQL a serialisation failure or
deadlock, a few times with growing pauses.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc

from storyline.errors import StoreError
from storyline.store.schema import VERSION_TABLE

__all__ = [
    "DEFAULT_STORE",
    "ENVIRONMENT",
    "StoreLocation",
    "locate",
    "no_store",
    "open_engine",
    "transact",
]

DEFAULT_STORE = "storyline.db"
ENVIRONMENT = "STORYLINE_STORE"

_SQLITE_HEADER = b"SQLite format 3\x00"
_BUSY_MILLISECONDS = 60_000
_ATTEMPTS = 6
_WRITE = "storyline_write"
# PostgreSQL: serialization_failure, deadlock_detected.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})
_SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")  # the password of a URL, hidden in messages

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreLocation:
    """A store's address: the engine URL, how messages name it, and its file (SQLite)."""

    url: sa.URL
    shown: str
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def reachable(self) -> str:
        """The store as other processes open it (:meth:`Store.open`): the SQLite file's
        absolute path, or the server's URL with its password."""
        if self.path is not None:
            return str(self.path.resolve())
        return self.url.render_as_string(hide_password=False)


def locate(given: str | os.PathLike[str] | None = None) -> StoreLocation:
    """The store at ``given``, else at ``$STORYLINE_STORE``, else at ``./storyline.db``."""
    name = os.fspath(given) if given else os.environ.get(ENVIRONMENT) or DEFAULT_STORE
    if "://" not in name:
        path = Path(name)
        return StoreLocation(
            url=sa.URL.create("sqlite+pysqlite", database=str(path)), shown=name, path=path
        )
    try:
        url = sa.make_url(name)
    except (exc.ArgumentError, ValueError) as error:  # ValueError: a port that is no number
        hidden = _PASSWORD.sub(r"\1***@", name)
        raise StoreError(f"{hidden!r} is not a valid store URL: {error}") from None
    shown = url.render_as_string(hide_password=True)
    if url.drivername == "sqlite" and url.database:
        return StoreLocation(
            url=url.set(drivername="sqlite+pysqlite"), shown=shown, path=Path(url.database)
        )
    if url.drivername not in _SERVER_SCHEMES:
        raise StoreError(
            f"the store {shown} is neither a file path nor a postgresql:// URL "
            f"(scheme {url.drivername!r})"
        )
    if not url.database:
        raise StoreError(f"the store URL {shown} names no database")
    return StoreLocation(url=url.set(drivername="postgresql+psycopg"), shown=shown)


def open_engine(location: StoreLocation, *, create: bool = True) -> sa.Engine:
    """An engine for ``location``; a file that is no store is refused, untouched.

    ``create=False``: a missing or empty file is refused too (nothing is created).
    """
    if location.path is not None:
        _check_file(location.path, location.shown)
        if not create and (not location.path.is_file() or location.path.stat().st_size == 0):
            raise StoreError(no_store(location))
        engine = sa.create_engine(location.url)
        event.listen(engine, "connect", _sqlite_connected)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        try:
            engine = sa.create_engine(location.url, connect_args={"connect_timeout": 10})
        except ImportError as error:
            raise StoreError(
                f"a PostgreSQL store needs psycopg 3 (pip install 'storyline[postgres]'): {error}"
            ) from None
    for attempt in range(_ATTEMPTS):
        try:
            engine.connect().close()
            return engine
        except exc.DBAPIError as error:
            # two processes opening a new SQLite file at once: switching it to WAL needs
            # the file alone, and SQLite may answer "locked" at once instead of waiting
            retry = isinstance(error, exc.OperationalError) and _retryable(error)
            if retry and attempt + 1 < _ATTEMPTS:
                time.sleep(0.05 * 2**attempt)
                continue
            engine.dispose()
            raise StoreError(
                f"cannot open the store {location.shown}: {_first_line(error)}"
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def no_store(location: StoreLocation) -> str:
    """The message for a store that does not exist (yet)."""
    return f"there is no store at {location.shown} (`storyline ingest` creates one)"


def transact(engine: sa.Engine, work: Callable[[sa.Connection], _T], *, write: bool) -> _T:
    """``work(connection)`` inside one transaction, committed when it returns.

    A write transaction holds the write lock (SQLite) from its start; a transaction that
    lost a race for a lock is run again from the start, up to a few times.
    """
    for attempt in range(_ATTEMPTS):
        try:
            with engine.connect() as connection:
                connection.execution_options(**{_WRITE: write})
                with connection.begin():
                    return work(connection)
        except exc.OperationalError as error:
            if attempt + 1 == _ATTEMPTS or not _retryable(error):
                raise StoreError(f"the store could not be used: {_first_line(error)}") from error
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _retryable(error: exc.OperationalError) -> bool:
    if isinstance(error.orig, sqlite3.OperationalError):
        return "locked" in str(error.orig) or "busy" in str(error.orig)
    return getattr(error.orig, "sqlstate", None) in _RETRY_SQLSTATES


def _first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


def _check_file(path: Path, shown: str) -> None:
    """Refuse, without writing to it, a file that is not a store (or a new one)."""
    if path.is_dir():
        raise StoreError(f"the store {shown} is a directory, not a store file")
    if not path.exists():
        if not path.parent.is_dir():
            raise StoreError(f"cannot create the store {shown}: no directory {path.parent}")
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot read the store {shown}: {error.strerror}") from None
    if not header:
        return  # SQLite's empty database: a new store (or one another process is creating)
    if header != _SQLITE_HEADER:
        raise StoreError(
            f"{shown} is not a storyline store: not an SQLite database (left untouched)"
        )
    try:
        tables = _sqlite_tables(path)
    except sqlite3.Error as error:
        raise StoreError(
            f"{shown} is not a usable storyline store: {error} (left untouched)"
        ) from None
    if tables and VERSION_TABLE not in tables:
        raise StoreError(
            f"{shown} is an SQLite database of another application, not a storyline store "
            "(left untouched)"
        )


def _sqlite_tables(path: Path) -> set[str]:
    """The tables of an SQLite file, read through a read-only connection."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(name) for (name,) in rows}
    finally:
        connection.close()


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions begin in _sqlite_begin
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_MILLISECONDS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # WAL with synchronous=NORMAL loses no committed transaction when a process dies
        # (only, possibly, the last ones when the machine loses power).
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
