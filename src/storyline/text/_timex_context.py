"""The context of a temporal expression: its clause, tense and the filters of false readings.

Input -> output: a text and the offsets of a match -> the words around it, the clause it
stands in, the tense that clause leans to (past, future or none: auxiliaries, modal "will",
scheduled presents, -ed forms with their known exceptions), whether a deadline word governs
it, and whether a year-shaped number is a count, a weekday a name, a month word a verb or a
first name. Word lists live in :mod:`storyline.text._timex_rules`.

The tense cues of a clause are the matches of ``CUE`` (a regular expression of our own:
no library reads tense from a clause this cheaply), tried only at the word starts where
one can begin (``CUE_SCAN``: CUE behind a lookahead of those places, ``CUE_WORDS``):
``CUE.finditer`` tried at every offset cost 15 us a clause of 38 characters, most of a
tense reading (issue 14); the matches are the same. The words of a clause that the tense
reading looks at are read off the scans that find its bounds (``_clause``), not scanned
again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyline.text._timex_calendar import Lean
from storyline.text._timex_rules import (
    ACTUAL_TO,
    AMBIGUOUS_MONTHS,
    CLAUSE_PUNCT,
    CLAUSE_WORDS,
    COUNT_BEFORE_OF,
    COUNT_WORDS_AFTER,
    COUNT_WORDS_BEFORE,
    CUE_SCAN,
    DAY_NAME_PREFIXES,
    DAY_NAME_SUFFIXES,
    DETERMINERS,
    EVENT_PLURALS,
    FUTURE_GOVERNORS,
    GOVERNORS,
    MODALS,
    MONTH_CONTEXT,
    MONTH_NUMBERS,
    NAME_VERBS,
    NEWSPAPER_BEFORE_ON,
    NON_PLURAL_S,
    NOT_MODIFIED_BY_MONTH,
    NOT_PAST,
    PARTICIPLE_PREPOSITIONS,
    PASSIVE_AUX,
    PAST_AUX,
    TIME_SUFFIXES,
    TO_INFINITIVE,
    WORD,
    YEAR_PREPOSITIONS,
)

__all__ = [
    "DEADLINE_WORDS",
    "MOVED_TO",
    "at_sentence_start",
    "clause_bounds",
    "clause_tense",
    "is_deadline",
    "is_named_weekday",
    "is_year_count",
    "lean_of",
    "month_rejected",
    "nearest_cue",
    "word_after",
    "words_before",
]


def words_before(text: str, start: int, count: int) -> list[str]:
    return [w.lower() for w in WORD.findall(text, max(0, start - 40), start)[-count:]]


def word_after(text: str, end: int) -> str:
    match = WORD.search(text, end, min(len(text), end + 40))
    if match is None or text[end : match.start()].strip(" \t"):
        return ""
    return match.group().rstrip(".")


def at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 6) : start].rstrip()
    return not before or before[-1] in ".!?\"“`'(\n" or before.endswith(("-LRB-", "``"))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, as offsets (see the module docstring)."""
    left, right, _, _ = _clause(text, start, end)
    return left, right


def _clause(text: str, start: int, end: int) -> tuple[int, int, list[str], list[str]]:
    """The clause's offsets, and its words (``WORD``) before and after the expression: the
    ones ``WORD.findall`` gives on each side, read off the scans that find the bounds."""
    left_limit = max(0, start - 160)
    left = left_limit
    for punct in CLAUSE_PUNCT.finditer(text, left_limit, start):
        left = punct.end()
    words = WORD.findall(text, left, start)  # strings: offsets only for the one found
    for index in range(len(words) - 2, -1, -1):  # the word right before is the governor
        if words[index].lower() in CLAUSE_WORDS:
            left = list(WORD.finditer(text, left, start))[index].end()
            words = words[index + 1 :]  # a scan resumed at a word's end reads the same
            break
    right_limit = min(len(text), end + 160)
    punct_right = CLAUSE_PUNCT.search(text, end, right_limit)
    right = punct_right.start() if punct_right else right_limit
    after: list[str] = []
    for word in WORD.finditer(text, end, right):
        written = word.group()
        opens = written.lower() in CLAUSE_WORDS
        if opens and not _joins_names(text, word.start(), word.end()):
            right = word.start()
            break
        after.append(written)
    return left, right, words, after


