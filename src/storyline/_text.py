"""Word-level text helpers shared by the stages: tokens, stop words, stems."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.stem.porter import PorterStemmer

__all__ = ["STOP_WORDS", "content_stems", "content_terms", "stem", "words"]

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# Function words and news boilerplate verbs that carry no fact on their own.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say saying told according mr mrs
    ms dr one two would may might must shall us its it's s t don didn doesn isn wasn
    aren weren won wouldn couldn shouldn hasn haven hadn ll re ve d m o
    """.split()
)

_STEMMER = PorterStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem of a lower-cased word (cached: news vocabularies repeat a lot)."""
    return str(_STEMMER.stem(word, to_lowercase=False))


def words(text: str) -> list[str]:
    """Lower-cased word tokens; apostrophes are normalised and possessive 's dropped."""
    tokens = _WORD.findall(text.lower().replace("’", "'"))
    return [token[:-2] if token.endswith("'s") else token for token in tokens]


def content_terms(text: str) -> list[tuple[str, bool]]:
    """Stems of the non-stop words with a flag telling whether the word was lower case.

    The flag separates common words ("meddled") from names ("Moscow"), which
    repeat across unrelated sentences of a story.
    """
    return [
        (term, token[0].islower())
        for token in _WORD.findall(text.replace("’", "'"))
        if (term := _content_term(token)) is not None
    ]


@lru_cache(maxsize=500_000)
def _content_term(token: str) -> str | None:
    """The stem of a token as written, or None for a stop word (cached per spelling)."""
    word = token.lower()
    if word.endswith("'s"):
        word = word[:-2]
    return None if word in STOP_WORDS else stem(word)


def content_stems(text: str) -> list[str]:
    """Stems of the words that are not stop words, in text order."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]
