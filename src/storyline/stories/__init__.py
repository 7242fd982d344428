"""Across articles: syndicated copies and facts (paraphrase groups)."""

from storyline.native import search_path

# the compiled modules, when built from these sources (storyline.native)
__path__ = search_path(__name__, __path__)
