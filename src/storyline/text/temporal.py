"""Temporal expressions: text + publication date -> resolved :class:`TimeExpression` records.

Input: one text (an article, a sentence, or PTB-tokenized newswire such as
``Monday 's`` and ``May 7 ,``) and the date it was published. Output: every
temporal expression in it, in text order, each with its wording, its character
offsets into that text, a kind, a :class:`~storyline.model.TimeRef` (start,
end, granularity) -- or ``ref=None`` with a note when it has no calendar reading --
and its TimeML TIMEX3 type and value (DATE "2017-05-29", TIME "2017-05-29T15:00",
DURATION "P3W", SET "XXXX-WXX-1", "PRESENT_REF" ...).

Method. A rule-based tagger in the spirit of HeidelTime's rule resources
(Strötgen & Gertz, "HeidelTime: High quality rule-based extraction and
normalization of temporal expressions", SemEval 2010; "Multilingual and
cross-domain temporal tagging", LRE 2013): one compiled regular expression finds
every candidate in a single pass, small context rules reject the readings that
are not times ("she may resign", "the March on Washington", "April Jones
said", "Black Friday", "the Mail on Sunday", "Russia Today", "1,717 people",
"2017 votes"), and the survivors are normalised in pure Python with
:mod:`datetime` against the document creation time, as in the TimeML /
TempEval-2 "news" setting (Pustejovsky et al. 2003; Verhagen et al. 2010).

Resolution rules (the publication date is P):

- Explicit dates ("Sunday, May 28, 2017", "Dec. 25 , 2016", "2017-05-28",
  "28 May 2017") resolve on their own, also without P.
- A bare weekday ("on Monday", "Monday 's meeting") or a date without a year
  ("May 7", "Dec. 25") is the most recent one on or before P -- news reports
  what happened -- unless the tense of its clause is future ("will", "'ll",
  "is to", "is due to", "is scheduled to", "is set to", "plans to",
  "is going to", "is meeting", "would" (not "would have"), "planned",
  "planning", "intended to", and the scheduled present "opens", "resumes",
  "takes effect" ...), which makes it the first one on or after P. "since"
  forces the past reading, "as soon as" / "as early as" the future; "until",
  "till", "by" and "before" lean to the future when no tense cue is found, though
  never to a yearless date more than half a year ahead ("by Jan. 14" the day
  after it is that Jan. 14). A possessive weekday ("Friday's decision") names the
  day of an event and keeps the past default whatever the clause's tense. A
  yearless date or month after a deadline word ("until", "by", "through",
  "effective", "payable", "extended to") is the next
  one when that is less than half a year ahead, whatever the tense ("the offer
  was extended to Nov. 20"), and so is a date that names a deadline ("the Jan. 14
  deadline"). "next Friday" is the first Friday after P,
  "last Friday" the last one before P, "this Friday" the Friday of P's week
  (Monday..Sunday). A weekday written beside a yearless date picks the year in
  which it fits.
- One refinement of the past default, for yearless dates and bare months only
  (not weekdays): with no tense cue at all, the next occurrence wins when it is
  less than a third as far from P as the last one ("takes effect on July 1"
  in a June article is this July, not last year's), so "May 7" in a May 30
  article stays May 7 of that year while "Jan. 15" in a January 3 article is
  twelve days ahead.
- Tense reach: the clause around the expression, cut at punctuation
  (, ; : ( ) quotes dashes; a period only when it ends a sentence, not in "9.5",
  "John P. Smith" or "Mr.") and at clause-opening words (that, which, who, when,
  while, because, but, and, or, after, before, since, if ...) unless that word
  directly governs the expression ("until Friday") or "and"/"or" joins two
  capitalised words of a name. The nearest cue wins; a participle after
  "be"/"is"/"are" ("will be held") is not a past cue, nor is an -ed word after a
  determiner ("the reduced dividend") or before a to-infinitive ("hoped to meet",
  "agreed to visit") unless the verb is implicative or aspectual ("continued to call",
  "failed to pay": Karttunen 1971), nor an -ed word after a modal of the same clause
  ("will redeem preferred shares", "would be paid on a still unspecified date": the
  modal is the clause's one finite verb). When the clause holds nothing but the expression ("On
  Friday, he will ..."), the next clause to the right, then to the left, is read
  instead (also across a sentence end: cutting there cost Timeline17 date-F1 0.004).
- Months ("in April", "early May") are the most recent such month up to P's
  month (the next one from P's month on under a future cue); "last April" is
  strictly before P's month, "next April" strictly after. A month of a year
  named relative to P ("February this year", "early October this year", "April
  next year") is one expression, that month of that year. Years ("in 2016",
  "1717", "the 2016 election") are that year. Seasons span three months
  (winter: December to February).
- Relative expressions: "today"/"tonight"/"this morning" = P, "yesterday"/
  "last night" = P-1, "tomorrow" = P+1; "last/this/next week|month|year"
  (also "earlier this month", "later this year") are the calendar unit before,
  containing or after P (weeks run Monday..Sunday); "two days ago" is a day,
  "three weeks ago" the week containing P-21 days, "two months ago" a month;
  "in two weeks" is the week containing P+14 days when its clause is future
  (otherwise "two weeks" is a length, P2W, without a calendar reading); "a decade ago" is
  the year P-10; "the weekend" /"over the weekend" the Saturday..Sunday before P
  (after P under a future cue), "this weekend" the one of P's week unless a
  tense cue says otherwise.
- Decades ("the 1990s", "the '90s", "late 1980s") resolve to a ten-year span
  at year granularity (a modifier such as "late" is kept in the note, not
  narrowed); "the 1800s" is the century 1800-1899; "the 19th century" is
  1800-1899. "the past two weeks" is a duration ending at P (day granularity).
- Kept and marked, never guessed: expressions anchored to another event ("the
  next day", "two days later", "the previous week", "that day"), vague amounts
  ("a few days ago"), and every relative expression when P is unknown: their
  ``ref`` is None (the timeline does not use them) though their TimeML value is
  given (below).
- Holidays: fixed ("Christmas Day", "Independence Day") and moving ones
  (Thanksgiving, Memorial Day, Labor Day, Election Day, Easter by the Gregorian
  computus) resolve like yearless dates, "Labor Day of 1936" to that year; a bare
  "Christmas" or "Easter" only after a time word ("by Christmas", "last Easter").
  "<holiday> week" ("Easter week", "Christmas week") is the ISO week holding the
  holiday (a week-granular DATE, 2000-W16), the most recent one that has begun
  unless a tense cue says otherwise.
- Not dates at all (by decision): weekday abbreviations outside a full date
  ("Sun", "Wed"), named days containing a weekday ("Black Friday", "Cyber
  Monday", "Good Friday", "Super Tuesday", "Bloody Sunday"), newspaper names
  ("Sunday Times", "Mail on Sunday"), and numbers that count things ("1,717
  people", "2017 votes", "about 1500 troops"). Plural weekdays ("on Fridays")
  are recurrences: a TimeML SET without a calendar reading. A sentence-opening
  "Now," is a discourse marker (Schiffrin, "Discourse Markers", 1987), not the
  present: "Now, he says, ..." has no timex, while "Now the firm plans ..." and
  "For now, ..." are PRESENT_REF.
- An ambiguous month name (March, May, April, June, August) after "the" is a month
  only when it modifies the noun after it ("the March accession", "the May
  elections"), not before a preposition, verb or punctuation ("the March on
  Washington", "the March ended").

TimeML (the TIMEX3 type and value; TimeML annotation guidelines, Pustejovsky et al.
2003, and the conventions of the TempEval-3 corpora, UzZaman et al. 2013):

- DATE values are the calendar reading at its granularity (2017-05-29, 2017-W22,
  2017-05, 2017, 2017-SU, 1989-Q3, 1989-H1, decades "199", centuries "19"), or
  PRESENT_REF / PAST_REF / FUTURE_REF for "now", "currently", "recently", "the
  past", "the future", "the near term"; with no P the unknown digits are X
  ("XXXX-05-07").
- TIME: clock times ("3 p.m.", "10:30 a.m. Monday", "noon Thursday", "5 p.m.
  EST, Nov. 6", "4 in the morning", "10 at night") and parts of days ("Tuesday
  night" 2017-05-23TNI, "this morning" ...TMO); a clock time without a day takes
  the last day the text mentioned, else P (HeidelTime's reference time).
- DURATION: "three weeks" P3W, "24 hours" PT24H, "2 1/2 years" P2Y6M, "the past
  two years" P2Y, "several months" / "in recent months" PXM, "for years" PXY,
  "week-long" P1W, "decades-long" PXY, "two hours later" PT2H (hours and minutes
  only: "later" is TimeML's signal; "three days later" is an anaphor, below);
  ages ("five years old", "59-year-old") and rates ("$2 million a year", "grow
  4.5% annually") are not tagged.
- SET: "every Monday" XXXX-WXX-1, "each year" P1Y, "daily" P1D, "annually" P1Y,
  "twice a week" P1W, "on Fridays" XXXX-WXX-5, "Tuesday nights" XXXX-WXX-2TNI.
- Quarters and halves: "the third quarter", "third-quarter", "the fiscal first
  quarter", "the first half": the publication year, or the year before when the
  part is still ahead (a future cue never moves them to next year: companies
  "expect to report for the third quarter" after it ended); "the quarter", "the
  latest period" the last quarter mentioned; "the year-earlier quarter" and "a
  year ago" count back a year at the granularity of the last mention in the
  publication year ("1989-Q3" -> "1988-Q3"), and such comparisons do not anchor
  later anaphora; so does the adjective "year-earlier" / "year-ago" ("a year-earlier
  loss", "the year-ago results"), which TimeML tags on its own.
- Anaphora take the last date the text mentioned as their anchor ("the next day"
  after "May 5" is May 6; "the following month" counts from the last month; "that
  day" after "last October" is 2016-10-XX; "the year before" / "the month after" closing
  a phrase count from the last year or month, while "the year before the war" is only
  "the year"); "the day before" right before a date
  ("the day before last Tuesday") is one expression, the day beside that date, while
  in apposition to a date and before an event ("Oct. 12, the day before the crash")
  the expression is "the day", of that date's value (TimeML: timex, signal, event).
- Weeks and coordinated days: "the week of March 6" is one DATE, the ISO week of
  that date (2000-W10); in "April 24 and 25" the bare "25" is a DATE of its own.
  A year after "pre-"/"post-" ("post-1959 politics") is a year, not a count.

Speed: the pattern is only tried at word starts shortly before an "anchor" (a
digit run, a month name, a unit word such as "day" or "week"), which every
expression contains, and at a word only the rules that can start with it
(``BY_FIRST_WORD`` of :mod:`storyline.text._timex_rules`); this gives exactly the
matches of a full ``finditer`` scan at a fraction of its cost (most sentences hold
no anchor at all). The anchors are found by one regex scan per kind rather than a
``str.find`` loop per word (digits and unit words in one scan on ASCII text), and the
scan's hot paths use patterns compiled once. The rules of "the" sit behind a lookahead
of the second words they read (``FIRST_WORD_GUARDS``), so "the company" fails at one
test, and the tense cues are found by one scan that tries them only at the words they
can start with (``CUE_SCAN``, :func:`storyline.text._timex_context.nearest_cue`). Issue 14,
three rounds: the same output on the labelled, TimeML, TempEval and 2,000 Timeline17
articles (``bench/dump_temporal.py``), the tagger 1.1x, then 1.2x, then 1.05x faster again
on the labelled sentences (see ``bench/README.md``). A fourth round: the calendar functions
the resolver calls (pure functions of the publication date and the words of a match) are
remembered per tagger (``_Calendar``), and the anchor, clause-punctuation and cue scans are
written so that the regex engine skips more; the same dump again, the tagger alone 1.06x to
1.16x faster on the labelled sentences and 1.10x to 1.14x on Timeline17 sentences (old and
new code side by side in one process, on a machine at load 12); ``dump_temporal.py``'s one
pass over its texts took 20.7 to 24.0 CPU s against 29.2 before, under changing load.
:func:`first_day` (the day a sentence refers to, for the summary's story
order) does not tag an undated text without a year in digits, which cannot name a day.

Spans follow TimeML: a governing preposition is left out ("on Monday" ->
"Monday", "in April" -> "April", "for years" -> "years"), modifiers are kept
("last week", "earlier this month", "two days ago", "early April", "nearly two
weeks", "around 7:15 p.m."), so is the article of a noun phrase ("the 1990s",
"the third quarter", "the past two years") but not of a noun an adjective
modifies ("the third-quarter loss" -> "third-quarter"), and a possessive "'s"
is left out ("Monday's meeting" -> "Monday").

Why rules of our own rather than a library: dateparser (the library measured
in ``bench/bench_temporal.py``) finds dates in text but no durations, sets or
TimeML values, scores 58% on the project's labelled dates against 100% here, and
is one to two orders of magnitude slower; HeidelTime (Java, UIMA) is not a Python
dependency. On the TempEval-3 training files, used as development sets
(``storyline eval temporal``): TimeBank strict / relaxed / value F1 91.0 / 94.6 /
83.6, AQUAINT 86.1 / 94.7 / 80.2 (before the direction, duration and week rules of
issue 14: 90.3 / 94.1 / 82.5 and 85.1 / 93.6 / 77.1); HeidelTime 1.8 reports
84.9 / 91.6 / 79.2 and 81.0 / 91.8 / 73.0. Before the TimeML work the tagger scored
68.5 / 75.6 / 54.1 and 80.0 / 87.4 / 68.5. Most of AQUAINT's remaining wrong values
follow that file's own conventions, not the TIMEX3 guidelines this tagger follows
(bare years "1949-XX", parts of days dropped from "Thursday night", unpadded weeks
"2000-W7", decades "199X"), and are left so.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple, Protocol

from storyline.model import TimeExpression, TimeRef, TimexType
from storyline.text._timex_calendar import (
    DAY_VALUE,
    Lean,
    Mentions,
    amount_of,
    amount_or_decimal,
    day_ref,
    day_value,
    direction_of,
    duration_value,
    holiday_date,
    month_span,
    part_ref,
    pick_occurrence,
    quarter_of,
    ref_value,
    resolve_month,
    resolve_month_day,
    resolve_relative_unit,
    resolve_season,
    resolve_weekend,
    safe_date,
    season_ref,
    season_value,
    shift_days,
    shift_month,
    shift_quarter,
    shift_unit,
    unit_key,
    week_ref,
    week_value,
    weekday_on_or_after,
    weekday_on_or_before,
    year_earlier,
    year_span,
)
from storyline.text._timex_context import (
    at_sentence_start,
    clause_tense,
    is_deadline,
    is_named_weekday,
    is_year_count,
    lean_of,
    month_rejected,
    word_after,
    words_before,
)
from storyline.text._timex_rules import (
    A_UNIT_GOVERNORS,
    AGO_APPROX_BEFORE,
    ANCHOR_NAME_STARTS,
    ANCHOR_WORD_STARTS,
    APPROX_BEFORE,
    ASCII_ANCHORS,
    BARE_HOLIDAYS,
    BY_FIRST_WORD,
    CLOCK_APPROX_BEFORE,
    DAY_OFFSETS,
    DECADE_WORDS,
    DIGITS,
    FUTURE_GOVERNORS,
    HOLIDAY_GOVERNORS,
    HOLIDAYS,
    LOOKBACK,
    MONTH_CONTEXT,
    MONTH_NUMBERS,
    NOT_CURRENT,
    NUMBER,
    ORDINAL_WORDS,
    PART_CODES,
    PART_OF_SOMETHING,
    QUARTER_MOD_SPLIT,
    QUARTER_ORDINALS,
    QUOTE_CHARS,
    RANGE,
    RATE,
    REF_WORDS,
    SEASON_CODES,
    SEASON_MONTHS,
    SEASON_NOUNS,
    SET_ADVERBS,
    VAGUE_NUMBERS,
    WEEK_OF,
    WEEKDAY_NUMBERS,
    WORD,
    WORD_START,
)

__all__ = ["RuleTimeTagger", "TimeTagger", "first_day"]


class TimeTagger(Protocol):
    """Finds and resolves the temporal expressions of one text."""

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        """Return the expressions of ``text`` in order; offsets are into ``text``."""
        ...


class _Resolution(NamedTuple):
    """What one match means: its form, calendar reading, note and TimeML type and value.

    ``start``/``end`` narrow the match to the TimeML extent when it holds a word that
    only served to find it ("for" in "for years"). A named tuple, immutable as a frozen
    dataclass, made in a quarter of the time (0.35 against 1.28 us; one is made for every
    match the tagger resolves, issue 14).
    """

    kind: str
    ref: TimeRef | None
    note: str
    value: str = ""
    timex_type: TimexType = "DATE"
    start: int | None = None
    end: int | None = None
    anchors: bool = True  # False for comparisons ("a year earlier"): not a reference time


_DEADLINE_REACH = 183  # days: a deadline word points at the next occurrence within half a year
_UNRESOLVED_NO_DATE = "relative expression and no publication date"
# "the year before", "the month after": a comparison, which anchors no later anaphor
_COMPARED_UNIT = re.compile(r"the (?:week|month|year) (?:before|after)")
_GOVERNOR_LEANS = frozenset(f"future: '{word}'" for word in FUTURE_GOVERNORS)
# Compiled once rather than looked up in re's cache on every date (measured, issue 14)
_NON_DIGIT = re.compile(r"\D")
_POSSESSIVE = re.compile(r"\s?['’]s\b")


_CALENDAR_MEMO = 4096  # answers kept per calendar function (a day's news needs a few hundred)


class _Calendar:
    """The calendar functions of :mod:`storyline.text._timex_calendar` that the resolver
    calls, each behind its own bounded ``functools.lru_cache``.

    They are pure functions of a publication date and the words of a match (a weekday, a
    month and day, a direction, a lean) and return immutable values (dates, ``TimeRef``,
    strings), so a remembered answer is the answer; they recur across the sentences of one
    day's news ("Monday" in every article of May 30). A ``TimeRef`` (a frozen dataclass)
    costs about four lookups of a remembered one. One memo per tagger, owned by it, not a
    module-level cache; ``lru_cache`` locks, so a tagger stays safe to share between
    threads, and a pickled memo is a fresh, empty one (the caches are not sent to workers).
    Issue 14: the labelled sentences 1.13x to 1.15x faster with the caches warm, as the
    bench's rounds have them (the same code with and without the caches in one process);
    a fresh tagger's first pass over them (14 publication dates, 98 distinct days) took
    68.5 against 61.7 us a sentence warm, so a long-lived tagger gains the most.
    """

    __slots__ = (
        "day_ref",
        "holiday_date",
        "month_span",
        "ref_value",
        "resolve_month",
        "resolve_month_day",
        "resolve_relative_unit",
        "resolve_season",
        "resolve_weekend",
        "season_ref",
        "shift_unit",
        "week_ref",
        "weekday_on_or_after",
        "weekday_on_or_before",
        "year_span",
    )

    day_ref: Callable[[dt.date], TimeRef]
    holiday_date: Callable[[str, int], dt.date | None]
    month_span: Callable[[int, int], TimeRef | None]
    ref_value: Callable[[TimeRef | None, str], str]
    resolve_month: Callable[[int, dt.date, str | None], TimeRef | None]
    resolve_month_day: Callable[[int, int, dt.date, Lean | None, int | None], dt.date | None]
    resolve_relative_unit: Callable[[str, dt.date, str], TimeRef | None]
    resolve_season: Callable[[str, dt.date, str], TimeRef | None]
    resolve_weekend: Callable[[dt.date, str], TimeRef | None]
    season_ref: Callable[[str, int], TimeRef | None]
    shift_unit: Callable[[dt.date, str, int], TimeRef | None]
    week_ref: Callable[[dt.date], TimeRef | None]
    weekday_on_or_after: Callable[..., dt.date | None]  # (anchor, weekday, *, strict)
    weekday_on_or_before: Callable[..., dt.date | None]
    year_span: Callable[[int, int], TimeRef | None]

    def __init__(self) -> None:
        memo = functools.lru_cache(maxsize=_CALENDAR_MEMO)
        self.day_ref = memo(day_ref)
        self.holiday_date = memo(holiday_date)
        self.month_span = memo(month_span)
        self.ref_value = memo(ref_value)
        self.resolve_month = memo(resolve_month)
        self.resolve_month_day = memo(resolve_month_day)
        self.resolve_relative_unit = memo(resolve_relative_unit)
        self.resolve_season = memo(resolve_season)
        self.resolve_weekend = memo(resolve_weekend)
        self.season_ref = memo(season_ref)
        self.shift_unit = memo(shift_unit)
        self.week_ref = memo(week_ref)
        self.weekday_on_or_after = memo(weekday_on_or_after)
        self.weekday_on_or_before = memo(weekday_on_or_before)
        self.year_span = memo(year_span)

    def __reduce__(self) -> tuple[type[_Calendar], tuple[()]]:
        return _Calendar, ()


class _Resolver:
    """Turns one regex match into a resolution; one method per alternative."""

    __slots__ = ("_calendar", "_match", "_mentions", "_published", "_text")

    def __init__(
        self,
        text: str,
        match: re.Match[str],
        published: dt.date | None,
        mentions: Mentions,
        calendar: _Calendar,
    ) -> None:
        self._text = text
        self._match = match
        self._published = published
        self._mentions = mentions
        self._calendar = calendar

    def resolve(self) -> _Resolution | None:
        group = self._match.lastgroup
        method = None if group is None else _DISPATCH.get(group)
        return None if method is None else method(self)

    def _g(self, name: str) -> str:
        return self._match.group(name) or ""  # "" for a group that took no part

    def _lean(self) -> tuple[Lean | None, str]:
        return lean_of(self._text, self._match.start(), self._match.end())

    def _reference_day(self) -> dt.date | None:
        """The day an unanchored clock time or anaphor hangs on: the last day mentioned,
        else the publication date."""
        return self._mentions.last_day() or self._published

    # ----------------------------------------------------------------- dates

    def _iso(self) -> _Resolution | None:
        day = safe_date(int(self._g("iso_y")), int(self._g("iso_m")), int(self._g("iso_d")))
        if day is None:
            return None
        return _Resolution("date", self._calendar.day_ref(day), "explicit date", day.isoformat())

    def _calendar_date(self, prefix: str) -> _Resolution | None:
        month = MONTH_NUMBERS[self._g(f"{prefix}_m").rstrip(".").lower()]
        day = int(_NON_DIGIT.sub("", self._g(f"{prefix}_d")))
        weekday_raw = self._g(f"{prefix}_wd").rstrip(".").lower()
        weekday = WEEKDAY_NUMBERS.get(weekday_raw) if weekday_raw else None
        resolved, note = self._month_day(month, day, self._g(f"{prefix}_y"), weekday)
        if resolved is None and not note:
            return None
        if resolved is None:
            return _Resolution("date", None, note, f"XXXX-{month:02d}-{day:02d}")
        return _Resolution("date", self._calendar.day_ref(resolved), note, resolved.isoformat())

    def _month_day(
        self, month: int, day: int, year_raw: str, weekday: int | None
    ) -> tuple[dt.date | None, str]:
        """The date of a month and day, with its year written or chosen; ``(None, "")``
        when it is no date at all, ``(None, why)`` when it cannot be placed."""
        if year_raw:
            resolved = safe_date(int(year_raw), month, day)
            if resolved is None:
                return None, ""
            note = "explicit date"
            if weekday is not None and resolved.weekday() != weekday:
                note = "explicit date; the weekday written does not match it"
            return resolved, note
        if safe_date(2000, month, day) is None:
            return None, ""
        if self._published is None:
            return None, "date without a year and no publication date"
        if is_deadline(self._text, self._match.start(), self._match.end()):
            upcoming = self._calendar.resolve_month_day(
                month, day, self._published, "future", weekday
            )
            if upcoming is not None and (upcoming - self._published).days <= _DEADLINE_REACH:
                return upcoming, "year from publication date; a deadline: the next one"
        lean, why = self._lean()
        resolved = self._calendar.resolve_month_day(month, day, self._published, lean, weekday)
        if (
            lean == "future"
            and why in _GOVERNOR_LEANS
            and resolved is not None
            and (resolved - self._published).days > _DEADLINE_REACH
        ):  # "by Jan. 14" the day after it: a governor alone does not reach a year ahead
            lean = None
            resolved = self._calendar.resolve_month_day(month, day, self._published, lean, weekday)
        why = (
            why if lean is not None else "no tense cue: most recent unless the next is much nearer"
        )
        if resolved is None:
            return None, "date without a year outside the calendar"
        return resolved, f"year from publication date; {why}"

    def _mdy(self) -> _Resolution | None:
        return self._calendar_date("mdy")

    def _dmy(self) -> _Resolution | None:
        return self._calendar_date("dmy")

    def _my(self) -> _Resolution | None:
        month = MONTH_NUMBERS[self._g("my_m").rstrip(".").lower()]
        mod = self._g("my_mod").strip()
        year = int(self._g("my_y"))
        ref = self._calendar.month_span(year, month)
        note = f"explicit month{'; mod=' + mod if mod else ''}"
        return _Resolution("month", ref, note, f"{year:04d}-{month:02d}")

    def _mrel(self) -> _Resolution | None:
        month = MONTH_NUMBERS[self._g("mrel_m").lower()]
        if self._published is None:
            return _Resolution("month", None, _UNRESOLVED_NO_DATE, f"XXXX-{month:02d}")
        offset = {"last": -1, "this": 0, "next": 1}[self._g("mrel_dir").lower()]
        year = self._published.year + offset
        ref = self._calendar.month_span(year, month)
        mod = self._g("mrel_mod").strip()
        note = f"month of the year named{'; mod=' + mod if mod else ''}"
        return _Resolution("month", ref, note, f"{year:04d}-{month:02d}")

    # ----------------------------------------------------------------- anaphora

    def _anaph(self) -> _Resolution:
        words = " ".join(self._match.group().lower().split())
        value, timex_type = self._anaphor_value(words)
        return _Resolution(
            "anaphoric",
            None,
            "anchored to another event, not to publication",
            value,
            timex_type,
            anchors=not (
                words.startswith(("a year", "one year", "year-")) or _COMPARED_UNIT.fullmatch(words)
            ),
        )

    def _anaphor_value(self, words: str) -> tuple[str, TimexType]:
        """The value of an anaphor, counted from the last date the text mentioned."""
        unit_match = re.search(
            r"(day|week|month|year|weekend|morning|afternoon|night|evening)", words
        )
        weekday_match = re.search(
            r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$", words
        )
        if words in {"year-earlier", "year-ago"}:  # "the year-earlier results"
            return self._year_shifted(-1), "DATE"
        anchor = self._reference_day()
        if weekday_match is not None:
            if anchor is None:
                return "XXXX-XX-XX", "DATE"
            weekday = WEEKDAY_NUMBERS[weekday_match.group(1)]
            if words.startswith("the following"):
                day = self._calendar.weekday_on_or_after(anchor, weekday, strict=True)
            else:
                day = self._calendar.weekday_on_or_before(anchor, weekday, strict=True)
            return day_value(day), "DATE"
        unit = unit_match.group(1) if unit_match else "day"
        if re.search(r"\b(?:next|following|after|later)\b", words):
            sign = 1
        elif re.search(r"\b(?:previous|preceding|before|earlier)\b", words):
            sign = -1
        else:
            sign = 0
        counted = re.match(rf"({NUMBER})\s+(?:day|week|month|year|decade)", words)
        if counted is not None or re.match(r"(?:day|week|month|year|decade)s\s", words):
            amount = amount_of(counted.group(1)) if counted is not None else None
            if amount is None:  # "days later", "a few weeks earlier"
                return ("FUTURE_REF" if sign > 0 else "PAST_REF"), "DATE"
            if words.startswith(("a year", "one year")):
                return self._year_shifted(sign), "DATE"
        elif words.startswith(("later that", "earlier that", "that")) or "same" in words:
            amount, sign = 0, 0
            last = self._mentions.last_value_with_year()
            if unit == "day" and last is not None and re.fullmatch(r"\d{4}-\d{2}", last):
                return f"{last}-XX", "DATE"  # "that day" after "last October": a day of it
        else:
            amount = 1
        if unit in PART_CODES and anchor is not None:
            day = shift_days(anchor, sign)
            return day_value(day), "DATE"
        return self._shifted_unit(unit, sign * amount), "DATE"

    def _shifted_unit(self, unit: str, delta: int) -> str:
        """The day, week, month or year ``delta`` units from the last mention."""
        anchor = self._reference_day()
        if unit in {"year", "decade"}:
            last = self._mentions.last_value_with_year()
            base = int(last[:4]) if last else (anchor.year if anchor else None)
            if base is None:
                return "XXXX"
            return f"{base + delta * (10 if unit == 'decade' else 1):04d}"
        if unit == "month":
            known = self._mentions.last_month()
            if known is None and anchor is not None:
                known = (anchor.year, anchor.month)
            if known is None:
                return "XXXX-XX"
            year, month = shift_month(known[0], known[1], delta)
            return f"{year:04d}-{month:02d}"
        if anchor is None:
            return "XXXX-WXX" if unit in {"week", "weekend"} else "XXXX-XX-XX"
        if unit in {"week", "weekend"}:
            day = shift_days(anchor, 7 * delta)
            if day is None:
                return "XXXX-WXX"
            return week_value(day) + ("-WE" if unit == "weekend" else "")
        return day_value(shift_days(anchor, delta))

    def _year_shifted(self, sign: int) -> str:
        """ "a year ago / earlier / later": the last mention in the publication year, moved by
        a year at its own granularity ("1989-Q3" -> "1988-Q3"), else the year alone."""
        last = self._mentions.last_value_with_year()
        base_year = self._published.year if self._published is not None else None
        if last is not None and (base_year is None or int(last[:4]) == base_year):
            shifted = int(last[:4]) + sign
            rest = re.sub(r"T.*$", "", last[4:])
            if (
                re.fullmatch(r"-\d{2}-\d{2}", rest)
                and safe_date(2001, *map(int, rest[1:].split("-"))) is None
            ):
                rest = rest[:3]  # February 29 a year away: keep the month
            return f"{shifted:04d}{rest}"
        if base_year is None:
            return "XXXX"
        return f"{base_year + sign:04d}"

    # ----------------------------------------------------------------- relative to publication

    def _counted(self, raw_number: str, unit: str, sign: int, kind: str) -> _Resolution:
        amount = amount_of(raw_number)
        key = unit.lower()
        if amount is None:
            return _Resolution(kind, None, "vague amount", "PAST_REF" if sign < 0 else "FUTURE_REF")
        if self._published is None:
            return _Resolution(
                kind, None, _UNRESOLVED_NO_DATE, self._calendar.ref_value(None, "XXXX")
            )
        ref = self._calendar.shift_unit(self._published, key, sign * amount)
        value = self._calendar.ref_value(ref, "XXXX")
        if key == "decade" and ref is not None:
            value = f"{ref.start.year // 10:03d}"
        elif key == "year" and amount == 1:
            value = self._year_shifted(sign)
        note = f"{sign * amount:+d} {key}(s) from publication"
        return _Resolution(kind, ref, note, value, anchors=not (key == "year" and amount == 1))

    def _ago(self) -> _Resolution:
        resolution = self._counted(self._g("ago_n"), self._g("ago_u"), -1, "relative")
        return resolution._replace(start=self._extended_start(AGO_APPROX_BEFORE))

    def _extended_start(self, before: re.Pattern[str]) -> int | None:
        """The start moved left over a modifier TimeML keeps ("nearly two years"), if any."""
        start = self._match.start()
        found = before.search(self._text, max(0, start - 24), start)
        return None if found is None else found.start()

    def _in_future(self) -> _Resolution | None:
        """ "in two weeks" under a future clause: the week two weeks after publication."""
        if self._g("len_the") or self._g("len_half") or RANGE.search(self._g("len_n")):
            return None
        unit = unit_key(self._g("len_u"))
        if unit not in {"day", "week", "month", "year", "decade"} or self._g("len_u")[:1].isupper():
            return None
        before = WORD.findall(self._text, max(0, self._match.start() - 12), self._match.start())
        if not before or before[-1].lower() != "in":
            return None
        lead = self._text.rindex(before[-1], 0, self._match.start())
        if clause_tense(self._text, lead, self._match.end()) != "future":
            return None
        return self._counted(self._g("len_n"), unit, 1, "relative")

    def _dur(self) -> _Resolution | None:
        raw_number = self._g("dur_n")
        unit = self._g("dur_u").lower()
        backwards = self._g("dur_dir").lower() in {"past", "last"}
        if not raw_number:
            amount: int | None = None if self._g("dur_pl") else 1
        else:
            amount = amount_of(raw_number)
        timex_type: TimexType = "DATE"
        if raw_number or self._g("dur_pl"):
            value, timex_type = duration_value(amount, unit), "DURATION"
        elif self._published is not None:  # "the past week": the calendar unit before or after
            ref = self._calendar.resolve_relative_unit(
                unit, self._published, "last" if backwards else "next"
            )
            value = self._calendar.ref_value(ref, "XXXX")
            if unit == "decade" and ref is not None:  # "the past decade": the decade before
                value = f"{ref.start.year // 10:03d}"
        else:
            value = "XXXX"
        if amount is None:
            return _Resolution("duration", None, "vague amount", value, timex_type)
        if self._published is None:
            return _Resolution("duration", None, _UNRESOLVED_NO_DATE, value, timex_type)
        days = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3652}[unit] * amount
        other_end = shift_days(self._published, -days if backwards else days)
        if other_end is None:
            return None
        first, last = sorted((self._published, other_end))
        return _Resolution(
            "duration",
            TimeRef(start=first, end=last, granularity="day"),
            "period ending or starting at publication",
            value,
            timex_type,
        )

    def _night(self) -> _Resolution:
        part = self._g("night_part").lower()
        if self._published is None:
            return _Resolution(
                "relative", None, _UNRESOLVED_NO_DATE, f"XXXX-XX-XXT{PART_CODES[part]}", "TIME"
            )
        if self._g("night_dir").lower() == "last":
            day = shift_days(self._published, -1)
            return _Resolution(
                "relative",
                None if day is None else self._calendar.day_ref(day),
                "the night before publication",
                f"{day_value(day)}T{PART_CODES[part]}",
                "TIME",
            )
        return _Resolution(
            "relative",
            self._calendar.day_ref(self._published),
            "publication day",
            f"{self._published.isoformat()}T{PART_CODES[part]}",
            "TIME",
        )

    def _weekend(self) -> _Resolution:
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE, "XXXX-WXX-WE")
        raw = self._g("weekend_dir").lower()
        direction = "the" if raw == "the" else direction_of(raw)
        if direction == "coming":
            direction = "future"
        elif direction in {"the", "this"}:
            if direction == "this" and self._published.weekday() >= 5:
                direction = "this"
            else:
                lean = self._lean()[0]
                direction = (
                    lean if lean is not None else (direction if direction == "this" else "past")
                )
        ref = self._calendar.resolve_weekend(self._published, direction)
        value = "XXXX-WXX-WE" if ref is None else week_value(ref.start) + "-WE"
        return _Resolution("relative", ref, f"weekend ({direction})", value)

    def _rel(self) -> _Resolution:
        direction = direction_of(self._g("rel_dir"))
        unit = self._g("rel_u")
        mod = self._g("rel_mod").strip()
        note = f"{direction} {unit.lower()}{'; mod=' + mod if mod else ''}"
        key = unit.lower()
        kind = (
            "weekday" if key in WEEKDAY_NUMBERS
            else "month" if key in MONTH_NUMBERS
            else "season" if key in SEASON_MONTHS
            else "relative"
        )  # fmt: skip
        if self._published is None:
            return _Resolution(kind, None, _UNRESOLVED_NO_DATE, "XXXX")
        published = self._published
        if kind == "weekday":
            weekday = WEEKDAY_NUMBERS[key]
            if direction in {"last", "past"}:
                day = self._calendar.weekday_on_or_before(published, weekday, strict=True)
            elif direction in {"next", "coming"}:
                day = self._calendar.weekday_on_or_after(published, weekday, strict=True)
            else:
                day = shift_days(published, weekday - published.weekday())
            part = self._g("rel_part").strip().lower()
            if part:
                value = f"{day_value(day)}T{PART_CODES[part]}"
                return _Resolution(
                    kind, None if day is None else self._calendar.day_ref(day), note, value, "TIME"
                )
            return _Resolution(
                kind, None if day is None else self._calendar.day_ref(day), note, day_value(day)
            )
        if kind == "month":
            month_direction = {"past": "last", "coming": "next"}.get(direction, direction)
            ref = self._calendar.resolve_month(MONTH_NUMBERS[key], published, month_direction)
            return _Resolution(kind, ref, note, self._calendar.ref_value(ref, "XXXX-XX"))
        if kind == "season":
            ref = self._calendar.resolve_season(key, published, direction)
            return _Resolution(kind, ref, note, season_value(key, ref))
        ref = self._calendar.resolve_relative_unit(key, published, direction)
        value = self._calendar.ref_value(ref, "XXXX")
        if key == "decade" and ref is not None:
            value = f"{ref.start.year // 10:03d}"
        return _Resolution(kind, ref, note, value)

    def _day(self) -> _Resolution | None:
        word = " ".join(self._g("day_w").lower().split())
        capitalised = self._g("day_w")[0].isupper()
        if (
            capitalised
            and word in {"today", "tonight"}
            and not self._g("day_lead")
            and not at_sentence_start(self._text, self._match.start("day_w"))
        ):
            return None  # "Russia Today", "USA Today", "The Tonight Show"
        day = self._day_word(word)
        part = self._g("day_part").strip().lower()
        suffix = f"T{PART_CODES[part]}" if part else ""
        value = f"{day_value(day)}{suffix}"
        timex_type: TimexType = "TIME" if part else "DATE"
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE, value, timex_type)
        offset = DAY_OFFSETS[word]
        return _Resolution(
            "relative",
            None if day is None else self._calendar.day_ref(day),
            f"{offset:+d} day(s)",
            value,
            timex_type,
        )

    def _day_word(self, word: str) -> dt.date | None:
        """The date of "today", "yesterday", "tomorrow" ... against publication."""
        if self._published is None:
            return None
        return shift_days(self._published, DAY_OFFSETS[" ".join(word.lower().split())])

    def _weekday_date(self, name: str) -> tuple[dt.date | None, str]:
        """A bare weekday: the most recent one, or the next one under a future cue."""
        if self._published is None:
            return None, _UNRESOLVED_NO_DATE
        weekday = WEEKDAY_NUMBERS[name.lower()]
        lean: Lean | None
        if _POSSESSIVE.match(self._text[self._match.end() : self._match.end() + 4]):
            lean, why = None, "possessive: the day of an event named, not the clause's tense"
        else:
            lean, why = self._lean()
        if lean == "future":
            return self._calendar.weekday_on_or_after(self._published, weekday, strict=False), why
        day = self._calendar.weekday_on_or_before(self._published, weekday, strict=False)
        return day, (why if lean is not None else "no tense cue: most recent (news default)")

    # ----------------------------------------------------------------- clock times and parts of day

    def _clock(self) -> _Resolution | None:
        hour, minute = self._clock_time()
        if hour is None:
            return None
        word = self._g("clk_word")
        if word and (
            (word[0].isupper() and not at_sentence_start(self._text, self._match.start()))
            or words_before(self._text, self._match.start(), 1) == ["high"]
        ):
            return None  # "High Noon", "high noon comes today": not a clock time
        day_word = self._g("clk_day")
        day: dt.date | None
        ref: TimeRef | None = None
        if self._g("clk_dm"):
            month = MONTH_NUMBERS[self._g("clk_dm").rstrip(".").lower()]
            date_day = int(_NON_DIGIT.sub("", self._g("clk_dd")))
            weekday = WEEKDAY_NUMBERS[self._g("clk_wd").lower()] if self._g("clk_wd") else None
            day, note = self._month_day(month, date_day, self._g("clk_dy"), weekday)
        elif day_word.lower() in DAY_OFFSETS:
            day, note = self._day_word(day_word), "day word"
        elif day_word:
            day, note = self._weekday_date(day_word)
        else:
            day, note = self._reference_day(), "the day last mentioned, else publication"
        if day_word and day is not None:
            ref = self._calendar.day_ref(day)
        value = f"{day_value(day)}T{hour:02d}:{minute:02d}"
        end = self._match.end()
        if (
            not day_word
            and not self._g("clk_tz")
            and self._text[end - 1 : end] == "."
            and re.match(r"\s*(?:$|\n|[A-Z\"“'])", self._text[end:])
        ):
            end -= 1  # "at 10 p.m." ending the sentence: the period is the sentence's
        start = self._extended_start(CLOCK_APPROX_BEFORE)
        return _Resolution("time", ref, note, value, "TIME", start, end)

    def _clock_time(self) -> tuple[int | None, int]:
        word = self._g("clk_word").lower()
        if word:
            return (24 if word == "midnight" else 12), 0
        if self._g("clk_hm"):
            digits = _NON_DIGIT.sub("", self._g("clk_hm"))
            return int(digits[:2]), int(digits[2:])
        hour, minute = int(self._g("clk_h")), int(self._g("clk_m") or 0)
        if hour > 12 or hour == 0:
            return None, 0  # "13 p.m." is no time
        pod = self._g("clk_pod").lower()  # "4 in the morning", "10 at night"
        if pod.endswith("night"):
            return (24 if hour == 12 else hour + 12 if hour >= 6 else hour), minute
        afternoon = self._g("clk_ap").lower().startswith("p") or pod.endswith(("noon", "evening"))
        if afternoon and hour != 12:
            hour += 12
        elif not afternoon and hour == 12:
            hour = 0
        return hour, minute

    def _pod(self) -> _Resolution | None:
        part = PART_CODES[self._g("pod_part").lower()]
        day_word = self._g("pod_day")
        if day_word.lower() in DAY_OFFSETS:
            day = self._day_word(day_word)
        else:
            day, _ = self._weekday_date(day_word)
        ref = None if day is None else self._calendar.day_ref(day)
        return _Resolution("time", ref, "part of a day", f"{day_value(day)}T{part}", "TIME")

    def _midpod(self) -> _Resolution:
        part = PART_CODES[self._g("midpod_part").lower()]
        day = self._reference_day()
        return _Resolution(
            "time", None, "part of the day last mentioned", f"{day_value(day)}T{part}", "TIME"
        )

    # ----------------------------------------------------------------- quarters, halves, periods

    def _qtr(self) -> _Resolution | None:
        mods = [m for m in QUARTER_MOD_SPLIT.split(self._g("qtr_mods").lower()) if m]
        unit = self._g("qtr_u").lower()
        the = self._g("qtr_the").lower()
        year_raw = self._g("qtr_y") or self._g("qtr_y2")
        ordinal = next((QUARTER_ORDINALS[m] for m in mods if m in QUARTER_ORDINALS), None)
        after = self._text[self._match.end() : self._match.end() + 30]
        if not year_raw and PART_OF_SOMETHING.match(after):
            return None  # "the second half of October", "the third quarter of the game"
        if unit == "half":
            if ordinal not in {1, 2, 4} and "latter" not in mods:
                return None  # "half of the votes"
            number = 1 if ordinal == 1 else 2
            year = int(year_raw) if year_raw else self._part_year(number, 2)
            half = f"{year:04d}-H{number}" if year is not None else f"XXXX-H{number}"
            return _Resolution("quarter", part_ref(half), "half of a year", half)
        if unit == "period" and (ordinal is not None or not (set(mods) - {"fiscal"} or year_raw)):
            return None  # "the period", "the first period" of a match
        if not (mods or year_raw or the in {"the", "that", "this", "last", "next"}):
            return None  # "a quarter of the votes", "quarter-point"
        value = self._quarter_value(mods, ordinal, the, year_raw)
        if value is None:
            return None
        comparison = bool(self._g("qtr_back")) or bool({"year-earlier", "year-ago"} & set(mods))
        if self._g("qtr_back"):
            value = year_earlier(value)
        start = None
        adjective = self._g("qtr_mods").endswith("-")  # "the third-quarter loss"
        if adjective and the in {"the", "that", "this"} and not self._g("qtr_y"):
            start = self._match.start("qtr_mods")
        return _Resolution(
            "quarter",
            part_ref(value),
            "quarter of a year",
            value,
            start=start,
            anchors=not comparison,
        )

    def _quarter_value(
        self, mods: list[str], ordinal: int | None, the: str, year_raw: str
    ) -> str | None:
        published = self._published
        relative_year = self._g("qtr_rel").lower()
        if ordinal is not None and not (ordinal == 4 and "last" in mods and not year_raw):
            if year_raw:
                return f"{int(year_raw):04d}-Q{ordinal}"
            if relative_year and published is not None:
                offset = {"last": -1, "this": 0, "next": 1}[relative_year]
                return f"{published.year + offset:04d}-Q{ordinal}"
            year = self._part_year(ordinal, 4)
            if year is not None and ({"year-earlier", "year-ago"} & set(mods)):
                year -= 1
            return f"XXXX-Q{ordinal}" if year is None else f"{year:04d}-Q{ordinal}"
        if year_raw:  # "the 1988 quarter"
            last = self._mentions.last_quarter()
            return f"{int(year_raw):04d}" + (f"-Q{last[1]}" if last else "")
        last = self._mentions.last_quarter()
        previous = None
        if published is not None:
            previous = shift_quarter(published.year, quarter_of(published), -1)
        if {"current"} & set(mods) or the in {"this"}:
            if published is None:
                return "XXXX-QX"
            return f"{published.year:04d}-Q{quarter_of(published)}"
        if {"latest", "recent", "just-ended", "past"} & set(mods) or (
            ("last" in mods or the == "last") and not {"year-earlier", "year-ago"} & set(mods)
        ):
            chosen = previous
        else:
            chosen = last or previous
        if chosen is None:
            return "XXXX-QX"
        delta = 0
        if {"year-earlier", "year-ago"} & set(mods):
            delta = -4
        elif {"previous", "preceding"} & set(mods):
            delta = -1
        elif the == "next":
            delta = 1
        year, quarter = shift_quarter(chosen[0], chosen[1], delta)
        return f"{year:04d}-Q{quarter}"

    def _part_year(self, part: int, parts: int) -> int | None:
        """The year of a quarter or half named without one: the publication year, or the
        year before when that part is still ahead and nothing says future (HeidelTime's
        news rule). A future cue never moves it to next year: companies "expect to report
        for the third quarter" after it ended."""
        if self._published is None:
            return None
        current = (self._published.month - 1) * parts // 12 + 1
        if part > current and self._lean()[0] != "future":
            return self._published.year - 1
        return self._published.year

    def _theyr(self) -> _Resolution | None:
        unit = self._g("ty_u").lower()
        adjective = " ".join(self._g("ty_adj").lower().split())
        after = word_after(self._text, self._match.end()).lower()
        published = self._published
        if unit == "week":
            if adjective:
                return None
            named = WEEK_OF.match(self._text, self._match.end())
            if named is not None:
                month = MONTH_NUMBERS[named.group("m").rstrip(".").lower()]
                day, note = self._month_day(
                    month, int(_NON_DIGIT.sub("", named.group("d"))), named.group("y") or "", None
                )
                if day is not None:
                    return _Resolution(
                        "week",
                        self._calendar.week_ref(day),
                        f"the week of a date; {note}",
                        week_value(day),
                        end=named.end(),
                    )
            value = "XXXX-WXX" if published is None else week_value(published)
            return _Resolution("relative", None, "the week of publication", value)
        if after in {"ended", "ending", "through", "to"} or adjective in {"entire", "whole"}:
            return _Resolution("length", None, "a year-long period", "P1Y", "DURATION")
        if adjective == "same":
            last = self._mentions.last_value_with_year()
            return _Resolution(
                "anaphoric", None, "the year last mentioned", last[:4] if last else "XXXX"
            )
        if published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE, "XXXX")
        year = published.year - (1 if adjective.startswith("latest") else 0)
        return _Resolution(
            "relative",
            self._calendar.year_span(year, year),
            "the year of publication",
            f"{year:04d}",
        )

    # ----------------------------------------------------------------- lengths, sets, references

    def _len(self) -> _Resolution | None:
        unit = unit_key(self._g("len_u"))
        raw = " ".join(self._g("len_n").lower().split())
        first = re.split(r"\s+(?:to|or)\s+", raw)[0]
        after = self._text[self._match.end() : self._match.end() + 12].lower()
        if re.match(r"\s*-?\s*(?:old|older|younger)\b|\s+of\s+age\b", after):
            return None  # "five years old", "a 59-year-old": an age
        if unit == "quarter" and (
            first in {"a", "an"}
            or "-" in self._text[self._match.start("len_n") : self._match.start("len_u")]
            or self._text.startswith(" of", self._match.end())
        ):
            return None  # "three-quarters of", "more than a quarter": a fraction
        if RATE.match(self._text, self._match.end()):
            return None  # "24 hours a day": a rate
        if self._g("len_u")[:1].isupper() and not at_sentence_start(
            self._text, self._match.start("len_u")
        ):
            return None  # "60 Minutes", "Two Weeks Notice": a title
        future = self._in_future()
        if future is not None:
            return future
        approx_start = None if self._g("len_the") else self._extended_start(APPROX_BEFORE)
        if first in {"a", "an"} and approx_start is None and not self._g("len_the"):
            before = words_before(self._text, self._match.start(), 1)
            if not before or before[0] not in A_UNIT_GOVERNORS:
                return None  # "$2 million a year", "24 hours a day": a rate, seldom tagged
        amount = amount_or_decimal(first)
        if first not in VAGUE_NUMBERS and amount is None:
            return None
        if amount is not None and self._g("len_half"):
            amount += 0.5
        value = duration_value(amount, unit)
        start = approx_start
        unit_start = self._match.start("len_u")
        adjective = (not self._g("len_pl") and (amount or 0) > 1) or self._text[
            unit_start - 1 : unit_start
        ] == "-"
        if adjective and self._g("len_the") and not self._g("len_ord"):
            start = self._match.start("len_n")  # "the 23-year occupation": the noun's article
        end = self._match.end("len_u") + len(self._g("len_pl")) if self._g("len_time") else None
        return _Resolution("length", None, "a length of time", value, "DURATION", start, end)

    def _vague(self) -> _Resolution:
        word = self._g("vague_w").lower()
        unit = unit_key(self._g("vague_u"))
        if word == "recent" and unit not in {"year", "decade"}:
            # "in recent months": an unstated length (PXM); "in recent years" reads as the past
            value = duration_value(None, unit)
            return _Resolution("length", None, "some units up to now", value, "DURATION")
        value = "PAST_REF" if word in {"recent", "past"} else "FUTURE_REF"
        return _Resolution("reference", None, "some units before or after now", value)

    def _long(self) -> _Resolution:
        raw = self._g("long_u")
        number = self._g("long_n").lower()
        amount = amount_or_decimal(number) if number not in {"", "a", "an"} else 1
        start = None if number not in {"a", "an"} else self._match.start("long_u")
        if raw.lower().endswith("s"):  # "decades-long"
            amount, start = None, self._match.start("long_u")
        value = duration_value(amount, unit_key(raw))
        return _Resolution(
            "length", None, "a length as an adjective", value, "DURATION", start=start
        )

    def _lenx(self) -> _Resolution | None:
        if words_before(self._text, self._match.start(), 1) not in (["for"], ["within"], ["over"]):
            return None  # only "for years", "within weeks": elsewhere a bare plural is no length
        unit = unit_key(self._g("lenx_u"))
        value = duration_value(None, unit)
        return _Resolution("length", None, "an unstated number of units", value, "DURATION")

    def _set(self) -> _Resolution | None:
        if self._g("set_adv") and re.search(
            r"\d", " ".join(words_before(self._text, self._match.start(), 3))
        ):
            return None  # "rise 8.5% annually", "10,000 barrels daily": a rate, not a recurrence
        value = self._set_value()
        if value is None:
            return None
        return _Resolution("set", None, "a recurrence", value, "SET")

    def _set_value(self) -> str | None:
        adverb = self._g("set_adv").lower()
        if adverb:
            return SET_ADVERBS[adverb]
        weekday = self._g("set_wd") or self._g("set_wdp")
        if weekday:
            part = (self._g("set_part") or self._g("set_wdpart")).strip().lower().rstrip("s")
            suffix = f"T{PART_CODES[part]}" if part else ""
            return f"XXXX-WXX-{WEEKDAY_NUMBERS[weekday.lower()] + 1}{suffix}"
        if self._g("set_times"):
            return duration_value(1, unit_key(self._g("set_tu")))
        word = self._g("set_u")
        key = word.lower()
        if key in WEEKDAY_NUMBERS:
            return f"XXXX-WXX-{WEEKDAY_NUMBERS[key] + 1}"
        if key in MONTH_NUMBERS:
            return f"XXXX-{MONTH_NUMBERS[key]:02d}"
        if key in SEASON_CODES:
            return f"XXXX-{SEASON_CODES[key]}"
        if key == "weekend":
            return "XXXX-WXX-WE"
        if key in PART_CODES:
            return f"XXXX-XX-XXT{PART_CODES[key]}"
        amount = amount_of(self._g("set_n")) if self._g("set_n") else 1
        if amount is None:
            return None
        if self._g("set_other"):
            amount *= 2
        return duration_value(amount, unit_key(word))

    def _pref(self) -> _Resolution | None:
        words = " ".join(self._g("pref_w").lower().split())
        if words == "current" and word_after(self._text, self._match.end()).lower() in NOT_CURRENT:
            return None  # "current account", "current-dollar": not the present
        if words == "now" and words_before(self._text, self._match.start(), 1) == ["from"]:
            return None  # "from now on" reads as FUTURE_REF, left alone
        if words == "now" and self._is_discourse_now():
            return None  # "Now, he says, ...": a discourse marker, not the present
        value = REF_WORDS.get(words)
        if value is None:
            value = "FUTURE_REF"  # the (near, distant ...) future, the near/short/long term
        return _Resolution("reference", None, "the present, past or future without a date", value)

    def _is_discourse_now(self) -> bool:
        """Sentence-opening "Now," marks a turn in the argument (Schiffrin 1987), no time."""
        start, end = self._match.start(), self._match.end()
        return self._text[end : end + 1] == "," and at_sentence_start(self._text, start)

    # ----------------------------------------------------------------- decades, centuries, seasons

    def _decade(self) -> _Resolution | None:
        mod = self._g("dec_mod").strip(" -")
        word = self._g("dec_word").lower()
        start = None if self._g("dec_the") or mod else self._match.start()
        if word:
            if not self._g("dec_the"):
                return None  # "in his sixties" is an age
            first = 1900 + 10 * DECADE_WORDS[word]
        elif self._g("dec_full"):
            first = int(self._g("dec_full"))
            if first % 100 == 0 and first < 2000:
                ref = self._calendar.year_span(first, first + 99)
                return _Resolution(
                    "century",
                    ref,
                    "the hundred years of the 'X00s'",
                    f"{first // 100:02d}",
                    start=start,
                )
        else:
            short = int(self._g("dec_short"))
            if self._published is None:
                return _Resolution(
                    "decade", None, "century of a short decade unknown", f"XX{short // 10}"
                )
            first = 2000 + short if 2000 + short <= self._published.year else 1900 + short
        note = f"decade as a ten-year span{'; mod=' + mod if mod else ''}"
        return _Resolution(
            "decade", self._calendar.year_span(first, first + 9), note, f"{first // 10:03d}"
        )

    def _wyear(self) -> _Resolution | None:
        words = " ".join(self._match.group().lower().split())
        if words.endswith("two thousand"):
            year = 2000
        else:
            low = amount_of(re.sub(r"[\s-]+", " ", self._g("wy_lo").lower()))
            if low is None:
                return None
            year = 1900 + low
        if self._g("wy_m"):
            month = MONTH_NUMBERS[self._g("wy_m").lower()]
            ref = self._calendar.month_span(year, month)
            return _Resolution("month", ref, "month and year in words", f"{year:04d}-{month:02d}")
        return _Resolution(
            "year", self._calendar.year_span(year, year), "year in words", f"{year:04d}"
        )

    def _century(self) -> _Resolution | None:
        raw = self._g("cent_n")
        number = int(raw) if raw else ORDINAL_WORDS[" ".join(self._g("cent_w").lower().split())]
        if number < 1:
            return None
        first = (number - 1) * 100
        mod = self._g("cent_mod").strip(" -")
        ref = self._calendar.year_span(max(first, 1), first + 99)
        return _Resolution(
            "century", ref, f"century{'; mod=' + mod if mod else ''}", f"{number - 1:02d}"
        )

    def _season(self) -> _Resolution | None:
        name = self._g("season_name")
        year_raw = self._g("season_y")
        if year_raw:
            ref = self._calendar.season_ref(name, int(year_raw))
            return _Resolution(
                "season",
                ref,
                "explicit season",
                f"{int(year_raw):04d}-{SEASON_CODES[name.lower()]}",
            )
        before = words_before(self._text, self._match.start(), 2)
        if len(before) < 2 or before[1] != "the" or before[0] not in MONTH_CONTEXT | {"over"}:
            return None
        if word_after(self._text, self._match.end()).lower() in SEASON_NOUNS:
            return None  # "in the fall of the empire", "for the summer holidays"
        if self._published is None:
            return _Resolution(
                "season", None, _UNRESOLVED_NO_DATE, f"XXXX-{SEASON_CODES[name.lower()]}"
            )
        lean, why = self._lean()
        ref = self._calendar.resolve_season(name, self._published, lean or "past")
        return _Resolution("season", ref, why, season_value(name, ref))

    def _holiday(self) -> _Resolution | None:
        key = re.sub(r"\s*['’]\s*", "'", " ".join(self._g("holiday_name").lower().split()))
        key = key.replace("labour", "labor")
        direction = self._g("hol_dir").lower()
        week = bool(self._g("hol_week"))
        if key in BARE_HOLIDAYS and not direction and not week:
            before = words_before(self._text, self._match.start(), 1)
            if not before or before[0] not in HOLIDAY_GOVERNORS:
                return None  # "Christmas shopping", "the Easter Rising"
        resolved: dt.date | None
        if self._g("hol_y"):
            resolved = self._calendar.holiday_date(key, int(self._g("hol_y")))
            return self._holiday_day(resolved, week, "explicit year")
        if self._published is None:
            fixed = HOLIDAYS.get(key)
            value = f"XXXX-{fixed[0]:02d}-{fixed[1]:02d}" if fixed and not week else "XXXX-XX-XX"
            return _Resolution("holiday", None, _UNRESOLVED_NO_DATE, "XXXX-WXX" if week else value)
        year = self._published.year
        days = [
            d
            for d in (self._calendar.holiday_date(key, year + k) for k in (-1, 0, 1))
            if d is not None
        ]
        if week:  # "Easter week" has begun on the Monday of the holiday's week
            days = [d for d in (shift_days(d, -d.weekday()) for d in days) if d is not None]
        if direction == "last":
            resolved = next((d for d in reversed(days) if d < self._published), None)
            why = "last: the one before publication"
        elif direction == "next":
            resolved = next((d for d in days if d > self._published), None)
            why = "next: the one after publication"
        elif direction == "this":
            resolved = next((d for d in days if d.year == year), None)
            why = "this: the one of the publication year"
        else:
            lean, why = self._lean()
            resolved = pick_occurrence(days, self._published, lean)
        return self._holiday_day(resolved, week, why)

    def _holiday_day(self, resolved: dt.date | None, week: bool, why: str) -> _Resolution:
        """A holiday's day, or with ``week`` ("Easter week") the ISO week holding it."""
        if resolved is None:
            return _Resolution("holiday", None, why, "XXXX-WXX" if week else day_value(None))
        if week:
            return _Resolution(
                "holiday", self._calendar.week_ref(resolved), why, week_value(resolved)
            )
        return _Resolution("holiday", self._calendar.day_ref(resolved), why, day_value(resolved))

    def _wd(self) -> _Resolution | None:
        start, end = self._match.start("wd_name"), self._match.end("wd_name")
        if not self._g("wd_mod") and is_named_weekday(self._text, start, end):
            return None
        day, why = self._weekday_date(self._g("wd_name"))
        part = self._g("wd_part").strip().lower()
        value = day_value(day) + (f"T{PART_CODES[part]}" if part else "")
        timex_type: TimexType = "TIME" if part else "DATE"
        return _Resolution(
            "weekday", None if day is None else self._calendar.day_ref(day), why, value, timex_type
        )

    def _month(self) -> _Resolution | None:
        name = self._g("month_name")
        mod = self._g("month_mod").strip()
        if month_rejected(self._text, self._match.start(), self._match.end(), name, bool(mod)):
            return None
        month = MONTH_NUMBERS[name.lower()]
        if self._published is None:
            return _Resolution("month", None, _UNRESOLVED_NO_DATE, f"XXXX-{month:02d}")
        lean, why = self._lean()
        ref = self._calendar.resolve_month(month, self._published, lean)
        if is_deadline(self._text, self._match.start(), self._match.end()):
            upcoming = self._calendar.resolve_month(month, self._published, "future")
            if upcoming is not None and (upcoming.start - self._published).days <= _DEADLINE_REACH:
                ref, why = upcoming, "a deadline: the next one"
        return _Resolution(
            "month",
            ref,
            f"{why}{'; mod=' + mod if mod else ''}",
            self._calendar.ref_value(ref, "XXXX-XX"),
        )

    def _year(self) -> _Resolution | None:
        mod = self._g("year_mod").strip()
        start = self._match.start("year_v")
        fiscal = bool(self._g("year_fiscal"))
        if is_year_count(self._text, start, self._match.end(), bool(mod) or fiscal):
            return None
        year = int(self._g("year_v"))
        return _Resolution(
            "year",
            self._calendar.year_span(year, year),
            f"explicit year{'; mod=' + mod if mod else ''}",
            f"{year:04d}",
        )


