"""The store's schema as SQLAlchemy Core tables: one definition for SQLite and PostgreSQL.

These tables are what the queries of :mod:`storyline.store.database` are written
against, at the newest schema version; the migrations in ``migrations/versions/``
create and change them in the database (each migration spells out its own DDL, as
alembic advises, so that an old migration does not change when this module does).

- ``runs``: one row per command that wrote (``ingest``, ``digest``): when it started
  and finished and what it counted; a run without ``finished`` was interrupted and
  wrote nothing else.
- ``articles``: every stored article once. ``id`` is the article id; ``key`` an
  integer row number for the full-text index; ``content_hash`` the SHA-256 of the
  normalised text and ``url_key`` the loosely compared URL (both unique: the same
  article under another id is not stored again).
- ``rejections``: every input item an ingest could not use, with its reason.
- ``stories``: stable story ids; ``seed_article`` is the story's first article in
  stream order, which never changes; ``merged_into`` names the story that took this
  one's articles when the clusterer merged two stories.
- ``story_articles``: the story of each article (exactly one).
- ``cluster_state``: one row, the head of the clusterer's state that the next ingest
  continues from (:meth:`storyline.stories.clusters.ClusterState.to_dict` without its
  terms and stories: version, parameters, articles counted, clock); its row lock
  serialises ingests.
- ``cluster_terms``: per term, the articles that had it and its mid-sentence
  occurrences capitalised and all (0 and 0: never seen mid-sentence), as rows so that
  an ingest reads and writes only the terms of its articles (migration 0003).
- ``cluster_stories``: the clusterer's state of each live story, keyed by story id:
  its articles and their stream positions, dates, and while ``is_open`` its centroid;
  an ingest reads only the open stories (see :mod:`storyline.store.state`).
- ``digests``: every digest delivered from the store, as its JSON document.

Full-text search is not in these tables: SQLite keeps an FTS5 table
``articles_search`` over ``articles`` (kept up to date by triggers), PostgreSQL a
generated ``tsvector`` column ``articles.search`` with a GIN index (migration 0002).
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "ARTICLES",
    "CLUSTER_STATE",
    "CLUSTER_STORIES",
    "CLUSTER_TERMS",
    "DIGESTS",
    "METADATA",
    "REJECTIONS",
    "RUNS",
    "STORIES",
    "STORY_ARTICLES",
    "VERSION_TABLE",
]

VERSION_TABLE = "storyline_schema"
"""The table where alembic keeps the schema version (its own name, so that a database
that another application versions with alembic is not taken for a store)."""

METADATA = sa.MetaData()

_TIME = sa.DateTime(timezone=True)

RUNS = sa.Table(
    "runs",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("command", sa.String(32), nullable=False),
    sa.Column("started", _TIME, nullable=False),
    sa.Column("finished", _TIME),
    sa.Column("counts", sa.JSON),
)

ARTICLES = sa.Table(
    "articles",
    METADATA,
    sa.Column("key", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False, unique=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("url", sa.Text),
    sa.Column("url_key", sa.Text, unique=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date, index=True),
    sa.Column("authors", sa.JSON, nullable=False),
    sa.Column("partial", sa.Boolean, nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested", _TIME, nullable=False),
    sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
)

REJECTIONS = sa.Table(
    "rejections",
    METADATA,
    sa.Column("key", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item", sa.Text, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("rejected", _TIME, nullable=False),
    sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False, index=True),
)

STORIES = sa.Table(
    "stories",
    METADATA,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("seed_article", sa.Text, sa.ForeignKey("articles.id"), nullable=False, unique=True),
    sa.Column("created", _TIME, nullable=False),
    sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("merged_into", sa.String(32), sa.ForeignKey("stories.id")),
)

STORY_ARTICLES = sa.Table(
    "story_articles",
    METADATA,
    sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), nullable=False, index=True),
)

CLUSTER_STATE = sa.Table(
    "cluster_state",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("state", sa.JSON),
    sa.Column("updated", _TIME),
)

CLUSTER_TERMS = sa.Table(
    "cluster_terms",
    METADATA,
    sa.Column("term", sa.Text, primary_key=True),
    sa.Column("documents", sa.Integer, nullable=False),
    sa.Column("capitalised", sa.Integer, nullable=False),
    sa.Column("mid_sentence", sa.Integer, nullable=False),
)

CLUSTER_STORIES = sa.Table(
    "cluster_stories",
    METADATA,
    sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
    sa.Column("first_position", sa.Integer, nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False),
    sa.Column("first_date", sa.Date),
    sa.Column("last_date", sa.Date),
    sa.Column("articles", sa.JSON, nullable=False),
    sa.Column("positions", sa.JSON, nullable=False),
    sa.Column("centroid", sa.JSON, nullable=False),
    sa.Column("norm2", sa.Float, nullable=False),
    sa.Index("ix_cluster_stories_open", "is_open", "first_position"),
)

DIGESTS = sa.Table(
    "digests",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), nullable=False, index=True),
    sa.Column("delivered", _TIME, nullable=False),
    sa.Column("budget_unit", sa.String(16), nullable=False),
    sa.Column("budget_limit", sa.Integer, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
)
