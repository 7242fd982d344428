"""Quote scoring: labelled articles and their quotes -> precision, recall, F1, speakers.

Two labelled formats, each a JSONL file of articles:

- **The project's own** (:func:`score_quotes`, :func:`labelled_articles`;
  ``tests/data/quotes_labelled.md`` describes the format and the set), one article a line::

    {"id": "...", "source": "...", "published": "YYYY-MM-DD",
     "text": "...",                       # or "seed": "seeds/<file>.txt" under the shared dir
     "quotes": [{"kind": "direct" | "indirect",
                 "text": "piece … piece",   # exact words, pieces of a split quote joined by " … "
                 "speaker": "Full Name" | null,
                 "aliases": ["Other accepted spelling"],   # optional
                 "group": "same-quote-id",                 # optional: same quote in other articles
                 "occurrence": 0}]}                        # optional: n-th match of the first piece

  A prediction matches a label in the same article when their characters overlap by at
  least half of the shorter one and their kinds agree (one to one, greedily by overlap).
  Speakers are compared case-insensitively, without a leading article or honorific.
  These files are regression tests: the rules were written against them.

- **PolNeAR** (Newell, Margolin and Ruths, LREC 2018; ``../shared/benchmarks/quotes/``,
  :func:`read_attributions`, :func:`score_attributions`, :func:`evaluate_attributions`):
  ``{"doc", "text", "quotes": [{"fragments": [[s, e], ...], "kind": "direct" | "mixed" |
  "indirect", "speaker", "cue", ...}]}``, news that nobody on the project wrote. Each
  article is read as a story of its own. Scores, every match one to one and greedy by
  overlap:

  * **direct quotes**: a quote of kind ``direct``, or reported speech that holds
    quotation marks (partly quoted: PolNeAR's kinds come from the marks, and so do
    these), against the gold ``direct`` and ``mixed`` (partly quoted) attributions.
    *Lenient*: their characters overlap by at least half of the shorter; *strict*: the
    same pieces, each trimmed of white space, quotation marks and punctuation at its ends.
    *Pieces* counts each piece of a split quote as a prediction of its own, as issue 13
    measured the baseline (a quote split by its attribution then costs a false positive
    against PolNeAR's one attribution); it is reported for comparison with that baseline,
    for direct and reported speech.
  * **speaker accuracy** on the matched direct quotes whose gold source is a name: its
    noun phrase (before any comma, parenthesis or preposition) ends in a capitalised word
    other than a pronoun or determiner ("Sen. Claire McCaskill"; "Joel Pollak" of "Joel
    Pollak of Breitbart"; not "The Florida senator" or "a person close to the Clintons").
    The gold surname (that word) is one of the speaker's words (lenient) or its last word
    (strict); no speaker is wrong. Issue 13 counted any capitalised word before a comma or
    parenthesis as a name (``speaker_accuracy_loose_names``).
  * **reported speech**: quotes of kind ``indirect`` without quotation marks against the
    gold ``indirect`` attributions, lenient and strict as above.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from storyline.digest.quotes import PIECE_SEPARATOR, QuoteExtractor
from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import first_record_has, read_records
from storyline.evaluate._prf import PRF
from storyline.ingest.files import FileIngestor, default_shared_dir, labelled_article, parse_date
from storyline.model import Article, Quote, QuoteKind
from storyline.text.lexicon import HONORIFICS

__all__ = [
    "AttributedArticle",
    "AttributionEvaluation",
    "AttributionScores",
    "GoldAttribution",
    "evaluate_attributions",
    "is_attribution_file",
    "labelled_articles",
    "marked_kind",
    "match_spans",
    "read_attributions",
    "score_attributions",
    "score_quotes",
]


@dataclass(frozen=True, slots=True)
class _Gold:
    article_id: str
    kind: QuoteKind
    spans: tuple[tuple[int, int], ...]
    speakers: frozenset[str]
    group: str | None


def _read_labelled(
    gold_path: Path, shared_dir: Path | None
) -> tuple[list[Article], list[_Gold], int]:
    """Articles and labels of a labelled file; lines whose seed file is missing are skipped."""
    shared = shared_dir if shared_dir is not None else default_shared_dir()
    ingestor = FileIngestor()
    articles: list[Article] = []
    labels: list[_Gold] = []
    skipped = 0
    try:
        lines = gold_path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvaluationError(f"cannot read labelled quotes {gold_path}: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            article = labelled_article(record, shared=shared, ingestor=ingestor)
            if article is None:
                skipped += 1
                continue
            labels.extend(_labels(record, article))
        except (KeyError, TypeError, ValueError) as error:
            raise EvaluationError(f"{gold_path}:{number}: {error}") from error
        articles.append(article)
    return articles, labels, skipped


def _labels(record: Mapping[str, object], article: Article) -> list[_Gold]:
    quotes = record.get("quotes", [])
    if not isinstance(quotes, list):
        raise ValueError("'quotes' must be a list")
    labels = []
    for quote in quotes:
        kind = quote["kind"]
        if kind not in {"direct", "indirect"}:
            raise ValueError(f"unknown quote kind {kind!r}")
        pieces = str(quote["text"]).split(PIECE_SEPARATOR)
        spans = _locate(article.text, pieces, int(quote.get("occurrence", 0)))
        speakers = [quote.get("speaker"), *quote.get("aliases", [])]
        labels.append(
            _Gold(
                article_id=article.id,
                kind=kind,
                spans=spans,
                speakers=frozenset(_speaker_key(s) for s in speakers if s),
                group=quote.get("group"),
            )
        )
    return labels


def _locate(text: str, pieces: list[str], occurrence: int) -> tuple[tuple[int, int], ...]:
    spans = []
    position = -1
    for number, piece in enumerate(pieces):
        position = text.find(piece, position + 1)
        for _ in range(occurrence if number == 0 else 0):
            position = text.find(piece, position + 1)
        if position < 0:
            raise ValueError(f"labelled quote piece {piece[:50]!r} is not in the article text")
        spans.append((position, position + len(piece)))
    return tuple(spans)


_SPEAKER_PREFIXES = frozenset({"the", "a", "an", *(word for word, _ in HONORIFICS)})


def _speaker_key(speaker: str | None) -> str:
    if not speaker:
        return ""
    words = speaker.replace("’", "'").replace(".", " ").casefold().split()
    while len(words) > 1 and words[0] in _SPEAKER_PREFIXES:
        words = words[1:]
    return " ".join(words)


def labelled_articles(gold_path: Path, *, shared_dir: Path | None = None) -> tuple[Article, ...]:
    """The articles of a labelled quotes file (see the module docstring for its format).

    Lines naming a ``seed`` are read from ``shared_dir`` (default: ``$STORYLINE_SHARED``,
    else ``../shared`` beside the repository) and skipped when the file is absent.
    """
    articles, _, _ = _read_labelled(gold_path, shared_dir)
    return tuple(articles)


def score_quotes(
    predicted: Sequence[Quote], gold_path: Path, *, shared_dir: Path | None = None
) -> dict[str, float]:
    """Precision, recall, F1 and speaker accuracy of quotes against a labelled file.

    ``predicted`` must come from the articles of :func:`labelled_articles` (same ids
    and texts). Each quote counts once per article that carries it. Also reported:
    the same per kind, ``merge_precision`` / ``merge_recall`` over pairs of labelled
    occurrences of one quote in different articles, and counts.
    """
    articles, labels, skipped = _read_labelled(gold_path, shared_dir)
    known = {article.id for article in articles}
    predictions: list[tuple[int, Quote, str, tuple[tuple[int, int], ...]]] = []
    for number, quote in enumerate(predicted):
        by_article: dict[str, list[tuple[int, int]]] = {}
        for span in quote.spans:
            by_article.setdefault(span.article_id, []).append((span.start, span.end))
        for article_id, places in by_article.items():
            if article_id in known:
                predictions.append((number, quote, article_id, tuple(places)))
    pairs = []
    for p_index, (_, quote, article_id, found) in enumerate(predictions):
        for g_index, label in enumerate(labels):
            if label.article_id != article_id or label.kind != quote.kind:
                continue
            overlap = _overlap(found, label.spans)
            if overlap >= 0.5:
                pairs.append((overlap, p_index, g_index))
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, p_index, g_index in pairs:
        if p_index in used or g_index in matched:
            continue
        matched[g_index] = p_index
        used.add(p_index)
    right = sum(
        1
        for g_index, p_index in matched.items()
        if _speaker_key(predictions[p_index][1].speaker) in labels[g_index].speakers
        or (not labels[g_index].speakers and predictions[p_index][1].speaker is None)
    )
    scores: dict[str, float] = {}
    _ratios(scores, "", len(matched), len(predictions), len(labels))
    for kind in ("direct", "indirect"):
        hits = sum(1 for g in matched if labels[g].kind == kind)
        guesses = sum(1 for p in predictions if p[1].kind == kind)
        truths = sum(1 for label in labels if label.kind == kind)
        _ratios(scores, f"{kind}_", hits, guesses, truths)
    scores["speaker_accuracy"] = right / len(matched) if matched else 0.0
    gold_pairs, predicted_pairs = set(), set()
    matched_labels = sorted(matched)
    for a_pos, a in enumerate(matched_labels):
        for b in matched_labels[a_pos + 1 :]:
            if labels[a].article_id == labels[b].article_id:
                continue
            if labels[a].group is not None and labels[a].group == labels[b].group:
                gold_pairs.add((a, b))
            if predictions[matched[a]][0] == predictions[matched[b]][0]:
                predicted_pairs.add((a, b))
    common = len(gold_pairs & predicted_pairs)
    scores["merge_precision"] = common / len(predicted_pairs) if predicted_pairs else 1.0
    scores["merge_recall"] = common / len(gold_pairs) if gold_pairs else 1.0
    scores["gold"] = float(len(labels))
    scores["predicted"] = float(len(predictions))
    scores["matched"] = float(len(matched))
    scores["skipped_articles"] = float(skipped)
    return scores


def _ratios(scores: dict[str, float], prefix: str, hits: int, guesses: int, truths: int) -> None:
    precision = hits / guesses if guesses else 0.0
    recall = hits / truths if truths else 0.0
    scores[f"{prefix}precision"] = precision
    scores[f"{prefix}recall"] = recall
    total = precision + recall
    scores[f"{prefix}f1"] = 2 * precision * recall / total if total else 0.0


def _overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> float:
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    size_a = sum(e - s for s, e in a)
    size_b = sum(e - s for s, e in b)
    smaller = min(size_a, size_b)
    return shared / smaller if smaller else 0.0


# ----------------------------------------------------------------------------- PolNeAR

AttributionKind = Literal["direct", "mixed", "indirect"]
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldAttribution:
    """One labelled attribution: its content ``fragments`` (quotation marks included).

    ``kind`` is as the file has it; ``marked_kind`` reads two apostrophes (``''``, the
    New York Times' quotation mark in PolNeAR) as a quotation mark too (see
    :func:`marked_kind`)."""

    kind: AttributionKind
    marked_kind: AttributionKind
    fragments: Spans
    speaker: str | None
    cue: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributedArticle:
    """An article of an attribution corpus and its labelled attributions."""

    article: Article
    attributions: tuple[GoldAttribution, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributionScores:
    """Quotes against an attribution corpus (see the module docstring for each measure)."""

    direct: PRF
    direct_strict: PRF
    direct_pieces: PRF
    indirect_pieces: PRF
    speaker_accuracy: float
    speaker_accuracy_strict: float
    named: int  # matched direct quotes whose gold source is a name
    speaker_accuracy_loose_names: float  # a name: any capitalised word (issue 13's reading)
    indirect: PRF
    indirect_strict: PRF
    articles: int
    gold_direct: int
    gold_indirect: int
    predicted_direct: int
    predicted_indirect: int


_KINDS: frozenset[str] = frozenset({"direct", "mixed", "indirect"})


def is_attribution_file(path: Path) -> bool:
    """Does the first record of ``path`` look like PolNeAR (``doc`` and quote ``fragments``)?"""
    return first_record_has(path, key="doc", items="quotes", field="fragments")


def read_attributions(path: Path) -> tuple[AttributedArticle, ...]:
    """The articles of a PolNeAR JSONL file with their attributions; a bad line is an
    :class:`~storyline.errors.EvaluationError`."""
    return tuple(read_records(path, _attributed, kind="an attributed article"))


def _attributed(record: Mapping[str, Any], origin: str) -> AttributedArticle:
    text = str(record["text"])
    identifier = str(record["doc"])
    attributions = []
    for quote in record["quotes"]:
        kind = str(quote["kind"])
        if kind not in _KINDS:
            raise ValueError(f"unknown attribution kind {kind!r}")
        fragments = tuple((int(start), int(end)) for start, end in quote["fragments"])
        if not fragments or any(not 0 <= s < e <= len(text) for s, e in fragments):
            raise ValueError(f"attribution fragments {fragments} outside the text")
        attributions.append(
            GoldAttribution(
                kind=kind,  # type: ignore[arg-type]
                marked_kind=marked_kind(text, fragments, kind),  # type: ignore[arg-type]
                fragments=fragments,
                speaker=quote.get("speaker"),
                cue=quote.get("cue"),
            )
        )
    article = Article(
        id=identifier,
        text=text,
        source=str(record.get("publisher") or identifier),
        origin=origin,
        title=record.get("title"),
        published=parse_date(str(record["date"])) if record.get("date") else None,
    )
    return AttributedArticle(article=article, attributions=tuple(attributions))


_TWO_APOSTROPHES = "''"
_QUOTATION_MARK = re.compile("[\"“”]|''")


def marked_kind(text: str, fragments: Spans, kind: AttributionKind) -> AttributionKind:
    """The kind of an attribution with ``''`` read as a quotation mark.

    PolNeAR's kinds were derived from the marks ``"``, ``“`` and ``”`` (the benchmark's
    README says so), so a quote its New York Times articles set in ``''`` is labelled
    ``indirect`` (1,200 attributions of train, 86 of dev, all from that publisher). Such an
    attribution is ``direct`` when every fragment starts and ends with a mark, else
    ``mixed``; every other attribution keeps its kind."""
    if kind != "indirect" or not any(_TWO_APOSTROPHES in text[s:e] for s, e in fragments):
        return kind
    pieces = [text[s:e].strip() for s, e in fragments]
    wholly = all(
        _QUOTATION_MARK.match(piece) and _QUOTATION_MARK.search(piece[-3:]) for piece in pieces
    )
    return "direct" if wholly else "mixed"


def _marked_kind(quote: Quote) -> QuoteKind:
    """A found quote's kind as PolNeAR derives its kinds, from the quotation marks:
    reported speech holding quoted words ("said it was “almost certainly” a comet") is
    partly quoted, and scored with the direct quotes."""
    if quote.kind == "indirect" and _QUOTATION_MARK.search(quote.text):
        return "direct"
    return quote.kind


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributionEvaluation:
    """Scores with ``''`` read as a quotation mark (``marked``) and with the kinds as
    labelled (``labelled``, as issue 13 measured), and the extractor's time."""

    marked: AttributionScores
    labelled: AttributionScores
    seconds: float


