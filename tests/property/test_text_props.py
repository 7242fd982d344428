"""Tokens, for any text: the byte-level tokenizer agrees with its plain definition.

``storyline.text.tokens.tokenize`` finds word tokens on UTF-8 bytes with NumPy and
looks word forms up in a shared vocabulary. The reference below is the
definition written out simply: a regular expression, then one dictionary per
table for types and stems.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import Stemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.text import tokens as _text
from storyline.text.tokens import STOP_WORDS, TokenTable, tokenize

TOKEN = re.compile(r"[^\W_]+")
STEMMER = Stemmer.Stemmer("english")


def reference(texts: tuple[str, ...]) -> dict[str, list[int] | list[bool]]:
    types: dict[str, int] = {}
    stems: dict[str, int] = {}
    token_type, token_row = [], []
    for row, text in enumerate(texts):
        for token in TOKEN.findall(text):
            token_type.append(types.setdefault(token, len(types)))
            token_row.append(row)
    forms = list(types)
    lowered = [form.lower() for form in forms]
    return {
        "token_type": token_type,
        "token_row": token_row,
        "type_stem": [stems.setdefault(STEMMER.stemWord(low), len(stems)) for low in lowered],
        "type_stop": [low in STOP_WORDS for low in lowered],
        "type_capital": [form.istitle() for form in forms],
        "type_lower": [form[0].islower() for form in forms],
    }


def assert_matches(table: TokenTable, texts: tuple[str, ...]) -> None:
    expected = reference(texts)
    for name, values in expected.items():
        assert getattr(table, name).tolist() == values, name
    assert table.stem_count == len(set(expected["type_stem"]))


# Latin letters with diacritics and the two signs among them, other scripts
# (two-, three- and four-byte UTF-8), numerals that are not digits (½, ²),
# combining marks, curly quotes and dashes (three-byte UTF-8), line separators, NUL, and
# lone surrogates (JSON input can carry them).
ALPHABET = (
    "aZ09_ \n\t.,'’“”-—éÀÖØöøÿĀɏɐ×÷ßµ¡€中Ωж½²\u0301\U0001d400\U0001f600\x00\u2028\ud800\udfff"
)
texts = st.lists(st.text(alphabet=ALPHABET, max_size=40), max_size=6).map(tuple)
words = st.lists(
    st.sampled_from(
        "The the THE Putin putin Putin's meddled meddling café Überseehafen 2017 U.S. said".split()
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts=texts)
def test_tokens_types_and_stems_match_the_definition(texts: tuple[str, ...]) -> None:
    assert_matches(tokenize.__wrapped__(texts), texts)


@contextmanager
def small_chunks_and_vocabulary() -> Iterator[None]:
    chunk, vocabulary = _text._CHUNK_BYTES, _text._VOCABULARY
    _text._CHUNK_BYTES, _text._VOCABULARY = 16, _text._Vocabulary(limit=8, recent=2)
    try:
        yield
    finally:
        _text._CHUNK_BYTES, _text._VOCABULARY = chunk, vocabulary


@settings(max_examples=100, deadline=None)
@given(batches=st.lists(st.lists(words, max_size=4).map(tuple), min_size=1, max_size=4))
def test_chunking_and_a_full_vocabulary_change_nothing(batches: list[tuple[str, ...]]) -> None:
    # Batch after batch, some forms are known and some new; the 8-form vocabulary
    # keeps filling up and starting again.
    with small_chunks_and_vocabulary():
        tables = [tokenize.__wrapped__(texts) for texts in batches]
    for table, texts in zip(tables, batches, strict=True):
        assert_matches(table, texts)


def test_threads_share_the_vocabulary_safely() -> None:
    batches = [
        tuple(f"Report {n} {k} from Port{k}ville, where crews{n} said{k} so." for k in range(40))
        for n in range(8)
    ]
    results: dict[int, TokenTable] = {}

    def work(n: int) -> None:
        results[n] = tokenize.__wrapped__(batches[n])

    with small_chunks_and_vocabulary():
        _text._VOCABULARY = _text._Vocabulary(limit=300, recent=20)  # fills, restarts
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for n, batch in enumerate(batches):
        assert_matches(results[n], batch)
    assert all(isinstance(table.token_type, np.ndarray) for table in results.values())
