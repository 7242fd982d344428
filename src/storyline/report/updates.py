"""Report: an update (what is new since a digest) -> Markdown, JSON and HTML.

An update is a digest of the new articles that holds only what is new
(:mod:`storyline.digest.updates`), so each format is the digest's own with what it
updates said first (:mod:`storyline.report.notes`):

- Markdown: ``# storyline update``, a line naming the story, the digest (or day) it
  updates, when that was delivered and how many articles are new, then the digest's
  sections; when there is nothing new, that line and the new articles, if any;
- JSON: the digest's document (schema ``storyline.digest``, version 3) with an
  ``update`` key (see the README): what it updates, the new articles, the articles
  known before (so that the next update knows them too) and ``nothing_new``;
- HTML: the digest's page labelled "storyline update", with that line under the label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from storyline.digest.updates import Update
from storyline.report.escaping import markdown_text, neutral
from storyline.report.markdown import digest_to_dict, document_json
from storyline.report.notes import noted_html, noted_markdown

__all__ = [
    "update_note",
    "update_to_dict",
    "update_to_html",
    "update_to_json",
    "update_to_markdown",
]

_LABEL = "storyline update"


def update_to_dict(update: Update, *, timings: bool = True) -> dict[str, Any]:
    """The update as a ``storyline.digest`` document with its ``update`` key."""
    data = digest_to_dict(update.digest, timings=timings)
    baseline = update.baseline
    data["update"] = {
        "story_id": update.story_id,
        "since": {
            "label": baseline.label,
            "digest_ids": list(baseline.digest_ids),
            "delivered": _time(baseline.delivered),
            "date": baseline.since.isoformat() if baseline.since else None,
        },
        "nothing_new": update.nothing_new,
        "new_article_ids": list(update.new_article_ids),
        "known_article_ids": list(update.known_article_ids),
        "old_facts": update.old_facts,
    }
    return data


def update_to_json(update: Update, *, timings: bool = True) -> str:
    """:func:`update_to_dict` as JSON, one part a line (as a digest's)."""
    return document_json(update_to_dict(update, timings=timings))


def update_to_markdown(update: Update) -> str:
    """The update for people: what it updates, then the new (or "Nothing new")."""
    note = _what(update, markdown_text)
    if not update.nothing_new:
        return noted_markdown(update.digest, label=_LABEL, note=note)
    lines = [f"# {_LABEL}", "", note, ""]
    articles = {article.id: article for article in update.digest.corpus.articles}
    for article_id in update.new_article_ids:
        article = articles[article_id]
        day = article.published.isoformat() if article.published else "undated"
        lines.append(f"- {markdown_text(article.source)}, {day}: {markdown_text(article_id)}")
    return "\n".join(lines).rstrip("\n") + "\n"


def update_to_html(update: Update, *, timings: bool = True) -> str:
    """The digest's page of the update, what it updates said under its label."""
    return noted_html(update.digest, label=_LABEL, note=_what(update, neutral), timings=timings)


def update_note(update: Update) -> str:
    """The line that says what the update is to and what it found, as plain text (the web
    app's update page escapes it with the rest of the page)."""
    return _what(update, str)


def _what(update: Update, show: Callable[[str], str]) -> str:
    """One line: what the update is to, and what it found (``show`` escapes the
    story id for the format)."""
    baseline = update.baseline
    since = show(baseline.label)
    if baseline.delivered is not None:
        since += f" (delivered {baseline.delivered.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC)"
    new = len(update.new_article_ids)
    articles = f"{new} new article{'s' if new != 1 else ''}"
    story = show(update.story_id)
    if update.nothing_new:
        reason = (
            "no new article"
            if not new
            else f"{articles}, and everything in {'it' if new == 1 else 'them'} was stated before"
        )
        return f"Nothing new in story {story} since {since}: {reason}."
    old = update.old_facts
    left_out = (
        f"; {old} of {'its' if new == 1 else 'their'} facts {'was' if old == 1 else 'were'} "
        f"stated before and "
        f"{'is' if old == 1 else 'are'} left out"
        if old
        else ""
    )
    return f"What is new in story {story} since {since}: {articles}{left_out}."


def _time(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None
