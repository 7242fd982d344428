"""The store's alembic migrations (``env.py``, ``versions/``), run by ``store.versions``."""
