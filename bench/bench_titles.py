"""Benchmark: web-page titles, where the headline vote misses and why, on two halves by site.

Input -> output: ``benchmarks/html/fundus_en/gold.jsonl`` -> tables on stdout and a JSON record
(``bench/results/titles.json`` unless ``--output`` is given).

The pages are split into two halves by site (the SHA-256 of the URL's host without ``www.``,
even or odd), so that a rule written while looking at one half can be checked on the other,
whose publishers it has not seen. For each half: storyline's page reader
(:func:`storyline.ingest.html.read_page`, through :func:`storyline.evaluate.extraction
.score_extraction`) scored for body F1, title and date; each title source alone (JSON-LD
headline, ``<h1>``, ``og:title``, ``twitter:title``, ``<title>``, the site's name cut off as
the reader cuts it); the meta titles voting once for their majority instead of once for each
of their texts (measured, not kept); and the share of pages where some source gives the gold
title (the ceiling of any choice among them). Then every miss of the reader with its class:

- ``site or section kept``: the reader's title is the gold with a part before or after it;
- ``no source``: no source of the page gives the gold title (the gold's own convention);
- ``typography``: the page gives the gold title in some source, and the reader's title is it
  but for quotes and dashes (one source types them straight, another curly);
- ``other headline``: the page gives the gold title in some source, and another headline in
  the sources the vote followed (the publisher's display, search and social headlines
  differ; the gold's parser took one per publisher).

Usage: ``.venv/bin/python bench/bench_titles.py [--output PATH]``. The data is read from
``../shared`` beside the repository or from ``$STORYLINE_SHARED``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from statistics import fmean
from urllib.parse import urlsplit

import trafilatura
from trafilatura.utils import load_html

# bench_extraction, imported first, also finds src/ in a plain checkout
from bench_extraction import REPO, fundus_arguments, write_record
from storyline.evaluate.extraction import (
    PageScore,
    _page_bytes,
    read_gold_pages,
    score_extraction,
)
from storyline.ingest import html

DEFAULT_OUTPUT = REPO / "bench" / "results" / "titles.json"
SOURCES = ("JSON-LD", "<h1>", "og:title", "twitter:title", "<title>")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Page:
    id: str
    host: str
    gold: str
    ours: str
    row: PageScore
    sources: tuple[tuple[str, ...], ...]  # by SOURCES, the site's name cut off


def _host(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def _half(page: _Page) -> int:
    return int(hashlib.sha256(page.host.encode()).hexdigest(), 16) % 2


def _spaced(text: str | None) -> str:
    return " ".join((text or "").split())


def _sources(data: bytes, url: str | None) -> tuple[tuple[str, ...], ...]:
    """The page's title texts by source, cut as the reader cuts them."""
    page = html._decode(data, None)
    assert isinstance(page, str), page
    tree = load_html(page)
    metadata = trafilatura.extract_metadata(load_html(page), default_url=url)
    json_ld = html._json_ld(tree)
    names = (metadata.sitename, *html._declared_site_names(tree, json_ld))
    site = html._site(names, html._canonical_url(metadata.url, url))
    return tuple(
        tuple(html._without_site(text, site) for text in texts)
        for texts in html._title_sources(tree, json_ld)
    )


def _meta_majority(sources: tuple[tuple[str, ...], ...]) -> str | None:
    """The vote with the meta titles casting one vote, for the text most of them give."""
    meta = Counter(texts[0] for texts in sources[2:] if texts)
    groups = (sources[0], sources[1], (meta.most_common(1)[0][0],) if meta else ())
    votes: dict[str, set[int]] = {}
    for index, texts in enumerate(groups):
        for text in texts:
            votes.setdefault(text, set()).add(index)
    order = {text: rank for rank, text in enumerate(votes)}
    return max(votes, key=lambda text: (len(votes[text]), -order[text])) if votes else None


def _miss_class(page: _Page) -> str:
    before, _, after = page.ours.partition(page.gold)
    kept = page.gold and page.gold != page.ours and page.gold in page.ours
    cut_off = (before, after) if kept else ()
    if any(html._SEPARATOR.search(f" {part} ") for part in cut_off if part):
        return "site or section kept"
    if not any(page.gold in texts for texts in page.sources):
        return "no source"
    if html._fold(page.gold) == html._fold(page.ours):
        return "typography"
    return "other headline"


def _giving(page: _Page, title: str) -> str:
    """The sources of ``page`` that give ``title``."""
    return ", ".join(
        name for name, texts in zip(SOURCES, page.sources, strict=True) if title in texts
    )


def main() -> int:
    output, gold = fundus_arguments(__doc__.splitlines()[0], DEFAULT_OUTPUT)
    if gold is None:
        return 0
    rows = {row.id: row for row in score_extraction(gold).rows}
    pages = [
        _Page(
            id=page.id,
            host=_host(page.url),
            gold=_spaced(page.title),
            ours=_spaced(rows[page.id].title),
            row=rows[page.id],
            sources=_sources(_page_bytes(page), page.url),
        )
        for page in read_gold_pages(gold)
    ]
    halves: list[dict[str, object]] = []
    columns = ("body F1", "title", "date", *SOURCES, "meta majority", "some source")
    print("| half | pages | sites | " + " | ".join(columns) + " |")
    print("|---" * (3 + len(columns)) + "|")
    for half in (0, 1):
        chosen = [page for page in pages if _half(page) == half]
        precision = fmean(page.row.precision or 0.0 for page in chosen)
        recall = fmean(page.row.recall or 0.0 for page in chosen)
        dated = [page.row.date_match for page in chosen if page.row.date_match is not None]
        sources = {
            name: fmean(page.gold in page.sources[index][:1] for page in chosen)
            for index, name in enumerate(SOURCES)
        }
        scores = {
            "body_f1": 2 * precision * recall / (precision + recall),
            "title": fmean(page.row.title_match for page in chosen),
            "date": fmean(dated),
            **sources,
            "meta_majority": fmean(_meta_majority(page.sources) == page.gold for page in chosen),
            "some_source": fmean(
                any(page.gold in texts for texts in page.sources) for page in chosen
            ),
        }
        sites = len({page.host for page in chosen})
        halves.append({"half": half, "pages": len(chosen), "sites": sites, **scores})
        numbers = " | ".join(f"{value:.3f}" for value in scores.values())
        print(f"| {half} | {len(chosen)} | {sites} | {numbers} |")
    misses = [page for page in pages if not page.row.title_match]
    classes = Counter(_miss_class(page) for page in misses)
    print("\nmisses by class: " + ", ".join(f"{name} {n}" for name, n in classes.most_common()))
    for page in misses:
        print(
            f"- {page.id} (half {_half(page)}): {_miss_class(page)}; the gold in "
            f"{_giving(page, page.gold) or 'no source'}; ours from {_giving(page, page.ours)}"
        )
    record = {
        "dataset": str(gold),
        "halves": halves,
        "misses": dict(classes.most_common()),
        "pages": [
            {"id": page.id, "half": _half(page), "class": _miss_class(page)} for page in misses
        ],
    }
    write_record(output, record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
