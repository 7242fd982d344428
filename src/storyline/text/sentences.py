"""Sentence segmentation: article text -> sentences as character offsets.

Input -> output: an :class:`~storyline.model.Article` becomes a tuple of
:class:`~storyline.model.Sentence` records whose ``[start, end)`` offsets point
into ``Article.text``; the stage itself is :meth:`Segmenter.split`, text -> spans.

Method: a rule-based splitter in two passes, after the classic rule-based
disambiguation of periods (Grefenstette & Tapanainen 1994; Mikheev 2002) and
the test-suite style of pySBD (Sadvilkar & Neumann, 2020).

1. One compiled regular expression finds every *candidate* boundary: a line
   break, a run of ``.``, ``!``, ``?`` or ``…`` followed (after any closing
   quotes, brackets or ``[12]`` citation marks) by a space and more text on the
   same line, a stop glued to the next sentence by lost spaces
   (``leopards.This``, ``letter."I``), or an inline bullet. All of them start
   with one character class, so the engine skips the rest of the text in C.
2. Only candidates are judged, with cheap look-ups: the word before the period
   (abbreviation, initial, dotted acronym, enumerator, ``a.m.``/``p.m.``) and
   the token after it (lowercase, digit, closed-class sentence starter such as
   "The", "He", "But", "In").

The rules, in the order they apply:

* Line breaks. Two or more line breaks (a blank line, also the ``" \\n \\n "``
  of Multi-News) always end a sentence. A single line break also ends one
  (headlines, list items, one-sentence-per-line corpora such as Timeline17),
  except a *soft wrap*: the line before ends in a letter, digit, comma, semicolon
  or dash and the next line starts with a lowercase letter; the break is then
  kept inside the sentence (``join_wrapped_lines=False`` turns this off).
* A candidate followed by a lowercase word never ends a sentence
  (``"Go!" he said``, ``... and``, ``e.g. the``); ``iPhone``-like words count
  as capitalised. A following token with no letter or digit (a dash, a closing
  PTB ``''``) never starts one either.
* Quotations. A quotation that opens and closes on the same line and is
  *embedded* in a sentence -- its closing mark is preceded by a comma or
  followed by a comma, colon, semicolon, dash, lowercase word, or, after ``?``
  or ``!``, by an attribution such as "Smith asked" -- is never split inside:
  ``“We need A. We need B,” he said.`` is one sentence, as in pySBD. A
  quotation that stands as its own sentence is split at its inner boundaries,
  and a boundary right after a closing mark keeps the mark:
  ``He said "Go." | Then ...``.
* ``?`` and ``!`` end a sentence before any capitalised or numeric token (except
  a company suffix: "Yahoo! Inc."); an ellipsis likewise.
* A period after an ordinary word (or number, domain name, closing quote) ends
  a sentence before a capitalised word, a digit or an opening quote.
* A period after an abbreviation (titles, company suffixes, months, U.S.
  states in AP style, ``etc.``), a single capital initial or a dotted acronym
  (``U.S.``, ``D.C.``, ``J.P.``) ends a sentence only when the next word is a
  closed-class sentence starter: ``U.S. President`` and ``J.P. Morgan`` continue,
  ``the U.S. The next day`` splits (a hyphen or slash prefix is ignored:
  ``then-U.S.``, ``Korea/U.S.``). A state after a comma is an exception, as AP
  style puts a comma after a state whose sentence goes on: ``Menasha, Wis.
  Police said`` splits, ``DELPHI, Ind. (AP)`` does not. ``a.m.``/``p.m.``
  split before any capitalised word except weekdays, months and time zones
  (``5 p.m. Monday`` continues, ``5 p.m. Police said`` splits). ``e.g.``, ``i.e.``, ``vs.``, ``v.``
  never end a sentence; ``No.``, ``p.``, ``Art.`` never do before a number.
* A bare enumerator at the start of a line (``1.``, ``a.``, ``iv.``) stays with
  its item; an inline bullet (``•``) starts a new sentence; Penn Treebank
  ``-RRB-`` tokens stay with the sentence they close.

Known limits: a dotted acronym or abbreviation that ends a sentence before a
capitalised word that is not a closed-class starter is missed ("... in the
U.S. Officials said"); hard-wrapped text whose next line starts with a capital
is split at the wrap.

A sentence longer than ``max_chars`` characters (run-on page text, a megabyte
without punctuation) is cut at the last space before each ``max_chars``
characters (hard at the limit inside one long token), so that every later
stage sees bounded sentences.

Spans never include surrounding whitespace, are never empty, are at most
``max_chars`` long, and together cover every non-whitespace character of the
text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from mypy_extensions import mypyc_attr

from storyline.config import Constraints, SegmentConfig, validate_ranges
from storyline.errors import ConfigError
from storyline.model import Article, Sentence, by_fields

__all__ = ["RuleSegmenter", "Segmenter", "segment", "segment_all"]


class Segmenter(Protocol):
    """Splits text into sentences."""

    def split(self, text: str) -> tuple[tuple[int, int], ...]:
        """Return the ``[start, end)`` spans of the sentences of ``text``, in order.

        Spans do not overlap, are never empty and carry no leading or trailing
        whitespace.
        """
        ...


def segment(article: Article, segmenter: Segmenter) -> tuple[Sentence, ...]:
    """Split an article's text into :class:`Sentence` records ``"<article id>:<index>"``."""
    return tuple(
        Sentence(
            id=f"{article.id}:{index}",
            article_id=article.id,
            index=index,
            start=start,
            end=end,
        )
        for index, (start, end) in enumerate(segmenter.split(article.text))
    )