def _anchors(text: str) -> list[int]:
    """Offsets of every digit run, unit word (any case) and month or "Eve" (capitalised).

    One scan per kind (``ANCHOR_WORD_STARTS`` of :mod:`storyline.text._timex_rules`) gives
    the offsets a ``str.find`` loop over each word gives, overlapping ones included, at
    about half the cost on short sentences (measured: 10.1 -> 5.5 us a labelled sentence);
    on ASCII text digits and unit words share one scan (``ASCII_ANCHORS``, 5.2 -> 4.8 us).
    """
    if text.isascii():  # digits and unit words in one scan (ASCII_ANCHORS)
        found = [match.start() for match in ASCII_ANCHORS.finditer(text.lower())]
    else:
        found = [match.start() for match in DIGITS.finditer(text)]
        found += [match.start() for match in ANCHOR_WORD_STARTS.finditer(text.lower())]
    found += [match.start() for match in ANCHOR_NAME_STARTS.finditer(text)]
    found.sort()
    return found


# BY_FIRST_WORD by the word start as written, for the common ones: the lower-case keys,
# ASCII digits and the quotes; any other word start (capitalised, another digit) is
# named as _candidates names it. A lower-case word start missing here is no key (for
# an ASCII word lower() is itself, and no other one lower-cases to a key).
_BY_TOKEN = {
    **BY_FIRST_WORD,
    **dict.fromkeys("0123456789", BY_FIRST_WORD["#"]),
    **dict.fromkeys(QUOTE_CHARS, BY_FIRST_WORD["'"]),
}