def evaluate_attributions(
    articles: Sequence[AttributedArticle],
    extractor: QuoteExtractor,
    *,
    on_article: Callable[[str], None] | None = None,
) -> AttributionEvaluation:
    """Run ``extractor`` on each article alone (a story of its own) and score its quotes
    against both readings of the kinds."""
    found: dict[str, tuple[Quote, ...]] = {}
    seconds = 0.0
    for item in articles:
        started = time.perf_counter()
        found[item.article.id] = extractor.extract([item.article])
        seconds += time.perf_counter() - started
        if on_article is not None:
            on_article(item.article.id)
    return AttributionEvaluation(
        marked=score_attributions(articles, found),
        labelled=score_attributions(articles, found, kinds="labelled"),
        seconds=seconds,
    )


def score_attributions(
    articles: Sequence[AttributedArticle],
    quotes: Mapping[str, Sequence[Quote]],
    *,
    kinds: Literal["marked", "labelled"] = "marked",
) -> AttributionScores:
    """Score the quotes found in each article (by article id) against its attributions,
    of their ``marked_kind`` or, with ``kinds="labelled"``, of their ``kind``."""
    counts = dict.fromkeys(
        ("direct", "direct_strict", "pieces", "indirect", "indirect_strict", "indirect_pieces"), 0
    )
    guesses = dict.fromkeys(("direct", "pieces", "indirect", "indirect_pieces"), 0)
    truths = dict.fromkeys(("direct", "indirect"), 0)
    named = right = right_strict = loosely_named = loosely_right = 0
    for item in articles:
        text = item.article.text
        by_kind: dict[str, list[tuple[Quote, Spans]]] = {"direct": [], "indirect": []}
        for quote in quotes.get(item.article.id, ()):
            spans = tuple(
                (span.start, span.end) for span in quote.spans if span.article_id == item.article.id
            )
            if spans:
                by_kind[_marked_kind(quote)].append((quote, spans))
        reported = [
            (a.kind if kinds == "labelled" else a.marked_kind) == "indirect"
            for a in item.attributions
        ]
        indirect_gold = list(itertools.compress(item.attributions, reported))
        direct_gold = [a for a, flag in zip(item.attributions, reported, strict=True) if not flag]
        direct = by_kind["direct"]
        matched = match_spans([spans for _, spans in direct], [a.fragments for a in direct_gold])
        counts["direct"] += len(matched)
        counts["direct_strict"] += _strict_matches(
            text, [spans for _, spans in direct], [a.fragments for a in direct_gold]
        )
        pieces = [(piece,) for _, spans in direct for piece in spans]
        counts["pieces"] += len(match_spans(pieces, [a.fragments for a in direct_gold]))
        guesses["direct"] += len(direct)
        guesses["pieces"] += len(pieces)
        truths["direct"] += len(direct_gold)
        for gold_index, found_index in matched.items():
            words = _name_words(direct[found_index][0].speaker or "")
            loose = _gold_surname(direct_gold[gold_index].speaker, ending=False)
            if loose is not None:
                loosely_named += 1
                loosely_right += loose in words
            surname = _gold_surname(direct_gold[gold_index].speaker, ending=True)
            if surname is None:
                continue
            named += 1
            right += surname in words
            right_strict += words[-1:] == [surname]
        indirect = [spans for _, spans in by_kind["indirect"]]
        gold = [a.fragments for a in indirect_gold]
        counts["indirect"] += len(match_spans(indirect, gold))
        counts["indirect_strict"] += _strict_matches(text, indirect, gold)
        indirect_pieces = [(piece,) for spans in indirect for piece in spans]
        counts["indirect_pieces"] += len(match_spans(indirect_pieces, gold))
        guesses["indirect_pieces"] += len(indirect_pieces)
        guesses["indirect"] += len(indirect)
        truths["indirect"] += len(indirect_gold)
    return AttributionScores(
        direct=PRF.counts(counts["direct"], guesses["direct"], truths["direct"]),
        direct_strict=PRF.counts(counts["direct_strict"], guesses["direct"], truths["direct"]),
        direct_pieces=PRF.counts(counts["pieces"], guesses["pieces"], truths["direct"]),
        indirect_pieces=PRF.counts(
            counts["indirect_pieces"], guesses["indirect_pieces"], truths["indirect"]
        ),
        speaker_accuracy=right / named if named else 0.0,
        speaker_accuracy_strict=right_strict / named if named else 0.0,
        named=named,
        speaker_accuracy_loose_names=loosely_right / loosely_named if loosely_named else 0.0,
        indirect=PRF.counts(counts["indirect"], guesses["indirect"], truths["indirect"]),
        indirect_strict=PRF.counts(
            counts["indirect_strict"], guesses["indirect"], truths["indirect"]
        ),
        articles=len(articles),
        gold_direct=truths["direct"],
        gold_indirect=truths["indirect"],
        predicted_direct=guesses["direct"],
        predicted_indirect=guesses["indirect"],
    )


