"""Precision, recall and F1, shared by the scorers of :mod:`storyline.evaluate`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PRF"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PRF:
    """Precision, recall and their harmonic mean (0.0 where a ratio has no denominator)."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        total = precision + recall
        return cls(
            precision=precision,
            recall=recall,
            f1=2 * precision * recall / total if total > 0 else 0.0,
        )

    @classmethod
    def counts(cls, hits: int, guesses: int, truths: int) -> PRF:
        """From the matches, the predictions and the references."""
        return cls.of(hits / guesses if guesses else 0.0, hits / truths if truths else 0.0)
