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
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from storyline.model import TimeExpression, TimeRef, TimexType

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
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12, "a hundred": 100,
}  # fmt: skip
_VAGUE_NUMBERS = frozenset({"a few", "few", "several", "some", "many", "hundreds of"})
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip
_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# TimeML codes: seasons, parts of the day, and the letters of a duration ("P3W", "PT2H").
_SEASON_CODES = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_PART_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_UNIT_CODES = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1),
    "day": ("", "D", 1), "week": ("", "W", 1), "fortnight": ("", "W", 2),
    "month": ("", "M", 1), "quarter": ("", "Q", 1), "year": ("", "Y", 1),
    "decade": ("", "Y", 10), "century": ("", "Y", 100), "centurie": ("", "Y", 100),
}  # fmt: skip
# How a half unit is written in the next smaller one: "2 1/2 years" is P2Y6M.
_SMALLER_UNITS = {
    "year": ("", "M", 12), "day": ("T", "H", 24), "hour": ("T", "M", 60),
    "minute": ("T", "S", 60), "week": ("", "D", 7),
}  # fmt: skip
_SET_ADVERBS = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "yearly": "P1Y", "hourly": "PT1H",
}  # fmt: skip
# Words that point at the present, the past or the future without a date (TimeML *_REF).
_REF_WORDS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "just now": "PRESENT_REF",
    "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "current": "PRESENT_REF", "recently": "PAST_REF", "the past": "PAST_REF",
}  # fmt: skip
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip
_SEASON_NOUNS = frozenset({
    "of", "holidays", "holiday", "break", "recess", "vacation", "term", "season", "session",
    "camp", "school", "transfer", "sales", "collection", "olympics", "games", "solstice",
    "equinox", "time",
})  # fmt: skip
_HOLIDAYS = {
    "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
    "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
    "halloween": (10, 31), "bastille day": (7, 14), "christmas": (12, 25),
    "independence day": (7, 4), "new year's": (1, 1), "new year": (1, 1),
}  # fmt: skip
# Holidays that move: (month, weekday, n, days) is the n-th weekday of the month (n=-1
# the last) moved by ``days``; month 0 counts ``days`` from Easter Sunday.
_MOVING_HOLIDAYS = {
    "thanksgiving": (11, 3, 4, 0), "thanksgiving day": (11, 3, 4, 0),
    "memorial day": (5, 0, -1, 0), "labor day": (9, 0, 1, 0),
    "martin luther king day": (1, 0, 3, 0), "mother's day": (5, 6, 2, 0),
    "father's day": (6, 6, 3, 0), "election day": (11, 0, 1, 1),
    "easter": (0, 0, 0, 0), "easter sunday": (0, 0, 0, 0), "easter monday": (0, 0, 0, 1),
}  # fmt: skip
# Holiday names that are often adjectives ("Christmas shopping"): dates only after these.
_BARE_HOLIDAYS = frozenset({"christmas", "easter", "thanksgiving", "new year's", "new year"})
_HOLIDAY_GOVERNORS = frozenset({
    "on", "at", "before", "after", "until", "till", "by", "since", "over", "around", "for",
    "last", "this", "next", "from", "through", "during", "of",
})  # fmt: skip

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
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)(?!\.\d)(?!,\d{3})"
_YEAR = r"(?<![\d$£€#.,])(?:1[0-9]{3}|20[0-9]{2})(?![\d%])(?![.,]\d)"
_COMMA = r"\s*,?\s*"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_NUMBER = (
    rf"(?:\d{{1,3}}|a\s+couple\s+of|a\s+dozen|a\s+few|several|few|an?|{_TENS}(?:[\s-]+{_ONES})?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|hundreds\s+of)"
)
_UNIT = r"(?:day|week|month|year|decade)"
# Every unit a length of time can be counted in ("three hours", "two quarters").
_ANY_UNIT = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ies))"
_PART = r"(?:\s+(?i:morning|afternoon|evening|night))"
_MOD = (
    r"(?:(?i:early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
    r"|the\s+middle\s+of)\s*)"
)
_SEASON = r"(?i:spring|summer|autumn|fall|winter)"
_ORDINAL = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)).replace(" ", r"\s+")
_TIME_ZONE = r"(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST)\b"

# The words each rule can start with ("#" a digit, "'" a quote).
_QUOTE_CHARS = frozenset("'’‘")
_DIGITS_START = frozenset({"#"})
_QUOTES = frozenset({"'"})
_FULL_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_WEEKDAY_WORDS = frozenset(_WEEKDAY_NUMBERS)
_FULL_MONTHS = frozenset(
    name for name, number in _MONTH_NUMBERS.items() if list(_MONTH_NUMBERS).index(name) < 12
)
_MONTH_WORDS = frozenset(_MONTH_NUMBERS)
_MOD_WORDS = frozenset({"early", "late", "mid", "the"})
_NUMBER_START = _DIGITS_START | {word.split()[0] for word in _NUMBER_WORDS} | {
    "several", "few", "hundreds", "many",
}  # fmt: skip
_UNIT_WORDS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades"}
)
_QUARTER_WORDS = frozenset({
    "the", "this", "that", "last", "next", "fiscal", "year", "comparable", "corresponding",
    "same", "latest", "current", "previous", "preceding", "past", "recent", "just", "first",
    "second", "third", "fourth", "final", "latter", "quarter", "half", "period",
})  # fmt: skip
_SET_WORDS = frozenset(
    {"every", "each", "once", "twice", "three", "four", "five", "six", "several", "many"}
)
_ORDINAL_START = frozenset(word.split()[0].split("-")[0] for word in _ORDINAL_WORDS)
_HOLIDAY_WORDS = frozenset({
    "christmas", "new", "valentine", "halloween", "boxing", "bastille", "independence",
    "thanksgiving", "memorial", "labor", "labour", "martin", "mother", "father", "election",
    "easter",
})  # fmt: skip

