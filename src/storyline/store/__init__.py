"""The store: articles, stories, rejections, runs and delivered digests that outlive a run.

SQLite by default (a file), PostgreSQL when given a ``postgresql://`` URL: one schema
(:mod:`~storyline.store.schema`, SQLAlchemy Core), one code path, versioned alembic
migrations (:mod:`~storyline.store.versions`). :class:`Store` is the library API::

    with Store.open("news.db") as store:
        report = store.ingest(FileIngestor().ingest(["feeds/"]))
        for story in store.stories(search="bridge closure"):
            articles = store.articles(story.id)

Modules: ``engine`` (location -> checked engine, transactions and their retries),
``schema`` (the tables), ``versions`` (schema versions and upgrades), ``database``
(:class:`Store`: ingest with stable story ids, reading, digests as delivered), ``batches``
(a large corpus stored in batches through :meth:`Store.ingest_all`, reported as one ingest).
"""

from storyline.store.database import (
    DeliveredDigest,
    IngestReport,
    KnownArticle,
    Run,
    Store,
    StoredArticle,
    active_since,
    content_hash,
    story_id_of,
)
from storyline.store.engine import DEFAULT_STORE, ENVIRONMENT, StoreLocation, locate
from storyline.store.versions import SchemaStatus, code_version, upgrade_store

__all__ = [
    "DEFAULT_STORE",
    "ENVIRONMENT",
    "DeliveredDigest",
    "IngestReport",
    "KnownArticle",
    "Run",
    "SchemaStatus",
    "Store",
    "StoreLocation",
    "StoredArticle",
    "active_since",
    "code_version",
    "content_hash",
    "locate",
    "story_id_of",
    "upgrade_store",
]
