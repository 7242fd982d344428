"""Tiny builders that keep tests short: articles and sentences from strings."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from pathlib import Path

from storyline.model import Article, Sentence

__all__ = ["SHARED", "make_article", "make_sentences", "shared_path"]

_COUNTER = itertools.count(1)

SHARED = Path(os.environ.get("STORYLINE_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared (or $STORYLINE_SHARED); callers skip when it is missing."""
    return SHARED.joinpath(*parts)


def make_article(
    text: str,
    *,
    id: str | None = None,
    source: str | None = None,
    published: dt.date | str | None = None,
    title: str | None = None,
) -> Article:
    """An article from a string; ``published`` may be an ISO date string."""
    identifier = id or f"a{next(_COUNTER)}"
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return Article(
        id=identifier,
        text=text,
        source=source or identifier,
        origin=f"<test:{identifier}>",
        title=title,
        published=published,
    )


def make_sentences(article: Article) -> tuple[Sentence, ...]:
    """Sentences of an article split naively at '. ', for tests that need no segmenter."""
    sentences = []
    for match in re.finditer(r"[^.!?]+[.!?]?", article.text):
        raw = match.group()
        start = match.start() + len(raw) - len(raw.lstrip())
        end = match.end() - (len(raw) - len(raw.rstrip()))
        if end > start:
            sentences.append(
                Sentence(
                    id=f"{article.id}:{len(sentences)}",
                    article_id=article.id,
                    index=len(sentences),
                    start=start,
                    end=end,
                )
            )
    return tuple(sentences)