def match_spans(found: Sequence[Spans], gold: Sequence[Spans]) -> dict[int, int]:
    """Gold index -> found index, one to one: pairs overlapping by at least half of the
    shorter, taken greedily by overlap (then by position in the lists)."""
    pairs = []
    for f_index, spans in enumerate(found):
        first, last = min(s for s, _ in spans), max(e for _, e in spans)
        for g_index, fragments in enumerate(gold):
            if fragments[0][0] >= last or max(e for _, e in fragments) <= first:
                continue
            overlap = _overlap(spans, fragments)
            if overlap >= 0.5:
                pairs.append((-overlap, f_index, g_index))
    pairs.sort()
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, f_index, g_index in pairs:
        if f_index not in used and g_index not in matched:
            matched[g_index] = f_index
            used.add(f_index)
    return matched


_TRIM = " \t\n\u00a0\"'“”‘’«»„‚‹›,.;:!?—–-"


def _trimmed(text: str, spans: Spans) -> tuple[tuple[int, int], ...]:
    pieces = []
    for start, end in spans:
        first, last = start, end
        while first < last and text[first] in _TRIM:
            first += 1
        while last > first and text[last - 1] in _TRIM:
            last -= 1
        if last > first:
            pieces.append((first, last))
    return tuple(sorted(pieces))


