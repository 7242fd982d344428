"""The HTML report in a real browser: Debian's chromium, driven by Playwright.

Chromium is /usr/bin/chromium from Debian's ``chromium`` package (``make browser``
installs it; ``make test`` runs that first); Playwright's own browser download is
never used. Every request the page makes is recorded and refused, except the
report file itself.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storyline.config import load_config
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, Corpus, Digest, Summary, SummarySentence
from storyline.registry import build_pipeline
from storyline.report.html import SECTIONS
from storyline.report.markdown import to_html, to_markdown
from tests.builders import make_article, make_story
from tests.digests import EVIL_SCRIPT, EVIL_TITLE, INJECTIONS, make_full_digest
from tests.hostile import hostile_digest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TXT = ROOT / "examples" / "harbor-bridge" / "txt"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's chromium is missing at {CHROMIUM}: run `make browser` "
            "(`make test` installs it first)"
        )
    try:
        # Imported here so that a missing package fails with its fix named, not at collection.
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        pytest.fail("playwright is not installed: run `make` (it installs the 'browser' extra)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class _Visit:
    """A page opened on a report file, with every request and dialog it caused."""

    page: Page
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _open(browser: Browser, report: Path, *, width: int = 1000, bypass_csp: bool = False) -> _Visit:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=bypass_csp, java_script_enabled=True
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    visit = _Visit(page=page)
    own = report.resolve().as_uri()

    def route(route: Route) -> None:
        visit.requests.append(route.request.url)
        if route.request.url == own:
            route.continue_()
        else:
            route.abort()

    def dialog(dialog: Dialog) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    context.route("**/*", route)
    page.on("dialog", dialog)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.goto(own)
    page.wait_for_load_state("load")
    return visit


def _html_digest(report: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The real CLI's HTML digest of ``arguments`` (paths and options), written to ``report``."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "storyline", "digest", *arguments),
            *("--format", "html", "--output", str(report), "--quiet"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def full_report(tmp_path: Path) -> Path:
    report = tmp_path / "full.html"
    report.write_text(to_html(make_full_digest()), encoding="utf-8")
    return report


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_every_section_renders_visibly_and_nothing_is_requested(
    browser: Browser, full_report: Path
) -> None:
    visit = _open(browser, full_report)
    for key, heading in SECTIONS:
        section = visit.page.locator(f'[data-section="{key}"]')
        assert section.is_visible(), key
        if key != "overview":
            assert section.locator("h2").inner_text().startswith(heading)
    chart = visit.page.locator("#timeline svg.chart")
    assert chart.is_visible()
    assert chart.locator("circle").count() == 3
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 60
    assert visit.requests == [full_report.resolve().as_uri()]
    assert visit.errors == []
    visit.page.context.close()


def test_hovering_a_citation_shows_its_source_sentence(browser: Browser, full_report: Path) -> None:
    digest = make_full_digest()
    visit = _open(browser, full_report)
    sentence = digest.summaries[0].sentences[1]
    citation = sentence.citations[1]
    article = digest.corpus.article(citation.article_id)
    expected = article.text[citation.start : citation.end]
    item = visit.page.locator("#summary li").nth(1)
    mark = item.locator(f'.cite[data-article="{citation.article_id}"]')
    tip = mark.locator(".tip")
    assert tip.is_hidden(), "the tooltip waits for the pointer"
    mark.locator("a").hover()
    tip.wait_for(state="visible")
    assert expected in _normal(tip.inner_text())
    assert article.source in tip.inner_text()
    assert "14 April 2026" in tip.inner_text()
    tip_box, mark_box = tip.bounding_box(), mark.bounding_box()
    assert tip_box is not None
    assert mark_box is not None
    assert tip_box["y"] >= mark_box["y"], "the tooltip opens below its mark"
    visit.page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    mark.locator("a").focus()
    tip.wait_for(state="visible")
    visit.page.context.close()


def test_hostile_article_text_is_shown_as_text_and_runs_nothing(
    browser: Browser, full_report: Path
) -> None:
    # The Content-Security-Policy is bypassed so that escaping alone has to hold.
    visit = _open(browser, full_report, bypass_csp=True)
    page = visit.page
    marks = page.locator(".cite a").filter(visible=True)
    for number in range(marks.count()):
        marks.nth(number).hover()
    for hostile in page.locator("#quotes h4, #entities td, #rejected td").all():
        hostile.hover()
    body = page.locator("body").inner_text()
    for injection in INJECTIONS:
        assert _normal(injection) in _normal(body), f"{injection!r} is not shown as text"
    assert EVIL_SCRIPT in page.locator("#summary li").nth(2).inner_text()
    assert EVIL_TITLE in page.locator("#source-4").inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert visit.dialogs == []
    assert visit.errors == []
    assert page.locator("script").count() == 0
    assert page.locator("img, iframe, object, embed, form, input, link").count() == 0
    assert page.locator("style").count() == 1
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    links = page.evaluate("() => [...document.links].map(a => a.getAttribute('href'))")
    assert not [href for href in links if not href.startswith(("#", "https://"))]
    assert visit.requests == [full_report.resolve().as_uri()]
    page.context.close()


def test_the_report_fits_a_phone_screen(
    browser: Browser, full_report: Path, tmp_path: Path
) -> None:
    visit = _open(browser, full_report, width=375)
    page = visit.page
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone"
    mark = page.locator("#quotes .cite a").first
    mark.hover()
    tip = page.locator("#quotes .cite .tip").first
    tip.wait_for(state="visible")
    box = tip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375, "the tooltip stays on screen"
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True, timeout=60_000)
    page.context.close()


def test_the_cli_report_of_the_example_corpus_cites_its_sources(
    browser: Browser, tmp_path: Path
) -> None:
    report = tmp_path / "harbor-bridge.html"
    done = _html_digest(report, str(EXAMPLE_TXT), "--words", "150")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    visit = _open(browser, report)
    page = visit.page
    for key, _ in SECTIONS:
        assert page.locator(f'[data-section="{key}"]').is_visible(), key
    items = page.locator("#summary li")
    assert items.count() > 0
    for number in range(items.count()):
        assert items.nth(number).locator(".cite").count() > 0, "every sentence is cited"
    config = load_config(None)
    corpus = FileIngestor(config=config.ingest).ingest([str(EXAMPLE_TXT)])
    digest = build_pipeline(config).run(corpus, Budget(unit="words", limit=150))
    citation = digest.summaries[0].sentences[-1].citations[-1]
    article = corpus.article(citation.article_id)
    mark = items.last.locator(f'.cite[data-article="{citation.article_id}"]')
    mark.locator("a").hover()
    tip = mark.locator(".tip")
    tip.wait_for(state="visible")
    shown = [_normal(text) for text in tip.locator("q").all_inner_texts()]
    assert _normal(article.text[citation.start : citation.end]) in shown
    assert article.source in tip.inner_text()
    # a full page of a long report: the 5 s default is for the page's own actions, not
    # for rasterising it (a CI run once took longer on a loaded machine)
    page.screenshot(path=str(tmp_path / "harbor-bridge.png"), full_page=True, timeout=60_000)
    assert visit.requests == [report.resolve().as_uri()]
    assert visit.dialogs == []
    page.context.close()


_DIGIT_ORDER = """(selector) => [...document.querySelectorAll(selector)].map(element => {
  const node = element.firstChild;
  const lefts = [];
  for (let i = 0; i < node.textContent.length; i++) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    lefts.push([range.getBoundingClientRect().left, node.textContent[i]]);
  }
  return lefts.sort((a, b) => a[0] - b[0]).map(pair => pair[1]).join("");
})"""


def _rtl_digest() -> Digest:
    """Twelve articles, one a day; the twelfth's cited sentence opens an override it never
    closes, and the first one's title carries Arabic script and another override."""
    articles = [
        make_article(
            f"Report {day} says the bridge is shut.",
            id=f"a{day:02}",
            published=f"2026-04-{day:02}",
            title="الجسر مغلق \u202eclosed" if day == 1 else None,
        )
        for day in range(1, 12)
    ]
    articles.append(
        make_article(
            "Crews said \u202ethe cable held for 95 years. Repairs begin today.",
            id="a12",
            published="2026-04-12",
        )
    )
    story = make_story(*articles, id="story-1")
    sentences = [
        SummarySentence(
            sentence_id=sentence.id,
            text=sentence.text(articles[int(sentence.article_id[1:]) - 1]),
            fact_id=sentence.id,
            citations=(sentence.citation(),),
        )
        for sentence in story.sentences
        if sentence.article_id in {"a12", "a01"} and sentence.index == 0
    ]
    summary = Summary(
        story_id=story.id, budget=Budget(unit="words", limit=100), sentences=tuple(sentences)
    )
    return Digest(corpus=Corpus(articles=tuple(articles)), stories=(story,), summaries=(summary,))


