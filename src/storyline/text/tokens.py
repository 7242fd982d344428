"""Word-level text helpers shared by the stages: tokens, stop words, stems."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import Stemmer

from storyline.model import by_fields
from storyline.text._arrays import positions_in_runs, rank_by_appearance

__all__ = [
    "ASCII_SPACE",
    "STOP_WORDS",
    "TokenTable",
    "stem",
    "tokenize",
    "words_are_ascii",
]

# Function words and news boilerplate verbs that carry no fact on their own.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say saying told according mr mrs
    ms dr one two would may might must shall us its it's s t don didn doesn isn wasn
    aren weren won wouldn couldn shouldn hasn haven hadn ll re ve d m o
    """.split()
)

# The characters below U+0080 that a Unicode pattern's \s matches (str.isspace), as the
# inside of a character class: with these, [A-Za-z0-9] for [^\W_] and [0-9] for \d, a
# pattern written for ASCII finds what its Unicode form finds in a text of which
# words_are_ascii holds, at about three quarters of the cost (measured on the stages'
# word patterns over the articles of bench/make_stream.py).
ASCII_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f "
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def words_are_ascii(text: str) -> bool:
    """Whether every character of ``text`` from U+0080 up is neither a word character nor
    white space (as curly quotes and dashes are): then \\w, \\d and \\s match in it only
    the ASCII characters they match in ASCII text (96% of the articles of the synthetic
    stream; only 56% are ASCII throughout)."""
    if text.isascii():
        return True
    return not any(c.isalnum() or c.isspace() for c in set(_NOT_ASCII.findall(text)))


