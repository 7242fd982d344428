"""Extraction scoring: pages with their expected article -> body, title, date and author scores.

Input: a gold JSONL in the format of ``benchmarks/html/fundus_en/gold.jsonl`` (one page a line:
``id``, ``url``, ``crawl_date``, ``html_path`` relative to the gold file's folder, plain or
gzip, and the expected ``title``, ``text``, ``authors``, ``publishing_date``). Each page is
read by a page reader (:func:`storyline.ingest.html.read_page` by default) given the page's
URL and crawl day, as a crawler would know them. Output: :class:`ExtractionScores`, with one
:class:`PageScore` per page.

Metrics:

- body: the article-extraction benchmark of ScrapingHub (Zyte, 2019; its ``evaluate.py``):
  words (``\\w+``, lower-cased here, which that script does not do) in shingles of 4, counted
  as multisets; per page precision and recall of the shingles; precision averaged over the
  pages that gave any text, recall over the pages whose gold has any, and F1 the harmonic mean
  of the two averages. A page that became a rejection gave no text: it lowers recall, not
  precision. Written here rather than imported: the benchmark is a script, not a package;
- title: exact match after whitespace is normalised (no case or quote folding: ``'`` and
  ``’`` differ), over all pages;
- date: the publication day against the gold's (its date as written, in the gold's own time
  offset), over the pages whose gold has a date (pages without one are left out and counted
  in ``undated``); a missing extracted date is a miss. ``date_within_day`` also accepts one
  day off, the usual effect of a time zone;
- authors: per page F1 of the sets of names (case-folded, whitespace normalised), averaged
  over the pages whose gold names authors.

:func:`trafilatura_default` is the peer: trafilatura with its default settings on the raw
bytes (its own decoding), metadata on, its text, title, date and authors taken as they come.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from statistics import fmean
from typing import Any, Protocol

import trafilatura
from trafilatura.settings import Document

from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import read_records
from storyline.ingest.html import read_page
from storyline.model import Article, Rejection, RejectionReason

__all__ = [
    "PEER",
    "ExtractionScores",
    "GoldPage",
    "PageReader",
    "PageScore",
    "page_records",
    "read_gold_pages",
    "score_extraction",
    "shingle_counts",
    "shingle_scores",
    "trafilatura_default",
]

PEER = "trafilatura-default"
SHINGLE_SIZE = 4
_WORD = re.compile(r"\w+")
_GZIP_MAGIC = b"\x1f\x8b"


class PageReader(Protocol):
    """Reads one page's bytes into an article or a rejection."""

    def __call__(
        self, data: bytes, *, origin: str, url: str | None, fetched: dt.date | None
    ) -> Article | Rejection: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldPage:
    """One page of the gold file and what its article should be."""

    id: str
    html_path: Path
    url: str | None
    fetched: dt.date | None
    title: str
    text: str
    authors: tuple[str, ...]
    published: dt.date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageScore:
    """How one page was read: the outcome and each measure against the gold.

    ``precision`` is None when the reader gave no text (the page is left out of the
    precision average), ``date_match`` None when the gold has no date, ``authors_f1`` None
    when the gold names no author.
    """

    id: str
    outcome: str  # "article", or the rejection's reason
    detail: str  # the rejection's detail, or ""
    precision: float | None
    recall: float | None
    f1: float
    title: str | None
    gold_title: str
    title_match: bool
    published: dt.date | None
    gold_published: dt.date | None
    date_match: bool | None
    date_within_day: bool | None
    authors: tuple[str, ...]
    gold_authors: tuple[str, ...]
    authors_f1: float | None
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractionScores:
    """The scores of one page reader over a gold file (see the module docstring)."""

    extractor: str
    pages: int
    articles: int
    precision: float
    recall: float
    f1: float
    title_accuracy: float
    date_accuracy: float
    date_within_day: float
    undated: int
    authors_f1: float
    seconds: float
    rows: tuple[PageScore, ...]


