"""Escaping: article-derived text -> text that a report shows, and nothing more.

Input: any string that came from an input item (a sentence, quote, name, title,
source, path, rejection detail). Output: the same words, safe to place in a
report line.

Method: :func:`neutral` drops the bidirectional controls (embeddings, overrides,
isolates and the implicit marks LRM, RLM and ALM), so that an unclosed override
inside one string cannot reorder the text after it (a citation ``[12]`` shown as
``[21]``), and the other control characters (C0 but tab, line feed and carriage
return; DEL; C1), so that no escape sequence reaches a terminal. :func:`markdown_text` then
collapses whitespace to single spaces (a newline in a title cannot start a
heading) and puts a backslash before each character that CommonMark 0.31 would
read as markup in that place: everywhere ``\\``, `````, ``*``, ``[``, ``]``,
``<``, an ``_`` that is not between two letters or digits and an ``&`` that
starts an entity reference; at the start of the
text the block markers ``#``, ``>``, ``-``, ``+``, ``=``, ``~`` and the ``.`` or
``)`` of an ordered-list number; ``|`` where the text fills a table cell. Other
characters, periods included, stay as they are, so ordinary prose reads as it
was written. :func:`markdown_code` shows a path as a code span whose fence is
longer than any run of backticks inside it. No paper is followed: the rules are
those of the CommonMark specification (sections 2.4, 4, 6).
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "markdown_code", "markdown_text", "neutral", "single_line"]

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""ALM, LRM, RLM, the embeddings and overrides (LRE RLE PDF LRO RLO), the isolates."""

_WHITESPACE_CONTROLS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_DROPPED = (*map(ord, BIDI_CONTROLS), *range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0))
_REPLACED: dict[int, str | None] = dict.fromkeys(_DROPPED) | {
    ord(character): " " for character in _WHITESPACE_CONTROLS
}
# Most text holds no control: finding none is far cheaper than translating every character.
_ANY_DROPPED = re.compile("[" + "".join(map(chr, _REPLACED)) + "]")
_SPACES = re.compile(r"\s+")
# An underscore between two letters or digits can neither open nor close emphasis
# (CommonMark 6.2), so names like "01_ledger" keep their underscore unescaped.
_INLINE = re.compile(
    r"[\\`*\[\]<]|(?<![^\W_])_|_(?![^\W_])"
    r"|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]*;)"
)
_BLOCK_START = re.compile(r"[#>\-+=~]|[0-9]{1,9}(?=[.)])")


def neutral(text: str) -> str:
    """``text`` without bidirectional controls and control characters.

    Tab, line feed and carriage return stay; the other whitespace controls become spaces.
    """
    if _ANY_DROPPED.search(text) is None:
        return text
    return text.translate(_REPLACED)


def single_line(text: str) -> str:
    """``text`` neutralised, every run of whitespace (line breaks included) one space."""
    return _SPACES.sub(" ", neutral(text)).strip()


def markdown_text(text: str, *, table_cell: bool = False) -> str:
    """``text`` as one line of CommonMark inline content that renders as exactly that text."""
    line = _INLINE.sub(lambda found: "\\" + found.group(), single_line(text))
    if table_cell:
        line = line.replace("|", "\\|")
    start = _BLOCK_START.match(line)
    if start is None:
        return line
    if start.group()[0].isdigit():
        end = start.end()
        return f"{line[:end]}\\{line[end:]}"
    return "\\" + line


def markdown_code(text: str) -> str:
    """``text`` as one CommonMark code span (its content is shown literally)."""
    line = single_line(text)
    if not line:
        return "` `"
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{padding}{line}{padding}{fence}"