def test_an_unclosed_right_to_left_override_does_not_turn_12_into_21(
    browser: Browser, tmp_path: Path
) -> None:
    report = tmp_path / "rtl.html"
    report.write_text(to_html(_rtl_digest()), encoding="utf-8")
    visit = _open(browser, report, bypass_csp=True)
    shown = visit.page.evaluate(_DIGIT_ORDER, "#summary .cite > a")
    assert shown == ["[1]", "[12]"]
    assert visit.page.locator("#summary li").last.inner_text().startswith("Crews said the cable")
    visit.page.context.close()


def test_markdown_of_a_hostile_corpus_rendered_as_html_runs_and_loads_nothing(
    browser: Browser, tmp_path: Path
) -> None:
    # The unsafe setting: raw HTML passes through markdown-it-py as HTML.
    from markdown_it import MarkdownIt  # noqa: PLC0415

    digest = hostile_digest(tmp_path / "corpus")
    body = MarkdownIt("commonmark", {"html": True}).render(to_markdown(digest))
    page_file = tmp_path / "markdown.html"
    page_file.write_text(
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{body}</body></html>\n',
        encoding="utf-8",
    )
    visit = _open(browser, page_file)
    page = visit.page
    page.wait_for_timeout(300)
    assert visit.dialogs == []
    assert page.evaluate("() => window.__pwned") is None
    assert visit.requests == [page_file.resolve().as_uri()]
    assert visit.errors == []
    assert page.locator("script, img, iframe, style, object, embed, link, a").count() == 0
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    assert page.locator("h1").count() == 1
    assert "INJECTED" not in " ".join(page.locator("h1, h2, h3").all_inner_texts())
    text = page.locator("body").inner_text()
    assert "<script>__pwned=1;alert(1)</script>" in text
    assert "\u202e" not in text
    page.context.close()


