"""Per story: summary, timeline, quotes, entities and the comparison of sources."""

from storyline.native import search_path

# the compiled quotes and entities modules, when built from these sources (storyline.native)
__path__ = search_path(__name__, __path__)
