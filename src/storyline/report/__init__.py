"""Reports of a digest: Markdown and JSON (:mod:`.markdown`), one HTML page (:mod:`.html`)."""