def segment_all(
    articles: Iterable[Article], segmenter: Segmenter
) -> dict[str, tuple[Sentence, ...]]:
    """The sentences of every article (:func:`segment`), by article id."""
    return {article.id: segment(article, segmenter) for article in articles}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Line-break characters as str.splitlines() knows them, minus \r\n handled apart.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = rf"(?:\r\n|[{_LINE_BREAKS}])"
_INLINE_SPACE = rf"[^\S{_LINE_BREAKS}]"
_TERMINALS = ".!?…"
_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{`¿¡"
_BULLETS = "•▪●◦‣"

_CITATIONS = r"(?:\[\d{1,3}\])*"
# Every alternative starts with one character of a single class, so the regex
# engine skips ahead with a fast character scan; the kind of candidate is
# told by the empty group that closes the alternative.
_CANDIDATE = re.compile(
    rf"[{_LINE_BREAKS}{_TERMINALS}{_BULLETS}]"
    rf"(?:(?<=[{_LINE_BREAKS}])\s*(?P<brk>)"
    rf"|(?<=[{_TERMINALS}])(?<![{_TERMINALS}].)(?P<run>[{_TERMINALS}]*+)"
    rf"(?P<close>[{re.escape(_CLOSERS)}]*{_CITATIONS}(?:{_INLINE_SPACE}[”’]+(?!\S))?)"
    rf"(?={_INLINE_SPACE}+\S)(?P<stop>)"
    # A period glued to the next sentence, a scraping artefact: "leopards.This".
    rf"|(?<=[a-z\d)\]]{{2}}[.!?])(?:(?P<gquote>[\"”’)“])(?=[\"“]?[A-Z])|{_CITATIONS}(?=\(?[A-Z][a-z]))"
    rf"(?P<glued>)"
    rf"|(?<=\s[{_BULLETS}])(?P<bullet>))"
)
_BREAK_RE = re.compile(_BREAK)
# The token after a candidate: spaces, opening marks, a leading word, the rest.
_NEXT = re.compile(
    rf"{_INLINE_SPACE}*(?P<open>[{re.escape(_OPENERS)}]*)(?P<word>[^\W_]*)(?P<rest>\S*)"
)
# Penn Treebank bracket tokens (Timeline17 text): they close, never open, a sentence.
_PTB_CLOSERS = ("-RRB-", "-RSB-", "-RCB-")
_ALNUM = re.compile(r"[^\W_]")
_JOINED_PREFIX = re.compile(r".*[-/]")
_WORD = re.compile(r"[^\W_]+")
_DOTTED = re.compile(r"[^\W\d_]{1,4}(?:\.[^\W\d_]{1,4})+")
_ENUMERATOR = re.compile(r"\d{1,3}|[^\W\d_]|[ivx]{1,5}|[IVX]{1,5}")
_QUOTE = re.compile('["“”]')
_LINE_BREAK = re.compile(f"[{_LINE_BREAKS}]")
_SPEECH_VERBS = (
    "said|says|asked|asks|told|tells|added|adds|wrote|writes|replied|replies|"
    "shouted|yelled|exclaimed|insisted|declared|tweeted|recalled|explained|"
    "continued|warned|noted|argued|answered|cried|joked|laughed"
)
_ATTRIBUTION = re.compile(
    rf"(?!(?:He|She|They|It|We|I|You)\b)"
    rf"(?:[A-ZÀ-ÖØ-Þ][\w’'.-]*{_INLINE_SPACE}+){{1,4}}(?:{_SPEECH_VERBS})\b"
)

_TITLES = _words(
    "Mr Mrs Ms Mx Dr Prof Sen Sens Rep Reps Gov Gen Lt Col Capt Sgt Cpl Pvt Maj Adm Pt "
    "Cmdr Brig Rev Msgr Hon Pres Supt Det Insp Atty Messrs Mmes Fr Sr Jr St Mt Ft Esq "
    "Gens Govs Cmdrs MR MRS MS DR PROF SEN REP GOV GEN"
)
_ORGANISATIONS = _words("Inc Corp Co Cos Ltd Bros Plc Dept Univ Assn Ave Blvd Rd Hwy Sq")
_DOTTED_STATES = _words("D.C N.H N.J N.M N.Y N.C N.D R.I S.C S.D W.Va")
_MONTHS = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
_STATES = _words(
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn "
    "Miss Mo Mont Neb Nev Okla Ore Pa Tenn Tex Vt Va Wash Wis Wyo"
)
_LOWER_ABBREVIATIONS = _words(
    "etc al approx incl est cf ca fig figs vol vols pp ch sec op ed eds dept govt "
    "jr sr inc corp co ltd mt ft st ave"
)
_ABBREVIATIONS = _TITLES | _ORGANISATIONS | _MONTHS | _STATES | _LOWER_ABBREVIATIONS
_NEVER_FINAL = _words("e.g i.e vs v viz cf E.g I.e Vs")
_BEFORE_NUMBER = _words(
    "No Nos no nos Art art p pp Fig fig Vol vol Ch ch Sec sec Para para Op op ref Ref"
)
_CLOCK = _words("a.m p.m A.M P.M")
_COMPANY_SUFFIXES = _words("Inc Corp Co Ltd LLC PLC Plc")
_TIME_FOLLOWERS = _MONTHS | _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun "
    "January February March April May June July August September October November "
    "December ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST HST GMT BST UTC CET "
    "CEST EET MSK IST JST KST HKT SGT AEST AEDT Eastern Central Mountain Pacific "
    "Atlantic Greenwich Local"
)
_TOP_LEVEL_DOMAINS = _words(
    "com org net edu gov mil int io co uk us de fr ru cn au ca info biz tv me ly eu jp in"
)
# Closed-class words that open sentences but rarely continue a name or noun
# phrase after an abbreviation ("U.S. The ..." ends, "U.S. Army ..." goes on).
_SENTENCE_STARTERS = _words(
    "A An The This That These Those There Here It Its He His Him She Her They Their "
    "Them We Our Us I You Your My Me But And Or Nor So Yet Also Still Then Now Thus "
    "Hence However Meanwhile Moreover Nevertheless Instead Indeed Otherwise Besides "
    "Furthermore Additionally Later Earlier Afterward Afterwards Finally Eventually "
    "Today Yesterday Tomorrow Tonight Last Next Previously Currently Recently "
    "Separately Elsewhere If When While Whereas After Before As Since Until Unless "
    "Although Though Because Once In On At Of From To With Without By About Against "
    "Among Between During Under Over Through Throughout Despite According Amid "
    "Following Like Unlike Within Beyond Upon Into What Who Whom Whose Why How Where "
    "Which Whether Some Many Most Much More Few All Both Each Every Either Neither No "
    "None Not Nothing Several Such Any Another Other Others Is Are Was Were Has Have "
    "Had Do Does Did Can Could Should Would Might Must Shall Yes Mr Mrs Ms"
)


@dataclass(frozen=True, slots=True, kw_only=True)
@mypyc_attr(allow_interpreted_subclasses=True)  # compiled: see storyline.native
class RuleSegmenter:
    """Rule-based sentence splitter for English news text (see the module docstring).

    ``abbreviations`` adds words that a period does not end unless a sentence
    starter follows (``"Pres"`` or ``"Pres."``); ``join_wrapped_lines`` keeps a
    single line break inside a sentence when the next line starts in lowercase;
    ``max_chars`` bounds the length of a sentence (longer ones are cut at spaces).
    """

    abbreviations: tuple[str, ...] = ()
    join_wrapped_lines: bool = True
    max_chars: int = 1000

    CONSTRAINTS: ClassVar[Constraints] = MappingProxyType(
        {"max_chars": SegmentConfig.CONSTRAINTS["max_chars"]}
    )

    def __post_init__(self) -> None:
        validate_ranges(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return by_fields(self)  # compiled or not (see by_fields): a Dask engine ships it

    def split(self, text: str) -> tuple[tuple[int, int], ...]:
        spans = self._split(text)
        if all(end - start <= self.max_chars for start, end in spans):
            return spans
        return tuple(piece for span in spans for piece in _bounded(text, span, self.max_chars))

    def _split(self, text: str) -> tuple[tuple[int, int], ...]:
        extra = self._extra_abbreviations()
        protected = _embedded_quotes(text) if ('"' in text or "”" in text) else []
        guard = 0
        spans: list[tuple[int, int]] = []
        seg_start = 0
        for match in _CANDIDATE.finditer(text):
            kind = match.lastgroup
            if kind == "brk":
                if self.join_wrapped_lines and _is_soft_wrap(text, seg_start, match):
                    continue
                _emit(text, seg_start, match.start(), spans)
                seg_start = match.end()
            elif kind == "bullet":
                _emit(text, seg_start, match.start(), spans)
                seg_start = match.start()
            else:
                punct_start = match.start()
                while guard < len(protected) and protected[guard][1] < punct_start:
                    guard += 1
                if guard < len(protected) and protected[guard][0] < punct_start:
                    continue
                if kind == "stop":
                    punct = text[punct_start : match.end("run")]
                    close = match.group("close")
                    cut = match.end()
                else:
                    punct = text[punct_start]
                    close = match.group("gquote") or ""
                    cut = match.end()
                    if close == "“" or (close == '"' and _opens_quote(text, punct_start + 1)):
                        close = ""
                        cut = punct_start + 1
                if _ends_sentence(
                    text,
                    seg_start=seg_start,
                    punct_start=punct_start,
                    punct=punct,
                    close=close,
                    next_start=cut,
                    extra=extra,
                ):
                    _emit(text, seg_start, cut, spans)
                    seg_start = cut
        _emit(text, seg_start, len(text), spans)
        return tuple(spans)

    def _extra_abbreviations(self) -> frozenset[str]:
        if not self.abbreviations:
            return frozenset()
        if isinstance(self.abbreviations, str) or not isinstance(self.abbreviations, Iterable):
            raise ConfigError(
                "The 'abbreviations' parameter of RuleSegmenter must be a tuple of words. "
                f"Got {self.abbreviations!r} instead."
            )
        words = set()
        for item in self.abbreviations:
            word = item.rstrip(".") if isinstance(item, str) else ""
            if not word or any(char.isspace() for char in word):
                raise ConfigError(
                    "The 'abbreviations' parameter of RuleSegmenter must hold non-empty "
                    f"words without spaces. Got {item!r} instead."
                )
            words.add(word)
        return frozenset(words)


def _bounded(text: str, span: tuple[int, int], limit: int) -> list[tuple[int, int]]:
    """``span`` cut into pieces of at most ``limit`` characters, at spaces where possible.

    Each cut falls at the last whitespace of the next ``limit`` characters (if it
    lies in their second half; otherwise, in one long token, at the limit).
    """
    start, end = span
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        window = text[start : start + limit + 1]
        space = max(window.rfind(" "), window.rfind("\t"), window.rfind("\n"))
        cut = start + space if space > limit // 2 else start + limit
        _emit(text, start, cut, pieces)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    _emit(text, start, end, pieces)
    return pieces


def _emit(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append ``text[start:end]`` without surrounding whitespace, unless it is blank."""
    piece = text[start:end]
    body = piece.lstrip()
    if body:
        left = end - len(body)
        spans.append((left, left + len(body.rstrip())))


def _is_soft_wrap(text: str, seg_start: int, match: re.Match[str]) -> bool:
    """A single line break inside a sentence: letter/digit/comma before, lowercase after."""
    after = match.end()
    if not text[after : after + 1].islower():
        return False
    word = _WORD.match(text, after)
    if word is None or not word.group().islower():
        return False
    before = text[max(seg_start, match.start() - 64) : match.start()].rstrip()
    if not before or not (before[-1].isalnum() or before[-1] in ",;-–—"):
        return False
    return len(_BREAK_RE.findall(match.group())) == 1


def _ends_sentence(
    text: str,
    *,
    seg_start: int,
    punct_start: int,
    punct: str,
    close: str,
    next_start: int,
    extra: frozenset[str],
) -> bool:
    """Judge one candidate: ``punct`` at ``punct_start``, then ``close``, then a token."""
    following = _NEXT.match(text, next_start)
    if following is None:  # the pattern always matches; kept for the type checker
        return False
    word = following.group("word")
    if word:
        if word[0].islower() and word.islower():
            return False
    elif _ALNUM.search(following.group("rest")) is None or following.group("rest").startswith(
        _PTB_CLOSERS
    ):
        return False
    if "?" in punct or "!" in punct:
        return word not in _COMPANY_SUFFIXES
    if len(punct) > 1 or punct == "…" or close:
        return True
    token_start = max(text.rfind(" ", seg_start, punct_start) + 1, seg_start)
    token = text[token_start:punct_start]
    if not token.isprintable():
        parts = token.rsplit(None, 1)
        token_start = punct_start - len(parts[-1]) if parts else punct_start
        token = parts[-1] if parts else ""
    token = token.lstrip(_OPENERS)
    if _ALNUM.search(token) is None:
        return _ALNUM.search(text, seg_start, punct_start) is not None
    if _ENUMERATOR.fullmatch(token) and not text[seg_start:token_start].strip():
        return False
    if token in _NEVER_FINAL:
        return False
    if token in _BEFORE_NUMBER and (word[:1].isdigit() or following.group("rest")[:1] == "#"):
        return False
    if "-" in token or "/" in token:  # "then-U.S.", "R-Ariz.", "Korea/U.S.", "Photo/J."
        token = _JOINED_PREFIX.sub("", token)
    if (token in _STATES or token in _DOTTED_STATES) and text[
        token_start - 2 : token_start
    ] == ", ":
        # AP style puts a comma after a state that continues its sentence
        # ("Gary, Ind., will close"), so "Menasha, Wis. Police said" ends one;
        # a dateline goes on with a parenthesis ("DELPHI, Ind. (AP) -").
        return (
            word[:1].isupper()
            and word not in _TIME_FOLLOWERS
            and "(" not in following.group("open")
        )
    if token in _CLOCK:
        return (
            word[:1].isupper()
            and word not in _TIME_FOLLOWERS
            and not text.startswith(" time", following.end())
        )
    if (
        token in _ABBREVIATIONS
        or token in extra
        or (len(token) == 1 and token.isupper())
        or (_DOTTED.fullmatch(token) is not None and not _is_domain(token))
    ):
        return word in _SENTENCE_STARTERS and not (
            len(word) == 1 and following.group("rest").startswith(".")
        )
    return True


def _is_domain(token: str) -> bool:
    return token.islower() and token.rsplit(".", 1)[-1] in _TOP_LEVEL_DOMAINS


def _embedded_quotes(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` positions of double quotations embedded in a sentence.

    Quotes pair up within one line: curly marks by direction, straight marks by
    alternation, where an opening mark must follow a space or the line start so
    that inch marks (``5'10"``) do not open a quotation.
    """
    pairs: list[tuple[int, int]] = []
    curly = straight = -1
    for match in _QUOTE.finditer(text):
        mark = match.group()
        position = match.start()
        if mark == "“":
            curly = position
        elif mark == "”":
            if curly >= 0 and _same_line(text, curly, position) and _is_embedded(text, position):
                pairs.append((curly, position))
            curly = -1
        else:
            before = text[position - 1] if position else " "
            if straight < 0 or before.isspace() or not _same_line(text, straight, position):
                # An opening mark follows a space, a bracket or dash, or -- in text
                # with lost spaces -- a sentence end: 'letter."I'm'.
                opens = (
                    before.isspace()
                    or before in "([{—–-"
                    or (before in '.!?"' and text[position + 1 : position + 2].isupper())
                )
                straight = position if opens else -1
            else:
                if _is_embedded(text, position):
                    pairs.append((straight, position))
                straight = -1
    pairs.sort()
    return pairs


def _opens_quote(text: str, position: int) -> bool:
    """Whether the straight quote at ``position`` opens a quotation: even count before it."""
    line_start = _last_line_start(text, position)
    return text.count('"', line_start, position) % 2 == 0


def _last_line_start(text: str, position: int) -> int:
    return max(text.rfind(mark, 0, position) for mark in "\n\r\u2028\u2029") + 1


def _same_line(text: str, start: int, end: int) -> bool:
    return _LINE_BREAK.search(text, start, end) is None


_AFTER_QUOTE = re.compile(rf"{_INLINE_SPACE}*(\S?)")


def _is_embedded(text: str, close: int) -> bool:
    """Whether the quotation closing at ``close`` continues its sentence afterwards."""
    inner = text[close - 1] if close else ""
    if inner == ",":
        return True
    after = _AFTER_QUOTE.match(text, close + 1)
    if after is None:
        return False
    mark = after.group(1)
    if mark and (mark in ",;:-–—" or (mark.islower())):
        return True
    return inner in "?!" and _ATTRIBUTION.match(text, after.start(1)) is not None