# Snowball's English stemmer (Porter2) in PyStemmer's C implementation: an order of
# magnitude faster than NLTK's Porter, and as good for selection (Multi-News val250
# R-2 16.91 against 16.95 with NLTK's Porter, 16.83 with the original Porter).
_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter2) stem of a lower-cased word (cached: news vocabularies repeat a lot)."""
    return str(_STEMMER.stemWord(word))


# Word tokens for the vectorised stages: runs of letters and digits of any script
# (characters for which str.isalnum() holds; as a regular expression, [^\W_]+).
# Apostrophes split ("France's" gives "France" and the stop word "s").
# tokenize() finds these runs on the UTF-8 bytes of the text with NumPy, several
# times faster than the expression, and never builds a string per token: ASCII
# bytes by a table, other characters by decoding their byte sequences and looking
# the code points up in _ALNUM, filled 256 code points at a time as text needs them.
_ASCII_WORD_BYTE = np.zeros(256, dtype=bool)
_ASCII_WORD_BYTE[list(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")] = True
_ALNUM = np.zeros(0x110000, dtype=bool)
_ALNUM_PAGE_FILLED = np.zeros(0x110000 >> 8, dtype=bool)
# Texts are tokenised in chunks of about this many bytes (bounding the work arrays).
_CHUNK_BYTES = 1 << 20
# Odd multipliers of the polynomial token hash and of its length term.
_BASE = np.uint64(0xD6E8FEB86659FD93)
_LENGTH_FACTOR = np.uint64(0x9E3779B97F4A7C15)

_UInt8Array = npt.NDArray[np.uint8]
_UInt64Array = npt.NDArray[np.uint64]
_IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TokenTable:
    """The word tokens of a list of sentences, as integer ids.

    ``token_type`` and ``token_row`` give each token's word type and sentence;
    types are numbered in order of first appearance. Per type, ``type_stem``
    is the id of its lower-cased stem (also numbered in order of first
    appearance), ``type_stop`` says whether it is a function word,
    ``type_capital`` whether it is capitalised (title case) and ``type_lower``
    whether it starts in lower case.
    """

    token_type: _IntArray
    token_row: _IntArray
    type_stem: _IntArray
    type_stop: npt.NDArray[np.bool_]
    type_capital: npt.NDArray[np.bool_]
    type_lower: npt.NDArray[np.bool_]
    stem_count: int

    def __reduce__(self) -> tuple[Any, ...]:
        return by_fields(self)  # compiled or not (see by_fields)


@lru_cache(maxsize=2)
def tokenize(texts: tuple[str, ...]) -> TokenTable:
    """Tokenise every text; all per-word work is done once per distinct word.

    Copy detection, fact grouping and selection tokenise the same sentences one
    after the other, so the last tables are kept (the texts are the key; a table
    is never modified). Tokens are found and hashed on the texts' UTF-8 bytes;
    a word form's stem and flags come from :data:`_VOCABULARY`, so only word
    forms never seen before are decoded and stemmed.
    """
    hashes, rows, spellings = _token_hashes(texts)
    token_type, first = rank_by_appearance(hashes)
    codes = _VOCABULARY.codes(hashes[first], lambda types: spellings(first[types]))
    type_stem, stem_first = rank_by_appearance(codes >> 3)
    table = TokenTable(
        token_type=token_type,
        token_row=rows,
        type_stem=type_stem,
        type_stop=(codes & 4).astype(bool),
        type_capital=(codes & 2).astype(bool),
        type_lower=(codes & 1).astype(bool),
        stem_count=stem_first.size,
    )
    for array in (
        table.token_type,
        table.token_row,
        table.type_stem,
        table.type_stop,
        table.type_capital,
        table.type_lower,
    ):
        array.flags.writeable = False  # shared between stages through the cache
    return table


def _token_hashes(
    texts: tuple[str, ...],
) -> tuple[_UInt64Array, _IntArray, Callable[[_IntArray], list[str]]]:
    """A 64-bit hash and the text index of every token, and a way to spell tokens."""
    hashes: list[_UInt64Array] = []
    rows: list[_IntArray] = []
    starts: list[_IntArray] = []
    ends: list[_IntArray] = []
    data: list[bytes] = []
    for first_row, chunk, text_starts in _chunks(texts):
        chunk_hashes, chunk_starts, chunk_ends = _hash_chunk(chunk)
        hashes.append(chunk_hashes)
        rows.append(np.searchsorted(text_starts, chunk_starts, side="right") - 1 + first_row)
        starts.append(chunk_starts)
        ends.append(chunk_ends)
        data.append(chunk)
    if not hashes:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=np.uint64), empty, lambda tokens: []
    chunk_of = np.repeat(np.arange(len(data)), [len(h) for h in hashes])
    all_starts, all_ends = np.concatenate(starts), np.concatenate(ends)

    def spell(tokens: _IntArray) -> list[str]:
        return [
            data[chunk][start:end].decode("utf-8")
            for chunk, start, end in zip(
                chunk_of[tokens].tolist(),
                all_starts[tokens].tolist(),
                all_ends[tokens].tolist(),
                strict=True,
            )
        ]

    return np.concatenate(hashes), np.concatenate(rows).astype(np.int64), spell


def _chunks(texts: tuple[str, ...]) -> Iterator[tuple[int, bytes, _IntArray]]:
    """Consecutive texts joined by newlines, about ``_CHUNK_BYTES`` at a time.

    Yields the index of the chunk's first text, the chunk's bytes and the offset
    where each of its texts starts.
    """
    # A lone surrogate (JSON can carry one) is encoded as three bytes, never a word.
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    first = size = 0
    for end, data in enumerate(encoded, start=1):
        size += len(data) + 1
        if size >= _CHUNK_BYTES or end == len(encoded):
            part = encoded[first:end]
            text_starts = np.cumsum([0, *(len(item) + 1 for item in part[:-1])])
            yield first, b"\n".join(part), text_starts
            first, size = end, 0


def _hash_chunk(data: bytes) -> tuple[_UInt64Array, _IntArray, _IntArray]:
    """Hashes, start and end offsets of the word tokens of ``data``.

    A token's hash is the polynomial ``sum(byte[k] * _BASE ** k)`` over its bytes,
    plus its length times ``_LENGTH_FACTOR`` (all modulo 2 ** 64).
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    word = _word_bytes(raw)
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1).astype(np.int64)
    ends = np.flatnonzero(edges == -1).astype(np.int64)
    if starts.size == 0:
        return np.empty(0, dtype=np.uint64), starts, ends
    lengths = ends - starts
    powers = np.full(int(lengths.max()), _BASE, dtype=np.uint64)
    powers[0] = 1
    with np.errstate(over="ignore"):
        powers = np.cumprod(powers)
        terms = raw[word].astype(np.uint64) * powers[positions_in_runs(lengths)]
        offsets = lengths.cumsum() - lengths
        hashes = np.add.reduceat(terms, offsets) + lengths.astype(np.uint64) * _LENGTH_FACTOR
    return hashes, starts, ends