def _candidates(text: str) -> list[re.Match[str]]:
    """The matches ``PATTERN.finditer(text)`` would give, found faster.

    Every expression contains an anchor (a digit, a month or a unit word) no more than
    ``LOOKBACK`` characters after its start, so the pattern is only tried at the word
    starts just before each anchor; a word start that failed is never tried again.
    A list, not a generator, and the scan of word starts bound once (issue 14: the loop's
    own Python was the largest part of the candidate search; 31.8 -> 29.7 us a labelled
    sentence).
    """
    found: list[re.Match[str]] = []
    covered = 0  # end of the last match: nothing before it can start another one
    tried = -1  # the last word start the pattern was tried at
    by_token = _BY_TOKEN.get  # bound once: this loop runs at every word before an anchor
    by_first_word = BY_FIRST_WORD.get
    word_starts = WORD_START.finditer
    for anchor in _anchors(text):
        if anchor < covered or anchor <= tried:
            continue
        window = anchor - LOOKBACK
        if window <= tried:
            window = tried + 1
        window = max(window, covered)
        for word in word_starts(text, window):
            start = word.start()
            if start > anchor:
                break
            tried = start
            token = word.group()
            pattern = by_token(token)
            if pattern is None:
                if token.islower():
                    continue  # in _BY_TOKEN if it is a key at all
                # how BY_FIRST_WORD names a word start: the word, "#" a digit, "'" a quote
                if token.isdigit():
                    pattern = by_first_word("#")
                elif token in QUOTE_CHARS:
                    pattern = by_first_word("'")
                else:
                    pattern = by_first_word(token.lower())
                if pattern is None:
                    continue
            match = pattern.match(text, start)
            if match is not None:
                found.append(match)
                covered = match.end()
                break
    return found


