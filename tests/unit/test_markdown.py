"""The Markdown report, read back with a CommonMark renderer (markdown-it-py).

The renderer runs with raw HTML allowed (the ``commonmark`` preset), the unsafe setting a
reader's tool may well use: article text must come out as text all the same.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from storyline.model import Digest
from storyline.report.escaping import BIDI_CONTROLS, markdown_code, markdown_text, single_line
from storyline.report.markdown import (
    PreparedJson,
    delivered_texts,
    digest_to_dict,
    to_html,
    to_json,
    to_markdown,
)
from tests.digests import make_full_digest
from tests.hostile import RLO, hostile_digest

_MARKUP = "#*_[]()<>!&;`\\|-+=~.:/ \n\t\r\u00a0"
_TEXT = st.lists(
    st.sampled_from([*_MARKUP, *"aZ19é", *BIDI_CONTROLS, "\x1b", "&amp;", "&#1;", "&#x41;"]),
    max_size=30,
).map("".join)


def _parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(markdown)


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Digest:
    return hostile_digest(tmp_path_factory.mktemp("hostile"))


def test_hostile_text_makes_no_element_link_image_or_heading(hostile: Digest) -> None:
    markdown = to_markdown(hostile)
    tokens = list(_walk(_parse(markdown)))
    kinds = {token.type for token in tokens}
    forbidden = {
        "html_block", "html_inline", "image", "link_open", "em_open", "strong_open",
        "blockquote_open", "hr", "fence", "code_block",
    }  # fmt: skip
    assert not kinds & forbidden, kinds & forbidden
    headings = [
        inline.content
        for opening, inline in itertools.pairwise(tokens)
        if opening.type == "heading_open"
    ]
    assert sum(token.tag == "h1" for token in tokens if token.type == "heading_open") == 1
    assert not [heading for heading in headings if "INJECTED" in heading]
    assert max(token.level for token in tokens if token.type == "list_item_open") <= 1
    origins = {single_line(a.origin) for a in hostile.corpus.articles}
    urls = {single_line(a.url or "") for a in hostile.corpus.articles}
    items = {single_line(r.item) for r in hostile.corpus.rejections}
    spans = {token.content for token in tokens if token.type == "code_inline"}
    assert spans <= origins | urls | items
    assert {single_line(r.item) for r in hostile.corpus.rejections} <= spans


def test_hostile_text_is_shown_as_the_text_it_was(hostile: Digest) -> None:
    page = MarkdownIt("commonmark").render(to_markdown(hostile))
    for tag in ("<script", "<img", "<iframe", "<style", "<div", "<a ", "<b "):
        assert tag not in page
    assert "&lt;script&gt;__pwned=1;alert(1)&lt;/script&gt;" in page
    assert "*late* on __Saturday__ `night` &amp;lt;b&amp;gt; \\ done." in page
    assert "[the notice](javascript:alert(3))" in page
    assert "# INJECTED heading from a title - injected list" in page


def test_bidi_controls_never_reach_markdown_or_html(hostile: Digest) -> None:
    assert all(text in hostile.corpus.articles[0].text for text in (RLO,))
    for report in (to_markdown(hostile), to_html(hostile)):
        assert not set(report) & BIDI_CONTROLS
    assert "Bridge closed \\[12\\]" in to_markdown(hostile)


def test_the_html_report_isolates_article_text_before_its_marks(hostile: Digest) -> None:
    assert "<bdi>A spokesman said the repairs will cost 12 million" in to_html(hostile)


@given(_TEXT)
def test_escaped_text_renders_as_one_paragraph_of_exactly_that_text(text: str) -> None:
    line = markdown_text(text)
    shown = single_line(text)
    tokens = _parse(line)
    if not shown:
        assert tokens == []
        return
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert {child.type for child in children} <= {"text"}
    assert "".join(child.content for child in children) == shown


@given(_TEXT)
def test_escaped_table_cells_stay_in_their_cell(text: str) -> None:
    cell = markdown_text(text, table_cell=True)
    assert "|" not in cell.replace("\\|", "")
    assert "\n" not in cell


@given(_TEXT)
def test_a_code_span_shows_the_path_literally(text: str) -> None:
    shown = single_line(text)
    tokens = _parse(f"x {markdown_code(text)}")
    children = tokens[1].children or []
    spans = [child.content for child in children if child.type == "code_inline"]
    assert spans == [shown or " "]


def test_ordinary_prose_is_left_readable() -> None:
    prose = "Mr. Smith, 42, said: “it’s fine” (really) - and 3.5% of snake_case names agree!"
    assert markdown_text(prose) == prose
    assert markdown_text("2. item") == "2\\. item"
    assert markdown_text("# title\n## again") == "\\# title ## again"


def test_run_section_holds_the_timings_and_only_it_is_optional() -> None:
    digest = make_full_digest()
    data = json.loads(to_json(digest))
    assert data["version"] == 3
    assert data["run"] == {"timings": {"dedup": 0.002, "segment": 0.004, "select": 0.003}}
    assert "timings" not in data
    without = json.loads(to_json(digest, timings=False))
    assert without == {key: value for key, value in data.items() if key != "run"}
    assert "## Run" not in to_markdown(digest)
    assert "0.002" not in to_markdown(digest)
    assert "Stage times" in to_html(digest)
    assert "Stage times" not in to_html(digest, timings=False)


def test_markdown_of_the_hand_built_digest_keeps_its_citations(tmp_path: Path) -> None:
    markdown = to_markdown(make_full_digest())
    assert "- A suspender cable snapped on Saturday night. [1][2][3]" in markdown


def test_json_puts_each_item_of_a_top_level_list_on_a_line_of_its_own() -> None:
    digest = make_full_digest()
    text = to_json(digest)
    lines = text.splitlines()
    data = json.loads(text)
    assert lines[0] == "{"
    assert lines[-1] == "}"
    (story,) = data["stories"]
    for key, items_of, pad in (
        ("articles", data, "  "),
        ("quotes", story, "      "),
        ("entities", story, "      "),
    ):
        start = lines.index(f'{pad}"{key}": [')
        found = items_of[key]
        items = [json.loads(line.strip().rstrip(",")) for line in lines[start + 1 :][: len(found)]]
        assert items == found
        assert lines[start + 1 + len(found)].strip() in ("],", "]")
    assert json.loads(lines[lines.index('  "run": {') + 1].strip().split(": ", 1)[1]) == {
        "dedup": 0.002,
        "segment": 0.004,
        "select": 0.003,
    }


@pytest.mark.parametrize(
    ("form", "timings"), [("json", False), ("json", True), ("markdown", False), ("html", True)]
)
def test_delivered_texts_are_the_report_and_the_timeless_document_as_json_dumps_writes_it(
    form: str, timings: bool
) -> None:
    digest = make_full_digest()
    report, document = delivered_texts(digest, form=form, timings=timings)
    made = {
        "json": lambda: to_json(digest, timings=timings),
        "markdown": lambda: to_markdown(digest),
        "html": lambda: to_html(digest, timings=timings),
    }
    assert report == made[form]()
    assert document == json.dumps(digest_to_dict(digest, timings=False))


def test_the_stored_document_of_a_hostile_digest_is_json_dumps_of_it(tmp_path: Path) -> None:
    # article text with characters beyond ASCII, controls and bidi marks: the store's
    # text, joined from the report's items, must still be json.dumps (ASCII, escaped)
    digest = hostile_digest(tmp_path)
    report, document = delivered_texts(digest, form="json", timings=False)
    assert report == to_json(digest, timings=False)
    assert document == json.dumps(digest_to_dict(digest, timings=False))


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(st.text(max_size=4), _VALUES, max_size=3),
    st.lists(st.dictionaries(st.text(max_size=6), _VALUES, max_size=4), max_size=3),
)
def test_both_texts_of_any_document_are_its_lines_and_json_dumps(
    head: dict[str, object], stories: list[dict[str, object]]
) -> None:
    from storyline.report import markdown  # noqa: PLC0415 - the private pair, tested here

    data = {**head, "\x7f\u00e9": "\x7f caf\u00e9 \U0001f600", "stories": stories}
    lines, document = markdown._item_lines_and_json(data)
    assert lines == markdown._item_lines(data)
    assert document == json.dumps(data)
    assert json.loads(lines) == json.loads(document)


def _digests(tmp_path: Path) -> list[Digest]:
    return [make_full_digest(), hostile_digest(tmp_path)]


def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork for any coverage, whatever threads earlier tests left behind (they would stop
    the fork: see the test of a running thread; the forked process here runs only the
    encoder)."""
    from storyline.report import markdown  # noqa: PLC0415

    monkeypatch.setattr(markdown, "_FORK_FROM", 1)
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def test_a_json_written_with_a_forked_process_is_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.report import markdown  # noqa: PLC0415 - the private fork, tested here

    _forking(monkeypatch)
    for digest in _digests(tmp_path):
        assert digest.coverage
        for timings in (False, True):
            forked = markdown._forked_json(digest, markdown.SECTIONS, timings)
            assert forked is not None
            assert forked == to_json(digest, timings=timings)
            assert to_json(digest, timings=timings, fork=True) == forked
        without = ("summary", "quotes")  # no coverage section: nothing to fork for
        assert markdown._forked_json(digest, without, False) is None


