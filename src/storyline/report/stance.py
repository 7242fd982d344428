"""Report: a claim checked against articles (:class:`~storyline.digest.stance.ClaimCheck`)
-> Markdown, JSON and HTML.

Each form says the tally first ("2 outlets deny, 1 reports without taking a side") and
which outlet was first with each side, then per article its stance and the sentences that
show it, each with its character offsets into the article's text; an assertion that a
source makes ("police said") is marked as attributed, never shown as the outlet's own.
Rejected input items are listed at the end, as in a digest. Text from the articles is
escaped for each form (:mod:`storyline.report.escaping`, :func:`html.escape`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from storyline.digest.stance import ArticleStance, ClaimCheck, SentenceStance
from storyline.model import Rejection
from storyline.report.escaping import markdown_code, markdown_text, single_line

__all__ = ["check_to_dict", "check_to_html", "check_to_json", "check_to_markdown"]

_SHOWN = {
    "asserts": "asserts",
    "denies": "denies",
    "reports": "reports without taking a side",
    "unrelated": "does not mention the claim",
}


def _label(item: SentenceStance) -> str:
    """The stance of a sentence as shown: an attributed assertion says whose it is."""
    if item.stance == "asserts" and item.cue:
        return f"asserts, attributed (“{item.cue}”)"
    if item.cue and item.stance != "unrelated":
        return f"{item.stance} (“{item.cue}”)"
    return item.stance


_FIRST = {"asserts": "first to assert", "denies": "first to deny", "reports": "first to report"}


def _firsts(check: ClaimCheck) -> list[str]:
    return [
        f"{_FIRST[side.stance]}: {side.first_outlet} ({side.first_article}, "
        f"{side.first_date or 'undated'})"
        for side in check.sides
    ]


def check_to_markdown(check: ClaimCheck, rejections: Sequence[Rejection] = ()) -> str:
    lines = [
        "# storyline check",
        "",
        f"Claim: {markdown_text(check.claim)}",
        "",
        f"**{markdown_text(check.tally())}.**",
        "",
    ]
    lines += [f"- {markdown_text(first)}" for first in _firsts(check)]
    lines += ["", f"## Articles ({len(check.articles)})", ""]
    for article in check.articles:
        lines += _article_markdown(article)
    lines += [f"## Rejected items ({len(rejections)})", ""]
    if not rejections:
        lines += ["None: every input item was used.", ""]
    for rejection in rejections:
        lines.append(
            f"- {markdown_code(rejection.item)}: {markdown_text(rejection.reason.value)}: "
            f"{markdown_text(rejection.detail)}"
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def _article_markdown(article: ArticleStance) -> list[str]:
    date = article.published or "undated"
    title = f" “{markdown_text(article.title)}”" if article.title else ""
    lines = [
        f"### {markdown_text(article.source)}{title} ({date}): "
        f"{markdown_text(_SHOWN[article.stance])}",
        "",
        f"Article {markdown_code(article.article_id)}.",
        "",
    ]
    for item in article.evidence:
        where = f"[{item.citation.start}:{item.citation.end}]"
        lines.append(f"- **{markdown_text(_label(item))}** {where}: {markdown_text(item.text)}")
    return [*lines, ""] if article.evidence else lines


def check_to_dict(check: ClaimCheck, rejections: Sequence[Rejection] = ()) -> dict[str, Any]:
    return {
        "claim": check.claim,
        "tally": check.tally(),
        "sides": [
            {
                "stance": side.stance,
                "outlets": list(side.outlets),
                "first_outlet": side.first_outlet,
                "first_article": side.first_article,
                "first_date": side.first_date,
            }
            for side in check.sides
        ],
        "articles": [
            {
                "article_id": article.article_id,
                "source": article.source,
                "title": article.title,
                "published": article.published,
                "stance": article.stance,
                "evidence": [
                    {
                        "stance": item.stance,
                        "attributed": bool(item.cue),
                        "cue": item.cue,
                        "text": item.text,
                        "sentence_id": item.citation.sentence_id,
                        "start": item.citation.start,
                        "end": item.citation.end,
                        "confidence": item.confidence,
                        "relevance": item.relevance,
                    }
                    for item in article.evidence
                ],
            }
            for article in check.articles
        ],
        "rejections": [
            {"item": r.item, "reason": r.reason.value, "detail": r.detail} for r in rejections
        ],
    }


def check_to_json(check: ClaimCheck, rejections: Sequence[Rejection] = ()) -> str:
    return json.dumps(check_to_dict(check, rejections), ensure_ascii=False, indent=1) + "\n"


def _escape(text: str) -> str:
    return html.escape(single_line(text), quote=True)


def check_to_html(check: ClaimCheck, rejections: Sequence[Rejection] = ()) -> str:
    firsts = "".join(f"<li>{_escape(first)}</li>" for first in _firsts(check))
    articles = "".join(_article_html(article) for article in check.articles)
    rejected = "".join(
        f"<li><code>{_escape(r.item)}</code>: {_escape(r.reason.value)}: {_escape(r.detail)}</li>"
        for r in rejections
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>storyline check: {_escape(check.claim)}</title>\n</head>\n<body>\n"
        f'<h1>storyline check</h1>\n<p data-field="claim">Claim: {_escape(check.claim)}</p>\n'
        f'<p data-field="tally"><strong>{_escape(check.tally())}.</strong></p>\n'
        f"<ul>{firsts}</ul>\n<h2>Articles ({len(check.articles)})</h2>\n{articles}"
        f"<h2>Rejected items ({len(rejections)})</h2>\n<ul>{rejected}</ul>\n</body>\n</html>\n"
    )


def _article_html(article: ArticleStance) -> str:
    title = f" “{_escape(article.title)}”" if article.title else ""
    items = "".join(
        f'<li data-stance="{_escape(item.stance)}" data-start="{item.citation.start}" '
        f'data-end="{item.citation.end}"><strong>{_escape(_label(item))}</strong>: '
        f"<q>{_escape(item.text)}</q></li>"
        for item in article.evidence
    )
    return (
        f'<section data-article="{_escape(article.article_id)}" '
        f'data-stance="{_escape(article.stance)}">'
        f"<h3>{_escape(article.source)}{title} ({_escape(article.published or 'undated')}): "
        f"{_escape(_SHOWN[article.stance])}</h3><ul>{items}</ul></section>\n"
    )
