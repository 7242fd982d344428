"""Per-article analysis: word tokens, sentences and temporal expressions."""
