"""Disagreements: predicted claims and sides -> precision and recall against labelled evidence.

Gold disagreements list evidence: ``{"article": id, "stance": "asserts" | "denies" |
"disputes" | "optional", "text": "words of the sentence"}``. A cited sentence
matches an evidence item when it is in the same article and contains the item's
text (or the item contains the sentence); assertions ("asserts", and "reports": a
source's assertion the outlet reports) match "asserts", denials and disputes match
"denies" or "disputes". Items marked ``optional`` are neither
required nor counted against a prediction.

- ``disagreement_precision``: predicted disagreements with at least one matched
  assertion and one matched denial of one gold disagreement, over all predicted;
  ``disagreement_recall``: gold disagreements so matched, over all gold.
- ``sentence_precision``: cited sentences that match a required item of the gold
  disagreement they were matched to (optional ones left out), over all cited
  sentences that are not optional; ``sentence_recall``: required items found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyline.model import Article, Disagreement

__all__ = ["DisagreementScores", "score_disagreements"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DisagreementScores:
    disagreement_precision: float
    disagreement_recall: float
    sentence_precision: float
    sentence_recall: float
    predicted: int
    gold: int


def _polarity(stance: str) -> str:
    """An assertion in the outlet's words or a source's (``reports``), or a denial."""
    return "asserts" if stance in ("asserts", "reports") else "denies"


def _matches(sentence: str, article_id: str, item: Mapping[str, str]) -> bool:
    text = item["text"].strip()
    return item["article"] == article_id and (text in sentence or sentence in text)


def score_disagreements(
    predicted: Sequence[Disagreement],
    gold: Sequence[Sequence[Mapping[str, str]]],
    articles: Mapping[str, Article],
) -> DisagreementScores:
    """Score ``predicted`` against gold disagreements, each a list of evidence items."""
    matched_gold: set[int] = set()
    right_predictions = 0
    cited = right_sentences = 0
    found: set[tuple[int, int]] = set()
    for disagreement in predicted:
        sentences = [
            (
                side.stance,
                citation.article_id,
                articles[citation.article_id].text[citation.start : citation.end],
            )
            for side in disagreement.sides
            for citation in side.citations
        ]
        best, best_hits = -1, -1
        for index, items in enumerate(gold):
            hits = {
                _polarity(stance)
                for stance, article_id, text in sentences
                for item in items
                if item["stance"] != "optional"
                and _polarity(item["stance"]) == _polarity(stance)
                and _matches(text, article_id, item)
            }
            if len(hits) > best_hits:
                best, best_hits = index, len(hits)
        if best_hits == 2:
            right_predictions += 1
            matched_gold.add(best)
        items = gold[best] if best >= 0 else []
        for stance, article_id, text in sentences:
            optional = any(
                item["stance"] == "optional" and _matches(text, article_id, item) for item in items
            )
            if optional:
                continue
            cited += 1
            for number, item in enumerate(items):
                if (
                    item["stance"] != "optional"
                    and _polarity(item["stance"]) == _polarity(stance)
                    and _matches(text, article_id, item)
                ):
                    right_sentences += 1
                    found.add((best, number))
                    break
    required = sum(1 for items in gold for item in items if item["stance"] != "optional")
    return DisagreementScores(
        disagreement_precision=right_predictions / len(predicted) if predicted else 0.0,
        disagreement_recall=len(matched_gold) / len(gold) if gold else 0.0,
        sentence_precision=right_sentences / cited if cited else 0.0,
        sentence_recall=len(found) / required if required else 0.0,
        predicted=len(predicted),
        gold=len(gold),
    )
