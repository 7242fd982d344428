"""Uploads: a posted JSON array of articles, or uploaded files -> a corpus.

The bytes go to a fresh temporary directory under names this module makes: each file in
its own numbered folder, named by the letters, digits, ``-`` and ``_`` of the uploaded
name's stem (the article ids and outlets of text and JSON files come from it, as they do
from a file's name on the command line) and by the extension only when it is one the
ingest reads (``.json``, ``.html.gz``, ...). No part of a request's path or name reaches
the file system otherwise. :class:`~storyline.ingest.files.FileIngestor` then reads them
as it reads files from the command line, so every upload is checked, and rejected item by
item, exactly as a file is; the temporary folder is removed afterwards, and the
temporary paths in origins and details become ``upload:NAME``.

A file whose extension names no format the ingest reads and whose content shows none
(:func:`~storyline.ingest.files.sniff_format`) is refused as a whole, 415.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storyline.ingest.files import FileIngestor, format_of_name, sniff_format
from storyline.model import Corpus
from storyline.service.problems import RequestError

__all__ = ["Upload", "posted_corpus", "safe_name", "uploaded_corpus"]

_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9_-]+")
_STEM_CHARS = 80
_SNIFF = 4096


@dataclass(frozen=True, slots=True, kw_only=True)
class Upload:
    """One uploaded file: the name the client gave (never used as a path) and its bytes."""

    name: str
    data: BinaryIO


def safe_name(name: str, number: int) -> str:
    """The name the server gives an upload called ``name``: its stem's safe characters and
    its extension when the ingest reads that extension."""
    base = re.split(r"[/\\]", name)[-1]
    lowered = base.lower()
    suffix = ""
    for length in (2, 1):
        parts = lowered.rsplit(".", length)
        if len(parts) == length + 1 and parts[0]:
            candidate = "." + ".".join(parts[1:])
            if format_of_name("x" + candidate) is not None:
                suffix = candidate
                base = base[: len(base) - len(candidate)]
                break
    stem = _UNSAFE_RUN.sub("-", base).strip("-")[:_STEM_CHARS].strip("-")
    return (stem or f"upload-{number}") + suffix


def uploaded_corpus(uploads: Sequence[Upload], ingestor: FileIngestor) -> Corpus:
    """The articles and rejections of ``uploads``; 415 when one is of no readable type."""
    if not uploads:
        raise RequestError(422, "the form holds no file: post files in a multipart form")
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as folder:
        paths = []
        for number, upload in enumerate(uploads):
            name = safe_name(upload.name, number)
            head = upload.data.read(_SNIFF)
            upload.data.seek(0)
            if format_of_name(name) is None and sniff_format(head) is None:
                shown = upload.name[-100:] or "(no name)"
                raise RequestError(
                    415,
                    f"{shown!r} is of no type storyline reads: give a .txt, .json, .jsonl, "
                    ".html, .xml (feed), .warc file (or a .gz of one)",
                )
            path = Path(folder, str(number), name)
            path.parent.mkdir()
            with path.open("xb") as handle:
                shutil.copyfileobj(upload.data, handle)
            paths.append(path)
        return _renamed(ingestor.ingest(paths), folder)


def posted_corpus(body: bytes, ingestor: FileIngestor) -> Corpus:
    """The articles and rejections of a posted JSON array of article objects."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise RequestError(400, f"the body is not JSON: {str(error)[:200]}") from None
    if not isinstance(data, list):
        raise RequestError(422, f"the body must be a JSON array of articles, not a {_kind(data)}")
    name = f"post-{hashlib.sha256(body).hexdigest()[:12]}.json"
    with tempfile.TemporaryDirectory(prefix="storyline-post-") as folder:
        path = Path(folder, "0", name)
        path.parent.mkdir()
        path.write_bytes(body)
        return _renamed(ingestor.ingest([path]), folder)


def _kind(value: object) -> str:
    return {dict: "JSON object", str: "JSON string", bool: "JSON boolean"}.get(
        type(value), "JSON number" if isinstance(value, int | float) else "JSON null"
    )


def _renamed(corpus: Corpus, folder: str) -> Corpus:
    """``corpus`` with the temporary paths in its origins and details shown as ``upload:``."""
    place = re.compile(re.escape(str(Path(folder))) + r"[/\\][0-9]+[/\\]")

    def shown(text: str) -> str:
        return place.sub("upload:", text)

    return Corpus(
        articles=tuple(
            dataclasses.replace(article, origin=shown(article.origin))
            for article in corpus.articles
        ),
        rejections=tuple(
            dataclasses.replace(r, item=shown(r.item), detail=shown(r.detail))
            for r in corpus.rejections
        ),
    )
