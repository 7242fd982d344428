"""Calendar arithmetic and TimeML values for the temporal tagger.

Input -> output: dates, numbers and words of a matched expression -> :class:`TimeRef`
spans (day, ISO week, month, year; seasons and quarters as month spans) and TIMEX3 value
strings ("2017-05-29", "2017-W22", "1989-Q3", "P2Y6M", "199"), following the TimeML
annotation guidelines (Pustejovsky et al. 2003) with :mod:`datetime` only. Also the
yearless-date rule shared by dates and holidays (the most recent one unless the next is
much nearer), Easter (the Gregorian computus, Meeus 1991), and :class:`Mentions`, the
dates a document has mentioned so far, which anchor its anaphora.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from storyline.model import TimeRef
from storyline.text._timex_rules import (
    HOLIDAYS,
    MOVING_HOLIDAYS,
    NUMBER_WORDS,
    SEASON_CODES,
    SEASON_MONTHS,
    SMALLER_UNITS,
    UNIT_CODES,
    VAGUE_NUMBERS,
)

__all__ = [
    "DAY_VALUE",
    "FUTURE_WEIGHT",
    "MONTH_VALUE",
    "QUARTER_VALUE",
    "WEEK_VALUE",
    "YEAR_VALUE",
    "Lean",
    "Mentions",
    "amount_of",
    "amount_or_decimal",
    "day_ref",
    "day_value",
    "direction_of",
    "duration_value",
    "easter",
    "holiday_date",
    "month_span",
    "part_ref",
    "past_unless_far",
    "pick_occurrence",
    "quarter_of",
    "ref_value",
    "resolve_month",
    "resolve_month_day",
    "resolve_relative_unit",
    "resolve_season",
    "resolve_weekend",
    "safe_date",
    "season_ref",
    "season_value",
    "shift_days",
    "shift_month",
    "shift_quarter",
    "shift_unit",
    "unit_key",
    "week_ref",
    "week_value",
    "weekday_on_or_after",
    "weekday_on_or_before",
    "year_earlier",
    "year_span",
]

Lean = Literal["past", "future"]


def day_ref(day: dt.date) -> TimeRef:
    return TimeRef(start=day, end=day, granularity="day")


def week_ref(day: dt.date) -> TimeRef | None:
    monday = shift_days(day, -day.weekday())
    sunday = None if monday is None else shift_days(monday, 6)
    if monday is None or sunday is None:
        return None
    return TimeRef(start=monday, end=sunday, granularity="week")


def month_span(year: int, month: int, months: int = 1) -> TimeRef | None:
    last_year, last_month = shift_month(year, month, months - 1)
    if not (year >= dt.MINYEAR and last_year <= dt.MAXYEAR):
        return None
    start = dt.date(year, month, 1)
    after_year, after_month = shift_month(last_year, last_month, 1)
    end = (
        dt.date(dt.MAXYEAR, 12, 31)
        if after_year > dt.MAXYEAR
        else dt.date(after_year, after_month, 1) - dt.timedelta(days=1)
    )
    return TimeRef(start=start, end=end, granularity="month")


def year_span(first: int, last: int) -> TimeRef | None:
    if not (dt.MINYEAR <= first <= last <= dt.MAXYEAR):
        return None
    return TimeRef(start=dt.date(first, 1, 1), end=dt.date(last, 12, 31), granularity="year")


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def shift_days(day: dt.date, delta: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=delta)
    except OverflowError:
        return None


def weekday_on_or_before(anchor: dt.date, weekday: int, *, strict: bool) -> dt.date | None:
    back = (anchor.weekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return shift_days(anchor, -back)


def weekday_on_or_after(anchor: dt.date, weekday: int, *, strict: bool) -> dt.date | None:
    ahead = (weekday - anchor.weekday()) % 7
    if strict and ahead == 0:
        ahead = 7
    return shift_days(anchor, ahead)


# --------------------------------------------------------------------------- resolution


def amount_of(raw: str) -> int | None:
    """A written amount: "3", "three", "twenty-four", "a couple of"; None when vague."""
    words = " ".join(raw.lower().replace(",", "").split())
    if words.isdigit():
        return int(words)
    if words in VAGUE_NUMBERS:
        return None
    if words in NUMBER_WORDS:
        return NUMBER_WORDS[words]
    tens, _, ones = words.replace("-", " ").partition(" ")
    if tens in NUMBER_WORDS and ones in NUMBER_WORDS and NUMBER_WORDS[ones] < 10:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[ones]
    return None


def amount_or_decimal(raw: str) -> float | None:
    if re.fullmatch(r"\d+\.\d+", raw):
        return float(raw)
    return amount_of(raw)


def season_value(name: str, ref: TimeRef | None) -> str:
    code = SEASON_CODES[name.lower()]
    return f"XXXX-{code}" if ref is None else f"{ref.start.year:04d}-{code}"


def shift_unit(published: dt.date, unit: str, amount: int) -> TimeRef | None:
    if unit == "day":
        day = shift_days(published, amount)
        return None if day is None else day_ref(day)
    if unit == "week":
        day = shift_days(published, 7 * amount)
        return None if day is None else week_ref(day)
    if unit == "month":
        year, month = shift_month(published.year, published.month, amount)
        return month_span(year, month)
    years = amount if unit == "year" else 10 * amount  # "a decade ago" is a year
    return year_span(published.year + years, published.year + years)


def resolve_month_day(
    month: int, day: int, published: dt.date, lean: Lean | None, weekday: int | None
) -> dt.date | None:
    candidates = [safe_date(published.year + k, month, day) for k in (-1, 0, 1)]
    if lean is None:
        before = [c for c in candidates if c is not None and c <= published]
        after = [c for c in candidates if c is not None and c >= published]
        lean = past_unless_far(
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


def holiday_date(key: str, year: int) -> dt.date | None:
    """The date of a named holiday in ``year`` (fixed, n-th weekday, or from Easter)."""
    if not dt.MINYEAR < year < dt.MAXYEAR:
        return None
    fixed = HOLIDAYS.get(key)
    if fixed is not None:
        return dt.date(year, *fixed)
    month, weekday, nth, days = MOVING_HOLIDAYS[key]
    if month == 0:
        return shift_days(easter(year), days)
    if nth > 0:
        first = dt.date(year, month, 1)
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        day = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    return shift_days(day, days)


def easter(year: int) -> dt.date:
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


def pick_occurrence(days: list[dt.date], published: dt.date, lean: Lean | None) -> dt.date | None:
    """Of a yearly date's occurrences, the one the tense points at (see past_unless_far)."""
    before = [d for d in days if d <= published]
    after = [d for d in days if d >= published]
    if lean is None:
        lean = past_unless_far(
            (published - before[-1]).days if before else None,
            (after[0] - published).days if after else None,
        )
    if lean == "past":
        return before[-1] if before else (after[0] if after else None)
    return after[0] if after else (before[-1] if before else None)


