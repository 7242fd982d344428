"""Opening a store: where it is, schema versions older and newer than the code, upgrades,
and files or databases that are no store (refused, untouched)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from storyline.errors import StoreError
from storyline.model import Corpus
from storyline.store import Store, code_version, locate, story_id_of, upgrade_store
from storyline.store.engine import open_engine, transact
from storyline.store.versions import SCHEMA_VERSIONS, SCRIPTS
from tests.builders import make_article

ARTICLE = make_article(
    "Ferry crews on the Saltmarsh line walked out over night-shift pay.", id="ferry"
)


def _migrate(location: str, action: str, revision: str) -> None:
    """Run alembic's upgrade or downgrade of the store at ``location`` to ``revision``."""
    where = locate(location)
    engine = open_engine(where)

    def work(connection: sa.Connection) -> None:
        config = Config()
        config.set_main_option("script_location", SCRIPTS)
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)

    try:
        transact(engine, work, write=True)
    finally:
        engine.dispose()


def _execute(location: str, statement: str) -> None:
    engine = open_engine(locate(location))
    try:
        transact(engine, lambda c: c.execute(sa.text(statement)), write=True)
    finally:
        engine.dispose()


def test_the_schema_versions_are_the_migrations_in_order() -> None:
    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    scripts = ScriptDirectory.from_config(config)
    revisions = [script.revision for script in scripts.walk_revisions()]
    assert tuple(reversed(revisions)) == SCHEMA_VERSIONS
    assert scripts.get_current_head() == code_version() == "0003"


def test_an_older_store_is_refused_until_upgraded_and_keeps_its_articles(
    store_location: str,
) -> None:
    with Store.open(store_location) as store:
        store.ingest(Corpus(articles=(ARTICLE,)))
    _migrate(store_location, "downgrade", "0001")
    with pytest.raises(StoreError) as refused:
        Store.open(store_location)
    message = str(refused.value)
    assert "schema version 0001, older than this storyline's 0003" in message
    assert "storyline store upgrade" in message
    status, version = upgrade_store(store_location)
    assert (status.version, status.state, version) == ("0001", "older", "0003")
    with Store.open(store_location) as store:
        assert [s.id for s in store.stories(search="ferries")] == [story_id_of("ferry")]
        assert store.check() == ()
    status, version = upgrade_store(store_location)
    assert (status.state, version) == ("current", "0003")


def test_a_newer_store_is_refused_naming_both_versions(store_location: str) -> None:
    Store.open(store_location).close()
    _execute(store_location, "UPDATE storyline_schema SET version_num = '0099'")
    with pytest.raises(StoreError, match="schema version 0099, newer than this storyline's 0003"):
        Store.open(store_location)
    with pytest.raises(StoreError, match="0099"):
        upgrade_store(store_location)


def test_a_database_with_store_tables_but_no_version_is_refused(store_location: str) -> None:
    if "://" in store_location:
        _execute(store_location, "CREATE TABLE articles (id integer)")
    else:
        connection = sqlite3.connect(store_location)
        connection.execute("CREATE TABLE articles (id integer)")
        connection.close()
    with pytest.raises(StoreError, match="not a storyline store"):
        Store.open(store_location)


def _sqlite_of_another_application(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body text)")
    connection.execute("INSERT INTO notes VALUES ('keep me')")
    connection.commit()
    connection.close()


def _damaged_sqlite(path: Path) -> None:
    _sqlite_of_another_application(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("my notes\n"), "not an SQLite database"),
        (lambda p: p.write_bytes(os.urandom(5000)), "not an SQLite database"),
        (_sqlite_of_another_application, "an SQLite database of another application"),
        (_damaged_sqlite, "not a usable storyline store"),
    ],
    ids=["text", "random-bytes", "other-application", "damaged"],
)
def test_a_file_that_is_no_store_is_refused_and_left_untouched(
    tmp_path: Path, make: object, expected: str
) -> None:
    path = tmp_path / "file.db"
    make(path)  # type: ignore[operator]
    before = path.read_bytes()
    with pytest.raises(StoreError, match=expected) as refused:
        Store.open(str(path))
    assert "\n" not in str(refused.value)
    assert "left untouched" in str(refused.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.db"]


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.touch()
    with Store.open(str(path)) as store:
        store.ingest(Corpus(articles=(ARTICLE,)))
    with Store.open(str(path)) as store:
        assert store.article("ferry").article == ARTICLE


def test_a_directory_or_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(str(tmp_path))
    with pytest.raises(StoreError, match="no directory"):
        Store.open(str(tmp_path / "missing" / "store.db"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://user@localhost/news", "neither a file path nor a postgresql:// URL"),
        ("postgresql://user@127.0.0.1:1/news", "cannot open the store"),
        ("postgresql://user:secret@127.0.0.1:1/news", "cannot open the store"),
        ("postgresql://user@localhost", "names no database"),
        ("postgresql://user:secret@localhost:notaport/x", "not a valid store URL"),
    ],
)
def test_a_bad_or_unreachable_store_url_is_one_line(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected) as refused:
        Store.open(url)
    message = str(refused.value)
    assert "\n" not in message
    assert "secret" not in message


def test_the_store_is_the_one_given_else_the_environments_else_storyline_db(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STORYLINE_STORE", raising=False)
    assert locate(None).path == Path("storyline.db")
    monkeypatch.setenv("STORYLINE_STORE", "postgresql://u@h/db")
    assert locate(None).url.drivername == "postgresql+psycopg"
    assert locate("local.db").path == Path("local.db")
    assert locate("postgres://u:pw@h/db").shown == "postgres://u:***@h/db"
    assert locate("sqlite:///x/y.db").path == Path("x/y.db")


def test_a_store_opened_without_create_must_exist(store_location: str) -> None:
    with pytest.raises(StoreError, match=r"^there is no store at"):
        Store.open(store_location, create=False)
    Store.open(store_location).close()
    Store.open(store_location, create=False).close()
