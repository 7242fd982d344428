"""The check report: Markdown, JSON and HTML of a claim checked against articles."""

from __future__ import annotations

import json

from storyline.digest.stance import ClaimCheck, StanceJudge
from storyline.model import Rejection, RejectionReason
from storyline.report.stance import check_to_html, check_to_json, check_to_markdown
from tests.builders import make_article, make_sentences

CLAIM = "The mayor closed the harbour bridge"


def _checked() -> ClaimCheck:
    articles = [
        make_article(
            "Officials denied that the mayor closed the harbour bridge. Boats *sailed*.",
            id="d",
            source="Courier <b>",
            published="2026-05-02",
        ),
        make_article("The mayor closed the harbour bridge, police said.", id="a", source="Gazette"),
        make_article("Fishing was good.", id="u", source="Weekly"),
    ]
    sentences = {article.id: make_sentences(article) for article in articles}
    return StanceJudge().check(CLAIM, articles, sentences)


def test_markdown_says_the_tally_first_and_each_article_with_offsets() -> None:
    rejected = [Rejection(item="x.json", reason=RejectionReason.MALFORMED, detail="not JSON")]
    text = check_to_markdown(_checked(), rejected)
    assert text.startswith("# storyline check\n\nClaim: The mayor closed the harbour bridge\n")
    assert "**1 outlet denies, 1 " in text
    assert "- first to deny: Courier \\<b> (d, 2026-05-02)" in text  # escaped
    assert "**denies (“denied”)** [0:58]" in text
    assert "does not mention the claim" in text
    assert "## Rejected items (1)" in text


def test_json_keeps_offsets_and_marks_attributed_assertions() -> None:
    data = json.loads(check_to_json(_checked()))
    gazette = next(item for item in data["articles"] if item["article_id"] == "a")
    (evidence,) = gazette["evidence"]
    assert evidence["cue"] == "said"
    assert evidence["attributed"] is True
    assert (evidence["start"], evidence["end"]) == (0, 49)
    assert next(side["stance"] for side in data["sides"]) == "denies"


def test_html_escapes_every_article_value() -> None:
    page = check_to_html(_checked())
    assert "Courier &lt;b&gt;" in page
    assert "<b>" not in page
    assert 'data-stance="denies"' in page