# The rules: (name, the lower-case words a match can start with, the pattern). Order
# matters: at one position the first rule that matches wins. "#" stands for a digit and
# "'" for a quote; the scan tries at a word only the rules that can start with it.
_RULES: tuple[tuple[str, frozenset[str], str], ...] = (
    (
        "clock",
        frozenset(_DIGITS_START | {"noon", "midnight", "midday"}),
        rf"""
        (?P<clock>(?:(?P<clk_h>2[0-3]|[01]?\d)(?:[:.](?P<clk_m>[0-5]\d))?\s*(?P<clk_ap>(?i:[ap]\.m\b\.?|[ap]m\b))
              |(?P<clk_hm>(?:[01]\d|2[0-3])[:.]?[0-5]\d)(?=\s+(?:GMT|UTC|local\s+time))
              |(?P<clk_word>(?i:noon|midnight|midday)\b))
            (?:\s+(?P<clk_tz>{_TIME_ZONE}|local\s+time\b))?
            (?:{_COMMA}\s?(?P<clk_day>(?:(?P<clk_wd>{_WEEKDAY}){_COMMA}\s?)?(?P<clk_dm>{_ANY_MONTH})\s*
                    (?P<clk_dd>{_DAY})\b(?:{_COMMA}(?P<clk_dy>{_YEAR})\b)?
                |{_WEEKDAY}\b|(?i:today|tonight|yesterday|tomorrow)\b))?)
        """,
    ),
    (
        "iso",
        frozenset(_DIGITS_START),
        r"""
        (?P<iso>\b(?P<iso_y>1\d{3}|20\d{2})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b)
        """,
    ),
    (
        "mdy",
        frozenset(_WEEKDAY_WORDS | _MONTH_WORDS),
        rf"""
        (?P<mdy>\b(?:(?P<mdy_wd>{_WEEKDAY}|{_WEEKDAY_ABBR}){_COMMA}\s)?
            (?P<mdy_m>{_ANY_MONTH})\s*(?P<mdy_d>{_DAY})\b(?:{_COMMA}(?P<mdy_y>{_YEAR})\b)?)
        """,
    ),
    (
        "dmy",
        frozenset(_FULL_WEEKDAYS | _DIGITS_START | {"the"}),
        rf"""
        (?P<dmy>\b(?:(?P<dmy_wd>{_WEEKDAY}){_COMMA}\s)?(?:the\s+)?(?P<dmy_d>{_DAY})\s+(?:of\s+)?
            (?P<dmy_m>{_ANY_MONTH})(?!\w)(?:{_COMMA}(?P<dmy_y>{_YEAR})\b)?)
        """,
    ),
    (
        "my",
        frozenset(_MOD_WORDS | _MONTH_WORDS),
        rf"""
        (?P<my>\b(?P<my_mod>{_MOD})?(?P<my_m>{_ANY_MONTH})(?:\s*,\s*|\s+of\s+|\s+)(?P<my_y>{_YEAR})\b)
        """,
    ),
    (
        "mrel",
        frozenset(_FULL_MONTHS),
        rf"""
        (?P<mrel>\b(?P<mrel_m>{_MONTH})\s+(?P<mrel_dir>(?i:last|this|next))\s+(?i:year)\b)
        """,
    ),
    (
        "qtr",
        frozenset(_DIGITS_START | _QUARTER_WORDS),
        rf"""
        (?P<qtr>(?:(?P<qtr_the>(?i:the|this|that|last|next))\s+)?
            (?:(?P<qtr_y>{_YEAR})\s+|(?P<qtr_rel>(?i:this|last|next))\s+(?i:year)\s*['’]\s*s\s+)?
            (?P<qtr_mods>(?:(?i:fiscal|year-earlier|year-ago|comparable|corresponding|same|latest
                |current|previous|preceding|past|recent|just-ended|first|second|third|fourth|final
                |last|latter|1st|2nd|3rd|4th)(?:\s+|-(?=[a-z])))*)
            (?P<qtr_u>(?i:quarter|half|period))(?![\w-])
            (?:\s+of\s+(?:(?i:fiscal)\s+)?(?P<qtr_y2>{_YEAR})\b
              |\s+(?P<qtr_back>(?i:a\s+year\s+(?:ago|earlier)|last\s+year))\b)?)
        """,
    ),
    (
        "anaph",
        frozenset(_NUMBER_START | _UNIT_WORDS | {"the", "later", "earlier", "that"}),
        rf"""
        (?P<anaph>\b(?i:
            the\s+(?:next|following|previous|preceding|same)\s+(?:day|week|month|year|weekend|morning|night|evening)
            |the\s+day\s+(?:before|after)(?!\s+(?:yesterday|tomorrow))
            |(?:later|earlier)\s+that\s+(?:day|week|month|year|morning|night|evening)
            |that\s+(?:same\s+)?(?:day|week|month|year|morning|afternoon|night|evening)
            |(?:{_NUMBER}\s+)?{_UNIT}s?\s+(?:later|earlier)
            |the\s+(?:following|previous|preceding)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)
            )\b)
        """,
    ),
    (
        "ago",
        frozenset(_NUMBER_START | _UNIT_WORDS),
        rf"""
        (?P<ago>\b(?:(?P<ago_n>(?i:{_NUMBER}))\s+)?(?P<ago_u>(?i:{_UNIT}))s?(?:\s+(?i:or\s+so))?\s+(?i:ago)\b)
        """,
    ),
    (
        "dur",
        frozenset({"the"}),
        rf"""
        (?P<dur>\b(?i:the\s+)(?P<dur_dir>(?i:past|last|coming|next))\s+
            (?:(?P<dur_n>(?i:{_NUMBER}))\s+)?(?P<dur_u>(?i:{_UNIT}))(?P<dur_pl>s)?\b
            (?:\s+(?i:or\s+so))?)
        """,
    ),
    (
        "wyear",
        frozenset(_FULL_MONTHS | {"the", "nineteen"}),
        rf"""
        (?P<wyear>\b(?:(?P<wy_m>{_MONTH})\s+|(?i:the\s+year)\s+)?(?P<wy_hi>(?i:nineteen))[\s-]+(?P<wy_lo>(?i:{_TENS}(?:[\s-]+{_ONES})?))\b
            |\b(?i:the\s+year\s+two\s+thousand)\b)
        """,
    ),
    (
        "theyr",
        frozenset({"the"}),
        r"""
        (?P<theyr>\b(?i:the)\s+(?P<ty_adj>(?i:full|fiscal|current|current\s+fiscal|latest|latest\s+fiscal
                |same|entire|whole)\s+)?(?P<ty_u>(?i:year|week))(?![\w-]))
        """,
    ),
    (
        "len",
        frozenset(_NUMBER_START | {"the"}),
        rf"""
        (?P<len>(?P<len_the>(?i:the)\s+(?:(?P<len_ord>(?i:first|last|past|next|previous|following
                |coming|final|remaining|latest|ensuing|preceding|initial|same))\s+)?)?
            (?P<len_n>(?i:\d+(?:\.\d+)?|{_NUMBER})(?:\s+(?i:to|or)\s+(?i:\d+|{_NUMBER}))?)
            (?P<len_half>\s+(?:1/2|and\s+a\s+half))?
            (?:\s+(?i:more|additional|straight|consecutive|full))?[\s-]+
            (?:(?i:trading|business|working|calendar)\s+)?
            (?P<len_u>{_ANY_UNIT}|(?i:{_ANY_UNIT}))(?P<len_pl>s)?(?![\w-])
            (?:\s+(?i:or\s+so)|(?P<len_time>\s*['’]\s*s?\s+time\b))?(?!\s+(?i:ago|later|earlier)\b))
        """,
    ),
    (
        "lenx",
        frozenset({"years", "months", "weeks", "days", "hours", "decades", "centuries"}),
        r"""
        (?P<lenx>(?P<lenx_u>(?i:years|months|weeks|days|hours|decades|centuries))
            (?:\s+(?i:or|and)\s+(?i:years|months|weeks|days))?(?![\w-]))
        """,
    ),
    (
        "vague",
        frozenset({"recent", "coming", "future", "past", "upcoming"}),
        r"""
        (?P<vague>\b(?P<vague_w>(?i:recent|coming|future|past|upcoming))\s+
            (?P<vague_u>(?i:years|months|weeks|days|quarters|decades))(?![\w-]))
        """,
    ),
    (
        "set",
        frozenset(
            _FULL_WEEKDAYS
            | {f"{name}s" for name in _FULL_WEEKDAYS}
            | _DIGITS_START
            | set(_SET_ADVERBS)
            | _SET_WORDS
        ),
        rf"""
        (?P<set>(?:(?P<set_each>(?i:every|each))\s+(?:(?P<set_other>(?i:other))\s+)?
                (?:(?P<set_n>\d+|(?i:{_NUMBER}))\s+)?
                (?P<set_u>(?i:{_ANY_UNIT}s?|{_SEASON}|weekend|morning|afternoon|evening|night)
                    |{_WEEKDAY}|{_MONTH})
              |(?P<set_times>(?i:once|twice|\d+\s+times|(?:three|four|five|six|several|many)\s+times))
                \s+(?i:a|an|per|each|every)\s+(?P<set_tu>(?i:{_ANY_UNIT}))
              |(?P<set_adv>(?i:daily|weekly|monthly|yearly|nightly|hourly|biweekly))
              |(?P<set_wd>{_WEEKDAY})s(?P<set_part>\s+(?i:mornings|afternoons|evenings|nights))?
              |(?P<set_wdp>{_WEEKDAY})\s+(?P<set_wdpart>(?i:mornings|afternoons|evenings|nights)))(?![\w-]))
        """,
    ),
    (
        "pref",
        frozenset(
            {"right", "just", "now", "currently", "nowadays", "these", "recently", "the", "current"}
        ),
        r"""
        (?P<pref>\b(?P<pref_w>(?i:right\s+now|just\s+now|now|currently|nowadays|these\s+days|recently
            |the\s+past|the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future
            |the\s+(?:near|short|long)\s+term|current))(?![\w-]))
        """,
    ),
    (
        "night",
        frozenset({"early", "earlier", "late", "later", "last", "this"}),
        r"""
        (?P<night>\b(?P<night_lead>(?i:early|earlier|late|later)\s+)?(?P<night_dir>(?i:last|this))\s+
            (?P<night_part>(?i:night|morning|afternoon|evening))\b)
        """,
    ),
    (
        "pod",
        frozenset({"early", "late", "mid", "morning", "afternoon", "evening"}),
        rf"""
        (?P<pod>\b(?P<pod_mod>(?i:early|late|mid)[\s-]?)?(?P<pod_part>(?i:morning|afternoon|evening))
            \s+(?P<pod_day>(?i:yesterday|today|tomorrow)|{_WEEKDAY})\b)
        """,
    ),
    (
        "midpod",
        frozenset({"mid"}),
        r"""
        (?P<midpod>\b(?i:mid)[\s-]?(?P<midpod_part>(?i:morning|afternoon|evening))\b)
        """,
    ),
    (
        "weekend",
        frozenset({"this", "the", "last", "next", "past", "coming"}),
        r"""
        (?P<weekend>\b(?P<weekend_dir>(?i:this\s+past|this\s+coming|the|this|last|next|past|coming))\s+(?i:weekend)\b)
        """,
    ),
    (
        "rel",
        frozenset(
            {"earlier", "later", "early", "late", "the", "this", "last", "next", "coming", "past"}
        ),
        rf"""
        (?P<rel>\b(?P<rel_mod>(?i:earlier|later|early|late|the\s+(?:end|beginning|start|middle)\s+of)
            \s+)?(?P<rel_dir>(?i:this\s+past|this\s+coming|last|this|next|coming|past
            |(?(rel_mod)the|(?!))))\s+
            (?P<rel_u>(?i:week|month|year|decade)|{_SEASON}|{_WEEKDAY}|{_MONTH})\b(?P<rel_part>{_PART})?)
        """,
    ),
    (
        "day",
        frozenset(
            {
                "early",
                "earlier",
                "late",
                "later",
                "the",
                "yesterday",
                "today",
                "tonight",
                "tomorrow",
            }
        ),
        rf"""
        (?P<day>\b(?P<day_lead>(?i:early|earlier|late|later)\s+)?(?P<day_w>(?i:the\s+day\s+before\s+yesterday
            |the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow))\b(?P<day_part>{_PART})?)
        """,
    ),
    (
        "decade",
        frozenset(_DIGITS_START | _QUOTES | set(_DECADE_WORDS) | {"the", "early", "mid", "late"}),
        r"""
        (?P<decade>(?:(?P<dec_the>(?i:the))\s+)?(?:\b(?P<dec_mod>(?i:early|mid|late)[\s-]+))?
            (?:\b(?P<dec_full>1\d{2}0|20\d0)s|(?<!\w)['’‘](?P<dec_short>\d0)s|(?P<dec_word>
                \b(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))\b)
        """,
    ),
    (
        "century",
        frozenset(_DIGITS_START | _ORDINAL_START | {"the", "early", "mid", "late"}),
        rf"""
        (?P<century>(?:(?P<cent_the>(?i:the))\s+)?\b(?P<cent_mod>(?i:early|mid|late)[\s-]+)?
            (?:(?P<cent_n>\d{{1,2}})(?:st|nd|rd|th)|(?P<cent_w>(?i:{_ORDINAL})))[\s-]+(?i:century)\b)
        """,
    ),
    (
        "season",
        frozenset(set(_SEASON_MONTHS)),
        rf"""
        (?P<season>\b(?P<season_name>{_SEASON})(?:\s+(?:of\s+)?(?P<season_y>{_YEAR}))?\b)
        """,
    ),
    (
        "holiday",
        frozenset(_HOLIDAY_WORDS | {"last", "this", "next"}),
        rf"""
        (?P<holiday>\b(?:(?P<hol_dir>(?i:last|this|next))\s+)?(?P<holiday_name>Christmas(?:\s+(?:Day|Eve))?
            |New\s+Year\s*['’]\s*s(?:\s+(?:Day|Eve))?|New\s+Year\b(?!\s+[A-Z])
            |Valentine\s*['’]\s*s\s+Day|Halloween|Boxing\s+Day|Bastille\s+Day|Independence\s+Day
            |Thanksgiving(?:\s+Day)?|Memorial\s+Day|Labou?r\s+Day|Martin\s+Luther\s+King\s+Day
            |Mother\s*['’]\s*s\s+Day|Father\s*['’]\s*s\s+Day|Election\s+Day
            |Easter(?:\s+(?:Sunday|Monday))?)\b(?:{_COMMA}(?:of\s+)?(?P<hol_y>{_YEAR})\b)?)
        """,
    ),
    (
        "wd",
        frozenset(_FULL_WEEKDAYS | {"early", "late", "earlier", "later"}),
        rf"""
        (?P<wd>\b(?P<wd_mod>(?i:early|late|earlier|later)\s+)?(?P<wd_name>{_WEEKDAY})\b(?P<wd_part>{_PART})?)
        """,
    ),
    (
        "month",
        frozenset(_MOD_WORDS | _FULL_MONTHS),
        rf"""
        (?P<month>\b(?P<month_mod>{_MOD})?(?P<month_name>{_MONTH})\b)
        """,
    ),
    (
        "year",
        frozenset(_DIGITS_START | _MOD_WORDS | {"fiscal"}),
        rf"""
        (?P<year>\b(?P<year_fiscal>(?i:fiscal)[\s-]+)?(?P<year_mod>{_MOD})?(?P<year_v>{_YEAR})\b)
        """,
    ),
)
_HEAD = r"(?<!\w)(?=[\w'’‘])"  # every expression starts a word


