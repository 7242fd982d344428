"""Benchmark JSONL shared by the evaluations: records, and their ``docs`` as articles."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from storyline.errors import EvaluationError
from storyline.ingest.files import parse_date
from storyline.model import Article

__all__ = ["docs_to_articles", "read_records"]

_T = TypeVar("_T")


def read_records(
    path: Path, parse: Callable[[Mapping[str, Any], str], _T], *, kind: str
) -> Iterator[_T]:
    """``parse(record, origin)`` for every line of ``path``; a bad line is an EvaluationError.

    ``origin`` is ``path:line``; ``kind`` names the record in the error message.
    """
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise EvaluationError(f"cannot read dataset {path}: {error.strerror}") from error
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield parse(json.loads(line), f"{path}:{number}")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise EvaluationError(f"{path}:{number} is not {kind} record: {error!r}") from error


def docs_to_articles(record: Mapping[str, Any], origin: str) -> tuple[Article, ...]:
    """The ``docs`` of a benchmark record (``id``, ``text``, ``date``, ``title``) as articles."""
    return tuple(
        Article(
            id=str(doc["id"]),
            text=str(doc["text"]),
            source=str(doc.get("source") or doc["id"]),
            origin=origin,
            title=doc.get("title"),
            published=parse_date(doc["date"]) if doc.get("date") else None,
        )
        for doc in record["docs"]
    )
