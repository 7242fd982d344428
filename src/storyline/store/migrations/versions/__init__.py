"""One module per schema version, oldest first (alembic reads them; nothing imports them)."""
