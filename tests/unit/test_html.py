"""The HTML report, read back with the standard library's HTML parser."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storyline.config import load_config
from storyline.errors import ReportError
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, Citation, Digest
from storyline.registry import build_pipeline
from storyline.report.html import SECTIONS
from storyline.report.markdown import to_html, to_markdown
from tests.digests import EVIL_SCRIPT, EVIL_TITLE, INJECTIONS, make_full_digest

EXAMPLE_TXT = Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge" / "txt"

# Every element the report is allowed to contain; an injection would add others.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "header", "nav", "main", "section",
    "article", "footer", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "span", "b", "q",
    "small", "mark", "code", "blockquote", "time", "table", "thead", "tbody", "tr", "th", "td",
    "details", "summary", "bdi", "svg", "line", "rect", "circle", "text",
}  # fmt: skip


@dataclasses.dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    ancestors: tuple[_Node, ...]
    text: list[str] = dataclasses.field(default_factory=list)

    @property
    def content(self) -> str:
        return " ".join("".join(self.text).split())


class _Page(HTMLParser):
    """Elements in document order, each with its attributes, ancestors and text inside it.

    A tooltip's text counts for the tooltip and what it holds, not for the elements
    around it, so an item's ``content`` reads as the page does before any hover.
    """

    _VOID = frozenset({"meta", "line", "rect", "circle", "br", "img", "input", "link"})
    _BLOCK = frozenset({"p", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "div", "q", "small"})

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[_Node] = []
        self._open: list[_Node] = []
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {name: value or "" for name, value in attrs}, tuple(self._open))
        self.nodes.append(node)
        if tag not in self._VOID:
            self._open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.nodes.append(
            _Node(tag, {name: value or "" for name, value in attrs}, tuple(self._open))
        )

    def handle_endtag(self, tag: str) -> None:
        assert self._open, f"</{tag}> closes nothing"
        assert self._open[-1].tag == tag, f"</{tag}> closes <{self._open[-1].tag}>"
        self._open.pop()
        if tag in self._BLOCK:
            self.handle_data(" ")

    def handle_data(self, data: str) -> None:
        """Text counts for the elements holding it, up to the tooltip it is in, if any."""
        for node in reversed(self._open):
            node.text.append(data)
            if node.attrs.get("class") == "tip":
                break

    def find(self, tag: str | None = None, **attrs: str) -> list[_Node]:
        return [
            node
            for node in self.nodes
            if (tag is None or node.tag == tag)
            and all(node.attrs.get(name.replace("_", "-")) == v for name, v in attrs.items())
        ]

    def one(self, tag: str | None = None, **attrs: str) -> _Node:
        found = self.find(tag, **attrs)
        assert len(found) == 1, (tag, attrs, len(found))
        return found[0]

    def within(self, outer: _Node, tag: str | None = None, **attrs: str) -> list[_Node]:
        """Matching elements inside ``outer``, in document order."""
        return [node for node in self.find(tag, **attrs) if outer in node.ancestors]


@pytest.fixture(scope="module")
def full() -> Digest:
    return make_full_digest()


@pytest.fixture(scope="module")
def page(full: Digest) -> _Page:
    return _Page(to_html(full))


def test_every_section_is_present_in_order_and_filled(page: _Page) -> None:
    sections = [node.attrs["data-section"] for node in page.nodes if "data-section" in node.attrs]
    assert sections == [key for key, _ in SECTIONS]
    for key, _ in SECTIONS:
        node = page.one(data_section=key)
        assert node.attrs.get("id") == key
        assert not page.within(node, "p", **{"class": "empty"}), f"{key} says it is empty"


def test_header_counts_articles_outlets_dates_and_rejections(page: _Page) -> None:
    header = page.one("header", id="overview")
    counts = {
        node.attrs["data-count"]: node.content
        for node in page.within(header, "li")
        if "data-count" in node.attrs
    }
    assert counts == {
        "articles": "4 articles",
        "outlets": "4 outlets",
        "copies": "1 copies",
        "stories": "1 story",
        "rejected": "2 rejected",
    }
    assert "13 April 2026 – 16 April 2026" in header.content


def test_a_summary_citation_holds_the_cited_sentence_outlet_and_date(
    page: _Page, full: Digest
) -> None:
    summary = page.one(data_section="summary")
    items = page.within(summary, "li")
    assert [item.content.split(" [")[0] for item in items] == [
        s.text for s in full.summaries[0].sentences
    ]
    first = full.summaries[0].sentences[0]
    marks = page.within(items[0], "span", **{"class": "cite"})
    assert [mark.attrs["data-article"] for mark in marks] == ["ledger", "wire", "copy"]
    for mark, citation in zip(marks, first.citations, strict=True):
        tip = page.within(mark, "span", **{"class": "tip"})[0]
        article = full.corpus.article(citation.article_id)
        assert article.text[citation.start : citation.end] in tip.content
        assert article.source in tip.content
        assert article.published is not None
        assert f"{article.published.day} April 2026" in tip.content
    assert [page.within(mark, "a")[0].attrs["href"] for mark in marks] == [
        "#source-1",
        "#source-2",
        "#source-3",
    ]


def test_sources_are_numbered_in_reading_order_with_copies_marked(page: _Page) -> None:
    items = page.within(page.one(data_section="sources"), "li")
    assert [item.attrs["id"] for item in items] == [f"source-{n}" for n in range(1, 5)]
    assert [item.attrs["data-article"] for item in items] == ["ledger", "wire", "copy", "evil"]
    assert "copy of [2]" in items[2].content
    assert "copy of" not in items[1].content


def test_timeline_chart_has_one_mark_per_entry_sized_by_sources(page: _Page, full: Digest) -> None:
    timeline = page.one(data_section="timeline")
    dots = page.within(timeline, "circle")
    entries = full.timelines[0].entries
    assert len(dots) == len(entries)
    assert [int(dot.attrs["data-sources"]) for dot in dots] == [3, 2, 1]
    radii = [float(dot.attrs["r"]) for dot in dots]
    assert radii[0] > radii[1] > radii[2]
    assert len(page.within(timeline, "rect")) == 1, "only the week entry is a band"
    listed = page.within(timeline, "li", data_entry="timeline-1-1")
    assert "Saturday 11 April 2026" in listed[0].content
    assert "Dated from: “on Saturday”[1]; “on Saturday”[2]" in listed[0].content
    links = [
        node.attrs["href"] for node in page.within(timeline, "a") if "data-entry" in node.attrs
    ]
    assert links == ["#timeline-1-1", "#timeline-1-2", "#timeline-1-3"]


def test_quotes_are_grouped_by_speaker_direct_apart_from_indirect(page: _Page) -> None:
    quotes = page.one(data_section="quotes")
    direct = page.within(quotes, "div", data_kind="direct")[0]
    indirect = page.within(quotes, "div", data_kind="indirect")[0]
    speakers = [node.content.rsplit(" ", 1)[0] for node in page.within(direct, "h4")]
    assert "Adaeze Hollander" in speakers
    assert speakers[-1] == "Speaker not identified"
    assert [node.content for node in page.within(indirect, "h4")] == ["Engineers 1"]
    assert "attribution: role" in direct.content
    assert "We will not gamble with lives," in direct.content


def test_a_quote_tooltip_highlights_the_quote_inside_its_sentence(page: _Page) -> None:
    quotes = page.one(data_section="quotes")
    marks = [node for node in page.within(quotes, "mark") if "gamble" in node.content]
    assert [mark.content for mark in marks] == ["We will not gamble with lives,"]


def test_entities_list_kind_aliases_mentions_and_sources(page: _Page) -> None:
    rows = page.within(page.one(data_section="entities"), "tr")[1:]
    first = rows[0]
    assert first.attrs["data-entity"] == "e2", "people come first"
    assert first.content.startswith("Adaeze Hollander person the mayor, Hollander 2 [1][2]")


def test_agreement_ranks_facts_by_outlets_and_lists_single_source_facts(page: _Page) -> None:
    agreement = page.one(data_section="agreement")
    shared = page.within(agreement, "ul", data_kind="shared")[0]
    assert "2 outlets" in shared.content
    single = page.within(agreement, "details", data_kind="single")[0]
    assert "one outlet only (1)" in single.content
    assert "The deck is not safe" in single.content


def test_disagreements_show_each_side_with_stance_text_and_sources(page: _Page) -> None:
    claim = page.one("article", data_disagreement="d1")
    sides = page.within(claim, "div", **{"class": "side"})
    assert [side.attrs["data-stance"] for side in sides] == ["asserts", "denies"]
    assert "Engineers said the deck is safe." in sides[0].content
    assert "[2]" in sides[0].content
    assert "[4]" in sides[1].content


def test_rejected_items_show_item_reason_and_detail(page: _Page) -> None:
    rows = page.within(page.one(data_section="rejected"), "tr")[1:]
    assert [row.content for row in rows][1] == "empty.txt empty-text no text"
    assert rows[0].content.startswith(f"feeds/{EVIL_SCRIPT}.xml malformed not XML:")


def test_hostile_text_is_escaped_everywhere(full: Digest) -> None:
    document = to_html(full)
    page = _Page(document)
    assert {node.tag for node in page.nodes} <= ALLOWED_TAGS
    assert not page.find("script")
    assert len(page.find("style")) == 1
    assert all(not name.startswith("on") for node in page.nodes for name in node.attrs)
    for injection in INJECTIONS:
        assert injection not in document, "raw markup reached the page"
    text = page.one("body").text
    shown = "".join(text)
    for injection in INJECTIONS:
        assert injection in shown, f"{injection!r} is not shown as text"
    assert EVIL_TITLE in page.one(data_section="sources").content


def test_only_http_article_urls_become_links(page: _Page) -> None:
    hrefs = [node.attrs["href"] for node in page.find("a")]
    outside = [href for href in hrefs if not href.startswith("#")]
    assert outside == ["https://example.org/ledger/cable"]
    assert not any(href.lower().startswith("javascript") for href in hrefs)
    link = page.find("a", href="https://example.org/ledger/cable")[0]
    assert "noopener" in link.attrs["rel"]
    assert "noreferrer" in link.attrs["rel"]
    assert "javascript:window.__pwned=1" in page.one(data_section="sources").content


def test_the_page_references_no_external_resource(full: Digest) -> None:
    document = to_html(full).replace("https://example.org/ledger/cable", "")
    assert "http://" not in document
    assert "https://" not in document
    loading = {"src", "srcset", "data", "poster", "background", "action", "formaction"}
    assert not [node.tag for node in _Page(document).nodes if loading & node.attrs.keys()]
    assert "url(" not in document
    assert "@import" not in document


def test_a_content_security_policy_forbids_scripts_and_remote_loads(page: _Page) -> None:
    policy = page.one("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("style-src")[0]


def test_a_digest_without_the_later_stages_says_so_in_each_section(full: Digest) -> None:
    bare = Digest(corpus=full.corpus, stories=full.stories, summaries=full.summaries)
    page = _Page(to_html(bare))
    for key in ("timeline", "quotes", "entities", "agreement", "disagreements"):
        notes = page.within(page.one(data_section=key), "p", **{"class": "empty"})
        assert notes, f"{key} does not say it is empty"
        assert "did not run" in notes[0].content
    assert not page.within(page.one(data_section="summary"), "p", **{"class": "empty"})


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        (
            Citation(article_id="ghost", sentence_id="g:0", start=0, end=3),
            "unknown article 'ghost'",
        ),
        (Citation(article_id="ledger", sentence_id="l:0", start=0, end=10_000), "outside article"),
    ],
    ids=["unknown-article", "past-the-end"],
)
def test_a_citation_that_points_nowhere_is_a_report_error(
    full: Digest, citation: Citation, message: str
) -> None:
    summary = full.summaries[0]
    first = dataclasses.replace(summary.sentences[0], citations=(citation,))
    broken = dataclasses.replace(
        full, summaries=(dataclasses.replace(summary, sentences=(first,)),)
    )
    with pytest.raises(ReportError, match=message):
        to_html(broken)


def test_the_example_corpus_cites_what_the_markdown_cites() -> None:
    config = load_config(None)
    corpus = FileIngestor(config=config.ingest).ingest([str(EXAMPLE_TXT)])
    digest = build_pipeline(config).run(corpus, Budget(unit="words", limit=150))
    page = _Page(to_html(digest))
    summary_part = to_markdown(digest).split("## Summary")[1].split("\n## ")[0]
    markdown = [line for line in summary_part.splitlines() if line.startswith("- ")]
    items = page.within(page.one(data_section="summary"), "li")
    assert len(items) == len(markdown) == len(digest.summaries[0].sentences) > 0
    for item, line in zip(items, markdown, strict=True):
        marks = "".join(
            page.within(mark, "a")[0].content
            for mark in page.within(item, "span", **{"class": "cite"})
        )
        assert line.endswith(f" {marks}")
    for item, sentence in zip(items, digest.summaries[0].sentences, strict=True):
        for citation in sentence.citations:
            text = corpus.article(citation.article_id).text[citation.start : citation.end]
            mark = page.within(item, "span", data_article=citation.article_id)[0]
            tip = page.within(mark, "span", **{"class": "tip"})[0]
            assert " ".join(text.split()) in tip.content
    sources = page.within(page.one(data_section="sources"), "li")
    assert len(sources) == len(corpus.articles)
    assert sum("copy of" in source.content for source in sources) == sum(
        len(group.copies) for group in digest.stories[0].duplicates
    )
