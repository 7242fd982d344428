"""Temporal expressions: text + publication date -> resolved :class:`TimeExpression` records.

Input: one text (an article, a sentence, or PTB-tokenized newswire such as
``Monday 's`` and ``May 7 ,``) and the date it was published. Output: every
temporal expression in it, in text order, each with its wording, its character
offsets into that text, a kind, and a :class:`~storyline.model.TimeRef` (start,
end, granularity) -- or ``ref=None`` with a note when it cannot be resolved.

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
  "is going to", "is meeting", and the scheduled present "opens", "resumes",
  "takes effect" ...), which makes it the first one on or after P. "since"
  forces the past reading; "until", "till", "by" and "before" lean to the future
  when no tense cue is found. "next Friday" is the first Friday after P,
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
  (, ; : ( ) quotes dashes) and at clause-opening words (that, which, who,
  when, while, because, but, and, or, after, before, since, if ...) unless that
  word directly governs the expression ("until Friday"). The nearest cue wins;
  a participle after "be"/"is"/"are" ("will be held") is not a past cue, nor is
  an -ed verb before a to-infinitive ("hoped to meet", "agreed to visit"). When
  the clause holds nothing but the expression ("On Friday, he will ..."), the
  next clause to the right, then to the left, is read instead.
- Months ("in April", "early May") are the most recent such month up to P's
  month (the next one from P's month on under a future cue); "last April" is
  strictly before P's month, "next April" strictly after. Years ("in 2016",
  "1717", "the 2016 election") are that year. Seasons span three months
  (winter: December to February).
- Relative expressions: "today"/"tonight"/"this morning" = P, "yesterday"/
  "last night" = P-1, "tomorrow" = P+1; "last/this/next week|month|year"
  (also "earlier this month", "later this year") are the calendar unit before,
  containing or after P (weeks run Monday..Sunday); "two days ago" is a day,
  "three weeks ago" the week containing P-21 days, "two months ago" a month;
  "in two weeks" is the week containing P+14 days when its clause is future
  (otherwise "in two weeks" is a duration and is not tagged); "a decade ago" is
  the year P-10; "the weekend" /"over the weekend" the Saturday..Sunday before P
  (after P under a future cue), "this weekend" the one of P's week unless a
  tense cue says otherwise.
- Decades ("the 1990s", "the '90s", "late 1980s") resolve to a ten-year span
  at year granularity (a modifier such as "late" is kept in the note, not
  narrowed); "the 1800s" is the century 1800-1899; "the 19th century" is
  1800-1899. "the past two weeks" is a duration ending at P (day granularity).
- Kept and marked, never guessed: expressions anchored to another event ("the
  next day", "two days later", "the previous week", "that day"), vague amounts
  ("a few days ago"), and every relative expression when P is unknown.
- Not detected at all (by decision): weekday abbreviations outside a full date
  ("Sun", "Wed"), plural weekdays ("on Fridays" is a recurrence, not a date),
  named days containing a weekday ("Black Friday", "Cyber Monday", "Good
  Friday", "Super Tuesday", "Bloody Sunday"), newspaper names ("Sunday Times",
  "Mail on Sunday"), and numbers that count things ("1,717 people",
  "2017 votes", "about 1500 troops").

Speed: the pattern is only tried at word starts shortly before an "anchor" (a
digit run, a month name, a unit word such as "day" or "week"), which every
expression contains; this gives exactly the matches of a full ``finditer`` scan
at a fraction of its cost (most sentences hold no anchor at all).

Spans follow TimeML: a governing preposition is left out ("on Monday" ->
"Monday", "in April" -> "April"), modifiers are kept ("last week",
"earlier this month", "two days ago", "early April"), and a possessive "'s"
is left out ("Monday's meeting" -> "Monday").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from storyline.model import TimeExpression, TimeRef

__all__ = ["RuleTimeTagger", "TimeTagger"]

Lean = Literal["past", "future"]


class TimeTagger(Protocol):
    """Finds and resolves the temporal expressions of one text."""

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        """Return the expressions of ``text`` in order; offsets are into ``text``."""
        ...


# --------------------------------------------------------------------------- lexicon

_MONTH_NUMBERS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAY_NUMBERS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3,
    "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "a couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_VAGUE_NUMBERS = frozenset({"a few", "few", "several", "some", "many"})
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_NOUNS = frozenset({
    "of", "holidays", "holiday", "break", "recess", "vacation", "term", "season", "session",
    "camp", "school", "transfer", "sales", "collection", "olympics", "games", "solstice",
    "equinox", "time",
})  # fmt: skip
_HOLIDAYS = {
    "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
    "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
    "halloween": (10, 31), "bastille day": (7, 14),
}  # fmt: skip

# Month names that are also ordinary words or first names: they count as months
# only beside a day or year, or after a time preposition or modifier.
_AMBIGUOUS_MONTHS = frozenset({"march", "may", "april", "june", "august"})
_MONTH_CONTEXT = frozenset({
    "in", "since", "by", "until", "till", "during", "from", "through", "throughout",
    "before", "after", "early", "late", "mid", "mid-", "last", "next", "this", "of",
    "between", "to", "and", "or", "on", "around", "following", "preceding", "that",
    "past", "coming", "for", "within", "as",
})  # fmt: skip
_NAME_VERBS = frozenset({
    "said", "says", "told", "tells", "has", "had", "is", "was", "will", "would",
    "added", "wrote", "asked", "insisted", "argued", "announced", "called",
})  # fmt: skip
# Words that turn "<word> Friday" into a name rather than a date.
_DAY_NAME_PREFIXES = frozenset({
    "black", "cyber", "good", "super", "ash", "holy", "maundy", "easter", "palm",
    "bloody", "shrove", "whit", "giving", "fat", "man", "girl", "blue", "manic",
    "spy", "white",
})  # fmt: skip
_DAY_NAME_SUFFIXES = frozenset({
    "Times", "Telegraph", "Express", "Mirror", "Herald", "Post", "Mail", "Independent",
    "Tribune", "Sport", "People", "Star", "Sun", "Observer", "Night", "Club", "School",
    "Service", "Group", "Movement", "Agreement", "Accord", "Massacre", "Politics",
    "Show", "Review", "Magazine", "Edition", "Business",
})  # fmt: skip
_NEWSPAPER_BEFORE_ON = frozenset({"mail", "independent", "scotland", "wales", "sport"})
# Year-shaped numbers that count things.
_COUNT_WORDS_BEFORE = frozenset({
    "about", "around", "some", "nearly", "almost", "over", "under", "than", "least",
    "roughly", "approximately", "only", "just", "total", "estimated", "additional",
    "another", "were", "at", "flight", "route", "room", "article", "resolution",
    "section", "no", "no.", "nos.", "number", "highway", "interstate", "chapter",
    "page", "paragraph", "rule", "bill", "model", "version", "code", "unit",
})  # fmt: skip
_EVENT_PLURALS = frozenset({
    "elections", "polls", "talks", "games", "olympics", "championships", "riots",
    "protests", "attacks", "floods", "negotiations", "midterms", "playoffs",
    "finals", "results", "earnings", "accounts", "figures", "levels", "standards",
    "rules", "accords", "uprisings", "summits", "hearings", "budgets",
    "sanctions", "primaries", "caucuses", "events", "statistics", "data",
})  # fmt: skip
_NON_PLURAL_S = frozenset({
    "was", "is", "has", "does", "as", "us", "its", "his", "this", "thus", "plus",
    "marks", "sees", "brings", "begins", "ends", "looks", "promises", "proves",
    "remains", "seems", "saw", "versus", "series", "press", "congress", "campus",
    "census", "status", "crisis", "basis", "analysis",
})  # fmt: skip
_TIME_SUFFIXES = frozenset({"gmt", "utc", "hours", "hrs", "bst", "est", "edt", "et", "cet"})
_YEAR_PREPOSITIONS = frozenset({
    "in", "since", "by", "until", "till", "during", "from", "through", "throughout",
    "before", "after", "to", "between", "and", "early", "late", "mid", "mid-", "year",
    "of", "circa", "c.", "spring", "summer", "autumn", "fall", "winter", "around",
    "for", "as",
})  # fmt: skip
_COUNT_WORDS_AFTER = frozenset({
    "were", "are", "have", "of", "people", "men", "women", "children", "police", "staff",
    "feet", "sheep", "cattle", "personnel", "more", "others",
})  # fmt: skip
_COUNT_BEFORE_OF = frozenset({"total", "out", "number", "sum", "tally", "count"})

# --------------------------------------------------------------------------- the pattern

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_ANY_MONTH = rf"(?:{_MONTH}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_ABBR = r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])(?!\.\d)(?!,\d{3})"
_YEAR = r"(?<![\d$£€#.,])(?:1[0-9]{3}|20[0-9]{2})(?![\d%])(?![.,]\d)"
_COMMA = r"\s*,?\s*"
_NUMBER = (
    r"(?:\d{1,3}|a\s+couple\s+of|a\s+dozen|a\s+few|several|few|an?|one|two|three|four|five"
    r"|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)"
)
_UNIT = r"(?:day|week|month|year|decade)"
_PART = r"(?:\s+(?i:morning|afternoon|evening|night))"
_MOD = r"(?:(?i:early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)\s*)"
_SEASON = r"(?i:spring|summer|autumn|fall|winter)"
_ORDINAL = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)).replace(" ", r"\s+")

_PATTERN = re.compile(
    rf"""
    # Every expression starts a word; failing elsewhere at once makes the scan fast.
    (?<!\w)(?=[\w'’‘])
    (?:(?P<iso>\b(?P<iso_y>1\d{{3}}|20\d{{2}})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b)
    |(?P<mdy>\b(?:(?P<mdy_wd>{_WEEKDAY}|{_WEEKDAY_ABBR}){_COMMA}\s)?
        (?P<mdy_m>{_ANY_MONTH})\s*(?P<mdy_d>{_DAY})\b(?:{_COMMA}(?P<mdy_y>{_YEAR})\b)?)
    |(?P<dmy>\b(?:(?P<dmy_wd>{_WEEKDAY}){_COMMA}\s)?(?:the\s+)?(?P<dmy_d>{_DAY})\s+(?:of\s+)?
        (?P<dmy_m>{_ANY_MONTH})(?!\w)(?:{_COMMA}(?P<dmy_y>{_YEAR})\b)?)
    |(?P<my>\b(?P<my_mod>{_MOD})?(?P<my_m>{_ANY_MONTH})(?:\s*,\s*|\s+of\s+|\s+)(?P<my_y>{_YEAR})\b)
    |(?P<anaph>\b(?i:
        the\s+(?:next|following|previous|preceding|same)\s+(?:day|week|month|year|weekend|morning|night|evening)
        |the\s+day\s+(?:before|after)(?!\s+(?:yesterday|tomorrow))
        |(?:later|earlier)\s+that\s+(?:day|week|month|year|morning|night|evening)
        |that\s+(?:day|week|month|year|morning|afternoon|night|evening)
        |(?:{_NUMBER}\s+)?{_UNIT}s?\s+(?:later|earlier)
        |the\s+following\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)
        )\b)
    |(?P<ago>\b(?P<ago_n>(?i:{_NUMBER}))\s+(?P<ago_u>(?i:{_UNIT}))s?\s+(?i:ago)\b)
    |(?P<inn>\b(?i:in)\s+(?P<inn_n>(?i:{_NUMBER}))\s+(?P<inn_u>(?i:{_UNIT}))s?(?:\s*['’]\s*s?\s+time)?\b)
    |(?P<dur>\b(?i:the\s+)(?P<dur_dir>(?i:past|last|coming|next))\s+
        (?:(?P<dur_n>(?i:{_NUMBER}))\s+)?(?P<dur_u>(?i:{_UNIT}))(?P<dur_pl>s)?\b)
    |(?P<night>\b(?P<night_dir>(?i:last|this))\s+(?P<night_part>(?i:night|morning|afternoon|evening))\b)
    |(?P<weekend>\b(?P<weekend_dir>(?i:this\s+past|this\s+coming|the|this|last|next|past|coming))\s+(?i:weekend)\b)
    |(?P<rel>\b(?P<rel_mod>(?i:earlier|later|early|late|the\s+(?:end|beginning|start|middle)\s+of)
        \s+)?(?P<rel_dir>(?i:this\s+past|this\s+coming|last|this|next|coming|past
        |(?(rel_mod)the|(?!))))\s+
        (?P<rel_u>(?i:week|month|year)|{_SEASON}|{_WEEKDAY}|{_MONTH})\b(?P<rel_part>{_PART})?)
    |(?P<day>\b(?P<day_w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow
        |yesterday|today|tonight|tomorrow))\b(?P<day_part>{_PART})?)
    |(?P<decade>(?:\b(?P<dec_mod>(?i:early|mid|late)[\s-]+))?
        (?:\b(?P<dec_full>1\d{{2}}0|20\d0)|(?<!\w)['’‘](?P<dec_short>\d0))s\b)
    |(?P<century>\b(?P<cent_mod>(?i:early|mid|late)[\s-]+)?
        (?:(?P<cent_n>\d{{1,2}})(?:st|nd|rd|th)|(?P<cent_w>(?i:{_ORDINAL})))[\s-]+(?i:century)\b)
    |(?P<season>\b(?P<season_name>{_SEASON})(?:\s+(?:of\s+)?(?P<season_y>{_YEAR}))?\b)
    |(?P<holiday>\b(?P<holiday_name>Christmas\s+(?:Day|Eve)|New\s+Year\s*['’]\s*s\s+(?:Day|Eve)
        |Valentine\s*['’]\s*s\s+Day|Halloween|Boxing\s+Day|Bastille\s+Day)\b)
    |(?P<wd>\b(?P<wd_mod>(?i:early|late)\s+)?(?P<wd_name>{_WEEKDAY})\b(?P<wd_part>{_PART})?)
    |(?P<month>\b(?P<month_mod>{_MOD})?(?P<month_name>{_MONTH})\b)
    |(?P<year>\b(?P<year_mod>{_MOD})?(?P<year_v>{_YEAR})\b))
    """,
    re.VERBOSE,
)

_ANCHOR_WORDS = (
    "day", "week", "month", "year", "decade", "centur", "night", "morning", "afternoon",
    "evening", "tomorrow", "spring", "summer", "autumn", "fall", "winter", "christmas",
    "halloween",
)  # fmt: skip
_ANCHOR_NAMES = (
    "Eve",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_DIGITS = re.compile(r"\d+")
_WORD_START = re.compile(r"(?<!\w)(?:[A-Za-z]+|[\w'’‘])")
# Every word an expression can start with (lower case); digits and quotes always can.
_FIRST_WORDS = frozenset(
    {"the", "that", "this", "last", "next", "past", "coming", "earlier", "later", "early"}
    | {"late", "mid", "in", "yesterday", "today", "tonight", "tomorrow", "several", "few"}
    | {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade"}
    | {"decades", "new", "valentine", "boxing", "bastille", "sept", "tues", "thur", "thurs"}
    | set(_NUMBER_WORDS)
    | set(_ORDINAL_WORDS)
    | set(_MONTH_NUMBERS)
    | set(_WEEKDAY_NUMBERS)
    | set(_SEASON_MONTHS)
    | {name.split()[0].split("'")[0] for name in _HOLIDAYS}
)
_LOOKBACK = 48  # longest lead before an anchor: "the beginning of this coming month" is 29
_WORD = re.compile(r"[A-Za-z][\w'’.-]*|\d[\d,.]*|['’]s\b")
_CLAUSE_PUNCT = re.compile(r"[.;:!?()\[\]\"“”«»—–]|--|-LRB-|-RRB-|``|''|,")
_CLAUSE_WORDS = frozenset({
    "that", "which", "who", "whom", "whose", "when", "while", "because", "although",
    "though", "but", "and", "or", "after", "before", "since", "until", "till", "if",
    "unless", "whereas", "where", "as", "so",
})  # fmt: skip
_CUE = re.compile(
    r"""
    (?:(?<!\w)|(?=['’]))  # cues start a word, or are a contraction ("'ll")
    (?:(?P<fut>\b(?:will|shall|wo(?=\s+n['’]t)|gonna|upcoming
        |(?:going|due|scheduled|slated|set|poised|plans?|planning|expects?|expected|intends?
           |hopes?|aims?|is|are|am)\s+to\b
        |due\s+(?:on|in|by)|scheduled|(?:set|slated|planned)\s+for|expects?|(?:is|are)\s+expected
        |(?:begins|starts|opens|reopens|resumes|ends|closes|returns|convenes|expires|launches
           |departs|meets|falls|kicks\s+off|takes\s+effect|goes\s+on\s+sale)
        |(?:is|are|am|'re|’re)\s+(?!going\b|(?:some|no|any|every)?thing\b|during\b|morning\b
            |evening\b|king\b|spring\b|building\b)[a-z]+ing)\b|['’]ll\b)
    |(?P<past>\b(?:was|were|had|did|said|told|met|held|saw|went|came|made|took|gave|got
        |left|began|won|lost|spoke|rose|fell|ran|kept|sent|spent|found|brought|thought
        |felt|stood|paid|sold|wrote|broke|chose|flew|drove|led|fled|shot|struck|became
        |sought|fought|caught|taught|knew|grew|threw|drew|sank|swore|wore|hid|rode|woke
        |ago|(?-i:[a-z]{2,}ed))\b))
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NOT_PAST = frozenset({
    "need", "speed", "feed", "seed", "bed", "red", "shed", "hundred", "breed", "greed",
    "weed", "creed", "steed", "indeed", "exceed", "proceed", "succeed", "embed", "wed",
    "sled", "bleed", "heed", "deed", "reed", "united", "limited", "based", "related",
    "detailed", "advanced", "alleged", "so-called", "armed", "concerned", "interested",
    "expected", "scheduled", "planned", "proposed",
})  # fmt: skip
_GOVERNORS = frozenset({
    "on", "in", "at", "by", "until", "till", "since", "from", "during", "before", "after",
    "for", "over", "of", "the", "early", "late", "'s", "’s",
})  # fmt: skip
_TO_INFINITIVE = re.compile(r"\s+to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|its\b)[a-z]")
_PAST_AUX = frozenset({"was", "were", "had", "did"})
_PASSIVE_AUX = frozenset({"be", "been", "being", "is", "are", "am", "get", "gets", "to"})


@dataclass(frozen=True, slots=True)
class _Resolution:
    kind: str
    ref: TimeRef | None
    note: str


# --------------------------------------------------------------------------- calendar


def _day_ref(day: dt.date) -> TimeRef:
    return TimeRef(start=day, end=day, granularity="day")


def _week_ref(day: dt.date) -> TimeRef | None:
    monday = _shift_days(day, -day.weekday())
    sunday = None if monday is None else _shift_days(monday, 6)
    if monday is None or sunday is None:
        return None
    return TimeRef(start=monday, end=sunday, granularity="week")


def _month_span(year: int, month: int, months: int = 1) -> TimeRef | None:
    last_year, last_month = _shift_month(year, month, months - 1)
    if not (year >= dt.MINYEAR and last_year <= dt.MAXYEAR):
        return None
    start = dt.date(year, month, 1)
    after_year, after_month = _shift_month(last_year, last_month, 1)
    end = (
        dt.date(dt.MAXYEAR, 12, 31)
        if after_year > dt.MAXYEAR
        else dt.date(after_year, after_month, 1) - dt.timedelta(days=1)
    )
    return TimeRef(start=start, end=end, granularity="month")


def _year_span(first: int, last: int) -> TimeRef | None:
    if not (dt.MINYEAR <= first <= last <= dt.MAXYEAR):
        return None
    return TimeRef(start=dt.date(first, 1, 1), end=dt.date(last, 12, 31), granularity="year")


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift_days(day: dt.date, delta: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=delta)
    except OverflowError:
        return None


def _weekday_on_or_before(anchor: dt.date, weekday: int, *, strict: bool) -> dt.date | None:
    back = (anchor.weekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return _shift_days(anchor, -back)


def _weekday_on_or_after(anchor: dt.date, weekday: int, *, strict: bool) -> dt.date | None:
    ahead = (weekday - anchor.weekday()) % 7
    if strict and ahead == 0:
        ahead = 7
    return _shift_days(anchor, ahead)


# --------------------------------------------------------------------------- context


def _words_before(text: str, start: int, count: int) -> list[str]:
    return [w.lower() for w in _WORD.findall(text, max(0, start - 40), start)][-count:]


def _word_after(text: str, end: int) -> str:
    match = _WORD.search(text, end, min(len(text), end + 40))
    if match is None or text[end : match.start()].strip(" \t"):
        return ""
    return match.group().rstrip(".")


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 6) : start].rstrip()
    return not before or before[-1] in ".!?\"“`'(\n" or before.endswith(("-LRB-", "``"))


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, as offsets (see the module docstring)."""
    left_limit = max(0, start - 160)
    left = left_limit
    for punct in _CLAUSE_PUNCT.finditer(text, left_limit, start):
        left = punct.end()
    words = list(_WORD.finditer(text, left, start))
    for index in range(len(words) - 2, -1, -1):  # the word right before is the governor
        if words[index].group().lower() in _CLAUSE_WORDS:
            left = words[index].end()
            break
    right_limit = min(len(text), end + 160)
    punct_right = _CLAUSE_PUNCT.search(text, end, right_limit)
    right = punct_right.start() if punct_right else right_limit
    for word in _WORD.finditer(text, end, right):
        if word.group().lower() in _CLAUSE_WORDS:
            right = word.start()
            break
    return left, right


def _nearest_cue(text: str, lo: int, hi: int, start: int, end: int) -> Lean | None:
    best: tuple[int, Lean] | None = None
    for cue in _CUE.finditer(text, lo, hi):
        if start <= cue.start() < end:
            continue
        if cue.group("fut") is not None:
            lean: Lean = "future"
        else:
            word = cue.group().lower()
            if word in _NOT_PAST:
                continue
            before = _words_before(text, cue.start(), 1)
            if before and before[0] in _PASSIVE_AUX and word not in _PAST_AUX:
                continue  # "will be held", "is expected": a participle, not a past tense
            if word not in _PAST_AUX and _TO_INFINITIVE.match(text, cue.end()):
                continue  # "hoped to meet", "agreed to visit": the meeting is not past
            lean = "past"
        distance = start - cue.end() if cue.end() <= start else cue.start() - end
        if best is None or distance < best[0]:
            best = (distance, lean)
    return None if best is None else best[1]


def _clause_tense(text: str, start: int, end: int) -> Lean | None:
    left, right = _clause_bounds(text, start, end)
    lean = _nearest_cue(text, left, right, start, end)
    if lean is not None:
        return lean
    own_words = [w for w in _WORD.findall(text, left, start) if w.lower() not in _GOVERNORS]
    own_words += _WORD.findall(text, end, right)
    if own_words:
        return None
    if right < len(text) and text[right] == ",":
        _, next_right = _clause_bounds(text, right + 1, right + 1)
        lean = _nearest_cue(text, right + 1, next_right, right + 1, right + 1)
        if lean is not None:
            return lean
    if left > 0:
        prev_left, _ = _clause_bounds(text, max(0, left - 1), max(0, left - 1))
        return _nearest_cue(text, prev_left, left, left, left)
    return None


def _lean(text: str, start: int, end: int) -> tuple[Lean | None, str]:
    """The tense reading of an expression, or ``None`` when nothing in context tells."""
    governor = _words_before(text, start, 1)
    if governor and governor[0] == "since":
        return "past", "past: 'since'"
    tense = _clause_tense(text, start, end)
    if tense == "future":
        return "future", "future tense in clause"
    if tense == "past":
        return "past", "past tense in clause"
    if governor and governor[0] in {"until", "till", "by", "before"}:
        return "future", f"future: '{governor[0]}'"
    return None, "no tense cue"


def _past_unless_far(past_distance: int | None, future_distance: int | None) -> Lean:
    """The news default for a yearless date: the most recent one, unless the next one
    is less than a third as far away ("takes effect on July 1" in a June article)."""
    if past_distance is None:
        return "future"
    if future_distance is None:
        return "past"
    return "future" if future_distance * _FUTURE_WEIGHT < past_distance else "past"


# --------------------------------------------------------------------------- filters


def _is_year_count(text: str, start: int, end: int, has_modifier: bool) -> bool:
    """True when a year-shaped number reads as a count, a code or a clock time."""
    before = _words_before(text, start, 2)
    after = _word_after(text, end)
    after_lower = after.lower()
    if after_lower in _TIME_SUFFIXES or (
        text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit()
    ):
        return True
    if has_modifier:
        return False
    governor = before[-1] if before else ""
    if governor.endswith(("'s", "’s")) or after_lower in {"'s", "’s"}:
        return False
    if governor in _YEAR_PREPOSITIONS and governor != "of":
        return False
    if governor == "of":
        return len(before) > 1 and before[0] in _COUNT_BEFORE_OF
    if governor in _COUNT_WORDS_BEFORE:
        return True
    if after_lower in _COUNT_WORDS_AFTER:
        return True
    plural = (
        after.islower()
        and len(after) > 3
        and after_lower.endswith("s")
        and not after_lower.endswith(("ss", "us", "is"))
        and after_lower not in _NON_PLURAL_S
        and after_lower not in _EVENT_PLURALS
    )
    if plural:
        return True
    return governor == "the" and after == ""


def _is_named_weekday(text: str, start: int, end: int) -> bool:
    before = _words_before(text, start, 2)
    if before and before[-1] in _DAY_NAME_PREFIXES:
        return True
    if len(before) == 2 and before[1] == "on" and before[0] in _NEWSPAPER_BEFORE_ON:
        return True
    return _word_after(text, end) in _DAY_NAME_SUFFIXES


def _month_rejected(text: str, start: int, end: int, name: str, has_mod: bool) -> bool:
    after = _word_after(text, end)
    if after[:1].isupper() and after.lower() not in _MONTH_NUMBERS and after.lower() != "of":
        return True
    if after.lower() in _NAME_VERBS:
        return True
    if has_mod or name.lower() not in _AMBIGUOUS_MONTHS:
        return False
    before = _words_before(text, start, 2)
    if not before:
        return True
    governor = before[-1]
    if governor.endswith(("'s", "’s")):
        return False
    if governor not in _MONTH_CONTEXT:
        return True
    return governor in {"and", "or", "to", "that", "as", "for"} and not (
        len(before) == 2 and (before[0] in _MONTH_NUMBERS or before[0] in {"between", "from"})
    )


# --------------------------------------------------------------------------- resolution


def _number(raw: str) -> int | None:
    words = " ".join(raw.lower().split())
    if words.isdigit():
        return int(words)
    if words in _VAGUE_NUMBERS:
        return None
    return _NUMBER_WORDS.get(words)


def _shift_unit(published: dt.date, unit: str, amount: int) -> TimeRef | None:
    if unit == "day":
        day = _shift_days(published, amount)
        return None if day is None else _day_ref(day)
    if unit == "week":
        day = _shift_days(published, 7 * amount)
        return None if day is None else _week_ref(day)
    if unit == "month":
        year, month = _shift_month(published.year, published.month, amount)
        return _month_span(year, month)
    years = amount if unit == "year" else 10 * amount  # "a decade ago" is a year
    return _year_span(published.year + years, published.year + years)


def _resolve_month_day(
    month: int, day: int, published: dt.date, lean: Lean | None, weekday: int | None
) -> dt.date | None:
    candidates = [_safe_date(published.year + k, month, day) for k in (-1, 0, 1)]
    if lean is None:
        before = [c for c in candidates if c is not None and c <= published]
        after = [c for c in candidates if c is not None and c >= published]
        lean = _past_unless_far(
            (published - before[-1]).days if before else None,
            (after[0] - published).days if after else None,
        )
    if lean == "past":
        order = [c for c in (candidates[1], candidates[0]) if c is not None and c <= published]
        order += [c for c in (candidates[2],) if c is not None]
    else:
        order = [c for c in (candidates[1], candidates[2]) if c is not None and c >= published]
        order += [c for c in (candidates[0],) if c is not None]
    if not order:
        return None
    if weekday is not None:
        for candidate in order:
            if candidate.weekday() == weekday:
                return candidate
    return order[0]


def _resolve_month(month: int, published: dt.date, direction: str | None) -> TimeRef | None:
    here = published.year * 12 + published.month - 1
    same_year = published.year * 12 + month - 1
    options = (same_year - 12, same_year, same_year + 12)
    if direction is None:
        direction = _past_unless_far(
            here - max(o for o in options if o <= here), min(o for o in options if o >= here) - here
        )
    if direction == "past":
        chosen = max(o for o in options if o <= here)
    elif direction == "last":
        chosen = max(o for o in options if o < here)
    elif direction == "future":
        chosen = min(o for o in options if o >= here)
    elif direction == "next":
        chosen = min(o for o in options if o > here)
    else:
        chosen = same_year
    return _month_span(chosen // 12, chosen % 12 + 1)


def _season_ref(season: str, year: int) -> TimeRef | None:
    return _month_span(year, _SEASON_MONTHS[season.lower()], 3)


def _resolve_season(season: str, published: dt.date, direction: str) -> TimeRef | None:
    first_month = _SEASON_MONTHS[season.lower()]
    spans = [_season_ref(season, published.year + k) for k in (-2, -1, 0, 1)]
    valid = [s for s in spans if s is not None]
    if direction == "this":
        containing = [s for s in valid if s.start <= published <= s.end]
        if containing:
            return containing[0]
        year = published.year - 1 if first_month == 12 and published.month <= 2 else published.year
        return _season_ref(season, year)
    if direction in {"last", "past"}:
        done = [
            s for s in valid if (s.end < published if direction == "last" else s.start <= published)
        ]
        return done[-1] if done else None
    coming = [
        s for s in valid if (s.start > published if direction == "next" else s.end >= published)
    ]
    return coming[0] if coming else None


def _resolve_weekend(published: dt.date, direction: str) -> TimeRef | None:
    on_weekend = published.weekday() >= 5
    if direction == "past" or (direction == "this" and on_weekend):
        saturday = _weekday_on_or_before(published, 5, strict=False)
    elif direction == "this":  # the weekend of the publication week
        saturday = _shift_days(published, 5 - published.weekday())
    elif direction == "last":
        saturday = _weekday_on_or_before(published, 5, strict=False)
        if saturday is not None and on_weekend:
            saturday = _shift_days(saturday, -7)
    elif direction == "next":
        saturday = _weekday_on_or_after(published, 5, strict=True)
    else:  # "future": the weekend that has not ended yet
        sunday = _weekday_on_or_after(published, 6, strict=False)
        saturday = None if sunday is None else _shift_days(sunday, -1)
    if saturday is None:
        return None
    sunday = _shift_days(saturday, 1)
    return None if sunday is None else TimeRef(start=saturday, end=sunday, granularity="day")


def _resolve_relative_unit(unit: str, published: dt.date, direction: str) -> TimeRef | None:
    offset = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[direction]
    return _shift_unit(published, unit, offset)


def _direction(raw: str) -> str:
    words = raw.lower().split()
    if words == ["this", "past"]:
        return "last"
    if words == ["this", "coming"]:
        return "next"
    return "this" if words[0] == "the" else words[0]


_FUTURE_WEIGHT = 3
_UNRESOLVED_NO_DATE = "relative expression and no publication date"


class _Resolver:
    """Turns one regex match into a resolution; one method per alternative."""

    __slots__ = ("_match", "_published", "_text")

    def __init__(self, text: str, match: re.Match[str], published: dt.date | None) -> None:
        self._text = text
        self._match = match
        self._published = published

    def resolve(self) -> _Resolution | None:
        group = self._match.lastgroup
        method = None if group is None else _DISPATCH.get(group)
        return None if method is None else method(self)

    def _g(self, name: str) -> str:
        value = self._match.group(name)
        return "" if value is None else value

    def _lean(self) -> tuple[Lean | None, str]:
        return _lean(self._text, self._match.start(), self._match.end())

    def _iso(self) -> _Resolution | None:
        day = _safe_date(int(self._g("iso_y")), int(self._g("iso_m")), int(self._g("iso_d")))
        if day is None:
            return None
        return _Resolution("date", _day_ref(day), "explicit date")

    def _calendar_date(self, prefix: str) -> _Resolution | None:
        month = _MONTH_NUMBERS[self._g(f"{prefix}_m").rstrip(".").lower()]
        day = int(re.sub(r"\D", "", self._g(f"{prefix}_d")))
        weekday_raw = self._g(f"{prefix}_wd").rstrip(".").lower()
        weekday = _WEEKDAY_NUMBERS.get(weekday_raw) if weekday_raw else None
        year_raw = self._g(f"{prefix}_y")
        if year_raw:
            resolved = _safe_date(int(year_raw), month, day)
            if resolved is None:
                return None
            note = "explicit date"
            if weekday is not None and resolved.weekday() != weekday:
                note = "explicit date; the weekday written does not match it"
            return _Resolution("date", _day_ref(resolved), note)
        if _safe_date(2000, month, day) is None:
            return None
        if self._published is None:
            return _Resolution("date", None, "date without a year and no publication date")
        lean, why = self._lean()
        resolved = _resolve_month_day(month, day, self._published, lean, weekday)
        why = (
            why if lean is not None else "no tense cue: most recent unless the next is much nearer"
        )
        if resolved is None:
            return _Resolution("date", None, "date without a year outside the calendar")
        return _Resolution("date", _day_ref(resolved), f"year from publication date; {why}")

    def _mdy(self) -> _Resolution | None:
        return self._calendar_date("mdy")

    def _dmy(self) -> _Resolution | None:
        return self._calendar_date("dmy")

    def _my(self) -> _Resolution | None:
        month = _MONTH_NUMBERS[self._g("my_m").rstrip(".").lower()]
        mod = self._g("my_mod").strip()
        ref = _month_span(int(self._g("my_y")), month)
        return _Resolution("month", ref, f"explicit month{'; mod=' + mod if mod else ''}")

    def _anaph(self) -> _Resolution:
        return _Resolution("anaphoric", None, "anchored to another event, not to publication")

    def _counted(self, raw_number: str, unit: str, sign: int, kind: str) -> _Resolution:
        amount = _number(raw_number)
        if amount is None:
            return _Resolution(kind, None, "vague amount")
        if self._published is None:
            return _Resolution(kind, None, _UNRESOLVED_NO_DATE)
        ref = _shift_unit(self._published, unit.lower(), sign * amount)
        return _Resolution(kind, ref, f"{sign * amount:+d} {unit.lower()}(s) from publication")

    def _ago(self) -> _Resolution:
        return self._counted(self._g("ago_n"), self._g("ago_u"), -1, "relative")

    def _inn(self) -> _Resolution | None:
        if _clause_tense(self._text, self._match.start(), self._match.end()) != "future":
            return None  # "broke him in 5 years": a duration unless the clause is future
        return self._counted(self._g("inn_n"), self._g("inn_u"), 1, "relative")

    def _dur(self) -> _Resolution | None:
        raw_number = self._g("dur_n")
        if not raw_number:
            amount: int | None = None if self._g("dur_pl") else 1
        else:
            amount = _number(raw_number)
        if amount is None:
            return _Resolution("duration", None, "vague amount")
        if self._published is None:
            return _Resolution("duration", None, _UNRESOLVED_NO_DATE)
        unit = self._g("dur_u").lower()
        days = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3652}[unit] * amount
        backwards = self._g("dur_dir").lower() in {"past", "last"}
        other_end = _shift_days(self._published, -days if backwards else days)
        if other_end is None:
            return None
        first, last = sorted((self._published, other_end))
        return _Resolution(
            "duration",
            TimeRef(start=first, end=last, granularity="day"),
            "period ending or starting at publication",
        )

    def _night(self) -> _Resolution:
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE)
        if self._g("night_dir").lower() == "last":
            day = _shift_days(self._published, -1)
            return _Resolution(
                "relative", None if day is None else _day_ref(day), "the night before publication"
            )
        return _Resolution("relative", _day_ref(self._published), "publication day")

    def _weekend(self) -> _Resolution:
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE)
        raw = self._g("weekend_dir").lower()
        direction = "the" if raw == "the" else _direction(raw)
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
        ref = _resolve_weekend(self._published, direction)
        return _Resolution("relative", ref, f"weekend ({direction})")

    def _rel(self) -> _Resolution:
        direction = _direction(self._g("rel_dir"))
        unit = self._g("rel_u")
        mod = self._g("rel_mod").strip()
        note = f"{direction} {unit.lower()}{'; mod=' + mod if mod else ''}"
        key = unit.lower()
        kind = (
            "weekday" if key in _WEEKDAY_NUMBERS
            else "month" if key in _MONTH_NUMBERS
            else "season" if key in _SEASON_MONTHS
            else "relative"
        )  # fmt: skip
        if self._published is None:
            return _Resolution(kind, None, _UNRESOLVED_NO_DATE)
        published = self._published
        if kind == "weekday":
            weekday = _WEEKDAY_NUMBERS[key]
            if direction in {"last", "past"}:
                day = _weekday_on_or_before(published, weekday, strict=True)
            elif direction in {"next", "coming"}:
                day = _weekday_on_or_after(published, weekday, strict=True)
            else:
                day = _shift_days(published, weekday - published.weekday())
            return _Resolution(kind, None if day is None else _day_ref(day), note)
        if kind == "month":
            month_direction = {"past": "last", "coming": "next"}.get(direction, direction)
            return _Resolution(
                kind, _resolve_month(_MONTH_NUMBERS[key], published, month_direction), note
            )
        if kind == "season":
            return _Resolution(kind, _resolve_season(key, published, direction), note)
        return _Resolution(kind, _resolve_relative_unit(key, published, direction), note)

    def _day(self) -> _Resolution | None:
        word = " ".join(self._g("day_w").lower().split())
        capitalised = self._g("day_w")[0].isupper()
        if (
            capitalised
            and word in {"today", "tonight"}
            and not _at_sentence_start(self._text, self._match.start())
        ):
            return None  # "Russia Today", "USA Today", "The Tonight Show"
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE)
        offset = {
            "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
            "the day before yesterday": -2, "the day after tomorrow": 2,
        }[word]  # fmt: skip
        day = _shift_days(self._published, offset)
        return _Resolution(
            "relative", None if day is None else _day_ref(day), f"{offset:+d} day(s)"
        )

    def _decade(self) -> _Resolution | None:
        mod = self._g("dec_mod").strip(" -")
        full = self._g("dec_full")
        if full:
            first = int(full)
            if first % 100 == 0 and first < 2000:
                ref = _year_span(first, first + 99)
                return _Resolution("century", ref, "the hundred years of the 'X00s'")
        else:
            short = int(self._g("dec_short"))
            if self._published is None:
                return _Resolution("decade", None, "century of a short decade unknown")
            first = 2000 + short if 2000 + short <= self._published.year else 1900 + short
        note = f"decade as a ten-year span{'; mod=' + mod if mod else ''}"
        return _Resolution("decade", _year_span(first, first + 9), note)

    def _century(self) -> _Resolution | None:
        raw = self._g("cent_n")
        number = int(raw) if raw else _ORDINAL_WORDS[" ".join(self._g("cent_w").lower().split())]
        if number < 1:
            return None
        first = (number - 1) * 100
        mod = self._g("cent_mod").strip(" -")
        ref = _year_span(max(first, 1), first + 99)
        return _Resolution("century", ref, f"century{'; mod=' + mod if mod else ''}")

    def _season(self) -> _Resolution | None:
        name = self._g("season_name")
        year_raw = self._g("season_y")
        if year_raw:
            return _Resolution("season", _season_ref(name, int(year_raw)), "explicit season")
        before = _words_before(self._text, self._match.start(), 2)
        if len(before) < 2 or before[1] != "the" or before[0] not in _MONTH_CONTEXT | {"over"}:
            return None
        if _word_after(self._text, self._match.end()).lower() in _SEASON_NOUNS:
            return None  # "in the fall of the empire", "for the summer holidays"
        if self._published is None:
            return _Resolution("season", None, _UNRESOLVED_NO_DATE)
        lean, why = self._lean()
        ref = _resolve_season(name, self._published, lean or "past")
        return _Resolution("season", ref, why)

    def _holiday(self) -> _Resolution:
        key = re.sub(r"\s*['’]\s*", "'", " ".join(self._g("holiday_name").lower().split()))
        month, day = _HOLIDAYS[key]
        if self._published is None:
            return _Resolution("holiday", None, _UNRESOLVED_NO_DATE)
        lean, why = self._lean()
        resolved = _resolve_month_day(month, day, self._published, lean, None)
        return _Resolution("holiday", None if resolved is None else _day_ref(resolved), why)

    def _wd(self) -> _Resolution | None:
        start, end = self._match.start("wd_name"), self._match.end("wd_name")
        if not self._g("wd_mod") and _is_named_weekday(self._text, start, end):
            return None
        if self._published is None:
            return _Resolution("weekday", None, _UNRESOLVED_NO_DATE)
        weekday = _WEEKDAY_NUMBERS[self._g("wd_name").lower()]
        lean, why = self._lean()
        if lean == "future":
            day = _weekday_on_or_after(self._published, weekday, strict=False)
        else:
            day = _weekday_on_or_before(self._published, weekday, strict=False)
            why = why if lean is not None else "no tense cue: most recent (news default)"
        return _Resolution("weekday", None if day is None else _day_ref(day), why)

    def _month(self) -> _Resolution | None:
        name = self._g("month_name")
        mod = self._g("month_mod").strip()
        if _month_rejected(self._text, self._match.start(), self._match.end(), name, bool(mod)):
            return None
        if self._published is None:
            return _Resolution("month", None, _UNRESOLVED_NO_DATE)
        lean, why = self._lean()
        ref = _resolve_month(_MONTH_NUMBERS[name.lower()], self._published, lean)
        return _Resolution("month", ref, f"{why}{'; mod=' + mod if mod else ''}")

    def _year(self) -> _Resolution | None:
        mod = self._g("year_mod").strip()
        start = self._match.start("year_v")
        if _is_year_count(self._text, start, self._match.end(), bool(mod)):
            return None
        year = int(self._g("year_v"))
        return _Resolution(
            "year", _year_span(year, year), f"explicit year{'; mod=' + mod if mod else ''}"
        )


def _anchors(text: str) -> list[int]:
    """Offsets of every digit run, unit word (any case) and month or "Eve" (capitalised)."""
    found = [match.start() for match in _DIGITS.finditer(text)]
    lowered = text.lower()
    for words, haystack in ((_ANCHOR_WORDS, lowered), (_ANCHOR_NAMES, text)):
        for word in words:
            at = haystack.find(word)
            while at >= 0:
                found.append(at)
                at = haystack.find(word, at + 1)
    found.sort()
    return found


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_PATTERN.finditer(text)`` would give, found faster.

    Every expression contains an anchor (a digit, a month or a unit word) no more than
    ``_LOOKBACK`` characters after its start, so the pattern is only tried at the word
    starts just before each anchor; a word start that failed is never tried again.
    """
    covered = 0  # end of the last match: nothing before it can start another one
    tried = -1  # the last word start the pattern was tried at
    for anchor in _anchors(text):
        if anchor < covered or anchor <= tried:
            continue
        window = max(covered, tried + 1, anchor - _LOOKBACK)
        for word in _WORD_START.finditer(text, window):
            if word.start() > anchor:
                break
            tried = word.start()
            token = word.group()
            if token.isalpha() and token.lower() not in _FIRST_WORDS:
                continue
            match = _PATTERN.match(text, tried)
            if match is not None:
                yield match
                covered = match.end()
                break


_DISPATCH: dict[str, Callable[[_Resolver], _Resolution | None]] = {
    "iso": _Resolver._iso,
    "mdy": _Resolver._mdy,
    "dmy": _Resolver._dmy,
    "my": _Resolver._my,
    "anaph": _Resolver._anaph,
    "ago": _Resolver._ago,
    "inn": _Resolver._inn,
    "dur": _Resolver._dur,
    "night": _Resolver._night,
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

    Stateless; safe to share between threads. ``published=None`` resolves
    explicit dates and years only and keeps relative expressions unresolved.
    """

    __slots__ = ()

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        found: list[TimeExpression] = []
        for match in _candidates(text):
            resolution = _Resolver(text, match, published).resolve()
            if resolution is None:
                continue
            start, end = match.span()
            found.append(
                TimeExpression(
                    article_id=article_id,
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=resolution.kind,
                    ref=resolution.ref,
                    note=resolution.note,
                )
            )
        return tuple(found)
