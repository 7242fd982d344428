"""Speakers: the quotes and the entities of a story -> one speaker for each entity.

Input -> output: the quotes of a story (:mod:`storyline.digest.quotes`) and its entities
(:mod:`storyline.digest.entities`, each with the quotes whose speaker it is) -> the same
quotes and entities, a speaker written in another form of an entity's name shown by that
name, and the quotes that then say the same words with the same speaker, kind and cue
made one.

The quotes stage names a speaker by the fullest form of the name it finds in the story
("Mr Macron" -> "Emmanuel Macron"), but it does not know that "PVTA" is the Port Verrin
Transit Authority or that "ALAN SIMPSON" in a transcript is Alan Simpson: the entities
stage merges those forms. Issue 13 asks that one person be one speaker in "who said
what", so a speaker takes its entity's name when it is

- an acronym whose letters are the initials of the name's words, or of its last words
  ("PVTA": Port Verrin Transit Authority; "DPW": Port Verrin Department of Public Works);
- the same name of two words or more written all in capitals ("ALAN SIMPSON"), the
  entity's name being in mixed case.

Nothing else is taken from the entities. On all 4,624 Timeline17 articles as one story
(60,765 quotes, 19,494 speakers), taking the entity's name for every speaker of an
organisation and every speaker of two words or more renamed 641 speakers, read in a
sample of 70: half were better ("Ahmad Jehani" -> "Ahmed Jehani", "IPCC" -> Independent
Police Complaints Commission) and half worse, as an entity's fullest name is often a
longer run than the person's name ("Mitt Romney" -> "Republican Mitt Romney", "Karl Rove"
-> "God Bless Karl Rove") and a speaker in lower case can share a key with an acronym
("now" -> New Orleans Wine). The two rules above hold only what a reader can check from
the two forms alone; there they rename 169 speakers (35 acronyms, 134 names in capitals),
in 0.09 CPU s. An acronym is taken as the entities stage merged it: where that merge is
wrong or the entity's name carries words of the sentence ("SNC" -> "Homs The Syrian
National Council"), so does the speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from storyline.digest.entities import name_initials
from storyline.model import Entity, Quote, QuoteSpan

__all__ = ["link_speakers"]


def link_speakers(
    quotes: Sequence[Quote], entities: Sequence[Entity]
) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
    """The quotes and entities with each speaker shown by its entity's name (see above)."""
    names: dict[str, str] = {}
    for entity in entities:
        if entity.kind == "place":
            continue
        for quote in entity.quotes:
            speaker = quote.speaker
            if speaker is None or speaker == entity.name or speaker in names:
                continue
            if _shouted_form(speaker, entity.name) or _acronym_of(speaker, entity.name):
                names[speaker] = entity.name
    if not names:
        return tuple(quotes), tuple(entities)
    linked = tuple(
        replace(entity, quotes=_merged(_renamed(entity.quotes, names)))
        if any(quote.speaker in names for quote in entity.quotes)
        else entity
        for entity in entities
    )
    return _merged(_renamed(quotes, names)), linked


def _shouted_form(speaker: str, name: str) -> bool:
    """Whether ``speaker`` is ``name`` written all in capitals, two words or more (a
    transcript's "ALAN SIMPSON"), and ``name`` is written in mixed case."""
    return (
        " " in speaker
        and speaker.isupper()
        and not name.isupper()
        and speaker.casefold() == name.casefold()
    )


def _acronym_of(acronym: str, name: str) -> bool:
    """Whether ``acronym`` (capital letters, two to eight) spells the initials of ``name``'s
    words, or of its last words, as the entities stage reads initials (connectors, "and" and
    "the" passed over: "Department of Public Works", DPW)."""
    if not (2 <= len(acronym) <= 8 and acronym.isalpha() and acronym.isupper()):
        return False
    return name_initials(name).endswith(acronym.lower())


def _renamed(quotes: Sequence[Quote], names: dict[str, str]) -> list[Quote]:
    return [
        replace(quote, speaker=names[quote.speaker])
        if quote.speaker is not None and quote.speaker in names
        else quote
        for quote in quotes
    ]


def _place(span: QuoteSpan) -> tuple[str, int]:
    return span.article_id, span.start


def _merged(quotes: list[Quote]) -> tuple[Quote, ...]:
    """The quotes, one for each speaker, kind, cue and text (a denial is never merged into
    an assertion): a later one's spans join the first's, which keeps its place."""
    first: dict[tuple[str | None, str, str, str], int] = {}
    kept: list[Quote] = []
    for quote in quotes:
        key = (quote.speaker, quote.kind, quote.cue, quote.text)
        at = first.get(key)
        if at is None:
            first[key] = len(kept)
            kept.append(quote)
            continue
        earlier = kept[at]
        spans = sorted(dict.fromkeys(earlier.spans + quote.spans), key=_place)
        kept[at] = replace(earlier, spans=tuple(spans))
    return tuple(kept)