_DISPATCH: dict[str, Callable[[_Resolver], _Resolution | None]] = {
    "clock": _Resolver._clock,
    "iso": _Resolver._iso,
    "mdy": _Resolver._mdy,
    "dmy": _Resolver._dmy,
    "my": _Resolver._my,
    "mrel": _Resolver._mrel,
    "qtr": _Resolver._qtr,
    "anaph": _Resolver._anaph,
    "ago": _Resolver._ago,
    "dur": _Resolver._dur,
    "wyear": _Resolver._wyear,
    "theyr": _Resolver._theyr,
    "long": _Resolver._long,
    "len": _Resolver._len,
    "lenx": _Resolver._lenx,
    "vague": _Resolver._vague,
    "set": _Resolver._set,
    "pref": _Resolver._pref,
    "night": _Resolver._night,
    "pod": _Resolver._pod,
    "midpod": _Resolver._midpod,
    "weekend": _Resolver._weekend,
    "rel": _Resolver._rel,
    "day": _Resolver._day,
    "decade": _Resolver._decade,
    "century": _Resolver._century,
    "season": _Resolver._season,
    "holiday": _Resolver._holiday,
    "wd": _Resolver._wd,
    "month": _Resolver._month,
    "year": _Resolver._year,
}


class RuleTimeTagger:
    """Rule-based temporal tagger: one regex pass, then calendar resolution.

    Safe to share between threads: its only state is a memo of pure calendar functions
    (``_Calendar``), which changes no answer. ``published=None`` resolves explicit dates
    and years only and keeps relative expressions unresolved.
    """

    __slots__ = ("_calendar",)

    def __init__(self) -> None:
        self._calendar = _Calendar()

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        found: list[TimeExpression] = []
        mentions = Mentions()
        reached = 0  # the end of the last expression: one that reached past its match
        for match in _candidates(text):
            if match.start() < reached:
                continue  # "March 6" inside "the week of March 6"
            resolution = _Resolver(text, match, published, mentions, self._calendar).resolve()
            if resolution is None:
                continue
            if found and (apposed := _apposed_day(text, found[-1], match)) is not None:
                resolution = apposed
            start = match.start() if resolution.start is None else resolution.start
            end = match.end() if resolution.end is None else resolution.end
            reached = end
            if resolution.timex_type in {"DATE", "TIME"} and resolution.anchors:
                mentions.add(resolution.value)  # also a date inside "the day before <date>"
            if found and (beside := _day_beside(text, found[-1], start, end, resolution.value)):
                found[-1] = beside  # "the day before last Tuesday": one date
                continue
            found.append(
                TimeExpression(
                    article_id=article_id,
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=resolution.kind,
                    ref=resolution.ref,
                    note=resolution.note,
                    timex_type=resolution.timex_type,
                    value=resolution.value,
                )
            )
            if match.lastgroup == "mdy":
                second = _second_day(text, found[-1])
                if second is not None:
                    found.append(second)
                    reached = second.end
        return tuple(found)


