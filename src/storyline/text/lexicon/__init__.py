"""Lexicon: the word lists of storyline, one data file per notion, shared by every stage.

Each ``<name>.txt`` beside this module starts with comment lines (``#``) that say where
the list comes from and why it is there; then words, separated by white space. Lists of
verbs hold one verb a line, its forms in a fixed order (base, -s, past, -ing; a base marked
``*`` is as often a noun, "a report", and is not read as a verb on its own), read with
:func:`verbs`; lists of pairs (a word and its gender, a country and its demonyms) are read
with :func:`entries`. The files are package data (``pyproject.toml``), read once when a module
that uses them is imported; the results are frozen sets and tuples, and the lists that
several stages share are loaded here once (``TITLES``, ``SPEECH_VERBS``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import NamedTuple

__all__ = [
    "CALENDAR",
    "HONORIFICS",
    "NAME_PARTICLES",
    "ORGANISATION_HEADS",
    "ORGANISATION_NOUNS",
    "PLACE_HEADS",
    "ROLE_NOUNS",
    "SENTENCE_OPENERS",
    "SPEECH_VERBS",
    "TITLES",
    "Verb",
    "entries",
    "finite_forms",
    "phrases",
    "verbs",
    "words",
]


class Verb(NamedTuple):
    """A verb's forms, and whether its base form is read as a verb on its own."""

    base: str
    third: str  # third person singular: "says"
    past: str
    ing: str
    base_is_verb: bool


def _text_lines(name: str) -> list[str]:
    text = resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and line[0] != "#"]


def _lines(name: str) -> list[list[str]]:
    return [line.split() for line in _text_lines(name)]


def entries(name: str, separator: str = " ") -> tuple[tuple[str, str], ...]:
    """The lines of the list ``name`` as (key, value), split at the first ``separator``;
    the value keeps its spaces but the separator's (" = " keeps the space in " not")."""
    found: list[tuple[str, str]] = []
    for line in _text_lines(name):
        key, found_separator, value = line.partition(separator)
        if not found_separator:
            raise ValueError(f"lexicon {name}: no {separator!r} in {line!r}")
        found.append((key.strip(), value))
    return tuple(found)


def words(name: str) -> frozenset[str]:
    """Every word of the list ``name``."""
    return frozenset(word for line in _lines(name) for word in line)


def phrases(name: str) -> frozenset[str]:
    """Every line of the list ``name``, lower-cased, its words joined by one space."""
    return frozenset(" ".join(line).lower() for line in _lines(name))


def verbs(name: str) -> tuple[Verb, ...]:
    """The verbs of the list ``name``."""
    found: list[Verb] = []
    for line in _lines(name):
        if len(line) != 4:
            raise ValueError(f"lexicon {name}: a verb needs four forms, got {line}")
        base, third, past, ing = line
        found.append(Verb(base.rstrip("*"), third, past, ing, not base.endswith("*")))
    return tuple(found)


def finite_forms(found: Iterable[Verb]) -> frozenset[str]:
    """The forms that can head a clause: -s, past, and the base where it is a verb."""
    return frozenset(
        form
        for verb in found
        for form in (verb.third, verb.past, *((verb.base,) if verb.base_is_verb else ()))
    )


# The lists that more than one stage reads, loaded once here (frozen).
CALENDAR = words("calendar")
HONORIFICS = entries("honorifics")  # (honorific, gender: "m", "f" or "-")
NAME_PARTICLES = words("name_particles")
ORGANISATION_HEADS = words("organisation_heads")
ORGANISATION_NOUNS = words("organisation_nouns")
PLACE_HEADS = words("place_heads")
ROLE_NOUNS = words("role_nouns")
SENTENCE_OPENERS = words("sentence_openers")
SPEECH_VERBS = verbs("speech_verbs")
TITLES = words("titles")