def test_the_stream_page_links_each_story_and_fits_a_phone(
    browser: Browser, tmp_path: Path
) -> None:
    report = tmp_path / "stream.html"
    stream = ROOT / "examples" / "stream"
    paths = [str(stream / name) for name in ("feeds", "pages", "crawl")]
    done = _html_digest(report, *paths, "--words", "60")
    assert done.returncode == 0, done.stderr
    visit = _open(browser, report, width=375)
    page = visit.page
    rows = page.locator("#stories tbody tr")
    stories = page.locator("article.story")
    assert rows.count() == stories.count() > 1
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone"
    second = stories.nth(1)
    story_id = second.get_attribute("data-story")
    assert story_id
    page.locator(f'#stories th a[href="#{story_id}"]').click()
    page.wait_for_function(f"() => location.hash === '#{story_id}'")
    assert second.locator("h2").is_visible()
    summary = page.locator(f"#{story_id}-summary")
    assert summary.locator("li").count() > 0
    mark = summary.locator(".cite a").first
    mark.hover()
    tip = summary.locator(".cite .tip").first
    tip.wait_for(state="visible")
    box = tip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375, "the tooltip stays on screen"
    target = mark.get_attribute("href")
    assert target is not None
    assert target.startswith(f"#{story_id}-source-")
    assert page.locator(target).count() == 1, "a mark points to its own story's source"
    assert visit.requests == [report.resolve().as_uri()]
    assert visit.errors == []
    page.context.close()