# A year in digits as the rules read one: YEAR (``1[0-9]{3}|20[0-9]{2}``) and iso_y
# (``1\d{3}|20\d{2}``) of :mod:`storyline.text._timex_rules`; this pattern matches both.
_YEAR_DIGITS = re.compile(r"1\d{3}|20\d{2}")


def first_day(
    tagger: TimeTagger, text: str, published: dt.date | None, *, article_id: str
) -> dt.date | None:
    """The day of the first day-precise expression ``tagger`` finds in ``text``, else None.

    Day-precise: a calendar reading of day granularity that is not a SET (a date, a
    weekday, "yesterday", a clock time on a named day, "the past two weeks" ...); its
    ``ref.start``. Without a publication date the rule tagger reads a day only from a
    year written in digits, so a text without one is not tagged at all: every day
    reading is ``day_ref`` or a day-granular ``TimeRef``, and with ``published=None``
    the only ones made are explicit dates (``_iso``, ``_calendar_date`` with a year,
    ``_clock`` with a dated day, ``_holiday`` with a year), each built from a matched
    year (``YEAR`` or ``iso_y``), and the days beside or after one ("the day before May
    5, 2017", "April 24 and 25, 2017"), which need a full-date value; the rest return
    before reading a day (``_dur``, ``_night``, ``_rel``, ``_day``, ``_weekend``,
    ``_counted``, ``_weekday_date``, ``_day_word``) or never read one (anaphora,
    ``_midpod``, lengths, sets, references). A full-date value in turn comes from such
    an explicit date or from the publication date, directly or through the mentions of
    the text (which start empty). Checked on every text and sentence of Multi-News
    val250, Timeline17 and TempEval-3 (``published=None``): no day reading without a year.
    """
    if published is None and type(tagger) is RuleTimeTagger and not _YEAR_DIGITS.search(text):
        return None  # the rule tagger itself, not a subclass that may read more
    for expression in tagger.tag(text, published, article_id=article_id):
        ref = expression.ref
        if ref is not None and ref.granularity == "day" and expression.timex_type != "SET":
            return ref.start
    return None


