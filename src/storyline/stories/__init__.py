"""Across articles: syndicated copies and facts (paraphrase groups)."""
