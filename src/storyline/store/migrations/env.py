"""The alembic environment of the store: migrate the connection the store hands in.

:func:`storyline.store.versions.upgrade` puts an open connection, already inside the
transaction that holds the store's lock, into ``config.attributes["connection"]``; the
migrations run on it and commit with it (no ``alembic.ini``, no engine of their own).
"""

from __future__ import annotations

from alembic import context

from storyline.store.schema import VERSION_TABLE

context.configure(
    connection=context.config.attributes["connection"],
    version_table=VERSION_TABLE,
)
with context.begin_transaction():
    context.run_migrations()