def _word_bytes(raw: _UInt8Array) -> npt.NDArray[np.bool_]:
    """Which bytes belong to word tokens (see the token definition above)."""
    word = _ASCII_WORD_BYTE[raw]
    leads = np.flatnonzero(raw >= 0xC0)  # first bytes of multi-byte sequences
    if leads.size == 0:
        return word
    first = raw[leads].astype(np.int64)
    length = 2 + (first >= 0xE0) + (first >= 0xF0)
    last = raw.size - 1
    follow = [raw[np.minimum(leads + k, last)].astype(np.int64) & 0x3F for k in (1, 2, 3)]
    code = np.where(
        length == 2,
        (first & 0x1F) << 6 | follow[0],
        np.where(
            length == 3,
            (first & 0x0F) << 12 | follow[0] << 6 | follow[1],
            (first & 0x07) << 18 | follow[0] << 12 | follow[1] << 6 | follow[2],
        ),
    )
    alnum = _is_alnum(code)
    for k in range(4):
        within = length > k
        word[leads[within] + k] = alnum[within]
    return word


def _is_alnum(code_points: _IntArray) -> npt.NDArray[np.bool_]:
    """``chr(c).isalnum()`` for each code point, from the table (filled on first need)."""
    pages = np.unique(code_points >> 8)
    for page in pages[~_ALNUM_PAGE_FILLED[pages]].tolist():
        chars = range(page << 8, (page + 1) << 8)
        _ALNUM[page << 8 : (page + 1) << 8] = [chr(c).isalnum() for c in chars]
        _ALNUM_PAGE_FILLED[page] = True  # after the values: another thread may read them
    return _ALNUM[code_points]


class _Vocabulary:
    """Every word form seen so far, by token hash: its stem id and flags, packed.

    A code is ``stem_id << 3 | stop << 2 | capital << 1 | lower``. The forms are
    kept in arrays sorted by hash, so a story's forms are looked up with one
    ``searchsorted``; the news of a day repeats most of its words, so few are
    new. New forms go to a small sorted array first, merged into the main one
    every ``recent`` forms, so that adding a story's new names does not move
    the whole vocabulary. Past ``limit`` forms it starts again, empty. A lock
    makes the shared state safe to use from several threads.
    """

    def __init__(self, limit: int, recent: int = 1 << 14) -> None:
        self.limit = limit
        self.recent = recent
        self._lock = threading.Lock()
        self._tables: list[tuple[_UInt64Array, _IntArray]]  # main, recent
        self._stem_ids: dict[str, int]
        self._clear()

    def __len__(self) -> int:
        return sum(hashes.size for hashes, _ in self._tables)

    def codes(self, hashes: _UInt64Array, spell: Callable[[_IntArray], list[str]]) -> _IntArray:
        """The code of every (distinct) hash; ``spell(i)`` gives the forms of ``hashes[i]``."""
        with self._lock:
            codes = np.empty(hashes.size, dtype=np.int64)
            found = np.zeros(hashes.size, dtype=bool)
            for known, known_codes in self._tables:
                position = np.searchsorted(known, hashes)
                inside = position < known.size
                hit = np.zeros(hashes.size, dtype=bool)
                hit[inside] = known[position[inside]] == hashes[inside]
                codes[hit] = known_codes[position[hit]]
                found |= hit
            new = np.flatnonzero(~found)
            if new.size and len(self) + new.size > self.limit:
                self._clear()
                new = np.arange(hashes.size)
            if new.size:
                codes[new] = self._describe(spell(new))
                self._add(hashes[new], codes[new])
            return codes

    def forget(self) -> None:
        """Start again, empty (benchmarks use it to time a fresh process)."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        empty = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))
        self._tables = [empty, empty]
        self._stem_ids = {}

    def _add(self, hashes: _UInt64Array, codes: _IntArray) -> None:
        main, recent = self._tables
        recent = _merged(recent, (hashes, codes))
        if recent[0].size > self.recent:
            main, recent = _merged(main, recent), (recent[0][:0], recent[1][:0])
        self._tables = [main, recent]

    def _describe(self, forms: list[str]) -> list[int]:
        lowered = [form.lower() for form in forms]
        stem_ids = self._stem_ids
        return [
            stem_ids.setdefault(stemmed, len(stem_ids)) << 3
            | (low in STOP_WORDS) << 2
            | form.istitle() << 1
            | form[0].islower()
            for form, low, stemmed in zip(forms, lowered, _STEMMER.stemWords(lowered), strict=True)
        ]


def _merged(
    table: tuple[_UInt64Array, _IntArray], extra: tuple[_UInt64Array, _IntArray]
) -> tuple[_UInt64Array, _IntArray]:
    """A hash-sorted table with the (new, distinct) entries of ``extra`` inserted."""
    order = np.argsort(extra[0])
    at = np.searchsorted(table[0], extra[0][order])
    return np.insert(table[0], at, extra[0][order]), np.insert(table[1], at, extra[1][order])


_VOCABULARY = _Vocabulary(limit=1_000_000)