_DAY_BESIDE = re.compile(r"(?i)(?:the\s+)?day\s+(?P<side>before|after)")


def _day_beside(
    text: str, anaphor: TimeExpression, start: int, end: int, value: str
) -> TimeExpression | None:
    """ "the day before" right before a date ("the day before last Tuesday", "the day
    after Jan. 5"): the day beside that date, as one expression; else None."""
    side = _DAY_BESIDE.fullmatch(anaphor.text)
    if side is None or text[anaphor.end : start].strip() or not DAY_VALUE.fullmatch(value):
        return None
    named = safe_date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    day = None if named is None else shift_days(named, -1 if side.group("side") == "before" else 1)
    if day is None:
        return None
    return replace(
        anaphor,
        end=end,
        text=text[anaphor.start : end],
        ref=day_ref(day),
        note=f"the day {side.group('side')} a date named",
        value=day.isoformat(),
    )


# "the day" + before/after + a lower-case word that does not start a date ("the day before
# last Tuesday" is one date, see _day_beside)
_APPOSED_DAY = re.compile(
    r"(?i:the\s+day)(?=\s+(?:before|after)\s+(?!(?:last|next|this|that|yesterday|tomorrow|today)\b)[a-z])"
)


def _apposed_day(text: str, previous: TimeExpression, match: re.Match[str]) -> _Resolution | None:
    """ "Oct. 12, the day before the crash": "the day" restates the date it stands in
    apposition to, and "before the crash" relates it to an event (TimeML: a timex, a
    signal and an event), so the expression is "the day", of that date's value."""
    if match.lastgroup != "anaph":
        return None  # before any regex: most expressions after a first one are no anaphor
    extent = _APPOSED_DAY.match(text, match.start())
    if (
        extent is None
        or not _DAY_BESIDE.fullmatch(match.group())
        or not DAY_VALUE.fullmatch(previous.value)
        or text[previous.end : match.start()].strip() != ","
    ):
        return None
    return _Resolution(
        "anaphoric",
        None,
        "in apposition to the date before it",
        previous.value,
        end=extent.end(),
        anchors=False,  # the date itself was the last mention already
    )


_SECOND_DAY = re.compile(
    r"\s+(?:and|or)\s+(?P<d>3[01]|[12]\d|0?[1-9])\b(?=\s*(?:$|[.,;:)!?]|[A-Z]"
    r"|(?:in|at|on|for|with|to|and|when|while|as|the)\b))"
)


def _second_day(text: str, first: TimeExpression) -> TimeExpression | None:
    """The bare day coordinated with a full date ("April 24 and 25"): one more DATE of
    that month, as TimeML tags each day (the second on its own extent)."""
    found = _SECOND_DAY.match(text, first.end)
    if found is None or not DAY_VALUE.fullmatch(first.value):
        return None
    day = safe_date(int(first.value[:4]), int(first.value[5:7]), int(found.group("d")))
    if day is None or first.ref is None or day <= first.ref.start:
        return None
    start, end = found.start("d"), found.end("d")
    return replace(
        first,
        start=start,
        end=end,
        text=text[start:end],
        ref=day_ref(day),
        note=f"a day coordinated with {first.text}",
        value=day.isoformat(),
    )