def _joins_names(text: str, start: int, end: int) -> bool:
    """ "and" or "or" between two capitalised words ("the National Abortion and Reproductive
    Rights Action League") joins a name, not two clauses."""
    if text[start:end].lower() not in {"and", "or"}:
        return False
    before = WORD.findall(text, max(0, start - 30), start)
    return bool(before) and before[-1][:1].isupper() and word_after(text, end)[:1].isupper()


def _cues(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The matches of ``CUE.finditer(text, lo, hi)``, with CUE tried only where it can
    start (``CUE_SCAN``): at a quote or at a word start (a match starts at one and ends at
    a word end), when the word is one CUE writes, ends in "ed" or is not ASCII."""
    return CUE_SCAN.finditer(text, lo, hi)


def nearest_cue(text: str, lo: int, hi: int, start: int, end: int) -> Lean | None:
    best: tuple[int, Lean] | None = None
    modal_at: int | None = None  # a finite modal ("will", "would") seen so far in the clause
    for cue in _cues(text, lo, hi):
        word = cue.group().lower()
        if word in MODALS and modal_at is None:
            modal_at = cue.start()
        if start <= cue.start() < end:
            continue
        if cue.group("fut") is not None:
            if word == "planned" and words_before(text, cue.start(), 1) in (
                ["as"],
                ["previously"],
                ["originally"],
            ):
                continue  # "as previously planned": the plan is the past's, not a future
            lean: Lean = "future"
        else:
            if word in NOT_PAST:
                continue
            if (
                modal_at is not None
                and cue.end() <= start
                and word.endswith("ed")
                and word not in PAST_AUX
                and not _heads_the_expression(text, cue.end(), start)
            ):
                continue  # "will redeem preferred shares on Oct. 31", "would be paid on a
                # still unspecified date": a clause has one finite verb, the modal
            before = words_before(text, cue.start(), 1)
            if before and before[0] in PASSIVE_AUX and word not in PAST_AUX:
                continue  # "will be held", "is expected": a participle, not a past tense
            if before and before[0] in DETERMINERS:
                continue  # "the reduced dividend", "a planned visit": an adjective
            if (
                word not in PAST_AUX
                and word not in ACTUAL_TO
                and TO_INFINITIVE.match(text, cue.end())
            ):
                continue  # "hoped to meet", "agreed to visit": the meeting is not past
            lean = "past"
        distance = start - cue.end() if cue.end() <= start else cue.start() - end
        if best is None or distance < best[0]:
            best = (distance, lean)
    return None if best is None else best[1]


def _heads_the_expression(text: str, cue_end: int, start: int) -> bool:
    """Whether a participle takes the expression, directly or by a preposition ("the
    resolution approved on March 17", "agreed upon over the weekend"): a reduced
    relative clause, whose event the expression dates."""
    after = text[cue_end:start].split()
    words = [word.lower() for word in after if word.lower() not in DETERMINERS]
    return len(words) <= 2 and all(word in PARTICIPLE_PREPOSITIONS for word in words)


def clause_tense(text: str, start: int, end: int) -> Lean | None:
    left, right, before, after = _clause(text, start, end)
    lean = nearest_cue(text, left, right, start, end)
    if lean is not None:
        return lean
    if after or any(w.lower() not in GOVERNORS for w in before):
        return None  # the clause holds words of its own
    if right < len(text) and text[right] == ",":
        _, next_right = clause_bounds(text, right + 1, right + 1)
        lean = nearest_cue(text, right + 1, next_right, right + 1, right + 1)
        if lean is not None:
            return lean
    if left > 0:  # also across a sentence end: news keeps its tense (Timeline17 date-F1)
        prev_left, _ = clause_bounds(text, max(0, left - 1), max(0, left - 1))
        return nearest_cue(text, prev_left, left, left, left)
    return None


def lean_of(text: str, start: int, end: int) -> tuple[Lean | None, str]:
    """The tense reading of an expression, or ``None`` when nothing in context tells."""
    three = words_before(text, start, 3)  # read once: the governor is the last of them
    governor = three[-1:]
    if governor and governor[0] == "since":
        return "past", "past: 'since'"
    if three in (["as", "soon", "as"], ["as", "early", "as"]):
        return "future", "future: 'as soon as', 'as early as'"
    tense = clause_tense(text, start, end)
    if tense == "future":
        return "future", "future tense in clause"
    if tense == "past":
        return "past", "past tense in clause"
    if governor and governor[0] in FUTURE_GOVERNORS:
        return "future", f"future: '{governor[0]}'"
    return None, "no tense cue"


def is_deadline(text: str, start: int, end: int) -> bool:
    """True when the expression is governed by a deadline word ("until Nov. 20",
    "effective Feb. 1", "extended to Nov. 16") or names a deadline ("the Jan. 14
    deadline"), which is a date still ahead."""
    if word_after(text, end).lower() == "deadline":
        return True
    before = words_before(text, start, 2)
    if not before:
        return False
    if before[-1] in DEADLINE_WORDS:
        return True
    return len(before) == 2 and before[-1] == "to" and before[0] in MOVED_TO


DEADLINE_WORDS = frozenset({
    "until", "till", "through", "by", "effective", "payable", "expire", "expires", "expiring",
    "deadline", "before",
})  # fmt: skip
MOVED_TO = frozenset({
    "extended", "postponed", "delayed", "adjourned", "moved", "pushed", "deferred", "set",
})  # fmt: skip

# --------------------------------------------------------------------------- filters


def is_year_count(text: str, start: int, end: int, has_modifier: bool) -> bool:
    """True when a year-shaped number reads as a count, a code or a clock time."""
    before = words_before(text, start, 2)
    after = word_after(text, end)
    after_lower = after.lower()
    if after_lower in TIME_SUFFIXES or (
        text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit()
    ):
        return True
    if has_modifier or text[max(0, start - 5) : start].lower().endswith(("pre-", "post-")):
        return False  # "post-1959 politics": the year before or after which, not a count
    governor = before[-1] if before else ""
    if governor.endswith(("'s", "’s")) or after_lower in {"'s", "’s"}:
        return False
    if governor in YEAR_PREPOSITIONS and governor != "of":
        return False
    if governor == "of":
        return len(before) > 1 and before[0] in COUNT_BEFORE_OF
    if governor in COUNT_WORDS_BEFORE:
        return True
    if after_lower in COUNT_WORDS_AFTER:
        return True
    plural = (
        after.islower()
        and len(after) > 3
        and after_lower.endswith("s")
        and not after_lower.endswith(("ss", "us", "is"))
        and after_lower not in NON_PLURAL_S
        and after_lower not in EVENT_PLURALS
    )
    if plural:
        return True
    return governor == "the" and after == ""


def is_named_weekday(text: str, start: int, end: int) -> bool:
    before = words_before(text, start, 2)
    if before and before[-1] in DAY_NAME_PREFIXES:
        return True
    if len(before) == 2 and before[1] == "on" and before[0] in NEWSPAPER_BEFORE_ON:
        return True
    return word_after(text, end) in DAY_NAME_SUFFIXES


def month_rejected(text: str, start: int, end: int, name: str, has_mod: bool) -> bool:
    after = word_after(text, end)
    if after[:1].isupper() and after.lower() not in MONTH_NUMBERS and after.lower() != "of":
        return True
    if has_mod or name.lower() not in AMBIGUOUS_MONTHS:
        return False  # "January was cold", "early November will": no first name
    if after.lower() in NAME_VERBS:
        return True  # "May said", "April has"
    before = words_before(text, start, 2)
    if not before:
        return True
    governor = before[-1]
    if governor.endswith(("'s", "’s")):
        return False
    if governor == "the" and name[:1].isupper():
        return not _modifies_noun(after)  # "the March accession", not "the March on Washington"
    if governor not in MONTH_CONTEXT:
        return True
    return governor in {"and", "or", "to", "that", "as", "for"} and not (
        len(before) == 2 and (before[0] in MONTH_NUMBERS or before[0] in {"between", "from"})
    )


def _modifies_noun(word: str) -> bool:
    """Whether a month name followed by ``word`` reads as a modifier of that noun."""
    return (
        word.isalpha()
        and word.islower()
        and word not in NOT_MODIFIED_BY_MONTH
        and not word.endswith("ed")
    )