def _compile(rules: tuple[tuple[str, frozenset[str], str], ...]) -> re.Pattern[str]:
    return re.compile(_HEAD + "(?:" + "|".join(rule for _, _, rule in rules) + ")", re.VERBOSE)


_PATTERN = _compile(_RULES)


def _patterns_by_first_word() -> dict[str, re.Pattern[str]]:
    """For every word a rule can start with, the pattern of those rules only (in order)."""
    chosen: dict[str, tuple[int, ...]] = {}
    for word in frozenset().union(*(starts for _, starts, _ in _RULES)):
        chosen[word] = tuple(i for i, (_, starts, _) in enumerate(_RULES) if word in starts)
    compiled = {
        indices: _compile(tuple(_RULES[i] for i in indices)) for indices in set(chosen.values())
    }
    return {word: compiled[indices] for word, indices in chosen.items()}


_BY_FIRST_WORD = _patterns_by_first_word()

_ANCHOR_WORDS = (
    "day", "week", "month", "year", "decade", "centur", "night", "morning", "afternoon",
    "evening", "tomorrow", "spring", "summer", "autumn", "fall", "winter", "christmas",
    "halloween", "now", "current", "recent", "past", "future", "term", "quarter", "half",
    "hour", "minute", "second", "noon", "midday", "daily", "annual", "ties", "nineteen",
    "thousand", "period", "thanksgiving", "easter",
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
    """What one match means: its form, calendar reading, note and TimeML type and value.

    ``start``/``end`` narrow the match to the TimeML extent when it holds a word that
    only served to find it ("for" in "for years").
    """

    kind: str
    ref: TimeRef | None
    note: str
    value: str = ""
    timex_type: TimexType = "DATE"
    start: int | None = None
    end: int | None = None
    anchors: bool = True  # False for comparisons ("a year earlier"): not a reference time


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


def _is_deadline(text: str, start: int) -> bool:
    """True when the expression is governed by a deadline word ("until Nov. 20",
    "effective Feb. 1", "extended to Nov. 16"), which names a date still ahead."""
    before = _words_before(text, start, 2)
    if not before:
        return False
    if before[-1] in _DEADLINE_WORDS:
        return True
    return len(before) == 2 and before[-1] == "to" and before[0] in _MOVED_TO


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
    """A written amount: "3", "three", "twenty-four", "a couple of"; None when vague."""
    words = " ".join(raw.lower().replace(",", "").split())
    if words.isdigit():
        return int(words)
    if words in _VAGUE_NUMBERS:
        return None
    if words in _NUMBER_WORDS:
        return _NUMBER_WORDS[words]
    tens, _, ones = words.replace("-", " ").partition(" ")
    if tens in _NUMBER_WORDS and ones in _NUMBER_WORDS and _NUMBER_WORDS[ones] < 10:
        return _NUMBER_WORDS[tens] + _NUMBER_WORDS[ones]
    return None


def _number_or_decimal(raw: str) -> float | None:
    if re.fullmatch(r"\d+\.\d+", raw):
        return float(raw)
    return _number(raw)


def _season_value(name: str, ref: TimeRef | None) -> str:
    code = _SEASON_CODES[name.lower()]
    return f"XXXX-{code}" if ref is None else f"{ref.start.year:04d}-{code}"


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
    if weekday is not None:  # the written weekday picks the year, even against the tense
        others = [c for c in candidates if c is not None and c not in order]
        for candidate in order + others:
            if candidate.weekday() == weekday:
                return candidate
    return order[0]


def _holiday_date(key: str, year: int) -> dt.date | None:
    """The date of a named holiday in ``year`` (fixed, n-th weekday, or from Easter)."""
    if not dt.MINYEAR < year < dt.MAXYEAR:
        return None
    fixed = _HOLIDAYS.get(key)
    if fixed is not None:
        return dt.date(year, *fixed)
    month, weekday, nth, days = _MOVING_HOLIDAYS[key]
    if month == 0:
        return _shift_days(_easter(year), days)
    if nth > 0:
        first = dt.date(year, month, 1)
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        day = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    return _shift_days(day, days)


def _easter(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm; Meeus 1991, ch. 8)."""
    golden = year % 19
    century, rest = divmod(year, 100)
    leap_c, leap_r = divmod(century, 4)
    moon_fix = (century + 8) // 25
    moon_g = (century - moon_fix + 1) // 3
    epact = (19 * golden + century - leap_c - moon_g + 15) % 30
    year_q, year_r = divmod(rest, 4)
    weekday = (32 + 2 * leap_r + 2 * year_q - epact - year_r) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return dt.date(year, month, day + 1)


def _pick_occurrence(days: list[dt.date], published: dt.date, lean: Lean | None) -> dt.date | None:
    """Of a yearly date's occurrences, the one the tense points at (see _past_unless_far)."""
    before = [d for d in days if d <= published]
    after = [d for d in days if d >= published]
    if lean is None:
        lean = _past_unless_far(
            (published - before[-1]).days if before else None,
            (after[0] - published).days if after else None,
        )
    if lean == "past":
        return before[-1] if before else (after[0] if after else None)
    return after[0] if after else (before[-1] if before else None)


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
_DEADLINE_WORDS = frozenset({
    "until", "till", "through", "by", "effective", "payable", "expire", "expires", "expiring",
    "deadline", "before",
})  # fmt: skip
_MOVED_TO = frozenset({
    "extended", "postponed", "delayed", "adjourned", "moved", "pushed", "deferred", "set",
})  # fmt: skip
_DEADLINE_REACH = 183  # days: a deadline word points at the next occurrence within half a year
_UNRESOLVED_NO_DATE = "relative expression and no publication date"
_DAY_OFFSETS = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
    "the day before yesterday": -2, "the day after tomorrow": 2,
}  # fmt: skip
_QUARTER_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "last": 4,
}  # fmt: skip
# "a week" counts as a length only after these words ("within a week", "for a month");
# elsewhere "a year" is mostly a rate ("$2 million a year"), which annotators rarely tag.
_A_UNIT_GOVERNORS = frozenset({
    "for", "within", "over", "than", "of", "about", "nearly", "almost", "last", "lasted",
    "lasts", "take", "takes", "took", "taking", "spent", "spend", "spending", "him", "her",
    "them", "us", "me", "you", "as", "just", "only", "least", "another", "after", "once",
})  # fmt: skip
# Nouns that make "current" a plain adjective rather than "now".
_NOT_CURRENT = frozenset({
    "account", "accounts", "affairs", "events", "flow", "flows", "liabilities", "assets",
    "dollar", "dollars", "prices", "yield", "yields", "coupon", "rate", "rates", "issue",
    "issues", "members", "member", "employees", "owners", "shareholders", "holders", "law",
    "laws", "system", "policy", "practice", "form", "version", "model", "crisis",
    "situation",
})  # fmt: skip


