"""Per story: summary, timeline, quotes, entities and the comparison of sources."""
