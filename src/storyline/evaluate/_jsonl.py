"""Benchmark JSONL shared by the evaluations: records, and their ``docs`` as articles."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from storyline.errors import EvaluationError
from storyline.ingest.files import parse_date
from storyline.model import Article

__all__ = ["docs_to_articles", "first_record_has", "read_records"]

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


def first_record_has(path: Path, *, key: str, items: str, field: str) -> bool:
    """Does the first record of a JSONL file hold ``key`` and a list ``items`` of objects
    that each hold ``field``? (To tell a benchmark's format; False when it cannot be read
    as JSON, and the reader proper then says why.)"""
    try:
        with path.open(encoding="utf-8") as handle:
            line = next((line for line in handle if line.strip()), "")
        record = json.loads(line) if line else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    if not isinstance(record, dict) or key not in record:
        return False
    listed = record.get(items)
    return isinstance(listed, list) and all(
        isinstance(item, dict) and field in item for item in listed
    )


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
