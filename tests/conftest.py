"""Fixtures shared by the test folders: a store location for each database the store runs on.

``store_location`` is parametrised over SQLite (a file in the test's temporary
directory) and PostgreSQL (a fresh database on a throwaway server started once per
session, :mod:`tests.postgres`); the PostgreSQL cases are skipped, with the reason,
only when that server cannot start.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresServer, PostgresUnavailableError, start_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | str]:
    """The session's PostgreSQL server, or why it could not start."""
    try:
        import psycopg  # noqa: F401, PLC0415 (only to tell a missing driver early)
    except ImportError as error:
        yield f"psycopg is not installed: {error}"
        return
    try:
        server = start_postgres()
    except PostgresUnavailableError as error:
        yield str(error)
        return
    try:
        yield server
    finally:
        server.stop()


def postgres_url(request: pytest.FixtureRequest) -> str:
    """A fresh PostgreSQL database's URL, or a skip saying why there is none."""
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        pytest.skip(f"PostgreSQL could not start: {server}")
    url: str = server.database()
    return url


@pytest.fixture
def postgres_location(request: pytest.FixtureRequest) -> str:
    """A new store's location on PostgreSQL alone."""
    return postgres_url(request)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's location: an SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return postgres_url(request)
