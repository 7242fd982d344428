"""Tests of storyline.text.temporal: detection, resolution, the labelled set and the seeds."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from storyline.errors import EvaluationError
from storyline.evaluate.temporal import (
    PredictedTimex,
    calendar_predictions,
    load_labelled,
    parse_value,
    score_timex,
)
from storyline.model import TimeExpression, TimeRef
from storyline.text._timex_rules import ANCHOR_NAMES, ANCHOR_WORDS, DIGITS
from storyline.text.temporal import RuleTimeTagger, TimeTagger, _anchors, first_day

REPO = Path(__file__).resolve().parents[2]
LABELLED = REPO / "tests" / "data" / "timex_labelled.jsonl"
TIMEML = REPO / "tests" / "data" / "timex_timeml.jsonl"
TUESDAY = dt.date(2017, 5, 30)
FRIDAY = dt.date(2017, 6, 2)
TAGGER: TimeTagger = RuleTimeTagger()


def shared_dir() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else (REPO.parent / "shared")


def tag(text: str, published: dt.date | None = TUESDAY) -> tuple[TimeExpression, ...]:
    return TAGGER.tag(text, published, article_id="a1")


def found(text: str, published: dt.date | None = TUESDAY) -> dict[str, str | None]:
    """Wording -> value in the labelled notation (see tests/data/README.md)."""
    return {e.text: _value(e.ref) for e in tag(text, published)}


def _value(ref: TimeRef | None) -> str | None:
    if ref is None:
        return None
    if ref.granularity == "week":
        year, week, _ = ref.start.isocalendar()
        return f"{year}-W{week:02d}"
    if ref.granularity == "month":
        first = f"{ref.start:%Y-%m}"
        last = f"{ref.end:%Y-%m}"
    elif ref.granularity == "year":
        first, last = str(ref.start.year), str(ref.end.year)
    else:
        first, last = ref.start.isoformat(), ref.end.isoformat()
    return first if first == last else f"{first}/{last}"


# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("They met on Monday.", TUESDAY, {"Monday": "2017-05-29"}),
        ("They met on Tuesday.", TUESDAY, {"Tuesday": "2017-05-30"}),
        ("They met on Wednesday.", TUESDAY, {"Wednesday": "2017-05-24"}),
        ("They will meet on Wednesday.", TUESDAY, {"Wednesday": "2017-05-31"}),
        ("They will meet on Monday.", TUESDAY, {"Monday": "2017-06-05"}),
        ("They met on Monday.", FRIDAY, {"Monday": "2017-05-29"}),
        ("They meet next Tuesday.", TUESDAY, {"next Tuesday": "2017-06-06"}),
        ("They met last Tuesday.", TUESDAY, {"last Tuesday": "2017-05-23"}),
        ("The vote is this Sunday.", TUESDAY, {"this Sunday": "2017-06-04"}),
        ("Macron's May 7 election", TUESDAY, {"May 7": "2017-05-07"}),
        ("It will open on May 7.", TUESDAY, {"May 7": "2018-05-07"}),
        ("It takes effect on July 1.", FRIDAY, {"July 1": "2017-07-01"}),
        ("Sunday, May 28, 2017", TUESDAY, {"Sunday, May 28, 2017": "2017-05-28"}),
        ("signed on Dec. 25, 2016, in Geneva", TUESDAY, {"Dec. 25, 2016": "2016-12-25"}),
        ("born on 4 July 1976", TUESDAY, {"4 July 1976": "1976-07-04"}),
        ("released on 2017-05-20", TUESDAY, {"2017-05-20": "2017-05-20"}),
        ("founded in March 2016", TUESDAY, {"March 2016": "2016-03"}),
        ("Sales rose in April.", TUESDAY, {"April": "2017-04"}),
        ("Sales rose in June.", TUESDAY, {"June": "2016-06"}),
        ("It will open in June.", TUESDAY, {"June": "2017-06"}),
        ("It happened in 2016.", TUESDAY, {"2016": "2016"}),
        ("The czar's 1717 visit", TUESDAY, {"1717": "1717"}),
        ("in the 1990s", TUESDAY, {"the 1990s": "1990/1999"}),
        ("in the '90s", TUESDAY, {"the '90s": "1990/1999"}),
        ("in the late 1980s", TUESDAY, {"the late 1980s": "1980/1989"}),
        ("in the 1800s", TUESDAY, {"the 1800s": "1800/1899"}),
        ("in the 19th century", TUESDAY, {"the 19th century": "1800/1899"}),
        ("It rose this year.", TUESDAY, {"this year": "2017"}),
        ("It fell last year.", TUESDAY, {"last year": "2016"}),
        ("Earlier this month it fell.", TUESDAY, {"Earlier this month": "2017-05"}),
        ("It fell last week.", TUESDAY, {"last week": "2017-W21"}),
        ("It rises next week.", TUESDAY, {"next week": "2017-W23"}),
        ("It opens next month.", TUESDAY, {"next month": "2017-06"}),
        ("It fell two days ago.", TUESDAY, {"two days ago": "2017-05-28"}),
        ("It fell three weeks ago.", TUESDAY, {"three weeks ago": "2017-W19"}),
        ("It fell 2 months ago.", TUESDAY, {"2 months ago": "2017-03"}),
        ("It will report in two weeks.", TUESDAY, {"two weeks": "2017-W24"}),
        ("It fell yesterday.", TUESDAY, {"yesterday": "2017-05-29"}),
        ("It opens today.", TUESDAY, {"today": "2017-05-30"}),
        ("It opens tonight.", TUESDAY, {"tonight": "2017-05-30"}),
        ("It opens tomorrow.", TUESDAY, {"tomorrow": "2017-05-31"}),
        ("It broke last night.", TUESDAY, {"last night": "2017-05-29"}),
        ("Monday's meeting ended.", TUESDAY, {"Monday": "2017-05-29"}),
        ("Monday 's meeting ended .", TUESDAY, {"Monday": "2017-05-29"}),
        ("on May 7 , 2017 , in Paris", TUESDAY, {"May 7 , 2017": "2017-05-07"}),
        ("over the weekend", TUESDAY, {"the weekend": "2017-05-27/2017-05-28"}),
        ("They play this weekend.", FRIDAY, {"this weekend": "2017-06-03/2017-06-04"}),
        ("in the spring of 2016", TUESDAY, {"spring of 2016": "2016-03/2016-05"}),
        ("It will report in the summer.", TUESDAY, {"summer": "2017-06/2017-08"}),
        ("on Christmas Eve", dt.date(2012, 12, 27), {"Christmas Eve": "2012-12-24"}),
        ("the past week", FRIDAY, {"the past week": "2017-05-26/2017-06-02"}),
        ("late Sunday", TUESDAY, {"late Sunday": "2017-05-28"}),
        ("at the end of last year", TUESDAY, {"the end of last year": "2016"}),
    ],
)
def test_resolves(text: str, published: dt.date, expected: dict[str, str | None]) -> None:
    assert found(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "She may resign.",
        "May I ask a question?",
        "Theresa May said no.",
        "the March on Washington",
        "April Jones said the school would reopen.",
        "The Sun reported it.",
        "Mark Tillson lost 1,717 sheep.",
        "He won 2017 votes.",
        "About 1500 soldiers were sent.",
        "Flight 1717 landed.",
        "Black Friday sales rose.",
        "Cyber Monday deals",
        "The Sunday Times said.",
        "The Mail on Sunday said.",
        "USA Today reported it.",
        "The fall in prices hurt.",
        "Saturday Night Live",
        "the 2016-17 season",
    ],
)
def test_rejects_non_temporal_readings(text: str) -> None:
    assert tag(text) == ()


def test_march_is_not_a_month_but_sunday_is_a_day() -> None:
    assert found("Thousands joined the march on Sunday.") == {"Sunday": "2017-05-28"}


def test_russia_today_is_a_name_but_monday_is_a_day() -> None:
    assert found("Russia Today aired it on Monday.") == {"Monday": "2017-05-29"}


# --------------------------------------------------------------------------- tense reach


def test_future_cue_in_a_that_clause_does_not_reach_the_main_clause() -> None:
    result = found("He said on Thursday that they will meet on Monday.")
    assert result == {"Thursday": "2017-05-25", "Monday": "2017-06-05"}


def test_future_cue_stops_at_a_subordinate_after_clause() -> None:
    text = "Putin is due to visit the centre after meeting Mr Macron on Monday."
    assert found(text, FRIDAY) == {"Monday": "2017-05-29"}


def test_fronted_expression_reads_the_next_clause() -> None:
    assert found("On Friday, the council will vote.") == {"Friday": "2017-06-02"}
    assert found("On Friday, the council voted.") == {"Friday": "2017-05-26"}


def test_passive_participle_after_be_is_not_past() -> None:
    assert found("The summit will be held on Thursday.") == {"Thursday": "2017-06-01"}


def test_since_forces_the_past_and_until_leans_future() -> None:
    assert found("It has rained since Thursday.") == {"Thursday": "2017-05-25"}
    assert found("The roads stay shut until Thursday.") == {"Thursday": "2017-06-01"}


def test_weekday_beside_a_yearless_date_picks_the_year() -> None:
    assert found("The talks on Thursday, June 1, decide it.") == {"Thursday, June 1": "2017-06-01"}


# --------------------------------------------------------------------------- unresolved


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("The next day, he left.", "The next day"),
        ("Two days later, he left.", "Two days later"),
        ("A few days ago, he left.", "A few days ago"),
        ("Riots broke out that day.", "that day"),
        ("The previous week was calm.", "The previous week"),
    ],
)
def test_unresolvable_expressions_are_kept_and_marked(text: str, wording: str) -> None:
    (expression,) = tag(text)
    assert expression.text == wording
    assert expression.ref is None
    assert expression.note


def test_without_publication_date_only_absolute_expressions_resolve() -> None:
    text = "On Monday, a treaty of June 28, 1919 was recalled; in 1547 the king died last year."
    result = found(text, None)
    assert result == {
        "Monday": None,
        "June 28, 1919": "1919-06-28",
        "1547": "1547",
        "last year": None,
    }


def test_offsets_point_into_the_text_and_carry_the_article_id() -> None:
    text = "Le Pen said on Monday that she met him in April."
    expressions = RuleTimeTagger().tag(text, TUESDAY, article_id="seed-1")
    assert [(e.text, text[e.start : e.end], e.article_id) for e in expressions] == [
        ("Monday", "Monday", "seed-1"),
        ("April", "April", "seed-1"),
    ]
    assert [e.kind for e in expressions] == ["weekday", "month"]


def test_extreme_publication_dates_do_not_overflow() -> None:
    late = found("It opens tomorrow, next week and next year.", dt.date(9999, 12, 31))
    assert late == {"tomorrow": None, "next week": None, "next year": None}
    early = found("It closed yesterday and 999 years ago.", dt.date(1, 1, 1))
    assert early == {"yesterday": None, "999 years ago": None}


# --------------------------------------------------------------------------- labelled set


def _rule_tagger(text: str, published: dt.date | None) -> list[PredictedTimex]:
    return calendar_predictions(TAGGER.tag(text, published, article_id="labelled"))


def test_labelled_set_is_large_enough() -> None:
    labelled = load_labelled(LABELLED)
    assert sum(len(s.timex) for s in labelled) >= 170
    assert sum(len(s.negatives) for s in labelled) >= 30


def test_labelled_set_accuracy_is_at_least_95_percent() -> None:
    score = score_timex(load_labelled(LABELLED), _rule_tagger)
    assert score.accuracy >= 0.95, "\n".join(score.errors)


def test_scorer_counts_misses_false_positives_and_spurious_tags(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "x", "published": "2017-05-30", "text": "She may go on Monday, he said.",'
        ' "timex": [{"text": "Monday", "value": "2017-05-29"}], "negatives": ["may"]}\n',
        encoding="utf-8",
    )
    labelled = load_labelled(path)
    monday = TimeRef(start=dt.date(2017, 5, 29), end=dt.date(2017, 5, 29), granularity="day")
    sunday = TimeRef(start=dt.date(2017, 5, 28), end=dt.date(2017, 5, 28), granularity="day")

    def perfect(text: str, published: dt.date | None) -> list[PredictedTimex]:
        return [PredictedTimex(start=14, end=20, ref=monday)]

    def sloppy(text: str, published: dt.date | None) -> list[PredictedTimex]:
        return [
            PredictedTimex(start=4, end=7, ref=monday),
            PredictedTimex(start=14, end=20, ref=sunday),
            PredictedTimex(start=22, end=24, ref=None),
        ]

    assert score_timex(labelled, perfect).accuracy == 1.0
    bad = score_timex(labelled, sloppy)
    assert (bad.right, bad.labels, bad.negatives, bad.spurious) == (0, 1, 1, 1)


def test_parse_value_notation() -> None:
    assert parse_value("2017-W22") == TimeRef(
        start=dt.date(2017, 5, 29), end=dt.date(2017, 6, 4), granularity="week"
    )
    assert parse_value("2016-12") == TimeRef(
        start=dt.date(2016, 12, 1), end=dt.date(2016, 12, 31), granularity="month"
    )
    assert parse_value("1990/1999") == TimeRef(
        start=dt.date(1990, 1, 1), end=dt.date(1999, 12, 31), granularity="year"
    )
    assert parse_value(None) is None


def test_malformed_labelled_line_is_an_evaluation_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "on Monday", "timex": [{"text": "Friday"}]}\n')
    with pytest.raises(EvaluationError, match="not in text"):
        load_labelled(path)


# --------------------------------------------------------------------------- seeds


def _seed(prefix: str) -> tuple[str, dt.date]:
    seeds = shared_dir() / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed articles not found at {seeds} (set STORYLINE_SHARED)")
    matches = sorted(seeds.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {seeds}")
    text = matches[0].read_text(encoding="utf-8")
    header = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", text)
    assert header is not None, f"seed {matches[0]} has no date header"
    return text, dt.date.fromisoformat(header.group(1))


def _in_seed(prefix: str, phrase: str, wording: str) -> TimeExpression:
    text, published = _seed(prefix)
    at = text.index(phrase) + phrase.index(wording)
    expressions = [e for e in tag(text, published) if e.start <= at < e.end]
    assert expressions, f"nothing tagged at {wording!r} in {phrase!r}"
    return expressions[0]


@pytest.mark.parametrize(
    ("prefix", "phrase", "wording", "value"),
    [
        ("000", "Russian Federation on Monday with a message", "Monday", "2017-05-29"),
        ("000", "first official meeting on Thursday was", "Thursday", "2017-05-25"),
        ("000", "Monday’s meeting comes", "Monday", "2017-05-29"),
        ("000", "debut on the world stage last week", "last week", "2017-W21"),
        ("001", "Sunday, May 28, 2017", "Sunday, May 28, 2017", "2017-05-28"),
        ("001", "since Macron’s May 7 election", "May 7", "2017-05-07"),
        ("001", "at the Kremlin in March", "March", "2017-03"),
        ("004", "chemical attack in Syria in April", "April", "2017-04"),
        ("004", "The czar’s 1717 visit", "1717", "1717"),
        ("004", "after meeting Mr Macron on Monday", "Monday", "2017-05-29"),
    ],
)
def test_seed_expressions(prefix: str, phrase: str, wording: str, value: str) -> None:
    expression = _in_seed(prefix, phrase, wording)
    assert expression.text == wording
    assert _value(expression.ref) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The agency would add buses to the route by Wednesday.", {"Wednesday": "2017-05-31"}),
        ("The bridge is unlikely to reopen before October.", {"October": "2017-10"}),
        ("He said it would have been held on Friday.", {"Friday": "2017-05-26"}),
    ],
)
def test_deadlines_lean_forward_unless_the_clause_is_past(
    text: str, expected: dict[str, str | None]
) -> None:
    assert found(text) == expected


def _day_by_scan(text: str, published: dt.date | None) -> dt.date | None:
    for expression in TAGGER.tag(text, published, article_id="t"):
        ref = expression.ref
        if ref is not None and ref.granularity == "day" and expression.timex_type != "SET":
            return ref.start
    return None


@pytest.mark.parametrize("published", [None, TUESDAY])
def test_first_day_is_the_first_day_precise_expression_of_the_tagger(
    published: dt.date | None,
) -> None:
    texts = [sentence.text for sentence in load_labelled(LABELLED)]
    texts += [json.loads(line)["text"] for line in TIMEML.read_text(encoding="utf-8").splitlines()]
    days = [first_day(TAGGER, text, published, article_id="t") for text in texts]
    assert days == [_day_by_scan(text, published) for text in texts]
    assert any(day is not None for day in days)


def test_first_day_without_publication_date_tags_only_texts_with_a_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tagged: list[str] = []
    tag = RuleTimeTagger.tag

    def counting(
        self: RuleTimeTagger, text: str, published: dt.date | None, *, article_id: str
    ) -> tuple[TimeExpression, ...]:
        tagged.append(text)
        return tag(self, text, published, article_id=article_id)

    monkeypatch.setattr(RuleTimeTagger, "tag", counting)
    tagger = RuleTimeTagger()
    relative = "The council met on Monday at 3 p.m., the day after the vote."
    assert first_day(tagger, relative, None, article_id="t") is None
    assert tagged == []
    explicit = "The council met at 3 p.m. on Monday, May 29, 2017."
    assert first_day(tagger, explicit, None, article_id="t") == dt.date(2017, 5, 29)
    assert first_day(tagger, relative, TUESDAY, article_id="t") == dt.date(2017, 5, 29)
    assert tagged == [explicit, relative]


def _anchors_by_find(text: str) -> list[int]:
    """The anchor offsets as a ``str.find`` loop per word gives them (the definition)."""
    found = [match.start() for match in DIGITS.finditer(text)]
    for words, haystack in ((ANCHOR_WORDS, text.lower()), (ANCHOR_NAMES, text)):
        for word in words:
            at = haystack.find(word)
            while at >= 0:
                found.append(at)
                at = haystack.find(word, at + 1)
    return sorted(found)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "No anchor here.",
        "Late Tuesday afternoon, at midday yesterday and 3 p.m. on Dec. 5, 2017.",
        "The Decade of the Evening: Christmas Eve, the nineteen-nineties, DAYS AND NIGHTS.",
        "todaytodaytoday 1999-2000 Thanksgiving's daily halfhalf centuries",
        "Mayday May 1 MAY JanJun Octoberfest nownow",
    ],
)
def test_anchor_scan_finds_every_offset_a_find_loop_finds(text: str) -> None:
    assert _anchors(text) == _anchors_by_find(text)


def test_a_tagger_answers_alike_with_its_calendar_memo_warm_and_cold() -> None:
    """The memo of calendar functions changes no answer: a tagger that has tagged the
    labelled set once tags it again as a fresh one does, and a pickled tagger (sent to a
    worker) arrives with an empty memo and tags alike."""
    import pickle  # noqa: PLC0415  (only this test pickles)

    items = [(s.text, s.published) for s in load_labelled(LABELLED)]
    warm = RuleTimeTagger()
    first = [warm.tag(text, published, article_id="m") for text, published in items]
    again = [warm.tag(text, published, article_id="m") for text, published in items]
    sent = pickle.loads(pickle.dumps(warm))
    assert sent._calendar.day_ref.cache_info().currsize == 0
    fresh = [RuleTimeTagger().tag(text, published, article_id="m") for text, published in items]
    assert first == again == fresh
    assert [sent.tag(text, published, article_id="m") for text, published in items] == fresh
    assert warm._calendar.day_ref.cache_info().hits > 0  # type: ignore[attr-defined]
