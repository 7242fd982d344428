"""Cohesion: a sentence -> whether it opens by pointing back to a sentence before it.

Input -> output: a sentence's text -> ``True`` when it cannot open a summary on its own
because its first words refer to what came before: a discourse connective ("However,",
"As such,", "But", "In addition": the explicit connectives of the Penn Discourse Treebank
2.0, Prasad et al. 2008, that take the previous sentence as their first argument), a
third-person pronoun or possessive ("He", "They", "Its"), or a demonstrative before a
finite auxiliary ("This is", "That would"; "This week" needs nothing). The word lists are
data files of :mod:`storyline.text.lexicon` (``connectives``, ``anaphoric_pronouns``,
``demonstratives``, ``finite_auxiliaries``).

The test reads the first words only, in the way extractive summarizers that keep
cohesion do (the "dangling connective / pronoun" filters of Nenkova & McKeown 2011,
"Automatic summarization", section 4.3): it does no coreference. A sentence that opens
with a quotation mark is never dangling: a pronoun inside a quote is the speaker's, and the
quote is attributed in the sentence. A hyphenated first word ("So-called", "Then-president")
is not a connective, nor is one that a preposition follows ("In addition to the fire").
"""

from __future__ import annotations

import re

from storyline.text.lexicon import phrases, words

__all__ = ["opens_dangling"]

_CONNECTIVES = phrases("connectives")
_PRONOUNS = words("anaphoric_pronouns")
_DEMONSTRATIVES = words("demonstratives")
_AUXILIARIES = words("finite_auxiliaries")
_PREPOSITIONS = frozenset({"to", "of", "than"})
_LONGEST = max(len(connective.split()) for connective in _CONNECTIVES)
# The first words, up to the first mark that is not a space between letters; what follows
# the last word tells a word ("So ") from the start of a longer one ("So-called"). At most
# one word more than the longest connective is read: the tests below look no further
# (reading the whole run, often most of the sentence: 0.66 against 0.57 CPU s for the
# 240,000 sentences of 400 stories of bench/make_stream.py, the same answers).
_OPENING_WORDS = re.compile(rf"[A-Za-z]+(?: [A-Za-z]+){{0,{_LONGEST}}}")


def opens_dangling(text: str) -> bool:
    """Whether ``text`` opens with a connective, pronoun or demonstrative that points back."""
    text = text.lstrip()
    opening = _OPENING_WORDS.match(text)
    if opening is None:
        return False
    after = text[opening.end() : opening.end() + 1]
    found = opening.group().lower().split()
    for size in range(min(_LONGEST, len(found)), 0, -1):
        if " ".join(found[:size]) in _CONNECTIVES and _word_ends(found, size, after):
            # "In addition to", "Instead of", "Rather than": a preposition, not a connective
            return size == len(found) or found[size] not in _PREPOSITIONS
    first = found[0]
    if first in _PRONOUNS:
        return _word_ends(found, 1, after) or after in {"'", "’"}
    if first in _DEMONSTRATIVES:
        if len(found) > 1:
            return found[1] in _AUXILIARIES
        return after in {"'", "’"}
    return False


def _word_ends(found: list[str], size: int, after: str) -> bool:
    """Whether the phrase of the first ``size`` words ends a word (not "So" of "So-called")."""
    return size < len(found) or after in {"", ",", ";", ":", " ", "."}
