"""Schema version 0002: full-text search over the articles' titles and texts.

SQLite: an FTS5 table ``articles_search`` with ``articles`` as its external content
(rows by ``articles.key``), Porter stemming over the ``unicode61`` tokenizer, filled
from the existing articles and kept in step by triggers. PostgreSQL: a generated
``tsvector`` column ``articles.search`` (English configuration, the title weighted
``A``) with a GIN index. PostgreSQL caps a ``tsvector`` at 1 MB, so it indexes the
first 100,000 characters of a text (an article of up to ``max_text_chars`` would
otherwise fail to insert); SQLite indexes all of it.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE_UP = (
    "CREATE VIRTUAL TABLE articles_search USING fts5(title, text, content='articles', "
    "content_rowid='key', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_search(rowid, title, text) VALUES (new.key, new.title, new.text); END",
    "CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_search(articles_search, rowid, title, text) "
    "VALUES ('delete', old.key, old.title, old.text); END",
    "CREATE TRIGGER articles_search_update AFTER UPDATE ON articles BEGIN "
    "INSERT INTO articles_search(articles_search, rowid, title, text) "
    "VALUES ('delete', old.key, old.title, old.text); "
    "INSERT INTO articles_search(rowid, title, text) VALUES (new.key, new.title, new.text); END",
    "INSERT INTO articles_search(articles_search) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER articles_search_update",
    "DROP TRIGGER articles_search_delete",
    "DROP TRIGGER articles_search_insert",
    "DROP TABLE articles_search",
)
_POSTGRESQL_UP = (
    "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "to_tsvector('english', left(text, 100000))) STORED",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
)
_POSTGRESQL_DOWN = (
    "DROP INDEX ix_articles_search",
    "ALTER TABLE articles DROP COLUMN search",
)


def upgrade() -> None:
    for statement in _SQLITE_UP if _sqlite() else _POSTGRESQL_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in _SQLITE_DOWN if _sqlite() else _POSTGRESQL_DOWN:
        op.execute(statement)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
