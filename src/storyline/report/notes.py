"""Report: a digest with a line said first -> Markdown and HTML.

What's-new digests (:mod:`storyline.report.updates`) and digests focused on a question
are digests like any other, rendered by :mod:`storyline.report.markdown` and
:mod:`storyline.report.html`, with their own label ("storyline update") and one line that
says what they are (what the update is to; the question) before the sections.
"""

from __future__ import annotations

import html

from storyline.errors import ReportError
from storyline.model import Digest
from storyline.report.markdown import to_html, to_markdown

__all__ = ["noted_html", "noted_markdown"]

_DIGEST_HEAD = "# storyline digest\n\n"
_HTML_LABEL = '<p class="meta">storyline digest</p>\n'
_HTML_TITLE = "<title>storyline digest"


def noted_markdown(digest: Digest, *, label: str, note: str) -> str:
    """The digest's Markdown headed ``# {label}``, ``note`` (Markdown, escaped by the
    caller) its first paragraph."""
    body = to_markdown(digest)
    if not body.startswith(_DIGEST_HEAD):
        raise ReportError("the digest's Markdown no longer starts with its heading")
    return f"# {label}\n\n{note}\n\n{body.removeprefix(_DIGEST_HEAD)}"


def noted_html(digest: Digest, *, label: str, note: str, timings: bool = True) -> str:
    """The digest's page labelled ``label``, ``note`` (plain text) under the label."""
    page = to_html(digest, timings=timings)
    if _HTML_LABEL not in page or _HTML_TITLE not in page:
        raise ReportError("the digest's page no longer has its label")
    shown = html.escape(label, quote=True)
    return page.replace(_HTML_TITLE, f"<title>{shown}", 1).replace(
        _HTML_LABEL,
        f'<p class="meta">{shown}</p>\n'
        f'<p class="note" data-field="note">{html.escape(note, quote=True)}</p>\n',
        1,
    )