def test_a_failed_forked_process_leaves_the_text_to_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.report import markdown  # noqa: PLC0415

    def fail(*_: object) -> None:
        os._exit(1)

    _forking(monkeypatch)
    forked = []

    def fork() -> int:
        forked.append(True)
        return real_fork()

    real_fork = os.fork
    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(markdown, "_write_coverage", fail)
    for digest in _digests(tmp_path):
        assert markdown._forked_json(digest, markdown.SECTIONS, False) is None
        assert to_json(digest, timings=False, fork=True) == to_json(digest, timings=False)
    assert forked, "the fork was made (and failed)"


def test_no_fork_while_another_thread_runs_or_for_a_small_digest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storyline.report import markdown  # noqa: PLC0415

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    digest = make_full_digest()
    assert markdown._forked_json(digest, markdown.SECTIONS, False) is None  # too small
    monkeypatch.setattr(markdown, "_FORK_FROM", 1)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert markdown._forked_json(digest, markdown.SECTIONS, False) is None
        assert to_json(digest, fork=True) == to_json(digest)
    finally:
        release.set()
        waiting.join()


def test_lists_written_ahead_give_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    _forking(monkeypatch)
    for digest in _digests(tmp_path):
        assert digest.coverage
        assert digest.quotes
        assert digest.entities
        prepared = PreparedJson()
        prepared.add(digest)
        for timings in (False, True):
            expected = to_json(digest, timings=timings)
            assert to_json(digest, timings=timings, prepared=prepared) == expected
            assert to_json(digest, timings=timings, fork=True, prepared=prepared) == expected
            for sections in (("quotes",), ("entities", "agreement"), ()):
                assert to_json(
                    digest, sections=sections, timings=timings, prepared=prepared
                ) == to_json(digest, sections=sections, timings=timings)


def test_lists_written_ahead_are_used_only_for_those_very_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    digest = make_full_digest()
    prepared = PreparedJson()
    prepared.add(digest)
    for lists in (
        {"quotes": digest.quotes[:-1]},
        {"entities": digest.entities[1:]},
        {"coverage": digest.coverage[:-1]},
    ):
        other = dataclasses.replace(digest, **lists)
        assert to_json(other, prepared=prepared) == to_json(other)
    # written ahead, the coverage needs no forked process
    _forking(monkeypatch)

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    assert to_json(digest, fork=True, prepared=prepared) == to_json(digest)
    # and the lines written ahead are the ones used (a changed block shows)
    (key,) = [k for k, (items, _) in prepared._lines.items() if items is digest.quotes]
    items, text = prepared._lines[key]
    prepared._lines[key] = (items, text.replace("{", "{ ", 1))
    assert to_json(digest, prepared=prepared) != to_json(digest)
