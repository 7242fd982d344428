"""A hostile corpus on disk: article text, titles, outlets, URLs and file names that carry
scripts, event handlers, ``javascript:`` links, images, iframes, styles, raw HTML blocks,
autolinks, headings and lists behind newlines, and bidirectional overrides.

Three outlets carry the same hostile sentences, so that they are selected for the summary
and listed as shared facts; a quote, a rejected record and a rejected file name carry more.
Every injected heading says ``INJECTED``; every script sets ``__pwned`` and opens a dialog.
"""

from __future__ import annotations

import json
from pathlib import Path

from storyline.config import load_config
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, Digest
from storyline.registry import build_pipeline

__all__ = ["RLO", "hostile_digest", "write_hostile_corpus"]

RLO = "\u202e"
_SENTENCES = (
    "The Harbor Council said <script>__pwned=1;alert(1)</script> the bridge closed on Monday "
    "after inspectors found a cracked cable.",
    'Engineers reported <img src=x onerror="__pwned=1;alert(2)"> that the deck dropped by '
    "four inches near the north tower.",
    "Residents were told to read [the notice](javascript:alert(3)) and to look at "
    "![a map](http://example.invalid/map.png) before travelling across the river.",
    'The mayor said <iframe src="http://example.invalid/frame"></iframe> that the crossing '
    "would stay shut for at least two weeks.",
    "Officials added <style>@import url(http://example.invalid/style.css);</style> that "
    "trucks over five tons <http://example.invalid/autolink> were barred from the span.",
    'Inspectors wrote <a href="javascript:alert(4)" onclick="alert(5)">here</a> that '
    "the cable had snapped *late* on __Saturday__ `night` &lt;b&gt; \\ done.",
    f"A spokesman said {RLO}the repairs will cost 12 million dollars and take a month.",
)
_QUOTE = (
    "“<script>__pwned=1;alert(6)</script> We will not gamble with lives "
    "<img src=x onerror=alert(7)>,” said Mayor Ada <b onmouseover=alert(8)>Quist</b>."
)


def _record(number: int, outlet: str) -> dict[str, str]:
    return {
        "id": f"hostile-{number}",
        "source": f"{outlet}\n# INJECTED heading from a source\n<script>alert(9)</script>",
        "title": (
            f'Bridge closed {RLO}[12]\n\n<div onmouseover="alert(10)">raw block</div>\n'
            "# INJECTED heading from a title\n- injected list\n"
            "<img src=http://example.invalid/title.png>"
        ),
        "url": (
            "javascript:alert(11)"
            if number == 1
            else f"http://example.invalid/{number}<script>alert(12)</script>"
        ),
        "date": f"2026-04-1{number}",
        "text": " ".join(_SENTENCES) + f"\n\n# INJECTED heading in text {number}\n\n{_QUOTE}",
    }


def write_hostile_corpus(folder: Path) -> list[Path]:
    """Write the corpus into ``folder``; return the paths to give the CLI or the ingestor."""
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "hostile.jsonl"
    records = [_record(n, outlet) for n, outlet in enumerate(("Ledger", "Radio", "Press"), 1)]
    bad_date = {"id": "bad", "text": "Text.", "date": "<script>alert(13)</script>"}
    lines = [json.dumps(record, ensure_ascii=False) for record in (*records, bad_date)]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    named = folder / f"<img src=x onerror=alert(14)> {RLO}`x`.txt"
    named.write_text("", encoding="utf-8")
    return [jsonl, named]


def hostile_digest(folder: Path) -> Digest:
    """The digest of the hostile corpus, every stage on."""
    config = load_config()
    corpus = FileIngestor(config=config.ingest).ingest(write_hostile_corpus(folder))
    return build_pipeline(config).run(corpus, Budget(unit="words", limit=200))
