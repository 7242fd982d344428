"""The HTML report and the web app's story page: the same templates, the same escaping.

Both render the macros of ``report/templates/report.html`` in the environment of
:func:`storyline.report.html.environment`; for the same digest the sections they show are
the same bytes, and hostile article text comes out escaped, the same way, in both.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from storyline.config import load_config
from storyline.ingest.files import FileIngestor
from storyline.report.escaping import BIDI_CONTROLS
from storyline.report.html import environment, render_html, story_body
from storyline.service import DEFAULT_WORDS, create_app
from storyline.service.digests import StoryDigest, compute_digest
from storyline.store import Store
from tests.hostile import RLO, write_hostile_corpus

with warnings.catch_warnings():
    # Starlette's test client warns on import that it will move from httpx to httpx2, which
    # is not installed; the pinned httpx 0.28 works.
    warnings.filterwarnings("ignore", "Using `httpx` with", UserWarning)
    from fastapi.testclient import TestClient

SCRIPT = "<script>__pwned=1;alert(1)</script>"
ATTRIBUTE = 'onerror="__pwned=1;alert(2)"'


class _Markup(HTMLParser):
    """Every tag and attribute name of a document, and its text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, StoryDigest]]:
    """A store holding the hostile corpus, and its story's digest as the app computes it."""
    folder = tmp_path_factory.mktemp("hostile")
    location = str(folder / "store.db")
    config = load_config(None)
    with Store.open(location) as store:
        store.ingest(FileIngestor(config=config.ingest).ingest(write_hostile_corpus(folder)))
        overview = store.stories()[0]
        yield location, compute_digest(store, config, overview, DEFAULT_WORDS)


@pytest.fixture(scope="module")
def story_page(stored: tuple[str, StoryDigest]) -> str:
    location, found = stored
    with TestClient(create_app(location)) as client:
        response = client.get(f"/stories/{found.overview.id}")
    assert response.status_code == 200
    page: str = response.text
    return page


def _section(document: str, key: str) -> str:
    found = re.search(rf'<section id="{key}" .*?</section>\n', document, re.DOTALL)
    assert found is not None, f"no section {key}"
    return found.group()


@pytest.mark.parametrize(
    "key",
    ["summary", "timeline", "quotes", "entities", "agreement", "disagreements", "sources"],
)
def test_report_and_story_page_show_the_same_section(
    stored: tuple[str, StoryDigest], story_page: str, key: str
) -> None:
    report = render_html(stored[1].digest)
    assert _section(report, key) == _section(story_page, key)


def test_story_page_holds_the_report_body(stored: tuple[str, StoryDigest], story_page: str) -> None:
    body = story_body(stored[1].digest)
    assert '<ul class="facts"><li data-fact=' in body, "the summary list is there"
    assert body in story_page
    assert body in render_html(stored[1].digest)


def test_hostile_text_is_escaped_in_both(stored: tuple[str, StoryDigest], story_page: str) -> None:
    report = render_html(stored[1].digest)
    for document in (report, story_page):
        markup = _Markup(document)
        assert "script" not in markup.tags
        assert not {"img", "iframe"} & markup.tags
        assert not [name for name in markup.attributes if name.startswith("on")]
        assert not BIDI_CONTROLS & set(document), "a bidirectional control got through"
        text = "".join(markup.text)
        assert SCRIPT in text, "the script is shown as text"
        assert ATTRIBUTE in text, "the attribute is shown as text"
        assert "&lt;script&gt;__pwned=1;alert(1)&lt;/script&gt;" in document
        assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', document))


def test_one_escaping_path_for_templates_of_both() -> None:
    pages = environment()
    shown = pages.from_string("<p title={{ x }}>{{ x }}</p>").render(x=f'{RLO}"><b>x</b>')
    assert shown == "<p title=&#34;&gt;&lt;b&gt;x&lt;/b&gt;>&#34;&gt;&lt;b&gt;x&lt;/b&gt;</p>"
