"""Schema versions: a store's version against the code's, and the upgrade between them.

The migrations are alembic scripts in ``storyline/store/migrations/versions/``,
numbered ``0001``, ``0002``, ...; alembic runs them programmatically on a connection
the store hands in (``migrations/env.py``), so no ``alembic.ini`` is needed, and
records the version in the table ``storyline_schema``.

Opening a store (:func:`ensure_current`):

- a new store (a new file, an SQLite file or PostgreSQL database without any of the
  store's tables) is created at the newest version, under the write lock (SQLite) or a
  transaction-scoped advisory lock (PostgreSQL), so that two processes creating the
  same store at once create it once;
- a store at the code's version is used as it is;
- an older store is refused with both versions and the command that upgrades it,
  ``storyline store upgrade``: an upgrade rewrites the user's data, so it is done
  when asked (:func:`upgrade`), never as a side effect of reading;
- a newer store (a version this code does not know) is refused with both versions;
- tables of the store without a version table: not a store, refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from storyline.errors import StoreError
from storyline.store.engine import StoreLocation, locate, no_store, open_engine, transact
from storyline.store.schema import METADATA, VERSION_TABLE

__all__ = [
    "SCHEMA_VERSIONS",
    "SchemaStatus",
    "code_version",
    "ensure_current",
    "schema_status",
    "upgrade",
    "upgrade_store",
]

SCRIPTS = "storyline.store:migrations"
"""Where alembic finds the migrations (a package resource)."""
SCHEMA_VERSIONS = ("0001", "0002", "0003")
"""Every schema version, oldest first: the revisions in ``migrations/versions/`` (a test
checks the two against each other). Opening a store compares its version with these
without loading alembic, which a migration alone needs."""
# pg_advisory_xact_lock key of the store's schema changes ("storyline" in ASCII, cut).
_SCHEMA_LOCK = 0x73746F72796C696E


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaStatus:
    """A store's schema version and how it stands against the code's."""

    version: str | None
    code: str
    state: Literal["new", "current", "older", "newer", "foreign"]


def code_version() -> str:
    """The newest schema version this code knows."""
    return SCHEMA_VERSIONS[-1]


def schema_status(connection: sa.Connection) -> SchemaStatus:
    """Where the store on ``connection`` stands against the code's schema version."""
    code = code_version()
    names = set(sa.inspect(connection).get_table_names())
    ours = bool(names & set(METADATA.tables))
    versions: list[str] = []
    if VERSION_TABLE in names:
        rows = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}"))
        versions = [str(version) for version in rows.scalars()]
    if not versions:
        return SchemaStatus(version=None, code=code, state="foreign" if ours else "new")
    version = versions[0]
    if len(versions) > 1:
        return SchemaStatus(version=", ".join(versions), code=code, state="newer")
    if version == code:
        return SchemaStatus(version=version, code=code, state="current")
    state: Literal["older", "newer"] = "older" if version in SCHEMA_VERSIONS else "newer"
    return SchemaStatus(version=version, code=code, state=state)


def ensure_current(engine: sa.Engine, location: StoreLocation, *, create: bool = True) -> None:
    """Create a new store (unless ``create`` is false: then it is an error); refuse one at
    another schema version (see the module docstring)."""
    status = transact(engine, schema_status, write=False)
    if status.state == "new" and not create:
        raise StoreError(no_store(location))
    if status.state == "new":
        status = transact(engine, _create, write=True)
    if status.state != "current":
        raise StoreError(_refusal(status, location))


def upgrade(engine: sa.Engine, location: StoreLocation) -> tuple[SchemaStatus, str]:
    """Bring the store to the code's schema version: the status before, the version after."""

    def work(connection: sa.Connection) -> tuple[SchemaStatus, str]:
        _lock_schema(connection)
        status = schema_status(connection)
        if status.state == "new":
            raise StoreError(no_store(location))
        if status.state in ("newer", "foreign"):
            raise StoreError(_refusal(status, location))
        if status.state != "current":
            _migrate(connection)
        return status, status.code

    return transact(engine, work, write=True)


def upgrade_store(location: str | None = None) -> tuple[SchemaStatus, str]:
    """:func:`upgrade` the store at ``location`` (see :func:`storyline.store.engine.locate`)."""
    where = locate(location)
    engine = open_engine(where, create=False)
    try:
        return upgrade(engine, where)
    finally:
        engine.dispose()


def _create(connection: sa.Connection) -> SchemaStatus:
    _lock_schema(connection)
    status = schema_status(connection)
    if status.state == "new":
        _migrate(connection)
        return schema_status(connection)
    return status


def _migrate(connection: sa.Connection) -> None:
    """Run every migration from the store's version to the newest on ``connection``."""
    from alembic import command  # noqa: PLC0415 (alembic only when migrating)
    from alembic.config import Config  # noqa: PLC0415

    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _lock_schema(connection: sa.Connection) -> None:
    """Hold the schema lock to the end of the transaction (SQLite: the write lock holds it)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})


def _refusal(status: SchemaStatus, location: StoreLocation) -> str:
    shown = location.shown
    if status.state == "older":
        return (
            f"the store {shown} has schema version {status.version}, older than this "
            f"storyline's {status.code}: upgrade it with `storyline store upgrade --store {shown}`"
        )
    if status.state == "newer":
        return (
            f"the store {shown} has schema version {status.version}, newer than this "
            f"storyline's {status.code}: use a newer storyline"
        )
    return f"{shown} holds tables but no storyline schema version: not a storyline store"