def _strict_matches(text: str, found: Sequence[Spans], gold: Sequence[Spans]) -> int:
    """Gold attributions that one prediction has exactly (see :func:`_trimmed`)."""
    remaining: dict[tuple[tuple[int, int], ...], int] = {}
    for spans in gold:
        key = _trimmed(text, spans)
        remaining[key] = remaining.get(key, 0) + 1
    hits = 0
    for spans in found:
        key = _trimmed(text, spans)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
            hits += 1
    return hits


_NOT_NAMES = frozenset(
    "the a an he she it they we i you his her its their our this that these those one".split()
)
# where the name part of a source ends: a comma, a parenthesis, or a preposition ("a
# person close to the Clintons" is no name; "Joel Pollak of Breitbart" is Pollak)
_NAME_END = re.compile(r"[,(]| (?:of|to|from|at|for|with|in|on|by|about) ")
_COMMA_OR_PARENTHESIS = re.compile(r"[,(]")


def _name_words(speaker: str) -> list[str]:
    """The words of a speaker's noun phrase before any comma, parenthesis or preposition,
    lower case, without possessive endings or edge punctuation."""
    head = _NAME_END.split(speaker, maxsplit=1)[0].replace("’", "'")
    words = (word.removesuffix("'s").strip(".'\"“”") for word in head.split())
    return [word.casefold() for word in words if word]


def _gold_surname(speaker: str | None, *, ending: bool) -> str | None:
    """The surname of a gold source that is a name, lower case, else None.

    A source is a name when its noun phrase (before any comma, parenthesis or preposition)
    ends in a capitalised word ("Sen. Claire McCaskill", "The New York
    Times"), not when it is a role ("The Florida senator"); its surname is that word. With
    ``ending=False``, any capitalised word before a comma or parenthesis, other than a
    pronoun or determiner, makes a name, the last one its surname (how issue 13 read "a
    name": "The Florida senator" -> "florida")."""
    if not speaker:
        return None
    cut = _NAME_END if ending else _COMMA_OR_PARENTHESIS
    head = cut.split(speaker, maxsplit=1)[0].replace("’", "'")
    words = [word.removesuffix("'s").strip(".'\"“”") for word in head.split()]
    words = [word for word in words if word]
    if ending:
        words = words[-1:]
    names = [w for w in words if w[:1].isupper() and w.casefold() not in _NOT_NAMES]
    return names[-1].casefold() if names else None