# --------------------------------------------------------------------------- TimeML values


def _day_value(day: dt.date | None) -> str:
    return "XXXX-XX-XX" if day is None else day.isoformat()


def _week_value(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _ref_value(ref: TimeRef | None, unresolved: str = "") -> str:
    """The TIMEX3 value of a calendar reading: a day, an ISO week, a month or a year."""
    if ref is None:
        return unresolved
    if ref.granularity == "day":
        return ref.start.isoformat()
    if ref.granularity == "week":
        return _week_value(ref.start)
    if ref.granularity == "month":
        return f"{ref.start:%Y-%m}"
    return f"{ref.start.year:04d}"


def _quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _shift_quarter(year: int, quarter: int, delta: int) -> tuple[int, int]:
    index = year * 4 + quarter - 1 + delta
    return index // 4, index % 4 + 1


def _part_ref(value: str) -> TimeRef | None:
    """The months of a "YYYY-Qn" or "YYYY-Hn" value, as a month-granularity span."""
    match = re.fullmatch(r"(\d{4})-([QH])([1-4])", value)
    if match is None:
        return None
    size = 3 if match.group(2) == "Q" else 6
    return _month_span(int(match.group(1)), (int(match.group(3)) - 1) * size + 1, size)


def _duration_value(amount: float | None, unit: str) -> str:
    """``P3W``, ``PT2H``, ``P20Y`` (decades and centuries in years), ``PXM`` when vague."""
    time_mark, letter, scale = _UNIT_CODES[unit]
    if amount is None:
        return f"P{time_mark}X{letter}"
    total = amount * scale
    if float(total).is_integer():
        return f"P{time_mark}{int(total)}{letter}"
    smaller = _SMALLER_UNITS.get(unit)
    if smaller is None:
        return f"P{time_mark}{total:g}{letter}"
    whole, rest = int(total), total - int(total)
    small_mark, small_letter, factor = smaller
    joint = "T" if small_mark and not time_mark else ""
    return f"P{time_mark}{whole}{letter}{joint}{round(rest * factor)}{small_letter}"


def _year_earlier(value: str) -> str:
    """The same part of the year before: "1989-Q3" -> "1988-Q3", "1989" -> "1988"."""
    if not value[:4].isdigit():
        return value
    return f"{int(value[:4]) - 1:04d}{value[4:]}"


def _unit_key(raw: str) -> str:
    """The singular lower-case unit of a unit word ("Centuries" -> "century")."""
    word = raw.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") else word


# Modifiers of "quarter": "fiscal-first" is two, "year-earlier" one.
_QUARTER_MOD_SPLIT = re.compile(r"\s+|-(?!(?:earlier|ago|ended)\b)")
_RANGE = re.compile(r"\s(?:to|or)\s", re.IGNORECASE)
_RATE = re.compile(rf"\s+(?:a|an|per|each|every)\s+(?i:{_ANY_UNIT})\b", re.IGNORECASE)
# Words before an amount or a clock time that TimeML keeps in the expression (mod="APPROX",
# "LESS_THAN" ...): found after the match, which starts at the number, to keep the scan fast.
_APPROX_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:nearly|almost|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than"
    r"|at\s+least|at\s+most|up\s+to|roughly|approximately|around|some|over|just\s+over"
    r"|just\s+under|well\s+over)\s+\Z"
)
_AGO_APPROX_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:nearly|almost|about|more\s+than|less\s+than|at\s+least|roughly"
    r"|approximately|some)\s+\Z"
)
_CLOCK_APPROX_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:around|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))"
    r"\s+\Z"
)
# "of" after "the first half": a part of something other than a year.
_PART_OF_SOMETHING = re.compile(
    r"\s+of\s+(?!(?:the|this|next|last)\s+(?:fiscal\s+)?year\b|fiscal\b)", re.IGNORECASE
)
_DAY_VALUE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR_VALUE = re.compile(r"(\d{4})(?![\d])")
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])$")
_MONTH_VALUE = re.compile(r"(\d{4})-(\d{2})(?:$|-)")
_WEEK_VALUE = re.compile(r"(\d{4})-W(\d{2})")


