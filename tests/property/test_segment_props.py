"""Properties of RuleSegmenter spans on arbitrary and news-like text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.text.sentences import RuleSegmenter

# Pieces that exercise every rule: abbreviations, acronyms, quotes, breaks, bullets.
NEWS_PIECES = [
    "Mr.",
    "Dr.",
    "U.S.",
    "J.P.",
    "p.m.",
    "a.m.",
    "No.",
    "Sept.",
    "Inc.",
    "Calif.",
    "e.g.",
    "vs.",
    "W.",
    "The",
    "He",
    "said",
    "officials",
    "Monday",
    "iPhone",
    "3.5",
    "10.",
    "1.",
    "...",
    "…",
    "?",
    "!",
    ".",
    ",",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "(",
    ")",
    "[12]",
    "-RRB-",
    "•",
    "—",
    "example.com",
    ".The",
    '."I',
    " ",
    "  ",
    "\n",
    "\n\n",
    " \n \n ",
    "\r\n",
    "\t",
    "\u00a0",
    "\u2028",
]
news_text = st.lists(st.sampled_from(NEWS_PIECES), max_size=60).map(" ".join) | st.lists(
    st.sampled_from(NEWS_PIECES), max_size=60
).map("".join)
any_text = st.text(max_size=300)
texts = news_text | any_text


def check_spans(text: str, spans: tuple[tuple[int, int], ...]) -> None:
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        for index in range(start, end):
            covered[index] = True
        previous_end = end
    for index, char in enumerate(text):
        assert covered[index] or char.isspace(), (index, char)


@settings(max_examples=400)
@given(texts)
def test_spans_are_ordered_stripped_and_cover_all_text(text: str) -> None:
    check_spans(text, RuleSegmenter().split(text))


@settings(max_examples=200)
@given(texts)
def test_spans_hold_without_soft_wraps_and_with_extra_abbreviations(text: str) -> None:
    segmenter = RuleSegmenter(abbreviations=("Dist", "The"), join_wrapped_lines=False)
    check_spans(text, segmenter.split(text))


@settings(max_examples=200)
@given(news_text, news_text)
def test_a_blank_line_separates_independent_paragraphs(first: str, second: str) -> None:
    segmenter = RuleSegmenter()
    joined = first + "\n\n" + second
    offset = len(first) + 2
    expected = segmenter.split(first) + tuple(
        (start + offset, end + offset) for start, end in segmenter.split(second)
    )
    assert segmenter.split(joined) == expected


@settings(max_examples=300)
@given(texts, st.integers(min_value=2, max_value=40))
def test_no_sentence_is_longer_than_the_cap(text: str, max_chars: int) -> None:
    spans = RuleSegmenter(max_chars=max_chars).split(text)
    check_spans(text, spans)
    assert all(end - start <= max_chars for start, end in spans)
