"""Activity charts: a story's articles per day -> the bars of a small inline SVG.

Input: the (day, count) pairs of a story's dated articles
(:meth:`~storyline.store.Store.activity`). Output: :class:`Activity`, the bars of a
chart ``WIDTH`` x ``HEIGHT`` with one bar per day from the first to the last day, or per
run of days when the span is longer than ``MAX_BARS`` days (each bar then counts
``days_per_bar`` days), heights scaled to the busiest bar; the template
``stories.html`` draws it as inline SVG, rendered on the server, with no script, no
style attribute (the Content-Security-Policy allows neither) and no request.

Written here rather than with a plotting library: a bar chart of at most ``MAX_BARS``
rectangles is a few lines of arithmetic, and no plotting library is a dependency.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["HEIGHT", "MAX_BARS", "WIDTH", "Activity", "Bar", "activity_chart"]

WIDTH = 120
HEIGHT = 24
MAX_BARS = 60


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """One bar: ``count`` articles published from ``start`` to ``end``, drawn at ``x``."""

    start: dt.date
    end: dt.date
    count: int
    x: float
    width: float
    height: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """A story's activity chart: its bars and a sentence that says what they show."""

    bars: tuple[Bar, ...]
    days_per_bar: int
    label: str
    width: int = WIDTH
    height: int = HEIGHT


def activity_chart(days: Sequence[tuple[dt.date, int]]) -> Activity | None:
    """The chart of ``days`` ((day, articles) pairs, any order); None when there are none."""
    if not days:
        return None
    first = min(day for day, _ in days)
    last = max(day for day, _ in days)
    span = (last - first).days + 1
    per_bar = math.ceil(span / MAX_BARS)
    counts = [0] * math.ceil(span / per_bar)
    for day, count in days:
        counts[(day - first).days // per_bar] += count
    busiest = max(counts)
    step = WIDTH / len(counts)
    gap = min(1.0, step / 4)
    bars = tuple(
        Bar(
            start=first + dt.timedelta(days=number * per_bar),
            end=min(last, first + dt.timedelta(days=(number + 1) * per_bar - 1)),
            count=count,
            x=round(number * step, 2),
            width=round(step - gap, 2),
            height=round(max(1.0, HEIGHT * count / busiest), 2),
        )
        for number, count in enumerate(counts)
        if count
    )
    total = sum(counts)
    unit = "day" if per_bar == 1 else f"{per_bar} days"
    peak = max(bars, key=lambda bar: (bar.count, -bar.x))
    label = (
        f"{total} dated article{'s' if total != 1 else ''} from {first.isoformat()} to "
        f"{last.isoformat()}; at most {busiest} a {unit}, from {peak.start.isoformat()}"
    )
    return Activity(bars=bars, days_per_bar=per_bar, label=label)