class _Mentions:
    """The dates a document has mentioned so far, in order: the anchor of anaphoric
    expressions ("the next day", "that quarter", "a year earlier"), as HeidelTime's
    news setting resolves them (Strötgen & Gertz 2013, "reference time")."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: list[str] = []

    def add(self, value: str) -> None:
        if value[:1].isdigit():
            self._values.append(value)

    def last(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        for value in reversed(self._values):
            match = pattern.match(value)
            if match is not None:
                return match
        return None

    def last_day(self) -> dt.date | None:
        match = self.last(_DAY_VALUE)
        if match is None:
            return None
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))

    def last_value_with_year(self) -> str | None:
        match = self.last(_YEAR_VALUE)
        return None if match is None else match.string

    def last_month(self) -> tuple[int, int] | None:
        match = self.last(_MONTH_VALUE)
        return None if match is None else (int(match.group(1)), int(match.group(2)))

    def last_quarter(self) -> tuple[int, int] | None:
        match = self.last(_QUARTER_VALUE)
        return None if match is None else (int(match.group(1)), int(match.group(2)))


class _Resolver:
    """Turns one regex match into a resolution; one method per alternative."""

    __slots__ = ("_match", "_mentions", "_published", "_text")

    def __init__(
        self, text: str, match: re.Match[str], published: dt.date | None, mentions: _Mentions
    ) -> None:
        self._text = text
        self._match = match
        self._published = published
        self._mentions = mentions

    def resolve(self) -> _Resolution | None:
        group = self._match.lastgroup
        method = None if group is None else _DISPATCH.get(group)
        return None if method is None else method(self)

    def _g(self, name: str) -> str:
        value = self._match.group(name)
        return "" if value is None else value

    def _lean(self) -> tuple[Lean | None, str]:
        return _lean(self._text, self._match.start(), self._match.end())

    def _reference_day(self) -> dt.date | None:
        """The day an unanchored clock time or anaphor hangs on: the last day mentioned,
        else the publication date."""
        return self._mentions.last_day() or self._published

    # ----------------------------------------------------------------- dates

    def _iso(self) -> _Resolution | None:
        day = _safe_date(int(self._g("iso_y")), int(self._g("iso_m")), int(self._g("iso_d")))
        if day is None:
            return None
        return _Resolution("date", _day_ref(day), "explicit date", day.isoformat())

    def _calendar_date(self, prefix: str) -> _Resolution | None:
        month = _MONTH_NUMBERS[self._g(f"{prefix}_m").rstrip(".").lower()]
        day = int(re.sub(r"\D", "", self._g(f"{prefix}_d")))
        weekday_raw = self._g(f"{prefix}_wd").rstrip(".").lower()
        weekday = _WEEKDAY_NUMBERS.get(weekday_raw) if weekday_raw else None
        resolved, note = self._month_day(month, day, self._g(f"{prefix}_y"), weekday)
        if resolved is None and not note:
            return None
        if resolved is None:
            return _Resolution("date", None, note, f"XXXX-{month:02d}-{day:02d}")
        return _Resolution("date", _day_ref(resolved), note, resolved.isoformat())

    def _month_day(
        self, month: int, day: int, year_raw: str, weekday: int | None
    ) -> tuple[dt.date | None, str]:
        """The date of a month and day, with its year written or chosen; ``(None, "")``
        when it is no date at all, ``(None, why)`` when it cannot be placed."""
        if year_raw:
            resolved = _safe_date(int(year_raw), month, day)
            if resolved is None:
                return None, ""
            note = "explicit date"
            if weekday is not None and resolved.weekday() != weekday:
                note = "explicit date; the weekday written does not match it"
            return resolved, note
        if _safe_date(2000, month, day) is None:
            return None, ""
        if self._published is None:
            return None, "date without a year and no publication date"
        if _is_deadline(self._text, self._match.start()):
            upcoming = _resolve_month_day(month, day, self._published, "future", weekday)
            if upcoming is not None and (upcoming - self._published).days <= _DEADLINE_REACH:
                return upcoming, "year from publication date; a deadline: the next one"
        lean, why = self._lean()
        resolved = _resolve_month_day(month, day, self._published, lean, weekday)
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
        month = _MONTH_NUMBERS[self._g("my_m").rstrip(".").lower()]
        mod = self._g("my_mod").strip()
        year = int(self._g("my_y"))
        ref = _month_span(year, month)
        note = f"explicit month{'; mod=' + mod if mod else ''}"
        return _Resolution("month", ref, note, f"{year:04d}-{month:02d}")

    def _mrel(self) -> _Resolution | None:
        month = _MONTH_NUMBERS[self._g("mrel_m").lower()]
        if self._published is None:
            return _Resolution("month", None, _UNRESOLVED_NO_DATE, f"XXXX-{month:02d}")
        offset = {"last": -1, "this": 0, "next": 1}[self._g("mrel_dir").lower()]
        year = self._published.year + offset
        ref = _month_span(year, month)
        return _Resolution("month", ref, "month of the year named", f"{year:04d}-{month:02d}")

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
            anchors=not words.startswith(("a year", "one year")),
        )

    def _anaphor_value(self, words: str) -> tuple[str, TimexType]:
        """The value of an anaphor, counted from the last date the text mentioned."""
        unit_match = re.search(
            r"(day|week|month|year|weekend|morning|afternoon|night|evening)", words
        )
        weekday_match = re.search(
            r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$", words
        )
        anchor = self._reference_day()
        if weekday_match is not None:
            if anchor is None:
                return "XXXX-XX-XX", "DATE"
            weekday = _WEEKDAY_NUMBERS[weekday_match.group(1)]
            if words.startswith("the following"):
                day = _weekday_on_or_after(anchor, weekday, strict=True)
            else:
                day = _weekday_on_or_before(anchor, weekday, strict=True)
            return _day_value(day), "DATE"
        unit = unit_match.group(1) if unit_match else "day"
        if re.search(r"\b(?:next|following|after|later)\b", words):
            sign = 1
        elif re.search(r"\b(?:previous|preceding|before|earlier)\b", words):
            sign = -1
        else:
            sign = 0
        counted = re.match(rf"({_NUMBER})\s+(?:day|week|month|year|decade)", words)
        if counted is not None or re.match(r"(?:day|week|month|year|decade)s\s", words):
            amount = _number(counted.group(1)) if counted is not None else None
            if amount is None:  # "days later", "a few weeks earlier"
                return ("FUTURE_REF" if sign > 0 else "PAST_REF"), "DATE"
            if words.startswith(("a year", "one year")):
                return self._year_shifted(sign), "DATE"
        elif words.startswith(("later that", "earlier that", "that")) or "same" in words:
            amount, sign = 0, 0
        else:
            amount = 1
        if unit in _PART_CODES and anchor is not None:
            day = _shift_days(anchor, sign)
            return _day_value(day), "DATE"
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
            year, month = _shift_month(known[0], known[1], delta)
            return f"{year:04d}-{month:02d}"
        if anchor is None:
            return "XXXX-WXX" if unit in {"week", "weekend"} else "XXXX-XX-XX"
        if unit in {"week", "weekend"}:
            day = _shift_days(anchor, 7 * delta)
            if day is None:
                return "XXXX-WXX"
            return _week_value(day) + ("-WE" if unit == "weekend" else "")
        return _day_value(_shift_days(anchor, delta))

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
                and _safe_date(2001, *map(int, rest[1:].split("-"))) is None
            ):
                rest = rest[:3]  # February 29 a year away: keep the month
            return f"{shifted:04d}{rest}"
        if base_year is None:
            return "XXXX"
        return f"{base_year + sign:04d}"

    # ----------------------------------------------------------------- relative to publication

    def _counted(self, raw_number: str, unit: str, sign: int, kind: str) -> _Resolution:
        amount = _number(raw_number)
        key = unit.lower()
        if amount is None:
            return _Resolution(kind, None, "vague amount", "PAST_REF" if sign < 0 else "FUTURE_REF")
        if self._published is None:
            return _Resolution(kind, None, _UNRESOLVED_NO_DATE, _ref_value(None, "XXXX"))
        ref = _shift_unit(self._published, key, sign * amount)
        value = _ref_value(ref, "XXXX")
        if key == "decade" and ref is not None:
            value = f"{ref.start.year // 10:03d}"
        elif key == "year" and amount == 1:
            value = self._year_shifted(sign)
        note = f"{sign * amount:+d} {key}(s) from publication"
        return _Resolution(kind, ref, note, value, anchors=not (key == "year" and amount == 1))

    def _ago(self) -> _Resolution:
        resolution = self._counted(self._g("ago_n"), self._g("ago_u"), -1, "relative")
        return replace(resolution, start=self._extended_start(_AGO_APPROX_BEFORE))

    def _extended_start(self, before: re.Pattern[str]) -> int | None:
        """The start moved left over a modifier TimeML keeps ("nearly two years"), if any."""
        start = self._match.start()
        found = before.search(self._text, max(0, start - 24), start)
        return None if found is None else found.start()

    def _in_future(self) -> _Resolution | None:
        """ "in two weeks" under a future clause: the week two weeks after publication."""
        if self._g("len_the") or self._g("len_half") or _RANGE.search(self._g("len_n")):
            return None
        unit = _unit_key(self._g("len_u"))
        if unit not in {"day", "week", "month", "year", "decade"} or self._g("len_u")[:1].isupper():
            return None
        before = _WORD.findall(self._text, max(0, self._match.start() - 12), self._match.start())
        if not before or before[-1].lower() != "in":
            return None
        lead = self._text.rindex(before[-1], 0, self._match.start())
        if _clause_tense(self._text, lead, self._match.end()) != "future":
            return None
        return self._counted(self._g("len_n"), unit, 1, "relative")

    def _dur(self) -> _Resolution | None:
        raw_number = self._g("dur_n")
        unit = self._g("dur_u").lower()
        backwards = self._g("dur_dir").lower() in {"past", "last"}
        if not raw_number:
            amount: int | None = None if self._g("dur_pl") else 1
        else:
            amount = _number(raw_number)
        timex_type: TimexType = "DATE"
        if raw_number or self._g("dur_pl"):
            value, timex_type = _duration_value(amount, unit), "DURATION"
        elif self._published is not None:  # "the past week": the calendar unit before or after
            ref = _resolve_relative_unit(unit, self._published, "last" if backwards else "next")
            value = _ref_value(ref, "XXXX")
            if unit == "decade" and ref is not None:  # "the past decade": the decade before
                value = f"{ref.start.year // 10:03d}"
        else:
            value = "XXXX"
        if amount is None:
            return _Resolution("duration", None, "vague amount", value, timex_type)
        if self._published is None:
            return _Resolution("duration", None, _UNRESOLVED_NO_DATE, value, timex_type)
        days = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3652}[unit] * amount
        other_end = _shift_days(self._published, -days if backwards else days)
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
                "relative", None, _UNRESOLVED_NO_DATE, f"XXXX-XX-XXT{_PART_CODES[part]}", "TIME"
            )
        if self._g("night_dir").lower() == "last":
            day = _shift_days(self._published, -1)
            return _Resolution(
                "relative",
                None if day is None else _day_ref(day),
                "the night before publication",
                f"{_day_value(day)}T{_PART_CODES[part]}",
                "TIME",
            )
        return _Resolution(
            "relative",
            _day_ref(self._published),
            "publication day",
            f"{self._published.isoformat()}T{_PART_CODES[part]}",
            "TIME",
        )

    def _weekend(self) -> _Resolution:
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE, "XXXX-WXX-WE")
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
        value = "XXXX-WXX-WE" if ref is None else _week_value(ref.start) + "-WE"
        return _Resolution("relative", ref, f"weekend ({direction})", value)

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
            return _Resolution(kind, None, _UNRESOLVED_NO_DATE, "XXXX")
        published = self._published
        if kind == "weekday":
            weekday = _WEEKDAY_NUMBERS[key]
            if direction in {"last", "past"}:
                day = _weekday_on_or_before(published, weekday, strict=True)
            elif direction in {"next", "coming"}:
                day = _weekday_on_or_after(published, weekday, strict=True)
            else:
                day = _shift_days(published, weekday - published.weekday())
            part = self._g("rel_part").strip().lower()
            if part:
                value = f"{_day_value(day)}T{_PART_CODES[part]}"
                return _Resolution(
                    kind, None if day is None else _day_ref(day), note, value, "TIME"
                )
            return _Resolution(kind, None if day is None else _day_ref(day), note, _day_value(day))
        if kind == "month":
            month_direction = {"past": "last", "coming": "next"}.get(direction, direction)
            ref = _resolve_month(_MONTH_NUMBERS[key], published, month_direction)
            return _Resolution(kind, ref, note, _ref_value(ref, "XXXX-XX"))
        if kind == "season":
            ref = _resolve_season(key, published, direction)
            return _Resolution(kind, ref, note, _season_value(key, ref))
        ref = _resolve_relative_unit(key, published, direction)
        value = _ref_value(ref, "XXXX")
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
            and not _at_sentence_start(self._text, self._match.start("day_w"))
        ):
            return None  # "Russia Today", "USA Today", "The Tonight Show"
        day = self._day_word(word)
        part = self._g("day_part").strip().lower()
        suffix = f"T{_PART_CODES[part]}" if part else ""
        value = f"{_day_value(day)}{suffix}"
        timex_type: TimexType = "TIME" if part else "DATE"
        if self._published is None:
            return _Resolution("relative", None, _UNRESOLVED_NO_DATE, value, timex_type)
        offset = _DAY_OFFSETS[word]
        return _Resolution(
            "relative",
            None if day is None else _day_ref(day),
            f"{offset:+d} day(s)",
            value,
            timex_type,
        )

    def _day_word(self, word: str) -> dt.date | None:
        """The date of "today", "yesterday", "tomorrow" ... against publication."""
        if self._published is None:
            return None
        return _shift_days(self._published, _DAY_OFFSETS[" ".join(word.lower().split())])

    def _weekday_date(self, name: str) -> tuple[dt.date | None, str]:
        """A bare weekday: the most recent one, or the next one under a future cue."""
        if self._published is None:
            return None, _UNRESOLVED_NO_DATE
        weekday = _WEEKDAY_NUMBERS[name.lower()]
        lean, why = self._lean()
        if lean == "future":
            return _weekday_on_or_after(self._published, weekday, strict=False), why
        day = _weekday_on_or_before(self._published, weekday, strict=False)
        return day, (why if lean is not None else "no tense cue: most recent (news default)")

    # ----------------------------------------------------------------- clock times and parts of day

    def _clock(self) -> _Resolution | None:
        hour, minute = self._clock_time()
        if hour is None:
            return None
        word = self._g("clk_word")
        if word and (
            (word[0].isupper() and not _at_sentence_start(self._text, self._match.start()))
            or _words_before(self._text, self._match.start(), 1) == ["high"]
        ):
            return None  # "High Noon", "high noon comes today": not a clock time
        day_word = self._g("clk_day")
        day: dt.date | None
        ref: TimeRef | None = None
        if self._g("clk_dm"):
            month = _MONTH_NUMBERS[self._g("clk_dm").rstrip(".").lower()]
            date_day = int(re.sub(r"\D", "", self._g("clk_dd")))
            weekday = _WEEKDAY_NUMBERS[self._g("clk_wd").lower()] if self._g("clk_wd") else None
            day, note = self._month_day(month, date_day, self._g("clk_dy"), weekday)
        elif day_word.lower() in _DAY_OFFSETS:
            day, note = self._day_word(day_word), "day word"
        elif day_word:
            day, note = self._weekday_date(day_word)
        else:
            day, note = self._reference_day(), "the day last mentioned, else publication"
        if day_word and day is not None:
            ref = _day_ref(day)
        value = f"{_day_value(day)}T{hour:02d}:{minute:02d}"
        end = self._match.end()
        if (
            not day_word
            and not self._g("clk_tz")
            and self._text[end - 1 : end] == "."
            and re.match(r"\s*(?:$|\n|[A-Z\"“'])", self._text[end:])
        ):
            end -= 1  # "at 10 p.m." ending the sentence: the period is the sentence's
        start = self._extended_start(_CLOCK_APPROX_BEFORE)
        return _Resolution("time", ref, note, value, "TIME", start, end)

    def _clock_time(self) -> tuple[int | None, int]:
        word = self._g("clk_word").lower()
        if word:
            return (24 if word == "midnight" else 12), 0
        if self._g("clk_hm"):
            digits = re.sub(r"\D", "", self._g("clk_hm"))
            return int(digits[:2]), int(digits[2:])
        hour, minute = int(self._g("clk_h")), int(self._g("clk_m") or 0)
        if hour > 12 or hour == 0:
            return None, 0  # "13 p.m." is no time
        afternoon = self._g("clk_ap").lower().startswith("p")
        if afternoon and hour != 12:
            hour += 12
        elif not afternoon and hour == 12:
            hour = 0
        return hour, minute

    def _pod(self) -> _Resolution | None:
        part = _PART_CODES[self._g("pod_part").lower()]
        day_word = self._g("pod_day")
        if day_word.lower() in _DAY_OFFSETS:
            day = self._day_word(day_word)
        else:
            day, _ = self._weekday_date(day_word)
        ref = None if day is None else _day_ref(day)
        return _Resolution("time", ref, "part of a day", f"{_day_value(day)}T{part}", "TIME")

    def _midpod(self) -> _Resolution:
        part = _PART_CODES[self._g("midpod_part").lower()]
        day = self._reference_day()
        return _Resolution(
            "time", None, "part of the day last mentioned", f"{_day_value(day)}T{part}", "TIME"
        )

    # ----------------------------------------------------------------- quarters, halves, periods

    def _qtr(self) -> _Resolution | None:
        mods = [m for m in _QUARTER_MOD_SPLIT.split(self._g("qtr_mods").lower()) if m]
        unit = self._g("qtr_u").lower()
        the = self._g("qtr_the").lower()
        year_raw = self._g("qtr_y") or self._g("qtr_y2")
        ordinal = next((_QUARTER_ORDINALS[m] for m in mods if m in _QUARTER_ORDINALS), None)
        after = self._text[self._match.end() : self._match.end() + 30]
        if not year_raw and _PART_OF_SOMETHING.match(after):
            return None  # "the second half of October", "the third quarter of the game"
        if unit == "half":
            if ordinal not in {1, 2, 4} and "latter" not in mods:
                return None  # "half of the votes"
            number = 1 if ordinal == 1 else 2
            year = int(year_raw) if year_raw else self._part_year(number, 2)
            half = f"{year:04d}-H{number}" if year is not None else f"XXXX-H{number}"
            return _Resolution("quarter", _part_ref(half), "half of a year", half)
        if unit == "period" and (ordinal is not None or not (set(mods) - {"fiscal"} or year_raw)):
            return None  # "the period", "the first period" of a match
        if not (mods or year_raw or the in {"the", "that", "this", "last", "next"}):
            return None  # "a quarter of the votes", "quarter-point"
        value = self._quarter_value(mods, ordinal, the, year_raw)
        if value is None:
            return None
        comparison = bool(self._g("qtr_back")) or bool({"year-earlier", "year-ago"} & set(mods))
        if self._g("qtr_back"):
            value = _year_earlier(value)
        start = None
        adjective = self._g("qtr_mods").endswith("-")  # "the third-quarter loss"
        if adjective and the in {"the", "that", "this"} and not self._g("qtr_y"):
            start = self._match.start("qtr_mods")
        return _Resolution(
            "quarter",
            _part_ref(value),
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
            previous = _shift_quarter(published.year, _quarter_of(published), -1)
        if {"current"} & set(mods) or the in {"this"}:
            if published is None:
                return "XXXX-QX"
            return f"{published.year:04d}-Q{_quarter_of(published)}"
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
        year, quarter = _shift_quarter(chosen[0], chosen[1], delta)
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
        after = _word_after(self._text, self._match.end()).lower()
        published = self._published
        if unit == "week":
            if adjective:
                return None
            value = "XXXX-WXX" if published is None else _week_value(published)
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
            "relative", _year_span(year, year), "the year of publication", f"{year:04d}"
        )

    # ----------------------------------------------------------------- lengths, sets, references

    def _len(self) -> _Resolution | None:
        unit = _unit_key(self._g("len_u"))
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
        if _RATE.match(self._text, self._match.end()):
            return None  # "24 hours a day": a rate
        if self._g("len_u")[:1].isupper() and not _at_sentence_start(
            self._text, self._match.start("len_u")
        ):
            return None  # "60 Minutes", "Two Weeks Notice": a title
        future = self._in_future()
        if future is not None:
            return future
        approx_start = None if self._g("len_the") else self._extended_start(_APPROX_BEFORE)
        if first in {"a", "an"} and approx_start is None and not self._g("len_the"):
            before = _words_before(self._text, self._match.start(), 1)
            if not before or before[0] not in _A_UNIT_GOVERNORS:
                return None  # "$2 million a year", "24 hours a day": a rate, seldom tagged
        amount = _number_or_decimal(first)
        if first not in _VAGUE_NUMBERS and amount is None:
            return None
        if amount is not None and self._g("len_half"):
            amount += 0.5
        value = _duration_value(amount, unit)
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
        if word in {"recent", "coming"}:  # "in recent months": an unstated length (PXM)
            value = _duration_value(None, _unit_key(self._g("vague_u")))
            return _Resolution("length", None, "some units up to or from now", value, "DURATION")
        value = "PAST_REF" if word == "past" else "FUTURE_REF"
        return _Resolution("reference", None, "some units before or after now", value)

    def _lenx(self) -> _Resolution | None:
        if _words_before(self._text, self._match.start(), 1) not in (["for"], ["within"], ["over"]):
            return None  # only "for years", "within weeks": elsewhere a bare plural is no length
        unit = _unit_key(self._g("lenx_u"))
        value = _duration_value(None, unit)
        return _Resolution("length", None, "an unstated number of units", value, "DURATION")

    def _set(self) -> _Resolution | None:
        value = self._set_value()
        if value is None:
            return None
        return _Resolution("set", None, "a recurrence", value, "SET")

    def _set_value(self) -> str | None:
        adverb = self._g("set_adv").lower()
        if adverb:
            return _SET_ADVERBS[adverb]
        weekday = self._g("set_wd") or self._g("set_wdp")
        if weekday:
            part = (self._g("set_part") or self._g("set_wdpart")).strip().lower().rstrip("s")
            suffix = f"T{_PART_CODES[part]}" if part else ""
            return f"XXXX-WXX-{_WEEKDAY_NUMBERS[weekday.lower()] + 1}{suffix}"
        if self._g("set_times"):
            return _duration_value(1, _unit_key(self._g("set_tu")))
        word = self._g("set_u")
        key = word.lower()
        if key in _WEEKDAY_NUMBERS:
            return f"XXXX-WXX-{_WEEKDAY_NUMBERS[key] + 1}"
        if key in _MONTH_NUMBERS:
            return f"XXXX-{_MONTH_NUMBERS[key]:02d}"
        if key in _SEASON_CODES:
            return f"XXXX-{_SEASON_CODES[key]}"
        if key == "weekend":
            return "XXXX-WXX-WE"
        if key in _PART_CODES:
            return f"XXXX-XX-XXT{_PART_CODES[key]}"
        amount = _number(self._g("set_n")) if self._g("set_n") else 1
        if amount is None:
            return None
        if self._g("set_other"):
            amount *= 2
        return _duration_value(amount, _unit_key(word))

    def _pref(self) -> _Resolution | None:
        words = " ".join(self._g("pref_w").lower().split())
        if (
            words == "current"
            and _word_after(self._text, self._match.end()).lower() in _NOT_CURRENT
        ):
            return None  # "current account", "current-dollar": not the present
        if words == "now" and _words_before(self._text, self._match.start(), 1) == ["from"]:
            return None  # "from now on" reads as FUTURE_REF, left alone
        value = _REF_WORDS.get(words)
        if value is None:
            value = "FUTURE_REF"  # the (near, distant ...) future, the near/short/long term
        return _Resolution("reference", None, "the present, past or future without a date", value)

    # ----------------------------------------------------------------- decades, centuries, seasons

    def _decade(self) -> _Resolution | None:
        mod = self._g("dec_mod").strip(" -")
        word = self._g("dec_word").lower()
        start = None if self._g("dec_the") or mod else self._match.start()
        if word:
            if not self._g("dec_the"):
                return None  # "in his sixties" is an age
            first = 1900 + 10 * _DECADE_WORDS[word]
        elif self._g("dec_full"):
            first = int(self._g("dec_full"))
            if first % 100 == 0 and first < 2000:
                ref = _year_span(first, first + 99)
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
        return _Resolution("decade", _year_span(first, first + 9), note, f"{first // 10:03d}")

    def _wyear(self) -> _Resolution | None:
        words = " ".join(self._match.group().lower().split())
        if words.endswith("two thousand"):
            year = 2000
        else:
            low = _number(re.sub(r"[\s-]+", " ", self._g("wy_lo").lower()))
            if low is None:
                return None
            year = 1900 + low
        if self._g("wy_m"):
            month = _MONTH_NUMBERS[self._g("wy_m").lower()]
            ref = _month_span(year, month)
            return _Resolution("month", ref, "month and year in words", f"{year:04d}-{month:02d}")
        return _Resolution("year", _year_span(year, year), "year in words", f"{year:04d}")

    def _century(self) -> _Resolution | None:
        raw = self._g("cent_n")
        number = int(raw) if raw else _ORDINAL_WORDS[" ".join(self._g("cent_w").lower().split())]
        if number < 1:
            return None
        first = (number - 1) * 100
        mod = self._g("cent_mod").strip(" -")
        ref = _year_span(max(first, 1), first + 99)
        return _Resolution(
            "century", ref, f"century{'; mod=' + mod if mod else ''}", f"{number - 1:02d}"
        )

    def _season(self) -> _Resolution | None:
        name = self._g("season_name")
        year_raw = self._g("season_y")
        if year_raw:
            ref = _season_ref(name, int(year_raw))
            return _Resolution(
                "season",
                ref,
                "explicit season",
                f"{int(year_raw):04d}-{_SEASON_CODES[name.lower()]}",
            )
        before = _words_before(self._text, self._match.start(), 2)
        if len(before) < 2 or before[1] != "the" or before[0] not in _MONTH_CONTEXT | {"over"}:
            return None
        if _word_after(self._text, self._match.end()).lower() in _SEASON_NOUNS:
            return None  # "in the fall of the empire", "for the summer holidays"
        if self._published is None:
            return _Resolution(
                "season", None, _UNRESOLVED_NO_DATE, f"XXXX-{_SEASON_CODES[name.lower()]}"
            )
        lean, why = self._lean()
        ref = _resolve_season(name, self._published, lean or "past")
        return _Resolution("season", ref, why, _season_value(name, ref))

    def _holiday(self) -> _Resolution | None:
        key = re.sub(r"\s*['’]\s*", "'", " ".join(self._g("holiday_name").lower().split()))
        key = key.replace("labour", "labor")
        direction = self._g("hol_dir").lower()
        if key in _BARE_HOLIDAYS and not direction:
            before = _words_before(self._text, self._match.start(), 1)
            if not before or before[0] not in _HOLIDAY_GOVERNORS:
                return None  # "Christmas shopping", "the Easter Rising"
        resolved: dt.date | None
        if self._g("hol_y"):
            resolved = _holiday_date(key, int(self._g("hol_y")))
            ref = None if resolved is None else _day_ref(resolved)
            return _Resolution("holiday", ref, "explicit year", _day_value(resolved))
        if self._published is None:
            fixed = _HOLIDAYS.get(key)
            value = f"XXXX-{fixed[0]:02d}-{fixed[1]:02d}" if fixed else "XXXX-XX-XX"
            return _Resolution("holiday", None, _UNRESOLVED_NO_DATE, value)
        year = self._published.year
        days = [d for d in (_holiday_date(key, year + k) for k in (-1, 0, 1)) if d is not None]
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
            resolved = _pick_occurrence(days, self._published, lean)
        return _Resolution(
            "holiday", None if resolved is None else _day_ref(resolved), why, _day_value(resolved)
        )

    def _wd(self) -> _Resolution | None:
        start, end = self._match.start("wd_name"), self._match.end("wd_name")
        if not self._g("wd_mod") and _is_named_weekday(self._text, start, end):
            return None
        day, why = self._weekday_date(self._g("wd_name"))
        part = self._g("wd_part").strip().lower()
        value = _day_value(day) + (f"T{_PART_CODES[part]}" if part else "")
        timex_type: TimexType = "TIME" if part else "DATE"
        return _Resolution(
            "weekday", None if day is None else _day_ref(day), why, value, timex_type
        )

    def _month(self) -> _Resolution | None:
        name = self._g("month_name")
        mod = self._g("month_mod").strip()
        if _month_rejected(self._text, self._match.start(), self._match.end(), name, bool(mod)):
            return None
        month = _MONTH_NUMBERS[name.lower()]
        if self._published is None:
            return _Resolution("month", None, _UNRESOLVED_NO_DATE, f"XXXX-{month:02d}")
        lean, why = self._lean()
        ref = _resolve_month(month, self._published, lean)
        if _is_deadline(self._text, self._match.start()):
            upcoming = _resolve_month(month, self._published, "future")
            if upcoming is not None and (upcoming.start - self._published).days <= _DEADLINE_REACH:
                ref, why = upcoming, "a deadline: the next one"
        return _Resolution(
            "month", ref, f"{why}{'; mod=' + mod if mod else ''}", _ref_value(ref, "XXXX-XX")
        )

    def _year(self) -> _Resolution | None:
        mod = self._g("year_mod").strip()
        start = self._match.start("year_v")
        fiscal = bool(self._g("year_fiscal"))
        if _is_year_count(self._text, start, self._match.end(), bool(mod) or fiscal):
            return None
        year = int(self._g("year_v"))
        return _Resolution(
            "year",
            _year_span(year, year),
            f"explicit year{'; mod=' + mod if mod else ''}",
            f"{year:04d}",
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


def _start_key(token: str) -> str:
    """How ``_BY_FIRST_WORD`` names a word start: the word, "#" for a digit, "'" a quote."""
    if token.isdigit():
        return "#"
    if token in _QUOTE_CHARS:
        return "'"
    return token.lower()


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
            pattern = _BY_FIRST_WORD.get(_start_key(word.group()))
            if pattern is None:
                continue
            match = pattern.match(text, tried)
            if match is not None:
                yield match
                covered = match.end()
                break


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

    Stateless; safe to share between threads. ``published=None`` resolves
    explicit dates and years only and keeps relative expressions unresolved.
    """

    __slots__ = ()

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        found: list[TimeExpression] = []
        mentions = _Mentions()
        for match in _candidates(text):
            resolution = _Resolver(text, match, published, mentions).resolve()
            if resolution is None:
                continue
            start = match.start() if resolution.start is None else resolution.start
            end = match.end() if resolution.end is None else resolution.end
            if resolution.timex_type in {"DATE", "TIME"} and resolution.anchors:
                mentions.add(resolution.value)
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
        return tuple(found)
