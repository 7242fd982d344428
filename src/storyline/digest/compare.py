"""Compare: a story's facts and sentences -> fact coverage and disagreements between sources.

Input: a :class:`~storyline.model.Story` (sentences and the facts of the core's
fact grouper), its articles by id, and optionally the story's
:class:`~storyline.model.Entity` records. Output:

- :func:`cover_facts`: one :class:`~storyline.model.FactCoverage` per fact, with
  every article and distinct source carrying it (syndicated copies that repeat
  a sentence word for word count as carrying it); a fact with one source only
  is reported by that outlet alone.
- :class:`CueDisagreementFinder`: :class:`~storyline.model.Disagreement` records,
  each a claim with the sentences asserting it and those denying or disputing
  it, every sentence cited with its article and offsets.

Method (rules, no model), after the cue-based contradiction detection of
de Marneffe, Rafferty and Manning (2008, "Finding contradictions in text"), who
show that two statements can only contradict each other when they are about the
same event, and that explicit negation and denial cues are the commonest sign
of a contradiction in news:

1. Each sentence is read for a stance cue. Denials: "deny", "reject/dismiss/
   refute ... allegations (claims, reports, suggestions, accusations)", "...
   as false (baseless, untrue)", "no evidence", "not true". Disputes: "dispute
   (contest, question, challenge, cast doubt on) ... report (claim)". Weak
   denials: a negated report of the same content ("never", "did not", "at no
   point"), which join a disagreement only when they match its claim closely.
   Assertions: "claim", "allege", "accuse", "allegation(s) of", "suggestion(s)",
   "reported/reports that", "warned", "shows that", "found that", "according to".
2. The claim of a denial is what follows the cue ("denied *that Moscow meddled
   in ...*"); the claim of an assertion is what follows its cue, else the
   sentence.
3. Two claims are about the same thing when their topical similarity reaches
   ``similarity``: the cosine of their TF-IDF vectors over content-word stems
   (weighted within the story, so rare words count most) and the story's
   entities mentioned in them (so "Russia", "Russian Federation" and
   "Russian" are one term).
4. Not the same event: when both claims name a year or put a name before the
   same noun ("France's presidential election" / "the 2016 United States
   presidential election") and those names differ, the pair is rejected.
5. Denials of the same claim are grouped; assertions similar to any of them
   join; then, once (one round of pseudo-relevance feedback, Rocchio 1971), the
   group's terms are pooled and the remaining assertions and weak denials are
   compared with the pool. A group is a disagreement when it has an assertion
   and a denial or dispute, from at least two sources.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from storyline.digest.entities import demonym_matches, name_key
from storyline.errors import ConfigError
from storyline.model import (
    Article,
    ClaimSide,
    Disagreement,
    Entity,
    FactCoverage,
    Sentence,
    Stance,
    Story,
)
from storyline.text.tokens import STOP_WORDS, stem

__all__ = ["CueDisagreementFinder", "DisagreementFinder", "cover_facts"]

_ALLEGATION = (
    r"(?:allegations?|claims?|accusations?|reports?|suggestions?|charges?|assertions?"
    r"|findings?|notion|idea|statements?|stories|story)"
)
_DENIAL_CUES = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial|ials)\b(?:\s+(?:of|that|any|the))?"
    r"|(?:reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:es|ed|ing|e)|rebut(?:s|ted|ting)?"
    r"|repudiat(?:es|ed|ing|e))\s+(?:the\s+|a\s+|an\s+|these\s+|those\s+|such\s+|any\s+)?"
    r"(?:\w+\s+)?" + _ALLEGATION + r"(?:\s+(?:that|of))?"
    r"|no\s+evidence(?:\s+(?:that|of))?|(?:is|was|were|are)\s+(?:not\s+true|untrue|false|baseless"
    r"|unfounded))",
    re.IGNORECASE,
)
_DISPUTE_CUES = re.compile(
    r"\b(?:disput(?:e|es|ed|ing)|contest(?:s|ed|ing)?|challeng(?:e|es|ed|ing)|question(?:s|ed|ing)"
    r"|cast(?:s|ing)?\s+doubt\s+on)\s+(?:the\s+|a\s+|an\s+|these\s+|those\s+)?(?:\w+\s+)?"
    + _ALLEGATION
    + r"(?:\s+(?:that|of))?",
    re.IGNORECASE,
)
_WEAK_DENIAL_CUES = re.compile(
    r"\b(?:never|at\s+no\s+point|did\s+not|didn[’']t|had\s+not|hadn[’']t|was\s+not|wasn[’']t"
    r"|were\s+not|weren[’']t|no\s+one|nobody|not\s+once)\b",
    re.IGNORECASE,
)
_ASSERTION_CUES = re.compile(
    r"\b(?:claim(?:s|ed|ing)?(?:\s+that)?|alleg(?:e|es|ed|ing|ation|ations)(?:\s+(?:that|of))?"
    r"|accus(?:e|es|ed|ing|ation|ations)(?:\s+(?:\w+\s+){0,3}?of)?"
    r"|suggestions?(?:\s+that)?|suggest(?:s|ed)\s+that|report(?:s|ed)?\s+that|warn(?:s|ed|ing)"
    r"(?:\s+(?:\w+\s+){0,3}?(?:that|about|of))?|shows?\s+that|found\s+that|according\s+to"
    r"|(?:said|says|say|told\s+\w+)\s+that)\b",
    re.IGNORECASE,
)
# Stems of reporting and stance words: they say who holds a claim, not what it is about.
_REPORTING = frozenset(
    stem(word)
    for word in """
    claim claims claimed alleged allege alleges allegation allegations accused accuse accuses
    accusation accusations suggestion suggestions suggested reported report reports said say
    says according told denied deny denies denial rejected rejects reject dismissed dismiss
    refuted refute disputed dispute disputes contested questioned challenged rebutted
    """.split()
)
_STANCES: tuple[Stance, ...] = ("asserts", "denies", "disputes")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MODIFIED = re.compile(
    r"((?:[A-Z][\w’'.-]*|\d{4})(?:\s+(?:[A-Z][\w’'.-]*|\d{4}))*)(?:[’']s)?\s+"
    r"((?:[a-z]+\s+){0,2})([a-z]{3,})\b"
)


# ----------------------------------------------------------------------------- coverage


def cover_facts(story: Story, articles: Mapping[str, Article]) -> tuple[FactCoverage, ...]:
    """How many articles and outlets carry each fact of ``story``.

    The text shown is the fact's earliest sentence. An article that the core set
    aside as a copy of a canonical one carries the fact when it repeats one of
    the fact's sentences word for word.
    """
    sentences = {sentence.id: sentence for sentence in story.sentences}
    copies = {group.canonical: group.copies for group in story.duplicates}
    coverage = []
    for fact in story.facts:
        members = [sentences[s] for s in fact.sentence_ids if s in sentences]
        if not members:
            continue
        carrying = list(fact.article_ids)
        for member in members:
            wording = member.text(articles[member.article_id])
            for copy in copies.get(member.article_id, ()):
                if copy in articles and copy not in carrying and wording in articles[copy].text:
                    carrying.append(copy)
        first = members[0]
        coverage.append(
            FactCoverage(
                fact_id=fact.id,
                text=first.text(articles[first.article_id]),
                article_ids=tuple(carrying),
                sources=tuple(dict.fromkeys(articles[a].source for a in carrying if a in articles)),
            )
        )
    return tuple(coverage)


# ----------------------------------------------------------------------------- disagreements


class DisagreementFinder(Protocol):
    """Finds claims that some sources assert and others deny or dispute."""

    def find(
        self,
        story: Story,
        articles: Mapping[str, Article],
        entities: Sequence[Entity] = (),
    ) -> tuple[Disagreement, ...]: ...


@dataclass(slots=True)
class _Reading:
    sentence: Sentence
    text: str
    stance: Stance | None
    weak: bool
    claim: str
    claim_start: int  # offset of the claim inside the article
    terms: Counter[str]
    source: str


class CueDisagreementFinder:
    """Stance cues + topical similarity + same-event check (see the module docstring).

    ``similarity``: the cosine two claims need to be about the same thing.
    ``weak_similarity``: the cosine a negated report needs to join as a denial.
    """

    def __init__(self, *, similarity: float = 0.3, weak_similarity: float = 0.45) -> None:
        self.similarity = similarity
        self.weak_similarity = weak_similarity

    def find(
        self,
        story: Story,
        articles: Mapping[str, Article],
        entities: Sequence[Entity] = (),
    ) -> tuple[Disagreement, ...]:
        self._validate()
        readings = [
            _read(sentence, articles[sentence.article_id], entities)
            for sentence in story.sentences
            if sentence.article_id in articles
        ]
        readings = [reading for reading in readings if reading.stance is not None]
        places = frozenset(
            name_key(form)
            for entity in entities
            if entity.kind == "place"
            for form in (entity.name, *entity.aliases)
        )
        if not readings:
            return ()
        weights = _idf(readings)
        vectors = [_weighted(reading.terms, weights) for reading in readings]
        strong_denials = [
            i for i, r in enumerate(readings) if r.stance in ("denies", "disputes") and not r.weak
        ]
        assertions = [i for i, r in enumerate(readings) if r.stance == "asserts"]
        weak = [i for i, r in enumerate(readings) if r.weak]
        linked = strong_denials + assertions
        parent = {i: i for i in linked}

        def root(item: int) -> int:
            while parent[item] != item:
                parent[item] = parent[parent[item]]
                item = parent[item]
            return item

        for position, first in enumerate(linked):
            for second in linked[position + 1 :]:
                if root(first) != root(second) and self._same(
                    (readings[first], vectors[first]), (readings[second], vectors[second]), places
                ):
                    parent[max(root(first), root(second))] = min(root(first), root(second))
        components: dict[int, list[int]] = {}
        for item in linked:
            components.setdefault(root(item), []).append(item)
        disagreements: list[Disagreement] = []
        for component in sorted(components.values()):
            denials = [m for m in component if readings[m].stance != "asserts"]
            if not denials or len(denials) == len(component):
                continue
            pool = _pool([vectors[m] for m in component])
            members = component + [
                candidate
                for candidate in weak
                if _cosine(vectors[candidate], pool) >= self.weak_similarity
            ]
            if len({readings[m].source for m in members}) < 2:
                continue
            disagreements.append(_disagreement(len(disagreements), denials, members, readings))
        return tuple(disagreements)

    def _same(
        self,
        first: tuple[_Reading, dict[str, float]],
        second: tuple[_Reading, dict[str, float]],
        places: frozenset[str],
    ) -> bool:
        return _cosine(first[1], second[1]) >= self.similarity and not _other_event(
            first[0].claim, second[0].claim, places
        )

    def _validate(self) -> None:
        name = type(self).__name__
        for option in ("similarity", "weak_similarity"):
            value = getattr(self, option)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise ConfigError(
                    f"The '{option}' parameter of {name} must be a float in (0, 1]. "
                    f"Got {value!r} instead."
                )


def _read(sentence: Sentence, article: Article, entities: Sequence[Entity]) -> _Reading:
    text = sentence.text(article)
    stance: Stance | None = None
    weak = False
    cue_end = 0
    for pattern, kind in ((_DISPUTE_CUES, "disputes"), (_DENIAL_CUES, "denies")):
        match = pattern.search(text)
        if match is not None:
            stance, cue_end = kind, match.end()  # type: ignore[assignment]
            break
    if stance is None:
        match = _ASSERTION_CUES.search(text)
        if match is not None and _WEAK_DENIAL_CUES.search(text, match.end()):
            stance, weak = "denies", True  # "... has said the city was never warned"
        elif match is not None:
            stance = "asserts"
            tail = text[match.end() :]
            # the cue itself may carry content ("warned", "found"): keep it in the claim
            cue_end = match.start() if len(_WORD.findall(tail)) >= 4 else 0
    if stance is None and _WEAK_DENIAL_CUES.search(text):
        stance, weak = "denies", True
    claim = text[cue_end:].strip(" ,:;“”\"'‘’") if cue_end else text
    if len(_WORD.findall(claim)) < 3:
        claim, cue_end = text, 0
    claim_start = sentence.start + text.find(claim) if claim in text else sentence.start
    terms = _terms(claim, article.id, claim_start, entities)
    return _Reading(
        sentence=sentence,
        text=text,
        stance=stance,
        weak=weak,
        claim=claim,
        claim_start=claim_start,
        terms=terms,
        source=article.source,
    )


def _terms(claim: str, article_id: str, start: int, entities: Sequence[Entity]) -> Counter[str]:
    """Content stems of a claim, names replaced by their entity ("Russian" -> Russia)."""
    end = start + len(claim)
    named: list[tuple[int, int, str]] = []
    for entity in entities:
        for mention in entity.mentions:
            if mention.article_id == article_id and start <= mention.start and mention.end <= end:
                named.append((mention.start - start, mention.end - start, entity.id))
    terms: Counter[str] = Counter(f"@{entity_id}" for _, _, entity_id in named)
    singles = {
        name_key(form): entity.id
        for entity in entities
        if entity.kind == "place"
        for form in (entity.name, *entity.aliases)
        if " " not in name_key(form)
    }
    for match in _WORD.finditer(claim):
        if any(low <= match.start() < high for low, high, _ in named):
            continue
        word = match.group().lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOP_WORDS or (word.isdigit() and not _YEAR.fullmatch(word)):
            continue
        if stem(word) in _REPORTING:
            continue
        if match.group()[:1].isupper():
            place = next(
                (entity for key, entity in singles.items() if demonym_matches(word, key)), None
            )
            if place is not None:
                terms[f"@{place}"] += 1
                continue
        terms[stem(word)] += 1
    return terms


def _idf(readings: Sequence[_Reading]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for reading in readings:
        frequency.update(set(reading.terms))
    total = len(readings)
    return {term: math.log((1 + total) / (1 + count)) + 1 for term, count in frequency.items()}


def _weighted(terms: Counter[str], weights: Mapping[str, float]) -> dict[str, float]:
    vector = {term: (1 + math.log(count)) * weights[term] for term, count in terms.items()}
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {term: value / norm for term, value in vector.items()}


def _pool(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    norm = math.sqrt(sum(value * value for value in total.values())) or 1.0
    return {term: value / norm for term, value in total.items()}


def _cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(value * second.get(term, 0.0) for term, value in first.items())


def _other_event(first: str, second: str, places: frozenset[str]) -> bool:
    """Whether two claims are about different events: other years, or other places on one noun.

    ``places`` holds the name keys of the story's places; a person's name before a
    noun ("Macron's campaign") never conflicts with a place ("France's campaign").
    """
    years_a, years_b = set(_YEAR.findall(first)), set(_YEAR.findall(second))
    if years_a and years_b and not years_a & years_b:
        return True
    modifiers_a, modifiers_b = _modifiers(first, places), _modifiers(second, places)
    for noun in modifiers_a.keys() & modifiers_b.keys():
        if not _compatible(modifiers_a[noun], modifiers_b[noun]):
            return True
    return False


def _modifiers(claim: str, places: frozenset[str]) -> dict[str, set[str]]:
    """Places and years standing before a common noun: "France's presidential election"."""
    found: dict[str, set[str]] = {}
    for match in _MODIFIED.finditer(claim):
        noun = match.group(3)
        if noun in STOP_WORDS or noun.endswith(("ed", "ing")):
            continue  # a verb or gerund ("Moscow meddled"), not a modified noun
        names = {name_key(word) for word in re.split(r"\s+", match.group(1)) if word}
        names = {name for name in names if name in places or _YEAR.fullmatch(name)}
        if names:
            found.setdefault(stem(noun), set()).update(names)
    return found


def _compatible(first: set[str], second: set[str]) -> bool:
    if first & second:
        return True
    return any(demonym_matches(a, b) or demonym_matches(b, a) for a in first for b in second)


def _disagreement(
    number: int, group: Sequence[int], members: Sequence[int], readings: Sequence[_Reading]
) -> Disagreement:
    ordered = sorted(
        members, key=lambda m: (readings[m].sentence.article_id, readings[m].sentence.index)
    )
    sides = []
    for stance in _STANCES:
        chosen = [readings[m] for m in ordered if readings[m].stance == stance]
        if not chosen:
            continue
        sides.append(
            ClaimSide(
                stance=stance,
                citations=tuple(r.sentence.citation() for r in chosen),
                texts=tuple(r.text for r in chosen),
            )
        )
    first_denial = min(
        group, key=lambda m: (readings[m].sentence.article_id, readings[m].sentence.index)
    )
    return Disagreement(id=f"d{number}", claim=readings[first_denial].claim, sides=tuple(sides))
