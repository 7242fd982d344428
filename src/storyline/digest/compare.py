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
6. Each assertion of a disagreement is judged against its claim by the stance judge
   of ``storyline check`` (:class:`~storyline.digest.stance.StanceJudge`): one that is
   hedged ("allegedly", "claimed") or that a source makes ("police said", "according
   to") is a ``reports``, shown with that cue, never as the outlet's own assertion;
   each denial is shown with its refuting word.

Cost: near-linear in the story's sentences. A sentence's text is read for its stance
once per story, however many articles repeat it (its readings keep their own article and
offsets); a sentence holding none of the cue words (half of them) is left after one pass
of ``in`` tests, and a cue expression is searched for only in sentences holding one of
the words it needs (the stage, without entities, on the 273 stories of a 3,000-article
``bench/make_stream.py`` stream: 9.07 -> 6.41 CPU s; on 1,578 Timeline17 articles in
batches of 40: 3.83 -> 3.23); an ASCII sentence (nine in ten) is searched in lower case by
case-sensitive twins of the cue expressions, which find the same matches 2.2x faster than
IGNORECASE on the text as written; the entities are indexed once
(mentions by offset, places by their first letters); step 5 grows each group from
its first denial, breadth first, through sparse products of the TF-IDF rows (only
claims sharing a term are ever compared), and matches the weak denials to every
group's pool in one product. Readings are ordered by article id and sentence index,
so the input order of the articles changes nothing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np
from scipy import sparse

from storyline.digest.entities import demonym_matches, name_key
from storyline.digest.stance import StanceJudge, denial_cue, report_cue
from storyline.errors import ConfigError
from storyline.model import (
    Article,
    Citation,
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
    r"|unfounded))\b",
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
# Words (lower case) that each cue expression needs: without one of them it cannot match.
_CUE_WORDS: Mapping[re.Pattern[str], tuple[str, ...]] = {
    _DISPUTE_CUES: ("disput", "contest", "challeng", "question", "doubt"),
    _DENIAL_CUES: (
        "den",
        "reject",
        "dismiss",
        "refut",
        "rebut",
        "repudiat",
        "evidence",
        "true",
        "false",
        "baseless",
        "unfounded",
    ),
    _WEAK_DENIAL_CUES: ("never", "point", "not", "n't", "n’t", "one", "nobody"),
    _ASSERTION_CUES: (
        "claim",
        "alleg",
        "accus",
        "suggest",
        "report",
        "warn",
        "show",
        "found",
        "according",
        "said",
        "say",
        "told",
    ),
}
# The same words as one search each: a sentence is scanned once per expression.
_CUE_FINDERS: Mapping[re.Pattern[str], re.Pattern[str]] = {
    pattern: re.compile("|".join(re.escape(word) for word in words))
    for pattern, words in _CUE_WORDS.items()
}
# Each expression's case-sensitive twin, for an ASCII text in lower case: lowering ASCII keeps
# every offset and every \w, \s and \b, and the expressions hold no capital, so the twin finds
# the same matches as the expression on the text as written, 2.2x faster than IGNORECASE
# (the four searches of the 53,364 sentences of a 3,000-article stream: 2.00 -> 0.90 CPU s).
# A non-ASCII text is searched as written (IGNORECASE folds more than lower() does: "ſ", "K").
_IN_LOWER_CASE: Mapping[re.Pattern[str], re.Pattern[str]] = {
    pattern: re.compile(pattern.pattern) for pattern in _CUE_WORDS
}
_AS_WRITTEN: Mapping[re.Pattern[str], re.Pattern[str]] = {
    pattern: pattern for pattern in _CUE_WORDS
}
# All of them: a sentence without any (half of them) takes no stance. Tested with ``in``,
# word by word, before the scans: 25% less time than the four scans alone on such sentences.
_ANY_CUE_WORD = tuple(sorted({word for words in _CUE_WORDS.values() for word in words}))
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
_STANCES: tuple[Stance, ...] = ("asserts", "reports", "denies", "disputes")
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
    stance: Stance
    weak: bool
    claim: str
    claim_start: int  # offset of the claim inside the article
    terms: Counter[str]
    source: str
    event: tuple[set[str], dict[str, set[str]]] | None = None  # see _event


@dataclass(frozen=True, slots=True)
class _Names:
    """The story's entities, indexed once for reading every sentence."""

    mentions: Mapping[str, tuple[list[int], list[int], list[str]]]  # article -> starts, ends, ids
    demonyms: Mapping[str, list[tuple[str, str]]]  # first four letters -> (place key, entity id)
    places: frozenset[str]
    stems: dict[str, str]  # a cache, filled as words are met
    terms: dict[str, str | None]  # a word as met -> its term (see _term), filled likewise

    @classmethod
    def build(cls, entities: Sequence[Entity]) -> _Names:
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for entity in entities:
            for mention in entity.mentions:
                spans.setdefault(mention.article_id, []).append(
                    (mention.start, mention.end, entity.id)
                )
        mentions = {}
        for article_id, found in spans.items():
            found.sort()
            mentions[article_id] = (
                [start for start, _, _ in found],
                [end for _, end, _ in found],
                [entity_id for _, _, entity_id in found],
            )
        keyed = [  # each place's name keys, made once
            (name_key(form), entity.id)
            for entity in entities
            if entity.kind == "place"
            for form in (entity.name, *entity.aliases)
        ]
        singles = {key: entity_id for key, entity_id in keyed if " " not in key}
        # a demonym and its place share their first four letters (see demonym_matches)
        demonyms: dict[str, list[tuple[str, str]]] = {}
        for key, entity_id in singles.items():
            demonyms.setdefault(key[:4], []).append((key, entity_id))
        places = frozenset(key for key, _ in keyed)
        return cls(mentions=mentions, demonyms=demonyms, places=places, stems={}, terms={})

    def named(self, article_id: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The entity mentions inside ``[start, end)`` of an article, in text order."""
        if article_id not in self.mentions:
            return []
        starts, ends, ids = self.mentions[article_id]
        first, last = bisect_left(starts, start), bisect_right(starts, end)
        return [(starts[i], ends[i], ids[i]) for i in range(first, last) if ends[i] <= end]

    def place_of(self, word: str) -> str | None:
        """The id of the place whose name ``word`` (lower case) is the demonym of, if any."""
        for key, entity_id in self.demonyms.get(word[:4], ()):
            if demonym_matches(word, key):
                return entity_id
        return None

    def stem(self, word: str) -> str:
        found = self.stems.get(word)
        if found is None:
            found = self.stems[word] = stem(word)
        return found


_Read = TypeVar("_Read")


@runtime_checkable
class TwoPassDisagreementFinder(DisagreementFinder, Protocol[_Read]):
    """A finder that can read the story before the entities are known, then resolve.

    ``resolve(read(story, articles), articles, entities)`` equals ``find(story, articles,
    entities)``; the pipeline runs :meth:`read` while the entities are being found.
    """

    def read(self, story: Story, articles: Mapping[str, Article]) -> _Read: ...

    def resolve(
        self, read: _Read, articles: Mapping[str, Article], entities: Sequence[Entity] = ()
    ) -> tuple[Disagreement, ...]: ...


@dataclass(frozen=True, slots=True)
class StanceReadings:
    """What :meth:`CueDisagreementFinder.read` found (opaque outside this module)."""

    readings: tuple[_Reading, ...]


class CueDisagreementFinder:
    """Stance cues + topical similarity + same-event check (see the module docstring).

    ``similarity``: the cosine two claims need to be about the same thing.
    ``weak_similarity``: the cosine a negated report needs to join as a denial.
    """

    def __init__(
        self,
        *,
        similarity: float = 0.3,
        weak_similarity: float = 0.45,
        judge: StanceJudge | None = None,
    ) -> None:
        self.similarity = similarity
        self.weak_similarity = weak_similarity
        self.judge = judge

    def find(
        self,
        story: Story,
        articles: Mapping[str, Article],
        entities: Sequence[Entity] = (),
    ) -> tuple[Disagreement, ...]:
        return self.resolve(self.read(story, articles), articles, entities)

    def read(self, story: Story, articles: Mapping[str, Article]) -> StanceReadings:
        """The larger part of :meth:`find`, which needs no entities: the stance and claim
        of every sentence that takes one (so that it can run while entities are found)."""
        self._validate()
        stances: dict[str, _Stance | None] = {}  # a sentence the story repeats is read once
        found = (
            _read(sentence, articles[sentence.article_id], stances)
            for sentence in story.sentences
            if sentence.article_id in articles
        )
        # one order for everything that follows, whatever the order of the articles
        return StanceReadings(
            readings=tuple(
                sorted(
                    (reading for reading in found if reading is not None),
                    key=lambda r: (r.sentence.article_id, r.sentence.index, r.sentence.start),
                )
            )
        )

    def resolve(
        self,
        read: StanceReadings,
        articles: Mapping[str, Article],
        entities: Sequence[Entity] = (),
    ) -> tuple[Disagreement, ...]:
        """The disagreements, from what :meth:`read` found and the story's entities."""
        self._validate()
        names = _Names.build(entities)
        readings = [
            replace(
                reading,
                terms=_terms(
                    reading.claim, reading.claim_start, names, reading.sentence.article_id
                ),
            )
            for reading in read.readings
        ]
        if not readings:
            return ()
        matrix = _matrix(readings)
        strong = [
            i for i, r in enumerate(readings) if r.stance in ("denies", "disputes") and not r.weak
        ]
        weak = [i for i, r in enumerate(readings) if r.weak]
        components = self._components(readings, matrix, strong, names.places)
        groups = [
            members
            for members in components
            if any(readings[m].stance == "asserts" for m in members)
        ]
        if not groups:
            return ()
        joining = self._weak_members(matrix, groups, weak)
        disagreements: list[Disagreement] = []
        for members, extra in zip(groups, joining, strict=True):
            denials = [m for m in members if readings[m].stance != "asserts"]
            everyone = members + extra
            if len({readings[m].source for m in everyone}) < 2:
                continue
            disagreements.append(
                self._judged(_disagreement(len(disagreements), denials, everyone, readings))
            )
        return tuple(disagreements)

    def _judged(self, disagreement: Disagreement) -> Disagreement:
        """The disagreement with each assertion judged against its claim (step 6)."""
        if self.judge is None:
            self.judge = StanceJudge()
        sides: dict[Stance, tuple[list[Citation], list[str], list[str]]] = {}
        for side in disagreement.sides:
            if side.stance == "asserts":
                judged = self.judge.judge_many(disagreement.claim, side.texts)
                cues = tuple(report_cue(disagreement.claim, text)[0] for text in side.texts)
                reported = tuple(
                    judgement.stance == "reports" or bool(cue)
                    for judgement, cue in zip(judged, cues, strict=True)
                )
            else:
                cues = tuple(denial_cue(disagreement.claim, text) for text in side.texts)
                reported = tuple(False for _ in side.texts)
            for citation, text, cue, report in zip(
                side.citations, side.texts, cues, reported, strict=True
            ):
                stance: Stance = "reports" if report else side.stance
                citations, texts, shown = sides.setdefault(stance, ([], [], []))
                citations.append(citation)
                texts.append(text)
                shown.append(cue)
        return replace(
            disagreement,
            sides=tuple(
                ClaimSide(
                    stance=stance,
                    citations=tuple(sides[stance][0]),
                    texts=tuple(sides[stance][1]),
                    cues=tuple(sides[stance][2]),
                )
                for stance in _STANCES
                if stance in sides
            ),
        )

    def _components(
        self,
        readings: Sequence[_Reading],
        matrix: sparse.csr_matrix,
        strong: Sequence[int],
        places: frozenset[str],
    ) -> list[list[int]]:
        """The connected groups of same-claim assertions and denials that hold a denial.

        Two readings are linked when their cosine reaches ``similarity`` and they are
        not about other events. Each group is grown from its first strong denial,
        breadth first; the neighbours of a batch of readings come from one sparse
        product with the linked readings (only readings that share a term are
        touched), so no pair of readings is compared one by one.
        """
        linked = np.array(
            [i for i, reading in enumerate(readings) if not reading.weak],
            dtype=np.int64,
        )
        columns = matrix[linked].transpose().tocsr()
        owner: dict[int, int] = {}
        components: list[list[int]] = []
        for seed in strong:
            if seed in owner:
                continue
            number = len(components)
            owner[seed] = number
            members = [seed]
            frontier = [seed]
            while frontier:
                reached: list[int] = []
                for begin in range(0, len(frontier), _BATCH):
                    batch = frontier[begin : begin + _BATCH]
                    product = (matrix[batch] @ columns).tocsr()
                    for row, node in enumerate(batch):
                        low, high = product.indptr[row], product.indptr[row + 1]
                        close = product.indices[low:high][product.data[low:high] >= self.similarity]
                        for column in np.sort(close):
                            other = int(linked[column])
                            if other in owner or _other_event(
                                readings[node], readings[other], places
                            ):
                                continue
                            owner[other] = number
                            members.append(other)
                            reached.append(other)
                frontier = reached
            components.append(sorted(members))
        return components

    def _weak_members(
        self, matrix: sparse.csr_matrix, groups: Sequence[Sequence[int]], weak: Sequence[int]
    ) -> list[list[int]]:
        """For each group, the weak denials close to the pool of its members' terms."""
        if not weak:
            return [[] for _ in groups]
        rows = [row for row, members in enumerate(groups) for _ in members]
        columns = [member for members in groups for member in members]
        choose = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(len(groups), matrix.shape[0])
        )
        pools = _normalised(choose @ matrix)
        similarity = (pools @ matrix[list(weak)].transpose()).toarray()
        return [
            [weak[int(i)] for i in np.flatnonzero(row >= self.weak_similarity)]
            for row in similarity
        ]

    def _validate(self) -> None:
        name = type(self).__name__
        for option in ("similarity", "weak_similarity"):
            value = getattr(self, option)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise ConfigError(
                    f"The '{option}' parameter of {name} must be a float in (0, 1]. "
                    f"Got {value!r} instead."
                )


# Readings whose neighbours one sparse product finds: bounds the product's memory.
_BATCH = 256


def _read(
    sentence: Sentence, article: Article, known: dict[str, _Stance | None]
) -> _Reading | None:
    """The stance and claim of a sentence, or None when it takes no stance (its terms are
    left empty: they need the entities). ``known`` holds the :func:`_stance` of each text
    already read."""
    text = sentence.text(article)
    if text in known:
        found = known[text]
    else:
        found = known[text] = _stance(text)
    if found is None:
        return None
    stance, weak, claim, offset = found
    return _Reading(
        sentence=sentence,
        text=text,
        stance=stance,
        weak=weak,
        claim=claim,
        claim_start=sentence.start + offset,
        terms=Counter(),
        source=article.source,
    )


_Stance = tuple[Stance, bool, str, int]
"""What a sentence's text says (see :func:`_stance`): its stance, whether weakly, its claim and
the claim's offset in the text."""


def _stance(text: str) -> _Stance | None:
    """The stance and claim of a sentence's text (see :func:`_read`), or None."""
    lowered = text.lower()
    for word in _ANY_CUE_WORD:
        if word in lowered:
            break
    else:
        return None
    # a cue expression is searched for only where its words could be
    cues = {pattern: words.search(lowered) is not None for pattern, words in _CUE_FINDERS.items()}
    searched, twin = (lowered, _IN_LOWER_CASE) if text.isascii() else (text, _AS_WRITTEN)
    stance: Stance | None = None
    weak = False
    cue_end = 0
    for pattern, kind in ((_DISPUTE_CUES, "disputes"), (_DENIAL_CUES, "denies")):
        match = twin[pattern].search(searched) if cues[pattern] else None
        if match is not None:
            stance, cue_end = kind, match.end()  # type: ignore[assignment]
            break
    if stance is None and cues[_ASSERTION_CUES]:
        match = twin[_ASSERTION_CUES].search(searched)
        if (
            match is not None
            and cues[_WEAK_DENIAL_CUES]
            and twin[_WEAK_DENIAL_CUES].search(searched, match.end())
        ):
            stance, weak = "denies", True  # "... has said the city was never warned"
        elif match is not None:
            stance = "asserts"
            tail = text[match.end() :]
            # the cue itself may carry content ("warned", "found"): keep it in the claim
            cue_end = match.start() if len(_WORD.findall(tail)) >= 4 else 0
    if stance is None and cues[_WEAK_DENIAL_CUES] and twin[_WEAK_DENIAL_CUES].search(searched):
        stance, weak = "denies", True
    if stance is None:
        return None
    claim = text[cue_end:].strip(" ,:;“”\"'‘’") if cue_end else text
    if len(_WORD.findall(claim)) < 3:
        claim, cue_end = text, 0
    return stance, weak, claim, text.find(claim) if claim in text else 0


def _terms(claim: str, start: int, names: _Names, article_id: str) -> Counter[str]:
    """Content stems of a claim, names replaced by their entity ("Russian" -> Russia)."""
    named = names.named(article_id, start, start + len(claim))
    terms: Counter[str] = Counter(f"@{entity_id}" for _, _, entity_id in named)
    lows = [low - start for low, _, _ in named]
    highs = [high - start for _, high, _ in named]
    known = names.terms
    for match in _WORD.finditer(claim):
        inside = bisect_right(lows, match.start()) - 1
        if inside >= 0 and match.start() < highs[inside]:
            continue
        word = match.group()
        term = known[word] if word in known else known.setdefault(word, _term(word, names))
        if term is not None:
            terms[term] += 1
    return terms


def _term(word: str, names: _Names) -> str | None:
    """The term a word outside the entity mentions gives a claim (None: none): its stem, or
    the place it names as a demonym ("Russian" -> Russia); a word gives the same term
    wherever it stands, so each is made once per story (:attr:`_Names.terms`)."""
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    if low in STOP_WORDS or (low.isdigit() and not _YEAR.fullmatch(low)):
        return None
    stemmed = names.stem(low)
    if stemmed in _REPORTING:
        return None
    if word[:1].isupper():
        place = names.place_of(low)
        if place is not None:
            return f"@{place}"
    return stemmed


def _matrix(readings: Sequence[_Reading]) -> sparse.csr_matrix:
    """TF-IDF rows of the readings' terms, each of unit length (terms in sorted order)."""
    frequency: Counter[str] = Counter()
    for reading in readings:
        frequency.update(reading.terms.keys())
    vocabulary = {term: number for number, term in enumerate(sorted(frequency))}
    total = len(readings)
    idf = np.array(
        [math.log((1 + total) / (1 + frequency[term])) + 1 for term in sorted(frequency)]
    )
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for reading in readings:
        row = sorted((vocabulary[term], count) for term, count in reading.terms.items())
        indices.extend(column for column, _ in row)
        counts.extend(count for _, count in row)
        indptr.append(len(indices))
    columns = np.array(indices, dtype=np.int64)
    values = (1 + np.log(np.array(counts, dtype=float))) * idf[columns]
    matrix = sparse.csr_matrix(
        (values, columns, np.array(indptr, dtype=np.int64)), shape=(total, len(vocabulary))
    )
    return _normalised(matrix)


def _normalised(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix)


def _other_event(first: _Reading, second: _Reading, places: frozenset[str]) -> bool:
    """Whether two claims are about different events: other years, or other places on one noun.

    ``places`` holds the name keys of the story's places; a person's name before a
    noun ("Macron's campaign") never conflicts with a place ("France's campaign").
    """
    years_a, modifiers_a = _event(first, places)
    years_b, modifiers_b = _event(second, places)
    if years_a and years_b and not years_a & years_b:
        return True
    for noun in modifiers_a.keys() & modifiers_b.keys():
        if not _compatible(modifiers_a[noun], modifiers_b[noun]):
            return True
    return False


def _event(reading: _Reading, places: frozenset[str]) -> tuple[set[str], dict[str, set[str]]]:
    """The years and the modified nouns of a reading's claim, found once."""
    if reading.event is None:
        reading.event = (set(_YEAR.findall(reading.claim)), _modifiers(reading.claim, places))
    return reading.event


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
