"""Word patterns written for ASCII find what their Unicode forms find, wherever
``words_are_ascii`` lets a stage use them.

The quotes stage tokenises an article's stretches with ``_ASCII_WORD_TOKEN`` when no
character of the article from U+0080 up is a word character or white space (curly
quotes and dashes are neither); the tokens must be those of ``_TOKEN``, its Unicode form.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.digest import quotes
from storyline.text.tokens import words_are_ascii

# ASCII (control characters and white space included), the marks news text carries beyond
# it, a letter and a digit outside ASCII (which make words_are_ascii fail), and pieces the
# patterns treat specially: initials, numbers with separators, possessives, joined words
PIECES = st.one_of(
    st.characters(max_codepoint=0x7F),
    st.sampled_from(list("’‘“”—–…£©\xad\u00a0\u2028é½٣")),
    st.sampled_from(["U.S.", "1,000.5", "Jones's ", "dogs’ ", "dogs' ", "x-y&z", "Mr. ", "__"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_ascii_word_pattern_finds_the_unicode_patterns_tokens(text: str) -> None:
    if words_are_ascii(text):
        assert quotes._ASCII_WORD_TOKEN.findall(text) == quotes._TOKEN.findall(text)


@given(st.text(max_size=30))
def test_words_are_ascii_when_no_character_beyond_it_is_a_word_or_space(text: str) -> None:
    beyond = [c for c in text if ord(c) > 0x7F]
    assert words_are_ascii(text) == (not any(c.isalnum() or c.isspace() for c in beyond))


def test_words_are_ascii_on_news_marks_and_not_on_letters() -> None:
    assert words_are_ascii("“It’s over,” she said — twice…")
    assert not words_are_ascii("Café owners said")
    assert not words_are_ascii("a\u00a0b")
