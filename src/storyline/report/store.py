"""Report: what the store says -> text for people and JSON for programs.

- :func:`ingest_text` / :func:`ingest_json`: the counts of one ingest (new, already
  stored and by what, rejected by reason, stories new, grown and merged);
- :func:`article_markdown` / :func:`article_json`: one stored article, for
  ``storyline show`` (``"schema": "storyline.article"``).

Article-derived strings in Markdown go through :mod:`storyline.report.escaping`, as in
the digest's report; the JSON keeps the text as it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from storyline.report.escaping import markdown_code, markdown_text
from storyline.store import IngestReport, StoredArticle

__all__ = ["article_json", "article_markdown", "ingest_json", "ingest_text"]


def ingest_text(report: IngestReport, store: str) -> str:
    """The counts of an ingest, a line each."""
    counts = report.counts()
    return (
        "\n".join(
            [
                f"stored in {store} (run {report.run})",
                f"new: {counts['new']}",
                f"already stored: {counts['already_stored']}{_by(counts['already_stored_by'])}",
                f"rejected: {counts['rejected']}{_by(counts['rejected_by_reason'])}",
                f"stories: {counts['stories_new']} new, {counts['stories_grown']} grown, "
                f"{counts['stories_merged']} merged",
            ]
        )
        + "\n"
    )


def ingest_json(report: IngestReport, store: str) -> str:
    """The counts of an ingest, with the ids behind them (``"schema": "storyline.ingest"``)."""
    data = {
        "schema": "storyline.ingest",
        "version": 1,
        "store": store,
        "run": report.run,
        "counts": report.counts(),
        "new": list(report.new),
        "already_stored": [
            {"id": known.article_id, "stored_id": known.stored_id, "match": known.match}
            for known in report.known
        ],
        "rejected": [
            {"item": r.item, "reason": r.reason.value, "detail": r.detail}
            for r in report.rejections
        ],
        "stories": {
            "new": list(report.new_stories),
            "grown": list(report.grown_stories),
            "merged": [{"id": gone, "into": into} for gone, into in report.merged_stories],
        },
    }
    return _dumped(data)


def article_markdown(stored: StoredArticle) -> str:
    """One stored article: its fields, then its text paragraph by paragraph."""
    article = stored.article
    published = article.published.isoformat() if article.published else "undated"
    lines = [
        f"# {markdown_text(article.title or article.id)}",
        "",
        f"- id: {markdown_code(article.id)}",
        f"- story: {markdown_code(stored.story_id)}",
        f"- outlet: {markdown_text(article.source)}",
        f"- published: {published}",
    ]
    if article.url:
        lines.append(f"- url: {markdown_code(article.url)}")
    if article.authors:
        lines.append(f"- authors: {markdown_text(', '.join(article.authors))}")
    if article.partial:
        lines.append("- partial: only a summary of the article (a feed entry)")
    lines += [
        f"- origin: {markdown_code(article.origin)}",
        f"- ingested: {stored.ingested.isoformat(timespec='seconds')} (run {stored.run})",
        "",
    ]
    paragraphs = [p for p in article.text.split("\n") if p.strip()]
    lines += [line for paragraph in paragraphs for line in (markdown_text(paragraph), "")]
    return "\n".join(lines)


def article_json(stored: StoredArticle) -> str:
    """One stored article as JSON (``"schema": "storyline.article"``)."""
    article = stored.article
    data = {
        "schema": "storyline.article",
        "version": 1,
        "id": article.id,
        "story": stored.story_id,
        "source": article.source,
        "origin": article.origin,
        "title": article.title,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "authors": list(article.authors),
        "partial": article.partial,
        "content_hash": stored.content_hash,
        "ingested": stored.ingested.isoformat(),
        "run": stored.run,
        "text": article.text,
    }
    return _dumped(data)


def _by(counts: Mapping[str, int]) -> str:
    if not counts:
        return ""
    return " (" + ", ".join(f"{name} {number}" for name, number in counts.items()) + ")"


def _dumped(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
