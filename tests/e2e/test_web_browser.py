"""The web app in a real browser: Debian's chromium driven by Playwright against the real
server (``python -m storyline serve`` on 127.0.0.1). Every request a page makes is recorded;
any to another server is refused and fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.e2e import test_html_browser
from tests.web import HOSTILE_ATTRIBUTE, HOSTILE_SCRIPT, fill_store, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Route

PHONE = 375
SHOT_WIDTH = 1000
# The README's screenshots, taken here from the example store on every run
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
browser = test_html_browser.browser  # the HTML report's fixture: Debian's chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web-browser")
    with running_server(fill_store(folder), log=folder / "server.log") as base:
        yield base


@dataclass
class _Tab:
    page: Page
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _tab(chromium: Browser, server: str, *, width: int = 1000, bypass_csp: bool = False) -> _Tab:
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    context.set_default_timeout(15_000)
    tab = _Tab(page=context.new_page())

    def route(route: Route) -> None:
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            tab.foreign.append(route.request.url)
            route.abort()

    def dialog(dialog: Dialog) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    context.route("**/*", route)
    tab.page.on("dialog", dialog)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


def _stories(server: str, search: str | None = None) -> list[dict[str, Any]]:
    path = "/api/v1/stories" if search is None else f"/api/v1/search?q={search}"
    found: list[dict[str, Any]] = httpx.get(server + path, timeout=60).json()["stories"]
    return found


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_list_story_citation_and_phone_width(browser: Browser, server: str) -> None:
    (story,) = [s for s in _stories(server) if s["articles"] == 14]
    tab = _tab(browser, server)
    page = tab.page
    page.goto(server + "/")
    assert page.locator("ol.story-list > li").count() == len(_stories(server))
    page.locator(f'li[data-story="{story["id"]}"] a.headline').click()
    page.wait_for_url(f"**/stories/{story['id']}")
    assert page.locator(".crumbs bdi").inner_text() == story["headline"]

    digest = httpx.get(f"{server}/api/v1/stories/{story['id']}/digest", timeout=60).json()
    citation = digest["stories"][0]["summary"]["sentences"][0]["citations"][0]
    article = httpx.get(f"{server}/api/v1/articles/{citation['article_id']}", timeout=60).json()
    expected = _normal(article["text"][citation["start"] : citation["end"]])
    mark = page.locator("#summary li").first.locator(
        f'.cite[data-article="{citation["article_id"]}"]'
    )
    tip = mark.locator(".tip")
    assert tip.is_hidden()
    mark.locator("a").hover()
    tip.wait_for(state="visible")
    assert expected in _normal(tip.inner_text())
    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    mark.locator("a").focus()
    tip.wait_for(state="visible")

    page.locator("#stored a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-text").is_visible()
    assert tab.foreign == []
    assert tab.errors == []
    page.context.close()

    phone = _tab(browser, server, width=PHONE)
    for path in ("/", f"/stories/{story['id']}", f"/articles/{citation['article_id']}", "/upload"):
        phone.page.goto(server + path)
        scroll, width = phone.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= width, f"{path} scrolls sideways at {PHONE} px ({scroll} > {width})"
    assert phone.foreign == []
    phone.page.context.close()


def test_hostile_article_shows_as_text_and_runs_nothing(browser: Browser, server: str) -> None:
    # The Content-Security-Policy is bypassed so that escaping alone has to hold.
    (story,) = _stories(server, "Quillon")
    tab = _tab(browser, server, bypass_csp=True)
    page = tab.page
    for path in (f"/stories/{story['id']}", "/articles/hostile-1", "/"):
        page.goto(server + path)
        marks = page.locator(".cite a").filter(visible=True)
        for number in range(marks.count()):
            marks.nth(number).hover()
        for headline in page.locator("h1, a.headline").all():
            headline.hover()
        body = _normal(page.locator("body").inner_text())
        assert "onerror=" in body, f"{path}: the title's markup is not shown as text"
        if path != "/":
            assert _normal(HOSTILE_SCRIPT) in body, f"{path}: the script is not shown as text"
            assert _normal(HOSTILE_ATTRIBUTE) in body, path
        assert page.evaluate("() => window.__pwned") is None, path
        assert page.locator("script, img, iframe").count() == 0, path
        handlers = page.evaluate(
            "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == [], path
    assert tab.dialogs == []
    assert tab.errors == []
    assert tab.foreign == []
    page.context.close()


def test_the_served_styles_apply_under_the_policy(browser: Browser, server: str) -> None:
    tab = _tab(browser, server)
    messages: list[str] = []
    tab.page.on("console", lambda message: messages.append(message.text))
    for path in ("/", "/upload", "/search?q=bridge"):
        tab.page.goto(server + path)
        styled = tab.page.evaluate(
            "() => getComputedStyle(document.querySelector('header.site')).display"
        )
        assert styled == "flex", "the served stylesheets apply under the policy"
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert tab.foreign == []
    tab.page.context.close()


def test_upload_a_file_and_find_its_story(
    browser: Browser, server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    upload = tmp_path_factory.mktemp("upload") / "lighthouse.txt"
    upload.write_text(
        "date 2026-07-04 The Marrow Point lighthouse was relit on Saturday after a year of "
        "repairs. Keepers said the lamp can be seen from twenty miles out.",
        encoding="utf-8",
    )
    tab = _tab(browser, server)
    page = tab.page
    page.goto(server + "/upload")
    page.locator("#files").set_input_files(str(upload))
    with page.expect_navigation():
        page.locator("form.upload button").click()
    assert page.locator("h1").inner_text() == "Uploaded", page.content()
    assert page.locator('[data-count="new"] b').inner_text() == "1"
    page.locator(".stories-touched a").first.click()
    page.wait_for_url("**/stories/s-*")
    assert "Marrow Point lighthouse" in page.locator("#summary").inner_text()
    page.locator("#site-search").fill("lighthouse relit")
    page.locator("form.search button").click()
    page.wait_for_url("**/search?q=lighthouse+relit")
    assert page.locator("ol.story-list > li").count() == 1
    assert "Marrow Point" in page.locator("a.headline").inner_text()
    assert tab.foreign == []
    assert tab.errors == []
    page.context.close()


def test_the_story_list_filters_by_days_and_outlet(browser: Browser, server: str) -> None:
    (harbor,) = [s for s in _stories(server) if s["articles"] == 14]
    tab = _tab(browser, server)
    page = tab.page
    page.goto(server + "/")
    assert page.locator("ol.story-list svg.activity").count() >= 2, "an activity chart a story"
    page.locator("#until").fill("2026-05-01")
    with page.expect_navigation():
        page.locator("form.filters button").click()
    assert "until=2026-05-01" in page.url
    stories = page.locator("ol.story-list > li")
    assert stories.count() == 1
    assert stories.first.get_attribute("data-story") == harbor["id"]
    page.locator("#until").fill("")
    page.locator("#outlet").select_option(harbor["sources"][0])
    with page.expect_navigation():
        page.locator("form.filters button").click()
    assert [li.get_attribute("data-story") for li in stories.all()] == [harbor["id"]]
    assert page.locator("#outlet").input_value() == harbor["sources"][0]
    assert tab.foreign == []
    assert tab.errors == []
    page.context.close()


def test_the_update_view_and_the_screenshots(browser: Browser, server: str) -> None:
    (harbor,) = [s for s in _stories(server) if s["articles"] == 14]
    tab = _tab(browser, server, width=SHOT_WIDTH)
    page = tab.page
    page.goto(server + "/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story-list.png"))
    page.goto(f"{server}/stories/{harbor['id']}")
    page.screenshot(path=str(SCREENSHOTS / "story.png"))
    with page.expect_navigation():
        page.locator("a.whats-new").click()
    assert "No digest of this story was delivered yet" in _normal(page.locator("main").inner_text())
    page.locator("#since-day").fill("2026-04-15")
    with page.expect_navigation():
        page.locator("#since-day").press("Enter")
    note = page.locator('[data-field="note"]').inner_text()
    assert "since articles before 2026-04-15" in note
    assert page.locator("#summary li").count() > 0, "what is new is summarised"
    assert page.locator("#since-day").input_value() == "2026-04-15"
    assert tab.foreign == []
    assert tab.errors == []
    page.context.close()
    for name in ("story-list.png", "story.png"):
        png = (SCREENSHOTS / name).read_bytes()
        assert png.startswith(b"\x89PNG"), name
        assert int.from_bytes(png[16:20], "big") == SHOT_WIDTH, f"{name}: the IHDR width"
