"""Tests of the TimeML side of storyline.text.temporal: TIMEX3 types, values and extents.

One test per kind of expression the tagger learnt for TimeML (clock times, parts of days,
lengths, recurrences, the undated present/past/future, quarters and halves, decades and
spelled-out years, moving holidays, anaphora anchored to the last mentioned date, deadline
words), plus the TempEval-3 scorer of storyline.evaluate.temporal and its CLI.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from storyline.cli import main
from storyline.errors import EvaluationError
from storyline.evaluate.temporal import (
    Timex,
    TimexDocument,
    pair_rows,
    read_tempeval,
    score_tempeval,
    timexes_of,
)
from storyline.model import TimeExpression
from storyline.text.temporal import RuleTimeTagger

TAGGER = RuleTimeTagger()
TUESDAY = dt.date(2017, 5, 30)
WSJ_DAY = dt.date(1989, 10, 26)  # a Thursday in the fourth quarter
CASES = Path(__file__).resolve().parents[1] / "data" / "timex_timeml.jsonl"


def timex(text: str, published: dt.date | None = TUESDAY) -> dict[str, tuple[str, str]]:
    """Wording -> (TIMEX3 type, value)."""
    found = TAGGER.tag(text, published, article_id="t")
    return {e.text: (e.timex_type, e.value) for e in found}


def _cases() -> list[Any]:
    """The table of tests/data/timex_timeml.jsonl: wording -> [type, value] per sentence."""
    lines = CASES.read_text(encoding="utf-8").splitlines()
    return [
        pytest.param(record, id=f"{record['kind']}: {record['text']}")
        for record in map(json.loads, lines)
    ]


@pytest.mark.parametrize("case", _cases())
def test_timeml_type_and_value(case: dict[str, Any]) -> None:
    published = dt.date.fromisoformat(case["published"])
    expected = {wording: tuple(pair) for wording, pair in case["expected"].items()}
    assert timex(case["text"], published) == expected


def test_lengths_and_recurrences_have_no_calendar_reading() -> None:
    text = "The strike lasted three weeks. The shop is closed on Fridays."
    found = TAGGER.tag(text, TUESDAY, article_id="t")
    assert [(e.kind, e.ref) for e in found] == [("length", None), ("set", None)]


def test_a_clock_time_without_a_day_takes_the_last_day_mentioned() -> None:
    result = timex("The vote was on May 2. Polls closed at 8 p.m. in every town.")
    assert result["8 p.m."] == ("TIME", "2017-05-02T20:00")


def test_comparisons_count_back_a_year_and_do_not_anchor_the_quarter() -> None:
    text = (
        "Net rose in the third quarter. It fell in the year-earlier quarter. "
        "A year earlier it had lost money. Sales in the quarter grew."
    )
    result = timex(text, WSJ_DAY)
    assert result["the third quarter"] == ("DATE", "1989-Q3")
    assert result["the year-earlier quarter"] == ("DATE", "1988-Q3")
    assert result["A year earlier"] == ("DATE", "1988-Q3")
    assert result["the quarter"] == ("DATE", "1989-Q3")


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "He was found on Thanksgiving Day.",
            dt.date(2000, 2, 1),
            {"Thanksgiving Day": "1999-11-25"},
        ),
        ("Crowds gathered on Easter Sunday.", dt.date(2011, 5, 2), {"Easter Sunday": "2011-04-24"}),
        (
            "The tax holiday runs to Memorial Day.",
            dt.date(2011, 5, 2),
            {"Memorial Day": "2011-05-30"},
        ),
        ("Election Day is near.", dt.date(2011, 10, 2), {"Election Day": "2011-11-08"}),
        (
            "He spoke on Labor Day of 1936.",
            dt.date(2008, 4, 15),
            {"Labor Day of 1936": "1936-09-07"},
        ),
        (
            "It was his last Christmas at home.",
            dt.date(2011, 5, 2),
            {"last Christmas": "2010-12-25"},
        ),
        ("Christmas shopping was slow.", dt.date(2011, 5, 2), {}),
    ],
)
def test_holidays_fixed_and_moving(text: str, published: dt.date, expected: dict[str, str]) -> None:
    found = TAGGER.tag(text, published, article_id="t")
    assert {e.text: e.value for e in found} == expected
    for expression in found:
        assert expression.ref is not None
        assert expression.ref.start.isoformat() == expression.value


def test_anaphora_count_from_the_last_date_mentioned() -> None:
    text = "Talks opened on May 5. The next day, they stalled. Two days later, they resumed."
    found = TAGGER.tag(text, TUESDAY, article_id="t")
    values = {e.text: e.value for e in found}
    assert values == {
        "May 5": "2017-05-05",
        "The next day": "2017-05-06",
        "Two days later": "2017-05-08",
    }
    # the timeline never guesses them: no calendar reading
    assert [e.ref is None for e in found] == [False, True, True]


def test_the_following_month_counts_from_the_last_month() -> None:
    values = {
        e.text: e.value
        for e in TAGGER.tag(
            "It failed in March 1989. The following month, it sold.", WSJ_DAY, article_id="t"
        )
    }
    assert values["The following month"] == "1989-04"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The offer was extended to Nov. 20.", "1989-11-20"),
        ("The pact, effective Feb. 1, was signed.", "1990-02-01"),
        ("The dividend is payable Jan. 2.", "1990-01-02"),
        ("He was arrested on Nov. 20.", "1988-11-20"),
        ("It was given until mid-November to reply.", "1989-11"),
    ],
)
def test_deadline_words_point_at_the_next_occurrence(text: str, value: str) -> None:
    (expression,) = TAGGER.tag(text, dt.date(1989, 10, 30), article_id="t")
    assert expression.value == value


def test_in_two_weeks_under_a_future_clause_is_the_week_two_weeks_ahead() -> None:
    assert timex("The panel will report in two weeks.") == {"two weeks": ("DATE", "2017-W24")}


def test_a_written_weekday_picks_the_year_even_against_the_tense() -> None:
    text = "The Times said in an editorial on Saturday, April 25: the court erred."
    assert timex(text, dt.date(1998, 4, 24)) == {"Saturday, April 25": ("DATE", "1998-04-25")}


def test_values_without_a_publication_date_keep_what_the_text_says() -> None:
    result = timex("On Monday, a treaty of June 28, 1919 was recalled; it expires on May 7.", None)
    assert result == {
        "Monday": ("DATE", "XXXX-XX-XX"),
        "June 28, 1919": ("DATE", "1919-06-28"),
        "May 7": ("DATE", "XXXX-05-07"),
    }


def test_time_expression_defaults_leave_old_callers_unchanged() -> None:
    expression = TimeExpression(
        article_id="a", start=0, end=6, text="Monday", kind="weekday", ref=None
    )
    assert (expression.timex_type, expression.value) == ("DATE", "")


# --------------------------------------------------------------------------- TempEval-3 scorer


def _doc(text: str, *gold: tuple[int, int, str, str]) -> TimexDocument:
    return TimexDocument(
        id="d1",
        dct=dt.date(1989, 10, 26),
        text=text,
        timexes=tuple(Timex(start=s, end=e, timex_type=t, value=v) for s, e, t, v in gold),
    )


def test_tempeval_counts_strict_relaxed_value_and_type() -> None:
    text = "It fell last week and rose the third quarter for two days."
    gold = _doc(
        text, (8, 17, "DATE", "1989-W42"), (27, 44, "DATE", "1989-Q3"), (49, 57, "DURATION", "P2D")
    )

    def tag(_: str, __: dt.date) -> list[Timex]:
        return [
            Timex(start=8, end=17, timex_type="DATE", value="1989-W42"),  # all right
            Timex(start=31, end=44, timex_type="DATE", value="1989-Q4"),  # relaxed only
            Timex(start=0, end=2, timex_type="DATE", value="PRESENT_REF"),  # false alarm
        ]

    result = score_tempeval([gold], tag)
    overall = result.overall
    assert (overall.gold, overall.system) == (3, 3)
    assert overall.hits["strict"] == (1, 1)
    assert overall.hits["relaxed"] == (2, 2)
    assert overall.hits["value"] == (1, 1)
    assert overall.hits["type"] == (2, 2)
    assert overall.f1("relaxed") == pytest.approx(2 / 3)
    duration = result.by_type["DURATION"]
    assert (duration.gold, duration.system, duration.recall("relaxed")) == (1, 0, 0.0)
    rows = [json.loads(row) for row in pair_rows(result, {"d1": text})]
    assert rows[1]["gold"]["text"] == "the third quarter"
    assert rows[1]["system"]["text"] == "third quarter"
    assert (rows[1]["strict"], rows[1]["relaxed"], rows[1]["value"]) == (False, True, False)
    assert rows[-1]["gold"] is None


def test_tempeval_pairs_each_gold_with_one_system_timex() -> None:
    text = "on Monday and Tuesday"
    gold = _doc(text, (3, 9, "DATE", "1989-10-23"), (14, 21, "DATE", "1989-10-24"))

    def tag(_: str, __: dt.date) -> list[Timex]:
        return [Timex(start=3, end=21, timex_type="DATE", value="1989-10-23")]

    result = score_tempeval([gold], tag)
    assert result.overall.hits["relaxed"] == (1, 1)  # one system timex, one pair


def _tempeval_file(path: Path, text: str, *timexes: tuple[int, int, str, str]) -> Path:
    """A one-document TempEval JSONL with the gold (start, end, type, value) given."""
    record = {
        "doc": "x1",
        "dct": "1989-10-26",
        "text": text,
        "timexes": [
            {"start": s, "end": e, "type": t, "value": v, "tid": f"t{i}"}
            for i, (s, e, t, v) in enumerate(timexes)
        ],
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_read_tempeval_and_the_rule_tagger_end_to_end(tmp_path: Path) -> None:
    text = "The company said on Monday that sales rose for three weeks."
    gold = ((20, 26, "DATE", "1989-10-23"), (47, 58, "DURATION", "P3W"))
    documents = list(read_tempeval(_tempeval_file(tmp_path / "te.jsonl", text, *gold)))
    result = score_tempeval(documents, lambda t, d: timexes_of(TAGGER.tag(t, d, article_id="x1")))
    assert result.overall.f1("strict") == 1.0
    assert result.overall.f1("value") == 1.0


def test_read_tempeval_rejects_offsets_outside_the_text(tmp_path: Path) -> None:
    path = _tempeval_file(tmp_path / "bad.jsonl", "Monday", (0, 60, "DATE", "X"))
    with pytest.raises(EvaluationError, match="not a TempEval document"):
        list(read_tempeval(path))


def test_cli_eval_temporal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Net fell in the third quarter, the company said Monday."
    gold = ((12, 29, "DATE", "1989-Q3"), (48, 54, "DATE", "1989-10-23"))
    dataset = _tempeval_file(tmp_path / "te.jsonl", text, *gold)
    output = tmp_path / "pairs.jsonl"
    assert main(["eval", "temporal", "--dataset", str(dataset), "-o", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "strict F1" in printed
    assert "100.0" in printed
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [row["system"]["value"] for row in rows] == ["1989-Q3", "1989-10-23"]
    assert main(["eval", "temporal", "--dataset", str(tmp_path / "missing.jsonl")]) == 1


# --------------------------------------------------------------------------- tense and extent fixes


def test_an_ed_word_after_a_modal_is_no_past_cue() -> None:
    text = "The bank will buy back 2 million preferred shares on Nov. 3."
    assert timex(text, WSJ_DAY) == {"Nov. 3": ("DATE", "1989-11-03")}
    text = "The bonus would be paid on a still undecided date in January."
    assert timex(text, WSJ_DAY) == {"January": ("DATE", "1990-01")}
    assert timex("The club renamed its stadium on Nov. 3.", WSJ_DAY) == {
        "Nov. 3": ("DATE", "1988-11-03")
    }
    text = "Envoys will meet to enforce the ceasefire agreed on Oct. 3."
    assert timex(text, WSJ_DAY) == {"Oct. 3": ("DATE", "1989-10-03")}


def test_an_implicative_verb_keeps_its_to_infinitive_in_the_past() -> None:
    text = "The mayor plans to act. Over the weekend, the union continued to push for a vote."
    assert timex(text, WSJ_DAY)["the weekend"] == ("DATE", "1989-W42-WE")
    text = "The mayor plans to act. Over the weekend, the union hoped to win a vote."
    assert timex(text, WSJ_DAY)["the weekend"] == ("DATE", "1989-W43-WE")


def test_a_month_that_is_no_first_name_stands_before_a_verb() -> None:
    assert timex("Snowfall in February was the highest on record.", WSJ_DAY) == {
        "February": ("DATE", "1989-02")
    }
    assert timex("Rules due in early December will settle it.", WSJ_DAY) == {
        "early December": ("DATE", "1989-12")
    }
    assert timex("April said she was tired.", WSJ_DAY) == {}


def test_a_quarter_of_an_amount_is_still_a_quarter() -> None:
    text = "The insurer posted a loss for the second quarter of $12 million."
    assert timex(text, WSJ_DAY) == {"the second quarter": ("DATE", "1989-Q2")}
    assert timex("He scored in the second quarter of the game.", WSJ_DAY) == {}


def test_the_year_before_counts_back_from_the_last_mentioned_year() -> None:
    text = "Exports fell to $2 million in 1987, down from $3 million the year before."
    assert timex(text, WSJ_DAY) == {
        "1987": ("DATE", "1987"),
        "the year before": ("DATE", "1986"),
    }
    text = "Its 1988 budget fell from the year before. Staff grew from the year before."
    found = TAGGER.tag(text, WSJ_DAY, article_id="t")
    assert [e.value for e in found] == ["1988", "1987", "1987"]  # a comparison anchors none
    assert timex("The plant closed in March and reopened the month after.", WSJ_DAY) == {
        "March": ("DATE", "1989-03"),
        "the month after": ("DATE", "1989-04"),
    }


def test_a_holiday_week_is_the_iso_week_holding_the_holiday() -> None:
    # Easter 2011 fell on Sunday April 24: its week runs Monday 18 to Sunday 24 (2011-W16);
    # more cases in tests/data/timex_timeml.jsonl ("weeks").
    text = "Pilgrims arrived as Easter week began."
    found = TAGGER.tag(text, dt.date(2011, 4, 18), article_id="t")
    assert [(e.text, e.timex_type, e.value) for e in found] == [("Easter week", "DATE", "2011-W16")]
    assert found[0].ref is not None
    assert (found[0].ref.start, found[0].ref.end) == (dt.date(2011, 4, 18), dt.date(2011, 4, 24))
    assert found[0].ref.granularity == "week"
