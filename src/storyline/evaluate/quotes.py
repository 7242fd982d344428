"""Quote scoring: a labelled JSONL file of articles and their quotes -> precision, recall, F1.

Scores a :class:`~storyline.digest.quotes.QuoteExtractor` against labelled quotes
(``tests/data/quotes_labelled.md`` describes the format and the project's set).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from storyline.digest.quotes import _HONORIFICS, PIECE_SEPARATOR
from storyline.errors import EvaluationError
from storyline.ingest.files import FileIngestor, default_shared_dir, labelled_article
from storyline.model import Article, Quote, QuoteKind

__all__ = ["labelled_articles", "score_quotes"]


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


_SPEAKER_PREFIXES = frozenset({"the", "a", "an", *_HONORIFICS})


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