def shingle_counts(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-word shingles of ``text`` (lower-cased ``\\w+`` words).

    A text of fewer than ``size`` words is one shingle of all its words; no words, none.
    """
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return Counter([tuple(words)] if words else [])
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def shingle_scores(gold: str, extracted: str) -> tuple[float | None, float | None]:
    """Precision and recall of ``extracted``'s shingles against ``gold``'s.

    Precision is None when ``extracted`` has no shingle, recall None when ``gold`` has none.
    """
    expected, found = shingle_counts(gold), shingle_counts(extracted)
    common = sum((expected & found).values())
    found_total, expected_total = sum(found.values()), sum(expected.values())
    precision = common / found_total if found_total else None
    recall = common / expected_total if expected_total else None
    return precision, recall


def read_gold_pages(gold_path: Path) -> tuple[GoldPage, ...]:
    """The pages of a gold JSONL; a malformed line is an :class:`EvaluationError`."""
    folder = gold_path.parent

    def parse(record: Mapping[str, Any], _origin: str) -> GoldPage:
        published = record.get("publishing_date")
        crawled = record.get("crawl_date")
        return GoldPage(
            id=str(record["id"]),
            html_path=folder / str(record["html_path"]),
            url=str(record["url"]) if record.get("url") else None,
            fetched=dt.date.fromisoformat(str(crawled)[:10]) if crawled else None,
            title=str(record["title"] or ""),
            text=str(record["text"] or ""),
            authors=tuple(str(name) for name in record.get("authors") or ()),
            published=dt.date.fromisoformat(str(published)[:10]) if published else None,
        )

    return tuple(read_records(gold_path, parse, kind="a gold page"))


def score_extraction(
    gold_path: Path,
    *,
    reader: PageReader = read_page,
    name: str = "storyline",
    on_page: Callable[[PageScore], None] | None = None,
) -> ExtractionScores:
    """Read every page of ``gold_path`` with ``reader`` and score it against the gold."""
    pages = read_gold_pages(gold_path)
    if not pages:
        raise EvaluationError(f"{gold_path} holds no page")
    rows = []
    for page in pages:
        row = _score_page(page, reader)
        rows.append(row)
        if on_page is not None:
            on_page(row)
    return _summary(name, rows)


def trafilatura_default(
    data: bytes, *, origin: str, url: str | None, fetched: dt.date | None
) -> Article | Rejection:
    """The peer: trafilatura's defaults on the raw bytes, its fields as they come."""
    del fetched  # trafilatura's defaults have no use for it
    result = trafilatura.bare_extraction(data, url=url, with_metadata=True)
    if not isinstance(result, Document) or not result.text:
        return Rejection(item=origin, reason=RejectionReason.NO_MAIN_TEXT, detail="no text")
    published = dt.date.fromisoformat(result.date[:10]) if result.date else None
    authors = tuple(n.strip() for n in (result.author or "").split(";") if n.strip())
    return Article(
        id=origin,
        text=result.text,
        source=result.sitename or origin,
        origin=origin,
        title=result.title,
        url=result.url,
        published=published,
        authors=authors,
    )


def page_records(evaluations: Sequence[ExtractionScores]) -> list[dict[str, Any]]:
    """One JSON-ready record per (extractor, page), for looking at failures or rescoring."""
    records = []
    for evaluation in evaluations:
        for row in evaluation.rows:
            record: dict[str, Any] = {"extractor": evaluation.extractor}
            for field in fields(row):
                value = getattr(row, field.name)
                record[field.name] = value.isoformat() if isinstance(value, dt.date) else value
            records.append(record)
    return records


def _score_page(page: GoldPage, reader: PageReader) -> PageScore:
    data = _page_bytes(page)
    start = time.process_time()
    result = reader(data, origin=page.id, url=page.url, fetched=page.fetched)
    seconds = time.process_time() - start
    if isinstance(result, Article):
        outcome, detail, article = "article", "", result
    else:
        outcome, detail, article = str(result.reason), result.detail, None
    precision, recall = shingle_scores(page.text, article.text if article else "")
    title = article.title if article else None
    published = article.published if article else None
    gold_published = page.published
    return PageScore(
        id=page.id,
        outcome=outcome,
        detail=detail,
        precision=precision,
        recall=recall,
        f1=_f1(precision or 0.0, recall or 0.0),
        title=title,
        gold_title=page.title,
        title_match=_spaced(title) == _spaced(page.title),
        published=published,
        gold_published=gold_published,
        date_match=None if gold_published is None else published == gold_published,
        date_within_day=(
            None
            if gold_published is None
            else published is not None and abs((published - gold_published).days) <= 1
        ),
        authors=article.authors if article else (),
        gold_authors=page.authors,
        authors_f1=_names_f1(page.authors, article.authors if article else ())
        if page.authors
        else None,
        seconds=seconds,
    )


def _page_bytes(page: GoldPage) -> bytes:
    try:
        data = page.html_path.read_bytes()
    except OSError as error:
        raise EvaluationError(f"cannot read page {page.html_path}: {error.strerror}") from error
    if data.startswith(_GZIP_MAGIC):
        try:
            data = zlib.decompress(data, wbits=31)
        except zlib.error as error:
            raise EvaluationError(f"page {page.html_path} is corrupt gzip: {error}") from error
    return data


def _summary(name: str, rows: Sequence[PageScore]) -> ExtractionScores:
    precisions = [row.precision for row in rows if row.precision is not None]
    recalls = [row.recall for row in rows if row.recall is not None]
    precision = fmean(precisions) if precisions else 0.0
    recall = fmean(recalls) if recalls else 0.0
    dated = [row for row in rows if row.date_match is not None]
    authored = [row.authors_f1 for row in rows if row.authors_f1 is not None]
    return ExtractionScores(
        extractor=name,
        pages=len(rows),
        articles=sum(row.outcome == "article" for row in rows),
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        title_accuracy=fmean(row.title_match for row in rows),
        date_accuracy=fmean(bool(row.date_match) for row in dated) if dated else 0.0,
        date_within_day=fmean(bool(row.date_within_day) for row in dated) if dated else 0.0,
        undated=len(rows) - len(dated),
        authors_f1=fmean(authored) if authored else 0.0,
        seconds=sum(row.seconds for row in rows),
        rows=tuple(rows),
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _spaced(text: str | None) -> str:
    return " ".join((text or "").split())


def _names_f1(gold: Sequence[str], found: Sequence[str]) -> float:
    expected = {_spaced(name).casefold() for name in gold}
    extracted = {_spaced(name).casefold() for name in found}
    common = len(expected & extracted)
    if not common:
        return 0.0
    return _f1(common / len(extracted), common / len(expected))