def resolve_month(month: int, published: dt.date, direction: str | None) -> TimeRef | None:
    here = published.year * 12 + published.month - 1
    same_year = published.year * 12 + month - 1
    options = (same_year - 12, same_year, same_year + 12)
    if direction is None:
        direction = past_unless_far(
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
    return month_span(chosen // 12, chosen % 12 + 1)


def season_ref(season: str, year: int) -> TimeRef | None:
    return month_span(year, SEASON_MONTHS[season.lower()], 3)


def resolve_season(season: str, published: dt.date, direction: str) -> TimeRef | None:
    first_month = SEASON_MONTHS[season.lower()]
    spans = [season_ref(season, published.year + k) for k in (-2, -1, 0, 1)]
    valid = [s for s in spans if s is not None]
    if direction == "this":
        containing = [s for s in valid if s.start <= published <= s.end]
        if containing:
            return containing[0]
        year = published.year - 1 if first_month == 12 and published.month <= 2 else published.year
        return season_ref(season, year)
    if direction in {"last", "past"}:
        done = [
            s for s in valid if (s.end < published if direction == "last" else s.start <= published)
        ]
        return done[-1] if done else None
    coming = [
        s for s in valid if (s.start > published if direction == "next" else s.end >= published)
    ]
    return coming[0] if coming else None


def resolve_weekend(published: dt.date, direction: str) -> TimeRef | None:
    on_weekend = published.weekday() >= 5
    if direction == "past" or (direction == "this" and on_weekend):
        saturday = weekday_on_or_before(published, 5, strict=False)
    elif direction == "this":  # the weekend of the publication week
        saturday = shift_days(published, 5 - published.weekday())
    elif direction == "last":
        saturday = weekday_on_or_before(published, 5, strict=False)
        if saturday is not None and on_weekend:
            saturday = shift_days(saturday, -7)
    elif direction == "next":
        saturday = weekday_on_or_after(published, 5, strict=True)
    else:  # "future": the weekend that has not ended yet
        sunday = weekday_on_or_after(published, 6, strict=False)
        saturday = None if sunday is None else shift_days(sunday, -1)
    if saturday is None:
        return None
    sunday = shift_days(saturday, 1)
    return None if sunday is None else TimeRef(start=saturday, end=sunday, granularity="day")


def resolve_relative_unit(unit: str, published: dt.date, direction: str) -> TimeRef | None:
    offset = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[direction]
    return shift_unit(published, unit, offset)


def direction_of(raw: str) -> str:
    words = raw.lower().split()
    if words == ["this", "past"]:
        return "last"
    if words == ["this", "coming"]:
        return "next"
    return "this" if words[0] == "the" else words[0]


FUTURE_WEIGHT = 3


def past_unless_far(past_distance: int | None, future_distance: int | None) -> Lean:
    """The news default for a yearless date: the most recent one, unless the next one
    is less than a third as far away ("takes effect on July 1" in a June article)."""
    if past_distance is None:
        return "future"
    if future_distance is None:
        return "past"
    return "future" if future_distance * FUTURE_WEIGHT < past_distance else "past"


# --------------------------------------------------------------------------- TimeML values


def day_value(day: dt.date | None) -> str:
    return "XXXX-XX-XX" if day is None else day.isoformat()


def week_value(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def ref_value(ref: TimeRef | None, unresolved: str = "") -> str:
    """The TIMEX3 value of a calendar reading: a day, an ISO week, a month or a year."""
    if ref is None:
        return unresolved
    if ref.granularity == "day":
        return ref.start.isoformat()
    if ref.granularity == "week":
        return week_value(ref.start)
    if ref.granularity == "month":
        return f"{ref.start:%Y-%m}"
    return f"{ref.start.year:04d}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, delta: int) -> tuple[int, int]:
    index = year * 4 + quarter - 1 + delta
    return index // 4, index % 4 + 1


def part_ref(value: str) -> TimeRef | None:
    """The months of a "YYYY-Qn" or "YYYY-Hn" value, as a month-granularity span."""
    match = re.fullmatch(r"(\d{4})-([QH])([1-4])", value)
    if match is None:
        return None
    size = 3 if match.group(2) == "Q" else 6
    return month_span(int(match.group(1)), (int(match.group(3)) - 1) * size + 1, size)


def duration_value(amount: float | None, unit: str) -> str:
    """``P3W``, ``PT2H``, ``P20Y`` (decades and centuries in years), ``PXM`` when vague."""
    time_mark, letter, scale = UNIT_CODES[unit]
    if amount is None:
        return f"P{time_mark}X{letter}"
    total = amount * scale
    if float(total).is_integer():
        return f"P{time_mark}{int(total)}{letter}"
    smaller = SMALLER_UNITS.get(unit)
    if smaller is None:
        return f"P{time_mark}{total:g}{letter}"
    whole, rest = int(total), total - int(total)
    small_mark, small_letter, factor = smaller
    joint = "T" if small_mark and not time_mark else ""
    return f"P{time_mark}{whole}{letter}{joint}{round(rest * factor)}{small_letter}"


def year_earlier(value: str) -> str:
    """The same part of the year before: "1989-Q3" -> "1988-Q3", "1989" -> "1988"."""
    if not value[:4].isdigit():
        return value
    return f"{int(value[:4]) - 1:04d}{value[4:]}"


def unit_key(raw: str) -> str:
    """The singular lower-case unit of a unit word ("Centuries" -> "century")."""
    word = raw.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") else word


# Modifiers of "quarter": "fiscal-first" is two, "year-earlier" one.

DAY_VALUE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
YEAR_VALUE = re.compile(r"(\d{4})(?![\d])")
QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])$")
MONTH_VALUE = re.compile(r"(\d{4})-(\d{2})(?:$|-)")
WEEK_VALUE = re.compile(r"(\d{4})-W(\d{2})")


class Mentions:
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
        match = self.last(DAY_VALUE)
        if match is None:
            return None
        return safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))

    def last_value_with_year(self) -> str | None:
        match = self.last(YEAR_VALUE)
        return None if match is None else match.string

    def last_month(self) -> tuple[int, int] | None:
        match = self.last(MONTH_VALUE)
        return None if match is None else (int(match.group(1)), int(match.group(2)))

    def last_quarter(self) -> tuple[int, int] | None:
        match = self.last(QUARTER_VALUE)
        return None if match is None else (int(match.group(1)), int(match.group(2)))
