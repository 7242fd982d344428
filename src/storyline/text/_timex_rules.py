"""The word tables and regular-expression rules of the temporal tagger.

Input -> output: none at run time; this module holds the data
:mod:`storyline.text.temporal` matches with: month, weekday, number and unit words, the
TimeML codes (seasons SP/SU/FA/WI, parts of the day MO/AF/EV/NI, duration letters), the
context word lists of the filters, and ``RULES``, the ordered alternatives of the one
pattern (``PATTERN``), each with the words a match of it can start with so that the scan
(``BY_FIRST_WORD``) tries at a word only the rules that can start there, behind a
lookahead of the words that can follow for "the" (``FIRST_WORD_GUARDS``), the word 17
rules start with.

The rules follow the categories of HeidelTime's English resources (Strötgen & Gertz, LRE
2013: date, time, duration and set rules, "approximate" and "part" words, negative rules
for ages and counts), written anew as Python regular expressions, not ported.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = [
    "ACTUAL_TO",
    "AGO_APPROX_BEFORE",
    "AMBIGUOUS_MONTHS",
    "ANCHOR_NAMES",
    "ANCHOR_NAME_STARTS",
    "ANCHOR_WORDS",
    "ANCHOR_WORD_STARTS",
    "ANY_MONTH",
    "ANY_UNIT",
    "APPROX_BEFORE",
    "ASCII_ANCHORS",
    "A_UNIT_GOVERNORS",
    "BARE_HOLIDAYS",
    "BY_FIRST_WORD",
    "CLAUSE_PUNCT",
    "CLAUSE_WORDS",
    "CLOCK_APPROX_BEFORE",
    "COMMA",
    "COUNT_BEFORE_OF",
    "COUNT_WORDS_AFTER",
    "COUNT_WORDS_BEFORE",
    "CUE",
    "CUE_NOT_FIRST",
    "CUE_PLACES",
    "CUE_SCAN",
    "CUE_WORDS",
    "DAY",
    "DAY_NAME_PREFIXES",
    "DAY_NAME_SUFFIXES",
    "DAY_OFFSETS",
    "DECADE_WORDS",
    "DETERMINERS",
    "DIGITS",
    "DIGITS_START",
    "EVENT_PLURALS",
    "FIRST_WORD_GUARDS",
    "FULL_MONTHS",
    "FULL_WEEKDAYS",
    "FUTURE_GOVERNORS",
    "GOVERNORS",
    "HEAD",
    "HOLIDAYS",
    "HOLIDAY_GOVERNORS",
    "HOLIDAY_WORDS",
    "LOOKBACK",
    "MOD",
    "MODALS",
    "MOD_WORDS",
    "MONTH",
    "MONTH_ABBR",
    "MONTH_CONTEXT",
    "MONTH_NUMBERS",
    "MONTH_WORDS",
    "MOVING_HOLIDAYS",
    "NAME_VERBS",
    "NEWSPAPER_BEFORE_ON",
    "NON_PLURAL_S",
    "NOT_CURRENT",
    "NOT_MODIFIED_BY_MONTH",
    "NOT_PAST",
    "NUMBER",
    "NUMBER_START",
    "NUMBER_WORDS",
    "ONES",
    "ORDINAL",
    "ORDINAL_START",
    "ORDINAL_WORDS",
    "PART",
    "PARTICIPLE_PREPOSITIONS",
    "PART_CODES",
    "PART_OF_SOMETHING",
    "PASSIVE_AUX",
    "PAST_AUX",
    "PATTERN",
    "QUARTER_MOD_SPLIT",
    "QUARTER_ORDINALS",
    "QUARTER_WORDS",
    "QUOTES",
    "QUOTE_CHARS",
    "RANGE",
    "RATE",
    "REF_WORDS",
    "RULES",
    "SEASON",
    "SEASON_CODES",
    "SEASON_MONTHS",
    "SEASON_NOUNS",
    "SET_ADVERBS",
    "SET_WORDS",
    "SMALLER_UNITS",
    "TENS",
    "TIME_SUFFIXES",
    "TIME_ZONE",
    "TO_INFINITIVE",
    "UNIT",
    "UNIT_CODES",
    "UNIT_WORDS",
    "VAGUE_NUMBERS",
    "WEEKDAY",
    "WEEKDAY_ABBR",
    "WEEKDAY_NUMBERS",
    "WEEKDAY_WORDS",
    "WEEK_OF",
    "WORD",
    "WORD_START",
    "YEAR",
    "YEAR_PREPOSITIONS",
]


MONTH_NUMBERS = MappingProxyType({
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
})  # fmt: skip
WEEKDAY_NUMBERS = MappingProxyType({
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3,
    "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
})  # fmt: skip
NUMBER_WORDS = MappingProxyType({
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12, "a hundred": 100,
})  # fmt: skip
VAGUE_NUMBERS = frozenset({"a few", "few", "several", "some", "many", "hundreds of"})
ORDINAL_WORDS = MappingProxyType({
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty first": 21,
})  # fmt: skip
SEASON_MONTHS = MappingProxyType({"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12})
# TimeML codes: seasons, parts of the day, and the letters of a duration ("P3W", "PT2H").
SEASON_CODES = MappingProxyType(
    {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
)
PART_CODES = MappingProxyType({"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"})
UNIT_CODES = MappingProxyType({
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1),
    "day": ("", "D", 1), "week": ("", "W", 1), "fortnight": ("", "W", 2),
    "month": ("", "M", 1), "quarter": ("", "Q", 1), "year": ("", "Y", 1),
    "decade": ("", "Y", 10), "century": ("", "Y", 100), "centurie": ("", "Y", 100),
})  # fmt: skip
# How a half unit is written in the next smaller one: "2 1/2 years" is P2Y6M.
SMALLER_UNITS = MappingProxyType({
    "year": ("", "M", 12), "day": ("T", "H", 24), "hour": ("T", "M", 60),
    "minute": ("T", "S", 60), "week": ("", "D", 7),
})  # fmt: skip
SET_ADVERBS = MappingProxyType({
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
    "yearly": "P1Y", "annually": "P1Y", "hourly": "PT1H",
})  # fmt: skip
# Words that point at the present, the past or the future without a date (TimeML *_REF).
REF_WORDS = MappingProxyType({
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "just now": "PRESENT_REF",
    "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "current": "PRESENT_REF", "recently": "PAST_REF", "the past": "PAST_REF",
})  # fmt: skip
DECADE_WORDS = MappingProxyType({
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
})  # fmt: skip
SEASON_NOUNS = frozenset({
    "of", "holidays", "holiday", "break", "recess", "vacation", "term", "season", "session",
    "camp", "school", "transfer", "sales", "collection", "olympics", "games", "solstice",
    "equinox", "time",
})  # fmt: skip
HOLIDAYS = MappingProxyType({
    "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
    "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
    "halloween": (10, 31), "bastille day": (7, 14), "christmas": (12, 25),
    "independence day": (7, 4), "new year's": (1, 1), "new year": (1, 1),
})  # fmt: skip
# Holidays that move: (month, weekday, n, days) is the n-th weekday of the month (n=-1
# the last) moved by ``days``; month 0 counts ``days`` from Easter Sunday.
MOVING_HOLIDAYS = MappingProxyType({
    "thanksgiving": (11, 3, 4, 0), "thanksgiving day": (11, 3, 4, 0),
    "memorial day": (5, 0, -1, 0), "labor day": (9, 0, 1, 0),
    "martin luther king day": (1, 0, 3, 0), "mother's day": (5, 6, 2, 0),
    "father's day": (6, 6, 3, 0), "election day": (11, 0, 1, 1),
    "easter": (0, 0, 0, 0), "easter sunday": (0, 0, 0, 0), "easter monday": (0, 0, 0, 1),
})  # fmt: skip
# Holiday names that are often adjectives ("Christmas shopping"): dates only after these.
BARE_HOLIDAYS = frozenset({"christmas", "easter", "thanksgiving", "new year's", "new year"})
HOLIDAY_GOVERNORS = frozenset({
    "on", "at", "before", "after", "until", "till", "by", "since", "over", "around", "for",
    "last", "this", "next", "from", "through", "during", "of",
})  # fmt: skip

# Month names that are also ordinary words or first names: they count as months
# only beside a day or year, or after a time preposition or modifier.
AMBIGUOUS_MONTHS = frozenset({"march", "may", "april", "june", "august"})
MONTH_CONTEXT = frozenset({
    "in", "since", "by", "until", "till", "during", "from", "through", "throughout",
    "before", "after", "early", "late", "mid", "mid-", "last", "next", "this", "of",
    "between", "to", "and", "or", "on", "around", "following", "preceding", "that",
    "past", "coming", "for", "within", "as",
})  # fmt: skip
# Words after "the <Month>" that make it a noun ("the March on Washington", "the March was
# peaceful") rather than a month modifying the noun that follows ("the March accession").
NOT_MODIFIED_BY_MONTH = frozenset({
    "on", "of", "for", "to", "in", "from", "through", "against", "with", "at", "by", "into",
    "across", "toward", "towards", "past", "and", "or", "but", "that", "which", "who", "itself",
    "was", "is", "were", "are", "will", "would", "has", "had", "have", "drew", "began", "took",
})  # fmt: skip
NAME_VERBS = frozenset({
    "said", "says", "told", "tells", "has", "had", "is", "was", "will", "would",
    "added", "wrote", "asked", "insisted", "argued", "announced", "called",
})  # fmt: skip
# Words that turn "<word> Friday" into a name rather than a date.
DAY_NAME_PREFIXES = frozenset({
    "black", "cyber", "good", "super", "ash", "holy", "maundy", "easter", "palm",
    "bloody", "shrove", "whit", "giving", "fat", "man", "girl", "blue", "manic",
    "spy", "white",
})  # fmt: skip
DAY_NAME_SUFFIXES = frozenset({
    "Times", "Telegraph", "Express", "Mirror", "Herald", "Post", "Mail", "Independent",
    "Tribune", "Sport", "People", "Star", "Sun", "Observer", "Night", "Club", "School",
    "Service", "Group", "Movement", "Agreement", "Accord", "Massacre", "Politics",
    "Show", "Review", "Magazine", "Edition", "Business",
})  # fmt: skip
NEWSPAPER_BEFORE_ON = frozenset({"mail", "independent", "scotland", "wales", "sport"})
# Year-shaped numbers that count things.
COUNT_WORDS_BEFORE = frozenset({
    "about", "around", "some", "nearly", "almost", "over", "under", "than", "least",
    "roughly", "approximately", "only", "just", "total", "estimated", "additional",
    "another", "were", "at", "flight", "route", "room", "article", "resolution",
    "section", "no", "no.", "nos.", "number", "highway", "interstate", "chapter",
    "page", "paragraph", "rule", "bill", "model", "version", "code", "unit",
})  # fmt: skip
EVENT_PLURALS = frozenset({
    "elections", "polls", "talks", "games", "olympics", "championships", "riots",
    "protests", "attacks", "floods", "negotiations", "midterms", "playoffs",
    "finals", "results", "earnings", "accounts", "figures", "levels", "standards",
    "rules", "accords", "uprisings", "summits", "hearings", "budgets",
    "sanctions", "primaries", "caucuses", "events", "statistics", "data",
})  # fmt: skip
NON_PLURAL_S = frozenset({
    "was", "is", "has", "does", "as", "us", "its", "his", "this", "thus", "plus",
    "marks", "sees", "brings", "begins", "ends", "looks", "promises", "proves",
    "remains", "seems", "saw", "versus", "series", "press", "congress", "campus",
    "census", "status", "crisis", "basis", "analysis",
})  # fmt: skip
TIME_SUFFIXES = frozenset({"gmt", "utc", "hours", "hrs", "bst", "est", "edt", "et", "cet"})
YEAR_PREPOSITIONS = frozenset({
    "in", "since", "by", "until", "till", "during", "from", "through", "throughout",
    "before", "after", "to", "between", "and", "early", "late", "mid", "mid-", "year",
    "of", "circa", "c.", "spring", "summer", "autumn", "fall", "winter", "around",
    "for", "as",
})  # fmt: skip
COUNT_WORDS_AFTER = frozenset({
    "were", "are", "have", "of", "people", "men", "women", "children", "police", "staff",
    "feet", "sheep", "cattle", "personnel", "more", "others",
})  # fmt: skip
COUNT_BEFORE_OF = frozenset({"total", "out", "number", "sum", "tally", "count"})

# --------------------------------------------------------------------------- the pattern

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
ANY_MONTH = rf"(?:{MONTH}|{MONTH_ABBR})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WEEKDAY_ABBR = r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?"
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)(?!\.\d)(?!,\d{3})"
YEAR = r"(?<![\d$£€#.,])(?:1[0-9]{3}|20[0-9]{2})(?![\d%])(?![.,]\d)"
COMMA = r"\s*,?\s*"
# "the week of March 6": the week a date names, one TIMEX3 with the week's value
WEEK_OF = re.compile(rf"\s+of\s+(?P<m>{ANY_MONTH})\s*(?P<d>{DAY})\b(?:{COMMA}(?P<y>{YEAR})\b)?")
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
NUMBER = (
    rf"(?:\d{{1,3}}|a\s+couple\s+of|a\s+dozen|a\s+few|several|few|an?|{TENS}(?:[\s-]+{ONES})?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|hundreds\s+of)"
)
UNIT = r"(?:day|week|month|year|decade)"
# Every unit a length of time can be counted in ("three hours", "two quarters").
ANY_UNIT = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ies))"
PART = r"(?:\s+(?i:morning|afternoon|evening|night))"
MOD = (
    r"(?:(?i:early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
    r"|the\s+middle\s+of)\s*)"
)
SEASON = r"(?i:spring|summer|autumn|fall|winter)"
ORDINAL = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)).replace(" ", r"\s+")
TIME_ZONE = r"(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST)\b"

# The words each rule can start with ("#" a digit, "'" a quote).
QUOTE_CHARS = frozenset("'’‘")
DIGITS_START = frozenset({"#"})
QUOTES = frozenset({"'"})
FULL_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
WEEKDAY_WORDS = frozenset(WEEKDAY_NUMBERS)
FULL_MONTHS = frozenset(
    name for name, number in MONTH_NUMBERS.items() if list(MONTH_NUMBERS).index(name) < 12
)
MONTH_WORDS = frozenset(MONTH_NUMBERS)
MOD_WORDS = frozenset({"early", "late", "mid", "the"})
NUMBER_START = DIGITS_START | {word.split()[0] for word in NUMBER_WORDS} | {
    "several", "few", "hundreds", "many",
}  # fmt: skip
UNIT_WORDS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades"}
)
QUARTER_WORDS = frozenset({
    "the", "this", "that", "last", "next", "fiscal", "year", "comparable", "corresponding",
    "same", "latest", "current", "previous", "preceding", "past", "recent", "just", "first",
    "second", "third", "fourth", "final", "latter", "quarter", "half", "period",
})  # fmt: skip
SET_WORDS = frozenset(
    {"every", "each", "once", "twice", "three", "four", "five", "six", "several", "many"}
)
ORDINAL_START = frozenset(word.split()[0].split("-")[0] for word in ORDINAL_WORDS)
HOLIDAY_WORDS = frozenset({
    "christmas", "new", "valentine", "halloween", "boxing", "bastille", "independence",
    "thanksgiving", "memorial", "labor", "labour", "martin", "mother", "father", "election",
    "easter",
})  # fmt: skip

# The rules: (name, the lower-case words a match can start with, the pattern). Order
# matters: at one position the first rule that matches wins. "#" stands for a digit and
# "'" for a quote; the scan tries at a word only the rules that can start with it.
RULES: tuple[tuple[str, frozenset[str], str], ...] = (
    (
        "clock",
        frozenset(DIGITS_START | {"noon", "midnight", "midday"}),
        rf"""
        (?P<clock>(?:(?P<clk_h>2[0-3]|[01]?\d)(?:[:.](?P<clk_m>[0-5]\d))?
                (?:\s*(?P<clk_ap>(?i:[ap]\.m\b\.?|[ap]m\b))
                  |\s+(?P<clk_pod>(?i:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b))
              |(?P<clk_hm>(?:[01]\d|2[0-3])[:.]?[0-5]\d)(?=\s+(?:GMT|UTC|local\s+time))
              |(?P<clk_word>(?i:noon|midnight|midday)\b))
            (?:\s+(?P<clk_tz>{TIME_ZONE}|local\s+time\b))?
            (?:{COMMA}\s?(?P<clk_day>(?:(?P<clk_wd>{WEEKDAY}){COMMA}\s?)?(?P<clk_dm>{ANY_MONTH})\s*
                    (?P<clk_dd>{DAY})\b(?:{COMMA}(?P<clk_dy>{YEAR})\b)?
                |{WEEKDAY}\b|(?i:today|tonight|yesterday|tomorrow)\b))?)
        """,
    ),
    (
        "iso",
        frozenset(DIGITS_START),
        r"""
        (?P<iso>\b(?P<iso_y>1\d{3}|20\d{2})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b)
        """,
    ),
    (
        "mdy",
        frozenset(WEEKDAY_WORDS | MONTH_WORDS),
        rf"""
        (?P<mdy>\b(?:(?P<mdy_wd>{WEEKDAY}|{WEEKDAY_ABBR}){COMMA}\s)?
            (?P<mdy_m>{ANY_MONTH})\s*(?P<mdy_d>{DAY})\b(?:{COMMA}(?P<mdy_y>{YEAR})\b)?)
        """,
    ),
    (
        "dmy",
        frozenset(FULL_WEEKDAYS | DIGITS_START | {"the"}),
        rf"""
        (?P<dmy>\b(?:(?P<dmy_wd>{WEEKDAY}){COMMA}\s)?(?:the\s+)?(?P<dmy_d>{DAY})\s+(?:of\s+)?
            (?P<dmy_m>{ANY_MONTH})(?!\w)(?:{COMMA}(?P<dmy_y>{YEAR})\b)?)
        """,
    ),
    (
        "my",
        frozenset(MOD_WORDS | MONTH_WORDS),
        rf"""
        (?P<my>\b(?P<my_mod>{MOD})?(?P<my_m>{ANY_MONTH})(?:\s*,\s*|\s+of\s+|\s+)(?P<my_y>{YEAR})\b)
        """,
    ),
    (
        "mrel",
        frozenset(MOD_WORDS | FULL_MONTHS),
        rf"""
        (?P<mrel>\b(?P<mrel_mod>{MOD})?(?P<mrel_m>{MONTH})\s+(?P<mrel_dir>(?i:last|this|next))\s+(?i:year)\b)
        """,
    ),
    (
        "qtr",
        frozenset(DIGITS_START | QUARTER_WORDS),
        rf"""
        (?P<qtr>(?:(?P<qtr_the>(?i:the|this|that|last|next))\s+)?
            (?:(?P<qtr_y>{YEAR})\s+|(?P<qtr_rel>(?i:this|last|next))\s+(?i:year)\s*['’]\s*s\s+)?
            (?P<qtr_mods>(?:(?i:fiscal|year-earlier|year-ago|comparable|corresponding|same|latest
                |current|previous|preceding|past|recent|just-ended|first|second|third|fourth|final
                |last|latter|1st|2nd|3rd|4th)(?:\s+|-(?=[a-z])))*)
            (?P<qtr_u>(?i:quarter|half|period))(?![\w-])
            (?:\s+of\s+(?:(?i:fiscal)\s+)?(?P<qtr_y2>{YEAR})\b
              |\s+(?P<qtr_back>(?i:a\s+year\s+(?:ago|earlier)|last\s+year))\b)?)
        """,
    ),
    (
        "anaph",
        frozenset(NUMBER_START | UNIT_WORDS | {"the", "later", "earlier", "that"}),
        rf"""
        (?P<anaph>\b(?i:
            the\s+(?:next|following|previous|preceding|same)\s+(?:day|week|month|year|weekend|morning|night|evening)
            |the\s+day\s+(?:before|after)(?!\s+(?:yesterday|tomorrow))
            |the\s+(?:week|month|year)\s+(?:before|after)(?=\s*(?:[.,;:!?)'"”]|$))
            |(?:later|earlier)\s+that\s+(?:day|week|month|year|morning|night|evening)
            |that\s+(?:same\s+)?(?:day|week|month|year|morning|afternoon|night|evening)
            |(?:{NUMBER}\s+)?{UNIT}s?\s+(?:later|earlier)
            |the\s+(?:following|previous|preceding)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)
            |year-(?:earlier|ago)(?![\w-])(?!\s+(?:{NUMBER})\s)  # not "year-earlier nine months"
            )\b)
        """,
    ),
    (
        "ago",
        frozenset(NUMBER_START | UNIT_WORDS),
        rf"""
        (?P<ago>\b(?:(?P<ago_n>(?i:{NUMBER}))\s+)?(?P<ago_u>(?i:{UNIT}))s?(?:\s+(?i:or\s+so))?\s+(?i:ago)\b)
        """,
    ),
    (
        "dur",
        frozenset({"the"}),
        rf"""
        (?P<dur>\b(?i:the\s+)(?P<dur_dir>(?i:past|last|coming|next))\s+
            (?:(?P<dur_n>(?i:{NUMBER}))\s+)?(?P<dur_u>(?i:{UNIT}))(?P<dur_pl>s)?\b
            (?:\s+(?i:or\s+so))?)
        """,
    ),
    (
        "wyear",
        frozenset(FULL_MONTHS | {"the", "nineteen"}),
        rf"""
        (?P<wyear>\b(?:(?P<wy_m>{MONTH})\s+|(?i:the\s+year)\s+)?(?P<wy_hi>(?i:nineteen))[\s-]+(?P<wy_lo>(?i:{TENS}(?:[\s-]+{ONES})?))\b
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
        "long",
        frozenset(
            {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
            | {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades"}
            | {"centuries"}
            | NUMBER_START
        ),
        rf"""
        (?P<long>(?:(?P<long_n>\d+|(?i:{NUMBER}))[\s-]+)?(?P<long_u>(?i:second|minute|hour|day|week|month|year|decade|century|centurie)
            s?)-(?i:long)\b)
        """,
    ),
    (
        "len",
        frozenset(NUMBER_START | {"the"}),
        rf"""
        (?P<len>(?P<len_the>(?i:the)\s+(?:(?P<len_ord>(?i:first|last|past|next|previous|following
                |coming|final|remaining|latest|ensuing|preceding|initial|same))\s+)?)?
            (?P<len_n>(?i:\d+(?:\.\d+)?|{NUMBER})(?:\s+(?i:to|or)\s+(?i:\d+|{NUMBER}))?)
            (?P<len_half>\s+(?:1/2|and\s+a\s+half))?
            (?:\s+(?i:more|additional|straight|consecutive|full))?[\s-]+
            (?:(?i:trading|business|working|calendar)\s+)?
            (?P<len_u>{ANY_UNIT}|(?i:{ANY_UNIT}))(?P<len_pl>s)?(?![\w-])
            (?:\s+(?i:or\s+so)|(?P<len_time>\s*['’]\s*s?\s+time\b))?(?!\s+(?i:ago)\b)
            (?:(?!\s+(?i:later|earlier)\b)|(?<=[Hh]our)|(?<=[Hh]ours)|(?<=[Mm]inute)
                |(?<=[Mm]inutes)))
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
            FULL_WEEKDAYS
            | {f"{name}s" for name in FULL_WEEKDAYS}
            | DIGITS_START
            | set(SET_ADVERBS)
            | SET_WORDS
        ),
        rf"""
        (?P<set>(?:(?P<set_each>(?i:every|each))\s+(?:(?P<set_other>(?i:other))\s+)?
                (?:(?P<set_n>\d+|(?i:{NUMBER}))\s+)?
                (?P<set_u>(?i:{ANY_UNIT}s?|{SEASON}|weekend|morning|afternoon|evening|night)
                    |{WEEKDAY}|{MONTH})
              |(?P<set_times>(?i:once|twice|\d+\s+times|(?:three|four|five|six|several|many)\s+times))
                \s+(?i:a|an|per|each|every)\s+(?P<set_tu>(?i:{ANY_UNIT}))
              |(?P<set_adv>(?i:daily|weekly|monthly|yearly|annually|nightly|hourly|biweekly))
              |(?P<set_wd>{WEEKDAY})s(?P<set_part>\s+(?i:mornings|afternoons|evenings|nights))?
              |(?P<set_wdp>{WEEKDAY})\s+(?P<set_wdpart>(?i:mornings|afternoons|evenings|nights)))(?![\w-]))
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
            \s+(?P<pod_day>(?i:yesterday|today|tomorrow)|{WEEKDAY})\b)
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
            (?P<rel_u>(?i:week|month|year|decade)|{SEASON}|{WEEKDAY}|{MONTH})\b(?P<rel_part>{PART})?)
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
            |the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow))\b(?P<day_part>{PART})?)
        """,
    ),
    (
        "decade",
        frozenset(DIGITS_START | QUOTES | set(DECADE_WORDS) | {"the", "early", "mid", "late"}),
        r"""
        (?P<decade>(?:(?P<dec_the>(?i:the))\s+)?(?:\b(?P<dec_mod>(?i:early|mid|late)[\s-]+))?
            (?:\b(?P<dec_full>1\d{2}0|20\d0)s|(?<!\w)['’‘](?P<dec_short>\d0)s|(?P<dec_word>
                \b(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))\b)
        """,
    ),
    (
        "century",
        frozenset(DIGITS_START | ORDINAL_START | {"the", "early", "mid", "late"}),
        rf"""
        (?P<century>(?:(?P<cent_the>(?i:the))\s+)?\b(?P<cent_mod>(?i:early|mid|late)[\s-]+)?
            (?:(?P<cent_n>\d{{1,2}})(?:st|nd|rd|th)|(?P<cent_w>(?i:{ORDINAL})))[\s-]+(?i:century)\b)
        """,
    ),
    (
        "season",
        frozenset(set(SEASON_MONTHS)),
        rf"""
        (?P<season>\b(?P<season_name>{SEASON})(?:\s+(?:of\s+)?(?P<season_y>{YEAR}))?\b)
        """,
    ),
    (
        "holiday",
        frozenset(HOLIDAY_WORDS | {"last", "this", "next"}),
        rf"""
        (?P<holiday>\b(?:(?P<hol_dir>(?i:last|this|next))\s+)?(?P<holiday_name>Christmas(?:\s+(?:Day|Eve))?
            |New\s+Year\s*['’]\s*s(?:\s+(?:Day|Eve))?|New\s+Year\b(?!\s+[A-Z])
            |Valentine\s*['’]\s*s\s+Day|Halloween|Boxing\s+Day|Bastille\s+Day|Independence\s+Day
            |Thanksgiving(?:\s+Day)?|Memorial\s+Day|Labou?r\s+Day|Martin\s+Luther\s+King\s+Day
            |Mother\s*['’]\s*s\s+Day|Father\s*['’]\s*s\s+Day|Election\s+Day
            |Easter(?:\s+(?:Sunday|Monday))?)\b(?P<hol_week>\s+week\b)?
            (?:{COMMA}(?:of\s+)?(?P<hol_y>{YEAR})\b)?)
        """,
    ),
    (
        "wd",
        frozenset(FULL_WEEKDAYS | {"early", "late", "earlier", "later"}),
        rf"""
        (?P<wd>\b(?P<wd_mod>(?i:early|late|earlier|later)\s+)?(?P<wd_name>{WEEKDAY})\b(?P<wd_part>{PART})?)
        """,
    ),
    (
        "month",
        frozenset(MOD_WORDS | FULL_MONTHS),
        rf"""
        (?P<month>\b(?P<month_mod>{MOD})?(?P<month_name>{MONTH})\b)
        """,
    ),
    (
        "year",
        frozenset(DIGITS_START | MOD_WORDS | {"fiscal"}),
        rf"""
        (?P<year>\b(?P<year_fiscal>(?i:fiscal)[\s-]+)?(?P<year_mod>{MOD})?(?P<year_v>{YEAR})\b)
        """,
    ),
)
HEAD = r"(?<!\w)(?=[\w'’‘])"  # every expression starts a word


def _compile(
    rules: tuple[tuple[str, frozenset[str], str], ...], guard: str = ""
) -> re.Pattern[str]:
    head = f"(?={guard}){HEAD}" if guard else HEAD
    return re.compile(head + "(?:" + "|".join(rule for _, _, rule in rules) + ")", re.VERBOSE)


PATTERN = _compile(RULES)

# What every rule that can start with "the" reads after it, written as prefixes of the
# second word (each rule's own words, read off the patterns above: dmy and qtr a digit,
# MOD "the end of" ..., qtr its modifiers and "quarter", anaph "the next day" ..., dur,
# theyr, len its ordinals and NUMBER, pref, weekend, day, decade and century their
# modifiers, digits, quote and decade or ordinal words). A lookahead in front of the
# rules of "the": the 17 rules of a "the" that no rule continues ("the company") fail at
# one test instead of each in turn, which made failed tries of "the" half the rule
# matching on the labelled sentences (issue 14). A necessary condition, so the matches
# are those of the rules alone (tests/property/test_temporal_props.py, the dumps).
_AFTER_THE = (
    "end", "beginning", "start", "middle", "this", "that", "last", "next", "fiscal", "year",
    "comparable", "corresponding", "same", "latest", "current", "previous", "preceding",
    "past", "recent", "just", "first", "second", "third", "fourth", "final", "latter",
    "quarter", "half", "period", "following", "day", "week", "month", "coming", "full",
    "entire", "whole", "remaining", "ensuing", "initial", "couple", "dozen", "few",
    "several", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "hundred", "near", "distant", "foreseeable", "immediate", "future", "short",
    "long", "weekend", "early", "mid", "late", "twenties", "thirties", "forties", "fifties",
    "sixties", "seventies", "eighties", "nineties", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
    "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip


def _by_first_letter(words: tuple[str, ...]) -> str:
    """A pattern of one character where one of ``words`` starts: its first letter, then
    the rest as a lookahead, grouped by first letter (an alternation of whole words is
    tried word by word: 2.6 against 0.8 us for a failed guard of "the")."""
    rests: dict[str, list[str]] = {}
    for word in words:
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(c)}(?={'|'.join(r)})" for c, r in rests.items())


FIRST_WORD_GUARDS = MappingProxyType(
    {"the": rf"(?i:the\s+(?:[\d'’‘]|an?[\s-]|{_by_first_letter(_AFTER_THE)}))"}
)


def _patterns_by_first_word() -> dict[str, re.Pattern[str]]:
    """For every word a rule can start with, the pattern of those rules only (in order),
    behind the word's guard (``FIRST_WORD_GUARDS``) when it has one."""
    chosen: dict[str, tuple[int, ...]] = {}
    for word in frozenset().union(*(starts for _, starts, _ in RULES)):
        chosen[word] = tuple(i for i, (_, starts, _) in enumerate(RULES) if word in starts)
    compiled = {
        indices: _compile(tuple(RULES[i] for i in indices)) for indices in set(chosen.values())
    }
    patterns = {word: compiled[indices] for word, indices in chosen.items()}
    for word, guard in FIRST_WORD_GUARDS.items():
        patterns[word] = _compile(tuple(RULES[i] for i in chosen[word]), guard)
    return patterns


BY_FIRST_WORD = _patterns_by_first_word()

ANCHOR_WORDS = (
    "day", "week", "month", "year", "decade", "centur", "night", "morning", "afternoon",
    "evening", "tomorrow", "spring", "summer", "autumn", "fall", "winter", "christmas",
    "halloween", "now", "current", "recent", "past", "future", "term", "quarter", "half",
    "hour", "minute", "second", "noon", "midday", "daily", "annual", "ties", "nineteen",
    "thousand", "period", "thanksgiving", "easter",
)  # fmt: skip
ANCHOR_NAMES = (
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


def _starts_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern that matches one character at every offset where one of ``words``
    starts: the first letter, then the rest as a lookahead, so that occurrences inside
    one another ("noon" in "afternoon", "day" in "midday") are all found, as a
    ``str.find`` loop per word finds them; grouped by first letter so that the regex
    engine skips to the letters that can start a word. No word may be a prefix of
    another (both would start at one offset, and one match stands for one word)."""
    if any(a != b and b.startswith(a) for a in words for b in words):
        raise ValueError("an anchor word is a prefix of another")
    return re.compile(_by_first_letter(words))


# The offsets of ANCHOR_WORDS in a lower-cased text and of ANCHOR_NAMES in the text.
ANCHOR_WORD_STARTS = _starts_of(ANCHOR_WORDS)
ANCHOR_NAME_STARTS = _starts_of(ANCHOR_NAMES)
DIGITS = re.compile(r"\d+")
# Digit runs and unit words in one scan of the lower-cased text, for ASCII text only,
# where lower() keeps every offset (elsewhere it may not: "İ" becomes two characters);
# a digit run and a unit word never share a character, so the offsets are those of the
# two scans (issue 14: 11.2 -> 9.8 us a Timeline17 sentence with the names' scan; one
# scan of all three kinds on the text itself was twice as slow: no fast skip to the
# letters that can start a match under IGNORECASE or a class per letter).
# The digit runs are written as one branch per first digit ("0[0-9]*|1[0-9]*|..."), the
# same runs on ASCII text, so that every branch starts with a literal and the engine skips
# the characters that start none (issue 14: 3.5 -> 3.1 us a labelled sentence).
ASCII_ANCHORS = re.compile(
    "|".join(f"{digit}[0-9]*" for digit in "0123456789") + f"|{ANCHOR_WORD_STARTS.pattern}"
)
WORD_START = re.compile(r"(?<!\w)(?:[A-Za-z]+|[\w'’‘])")
# Every word an expression can start with (lower case); digits and quotes always can.
LOOKBACK = 48  # longest lead before an anchor: "the beginning of this coming month" is 29
WORD = re.compile(r"[A-Za-z][\w'’.-]*|\d[\d,.]*|['’]s\b")
# A period ends a clause unless it is a decimal point ("9.5") or ends an initial or a title
# ("Daniel P. Davison", "Mr. Schwarz", "Feb. 1"), where cutting lost the clause's verb.
_ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Sen", "Rep", "Gov", "Col", "Lt", "Capt",
    "Sgt", "Prof", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip
_PERIOD = r"\." + "".join(rf"(?<!\b{word}\.)" for word in ("[A-Z]", *_ABBREVIATIONS))
_PERIOD += r"(?!(?<=\d\.)\d)"  # lookbehinds after the period: tried at periods only
# The class of single marks written as one branch each, so that every branch starts with
# a literal and a scan skips the characters that start none (2.1 -> 1.5 us a labelled
# sentence; the same matches).
CLAUSE_PUNCT = re.compile(
    rf"{_PERIOD}|"
    + "|".join(re.escape(mark) for mark in ';:!?()[]"“”«»—–')
    + r"|--|-LRB-|-RRB-|``|''|,"
)
CLAUSE_WORDS = frozenset({
    "that", "which", "who", "whom", "whose", "when", "while", "because", "although",
    "though", "but", "and", "or", "after", "before", "since", "until", "till", "if",
    "unless", "whereas", "where", "as", "so",
})  # fmt: skip
CUE = re.compile(
    r"""
    (?:(?<!\w)|(?=['’]))  # cues start a word, or are a contraction ("'ll")
    (?:(?P<fut>\b(?:will|shall|would(?!\s+have\b)|wo(?=\s+n['’]t)|gonna|upcoming

        |(?:going|due|scheduled|slated|set|poised|plans?|planning|expects?|expected|intends?
           |hopes?|aims?|is|are|am)\s+to\b
        |due\s+(?:on|in|by)|scheduled|planned|planning|intended\s+to|(?:set|slated)\s+for|expects?
        |(?:is|are)\s+expected
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
# Where CUE can match: a quote ("'ll", "'re") or a word start whose word, lower-cased,
# is one CUE writes (or it without a final "s": "plans?") or ends in "ed"; every other
# ASCII word is passed over without trying CUE there (issue 14: CUE tried at every
# offset cost 15 us a clause of 38 characters). Words with other letters are always
# tried, as IGNORECASE folds some of them onto ASCII ones ("ſ" onto "s").
_CUE_WRITTEN = frozenset(re.findall(r"[a-z]{2,}", re.sub(r"#.*", "", CUE.pattern)))  # no comments
# Words CUE writes that never start one of its matches: words it reads only after another
# ("due on", "set for", "intended to", "takes effect"), in a lookahead ("would have",
# "is something", "is morning") or after a quote ("'ll", "'re"), and the letters of its
# group names and flags. Left out of CUE_WORDS, so that the commonest of them ("in",
# "on", "to", "for", "by") are passed over without a try of CUE (issue 14: the cue loop
# was 13% of the tagger on the labelled set; tests/property/test_temporal_props.py
# compares _cues with CUE.finditer on text made of every word CUE writes).
CUE_NOT_FIRST = frozenset({
    "any", "building", "by", "during", "ed", "effect", "evening", "every", "for", "fut",
    "have", "i", "in", "ing", "king", "ll", "morning", "no", "off", "on", "past", "re",
    "sale", "some", "spring", "thing", "to",
})  # fmt: skip
CUE_WORDS = (
    _CUE_WRITTEN | {word[:-1] for word in _CUE_WRITTEN if word.endswith("s")} | {"'"}
) - CUE_NOT_FIRST
CUE_PLACES = re.compile(r"(?<!\w)\w+|['’]")


def _words_by_first_letter(words: tuple[str, ...]) -> str:
    """An alternation of ``words``, grouped by first letter so that the engine tries at a
    place only the words that begin with its letter (an alternation of whole words is
    tried word by word)."""
    rests: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(r)})" for c, r in sorted(rests.items()))


# CUE behind a lookahead of the places _cues tried it at (a quote; a word start whose whole
# word is one of CUE_WORDS in any ASCII case, ends in "ed" or has a letter that is not
# ASCII: the case folding of CUE maps some of those onto ASCII, "ſhall" onto "shall"): a
# necessary condition, so its matches are those of CUE.finditer, found by one scan with no
# Python per word (issue 14: 7.9 -> 6.5 us a labelled clause).
# The last two tests read the word once: its ASCII run, then a letter that is not
# ASCII or the word's end after "ed" (an ASCII word ending in "ed", or one with a
# letter that is not ASCII, as before; one scan of each word start rather than two).
CUE_SCAN = re.compile(
    r"(?=['’]|(?<!\w)(?:(?ai:"
    + _words_by_first_letter(tuple(word for word in CUE_WORDS if word.isalpha()))
    + r")(?!\w)|(?-i:[A-Za-z0-9_]*+(?:[^\W\x00-\x7f]|(?<=ed)(?!\w)))))"
    + CUE.pattern,
    CUE.flags,
)
NOT_PAST = frozenset({
    "need", "speed", "feed", "seed", "bed", "red", "shed", "hundred", "breed", "greed",
    "weed", "creed", "steed", "indeed", "exceed", "proceed", "succeed", "embed", "wed",
    "sled", "bleed", "heed", "deed", "reed", "united", "limited", "based", "related",
    "detailed", "advanced", "alleged", "so-called", "armed", "concerned", "interested",
    "expected", "scheduled", "planned", "proposed",
})  # fmt: skip
GOVERNORS = frozenset({
    "on", "in", "at", "by", "until", "till", "since", "from", "during", "before", "after",
    "for", "over", "of", "the", "early", "late", "'s", "’s",
})  # fmt: skip
TO_INFINITIVE = re.compile(r"\s+to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|its\b)[a-z]")
PAST_AUX = frozenset({"was", "were", "had", "did"})
# Finite modals: an -ed word after one in the same clause is a participle or an adjective
MODALS = frozenset({"will", "would", "shall", "'ll", "’ll"})
# Prepositions by which a participle takes a date ("approved on March 17")
PARTICIPLE_PREPOSITIONS = frozenset({
    "on", "in", "at", "by", "since", "during", "until", "till", "upon", "over", "from",
    "before", "after", "around", "through",
})  # fmt: skip
# Implicative and aspectual verbs (Karttunen, "Implicative verbs", Language 1971): their
# to-infinitive happened when they did ("continued to call", "failed to pay"), unlike
# "hoped to meet" or "agreed to visit"
ACTUAL_TO = frozenset({
    "continued", "started", "managed", "failed", "refused", "declined", "ceased",
    "neglected", "bothered", "dared", "happened", "tried", "attempted",
})  # fmt: skip
# A governor that alone leans to the future ("until Friday"), weaker than a tense
FUTURE_GOVERNORS = ("until", "till", "by", "before")
DETERMINERS = frozenset({
    "the", "a", "an", "its", "his", "her", "their", "our", "your", "my", "this", "these",
    "those",
})  # fmt: skip
PASSIVE_AUX = frozenset({"be", "been", "being", "is", "are", "am", "get", "gets", "to"})


DAY_OFFSETS = MappingProxyType({
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
    "the day before yesterday": -2, "the day after tomorrow": 2,
})  # fmt: skip
QUARTER_ORDINALS = MappingProxyType({
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "last": 4,
})  # fmt: skip
# "a week" counts as a length only after these words ("within a week", "for a month");
# elsewhere "a year" is mostly a rate ("$2 million a year"), which annotators rarely tag.
A_UNIT_GOVERNORS = frozenset({
    "for", "within", "over", "than", "of", "about", "nearly", "almost", "last", "lasted",
    "lasts", "take", "takes", "took", "taking", "spent", "spend", "spending", "him", "her",
    "them", "us", "me", "you", "as", "just", "only", "least", "another", "after", "once",
})  # fmt: skip
# Nouns that make "current" a plain adjective rather than "now".
NOT_CURRENT = frozenset({
    "account", "accounts", "affairs", "events", "flow", "flows", "liabilities", "assets",
    "dollar", "dollars", "prices", "yield", "yields", "coupon", "rate", "rates", "issue",
    "issues", "members", "member", "employees", "owners", "shareholders", "holders", "law",
    "laws", "system", "policy", "practice", "form", "version", "model", "crisis",
    "situation",
})  # fmt: skip


QUARTER_MOD_SPLIT = re.compile(r"\s+|-(?!(?:earlier|ago|ended)\b)")
RANGE = re.compile(r"\s(?:to|or)\s", re.IGNORECASE)
RATE = re.compile(rf"\s+(?:a|an|per|each|every)\s+(?i:{ANY_UNIT})\b", re.IGNORECASE)
# Words before an amount or a clock time that TimeML keeps in the expression (mod="APPROX",
# "LESS_THAN" ...): found after the match, which starts at the number, to keep the scan fast.
APPROX_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:nearly|almost|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than"
    r"|at\s+least|at\s+most|up\s+to|roughly|approximately|around|some|over|just\s+over"
    r"|just\s+under|well\s+over)\s+\Z"
)
AGO_APPROX_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:nearly|almost|about|more\s+than|less\s+than|at\s+least|roughly"
    r"|approximately|some)\s+\Z"
)
CLOCK_APPROX_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:around|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))"
    r"\s+\Z"
)
# "of" after "the first half": a part of something other than a year.
PART_OF_SOMETHING = re.compile(
    r"\s+of\s+(?!(?:the|this|next|last)\s+(?:fiscal\s+)?year\b|fiscal\b|(?:[A-Z]{0,2}\$|[£€¥]))",
    re.IGNORECASE,
)
