"""Properties of the rule-based temporal tagger over arbitrary text and dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.text._timex_context import _cues
from storyline.text._timex_rules import CUE, CUE_NOT_FIRST, CUE_WORDS, PATTERN
from storyline.text.temporal import RuleTimeTagger, _candidates

TAGGER = RuleTimeTagger()

# Words that reach every rule of the pattern, mixed with arbitrary text so that
# both the matching and the context filters see odd neighbours.
_VOCABULARY = [
    "on", "in", "Monday", "Friday", "Sunday", "Sun", "May", "may", "March", "April", "Dec.",
    "25", "7", "31", "29", ",", " ,", "2016", "1717", "1990s", "'90s", "19th", "century",
    "last", "next", "this", "past", "coming", "week", "weeks", "month", "year", "weekend",
    "yesterday", "today", "Today", "tonight", "tomorrow", "two", "a", "few", "days", "ago",
    "later", "the", "day", "before", "after", "will", "was", "met", "is", "to", "'s", " 's",
    "early", "mid-", "late", "end", "of", "summer", "fall", "Christmas", "Eve", "Black",
    "since", "until", "-LRB-", "``", "''", ".", "that", "and", "Day", "New", "Year", "’s",
    "2017-05-28", "999", "0", "30", "February", "Sept.", "Thursday,", "Q", "\n", "  ",
    "The", "THE", "quarter", "fiscal", "half", "first", "third", "1st", "twenties", "near",
    "future", "term", "following", "same", "whole", "an", "company", "period", "nineteen",
    "fifty", "dozen", "hours", "long", "-", "'ll", "'re", "would", "expected", "planned",
    "meeting", "going", "be", "held", "said", "ſhall", "Will", "WAS", "wo", "n't",
]  # fmt: skip

temporal_text = st.lists(
    st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=6)), max_size=30
).map(" ".join)
any_text = st.one_of(st.text(max_size=200), temporal_text)
any_date = st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max]))


@settings(max_examples=400, deadline=None)
@given(text=any_text, published=any_date)
def test_offsets_are_inside_the_text_and_give_the_wording(
    text: str, published: dt.date | None
) -> None:
    previous_end = 0
    for expression in TAGGER.tag(text, published, article_id="p"):
        assert 0 <= expression.start < expression.end <= len(text)
        assert text[expression.start : expression.end] == expression.text
        assert expression.start >= previous_end  # in order, never overlapping
        previous_end = expression.end
        assert expression.article_id == "p"


@settings(max_examples=400, deadline=None)
@given(text=any_text, published=any_date)
def test_a_resolved_reference_is_an_ordered_span(text: str, published: dt.date | None) -> None:
    for expression in TAGGER.tag(text, published, article_id="p"):
        if expression.ref is not None:
            assert expression.ref.start <= expression.ref.end
            assert expression.ref.granularity in {"day", "week", "month", "year"}


@settings(max_examples=200, deadline=None)
@given(text=temporal_text, published=st.dates())
def test_relative_expressions_need_the_publication_date(text: str, published: dt.date) -> None:
    dated = TAGGER.tag(text, published, article_id="p")
    undated = TAGGER.tag(text, None, article_id="p")
    assert [(e.start, e.end) for e in dated] == [(e.start, e.end) for e in undated]
    for with_date, without in zip(dated, undated, strict=True):
        if without.ref is not None:
            assert with_date.ref == without.ref


@settings(max_examples=400, deadline=None)
@given(text=any_text)
def test_anchor_windows_find_what_a_full_scan_finds(text: str) -> None:
    full = [match.span() for match in PATTERN.finditer(text)]
    assert [match.span() for match in _candidates(text)] == full


# Every word CUE writes, those it never starts with (CUE_NOT_FIRST) included, in any case,
# so that a match starting at a word _cues passes over would be found here.
_CUE_VOCABULARY = [*sorted(CUE_WORDS | CUE_NOT_FIRST), "'ll", "’re", "n't", "to", "off"]
cue_text = st.lists(
    st.one_of(
        st.sampled_from(_CUE_VOCABULARY),
        st.sampled_from(_CUE_VOCABULARY).map(str.upper),
        st.sampled_from(_VOCABULARY),
        st.text(max_size=4),
    ),
    max_size=20,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(any_text, cue_text), data=st.data())
def test_cues_are_what_a_full_scan_finds(text: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    full = [match.span() for match in CUE.finditer(text, lo, hi)]
    assert [match.span() for match in _cues(text, lo, hi)] == full
