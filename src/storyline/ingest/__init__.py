"""Ingest: paths and globs -> articles and rejections, one module per input format."""
