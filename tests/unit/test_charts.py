"""The story list's activity charts: a bar a day, or a bar per run of days over a long span."""

from __future__ import annotations

import datetime as dt

from storyline.service.charts import HEIGHT, MAX_BARS, WIDTH, activity_chart

DAY = dt.date(2026, 4, 1)


def test_no_dated_article_is_no_chart() -> None:
    assert activity_chart([]) is None


def test_a_bar_a_day_scaled_to_the_busiest() -> None:
    chart = activity_chart([(DAY + dt.timedelta(days=2), 1), (DAY, 4)])
    assert chart is not None
    assert chart.days_per_bar == 1
    assert [(b.start, b.count) for b in chart.bars] == [(DAY, 4), (DAY + dt.timedelta(days=2), 1)]
    assert [b.height for b in chart.bars] == [HEIGHT, HEIGHT / 4]
    assert chart.bars[1].x == WIDTH * 2 / 3, "the empty day between keeps its place"
    assert chart.label == (
        "5 dated articles from 2026-04-01 to 2026-04-03; at most 4 a day, from 2026-04-01"
    )


def test_a_long_span_is_drawn_in_runs_of_days_inside_the_chart() -> None:
    days = [(DAY + dt.timedelta(days=n), 1) for n in range(0, 365, 5)]
    chart = activity_chart(days)
    assert chart is not None
    assert chart.days_per_bar == 7
    assert len(chart.bars) <= MAX_BARS
    assert sum(b.count for b in chart.bars) == len(days)
    assert all(b.x >= 0 and b.x + b.width <= WIDTH for b in chart.bars)
    assert all(0 < b.height <= HEIGHT for b in chart.bars)
    assert chart.bars[-1].end == days[-1][0]
