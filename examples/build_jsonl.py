"""Regenerate an example corpus's JSONL from its .txt files and metadata table.

Input: ``examples/<corpus>/txt/NN_<outlet-slug>.txt`` in the seeds' format (the first line
starts with `` date YYYY-MM-DD `` and goes straight on with the first paragraph; paragraphs
are separated by blank lines) and ``examples/<corpus>/outlets.toml`` (outlet names by slug,
title and url by file stem).
Output: ``examples/<corpus>.jsonl``, one article a line with the keys id, source, url, title,
date and text, where text is the .txt body without its date header.
Method: a strict parse of each file and a join with the table; any mismatch (missing or extra
metadata, bad header, unknown outlet) stops the build with a message naming the file.
``--check`` compares the JSONL on disk with what would be written and exits 1 when they differ.

Usage: ``python examples/build_jsonl.py [CORPUS_DIR] [--check]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ExampleArticle", "ExampleCorpusError", "build_articles", "main", "render_jsonl"]

_HEADER = re.compile(r" date (?P<date>\d{4}-\d{2}-\d{2}) ")
_STEM = re.compile(r"\d{2}_(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")
_DEFAULT_CORPUS = Path(__file__).resolve().parent / "harbor-bridge"


class ExampleCorpusError(ValueError):
    """An example corpus whose files or metadata do not fit together."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExampleArticle:
    """One article of an example corpus, as written to the JSONL."""

    id: str
    source: str
    url: str
    title: str
    date: str
    text: str

    def to_json(self) -> str:
        record = {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "date": self.date,
            "text": self.text,
        }
        return json.dumps(record, ensure_ascii=False)


def _split_header(raw: str, *, name: str) -> tuple[str, str]:
    match = _HEADER.match(raw)
    if match is None:
        raise ExampleCorpusError(f"{name}: the first line must start with ' date YYYY-MM-DD '.")
    date = match.group("date")
    try:
        dt.date.fromisoformat(date)
    except ValueError as exc:
        raise ExampleCorpusError(f"{name}: {date!r} is not a calendar date.") from exc
    text = raw[match.end() :]
    if not text.strip():
        raise ExampleCorpusError(f"{name}: the article has no text after its date header.")
    if text != text.strip():
        raise ExampleCorpusError(f"{name}: the text must not start or end with whitespace.")
    return date, text


def _read_table(path: Path) -> tuple[Mapping[str, str], Mapping[str, Mapping[str, str]]]:
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    outlets = table.get("outlets")
    articles = table.get("articles")
    if not isinstance(outlets, dict) or not isinstance(articles, dict):
        raise ExampleCorpusError(f"{path}: needs an [outlets] table and [articles.<stem>] tables.")
    names: dict[str, str] = {}
    for slug, name in outlets.items():
        if not isinstance(name, str):
            raise ExampleCorpusError(f"{path}: outlet {slug!r} must map to a string.")
        names[slug] = name
    entries: dict[str, dict[str, str]] = {}
    for stem, entry in articles.items():
        if not isinstance(entry, dict) or set(entry) != {"title", "url"}:
            raise ExampleCorpusError(f"{path}: article {stem!r} needs exactly a title and a url.")
        entries[stem] = {key: str(value) for key, value in entry.items()}
    return names, entries


def build_articles(corpus_dir: Path) -> list[ExampleArticle]:
    """Read ``corpus_dir/txt/*.txt`` and ``corpus_dir/outlets.toml`` into articles by file name."""
    outlets, entries = _read_table(corpus_dir / "outlets.toml")
    paths = sorted((corpus_dir / "txt").glob("*.txt"))
    if not paths:
        raise ExampleCorpusError(f"{corpus_dir}: no .txt files under txt/.")
    stems = {path.stem for path in paths}
    if missing := sorted(stems - set(entries)):
        raise ExampleCorpusError(f"{corpus_dir}: no metadata for {', '.join(missing)}.")
    if extra := sorted(set(entries) - stems):
        raise ExampleCorpusError(f"{corpus_dir}: metadata for absent files {', '.join(extra)}.")
    articles = []
    for path in paths:
        stem_match = _STEM.fullmatch(path.stem)
        if stem_match is None:
            raise ExampleCorpusError(f"{path.name}: file names must look like NN_outlet-slug.txt.")
        slug = stem_match.group("slug")
        if slug not in outlets:
            raise ExampleCorpusError(f"{path.name}: outlet {slug!r} is not in [outlets].")
        date, text = _split_header(path.read_text(encoding="utf-8"), name=path.name)
        entry = entries[path.stem]
        articles.append(
            ExampleArticle(
                id=path.stem,
                source=outlets[slug],
                url=entry["url"],
                title=entry["title"],
                date=date,
                text=text,
            )
        )
    return articles


def render_jsonl(articles: Sequence[ExampleArticle]) -> str:
    """One JSON object a line, each line ending with a newline."""
    return "".join(article.to_json() + "\n" for article in articles)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus_dir", nargs="?", type=Path, default=_DEFAULT_CORPUS)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the JSONL on disk is out of date"
    )
    args = parser.parse_args(argv)
    corpus_dir: Path = args.corpus_dir.resolve()
    target = corpus_dir.parent / f"{corpus_dir.name}.jsonl"
    try:
        rendered = render_jsonl(build_articles(corpus_dir))
    except (ExampleCorpusError, OSError, tomllib.TOMLDecodeError) as exc:
        print(f"build_jsonl: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != rendered:
            print(f"build_jsonl: {target} is out of date; run without --check.", file=sys.stderr)
            return 1
        return 0
    target.write_text(rendered, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
