"""The web app's factory, in-process (Starlette's test client): the token for writes and,
with ``private``, for reads; the login form; the loopback rule; the names uploads get."""

from __future__ import annotations

import html
import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import load_config
from storyline.errors import ConfigError
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, Corpus
from storyline.service import check_binding, create_app, is_loopback
from storyline.service.digests import DigestCache, StoryDigest
from storyline.service.uploads import safe_name
from storyline.store import Store
from tests.builders import make_article
from tests.web import EXAMPLE, fill_store

with warnings.catch_warnings():
    # Starlette's test client warns on import that it will move from httpx to httpx2, which
    # is not installed; the pinned httpx 0.28 works.
    warnings.filterwarnings("ignore", "Using `httpx` with", UserWarning)
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token-for-tests"
ARTICLES = [{"id": "t1", "text": "The pier reopened on Tuesday.", "date": "2026-06-02"}]


@pytest.fixture
def store(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


@pytest.fixture
def guarded(store: str) -> Iterator[TestClient]:
    with TestClient(create_app(store, token=TOKEN)) as client:
        yield client


def test_a_write_needs_the_token_when_one_is_set(guarded: TestClient) -> None:
    missing = guarded.post("/api/v1/articles", json=ARTICLES)
    assert missing.status_code == 401
    assert missing.json() == {"error": "writing needs this server's token"}
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = guarded.post(
        "/api/v1/articles", json=ARTICLES, headers={"authorization": f"Bearer {TOKEN}x"}
    )
    assert wrong.status_code == 401
    assert guarded.get("/api/v1/stories").json()["stories"] == [], "nothing was written"
    right = guarded.post(
        "/api/v1/articles", json=ARTICLES, headers={"authorization": f"Bearer {TOKEN}"}
    )
    assert right.status_code == 200
    assert right.json()["new"] == ["t1"]
    assert guarded.get("/api/v1/stories").status_code == 200, "reads need no token"


def test_private_reads_need_the_token_and_the_login_form_gives_it(store: str) -> None:
    with TestClient(create_app(store, token=TOKEN, private=True)) as client:
        assert client.get("/api/v1/stories").status_code == 401
        assert client.get("/").status_code == 401
        assert client.get("/static/app.css").status_code == 200
        reads = client.get("/api/v1/stories", headers={"authorization": f"Bearer {TOKEN}"})
        assert reads.status_code == 200
        form = client.get("/login")
        csrf = client.cookies["storyline-csrf"]
        assert f'value="{csrf}"' in form.text
        assert client.post("/login", data={"token": TOKEN}).status_code == 403
        refused = client.post("/login", data={"token": "guess", "csrf": csrf})
        assert refused.status_code == 401
        client.post("/login", data={"token": TOKEN, "csrf": csrf}, follow_redirects=False)
        assert client.get("/").status_code == 200


def test_private_without_a_token_is_refused(store: str) -> None:
    with pytest.raises(ConfigError, match="--private needs a token"):
        create_app(store, private=True)


@pytest.mark.parametrize(
    ("host", "token", "allowed"),
    [
        ("127.0.0.1", None, True),
        ("localhost", None, True),
        ("::1", None, True),
        ("0.0.0.0", None, False),
        ("192.0.2.7", None, False),
        ("news.example", None, False),
        ("0.0.0.0", TOKEN, True),
    ],
)
def test_only_loopback_serves_without_a_token(host: str, token: str | None, allowed: bool) -> None:
    assert is_loopback(host) == (host in ("127.0.0.1", "localhost", "::1"))
    if allowed:
        check_binding(host, token)
    else:
        with pytest.raises(ConfigError, match="needs a token"):
            check_binding(host, token)


@pytest.mark.parametrize(
    ("given", "made"),
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win-ini"),
        ("..", "upload-3"),
        ("", "upload-3"),
        ("Page.HTML.GZ", "Page.html.gz"),
        ("evil<script>.json", "evil-script.json"),
        ("crawl.warc.gz", "crawl.warc.gz"),
        ("notes.exe", "notes-exe"),
        (".hidden.jsonl", "hidden.jsonl"),
    ],
)
def test_an_upload_gets_a_name_the_server_makes(given: str, made: str) -> None:
    assert safe_name(given, 3) == made


def test_the_openapi_document_describes_the_api(guarded: TestClient) -> None:
    document = guarded.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/digest",
        "/api/v1/stories/{story_id}/check",
        "/api/v1/stories/{story_id}/updates",
        "/api/v1/stories/{story_id}/timeline",
        "/api/v1/stories/{story_id}/quotes",
        "/api/v1/stories/{story_id}/entities",
        "/api/v1/articles/{article_id}",
        "/api/v1/search",
        "/api/v1/articles",
    }
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert responses["200"]["description"] != "Successful Response", (path, method)
            errors = {status for status in responses if status.startswith("4")}
            assert errors, f"{method} {path} names its errors"
            for status in errors:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema["required"] == ["error"], (path, status)
    posted = document["paths"]["/api/v1/articles"]["post"]["responses"]
    assert {"413", "415"} <= set(posted)
    body = document["paths"]["/api/v1/articles"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert guarded.get("/docs").status_code == 404, "no page that loads scripts from a CDN"


def test_a_content_length_that_is_no_number_is_400(guarded: TestClient) -> None:
    answer = guarded.post(
        "/api/v1/articles",
        content=b"[]",
        headers={"content-type": "application/json", "content-length": "abc"},
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "the Content-Length header is not a number"}


def test_a_digest_is_computed_again_only_when_its_story_changes(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "store.db")) as store:
        store.ingest(FileIngestor().ingest([EXAMPLE]))
        (story,) = store.stories()
        cache = DigestCache(store=store, config=load_config(None))
        first = cache.digest(story.id, 60)
        assert cache.digest(story.id, 60) is first
        assert cache.computed == 1
        cache.digest(story.id, 80)
        assert cache.computed == 2, "another budget is another digest"
        text = store.articles(story.id)[0].text.replace("Saturday", "Sunday", 1) + " More."
        report = store.ingest(Corpus(articles=(make_article(text, id="later"),)))
        assert report.grown_stories == (story.id,)
        again = cache.digest(story.id, 60)
        assert cache.computed == 3
        assert "later" in {a.id for a in again.digest.corpus.articles}


def test_what_is_made_of_a_digest_is_made_once_for_each_computed_digest(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "store.db")) as store:
        store.ingest(FileIngestor().ingest([EXAMPLE]))
        (story,) = store.stories()
        cache = DigestCache(store=store, config=load_config(None))
        made: list[str] = []

        def make(found: StoryDigest) -> str:
            made.append(found.overview.id)
            return f"{len(found.digest.corpus.articles)} articles"

        first = cache.made(story.id, 60, "count", make)
        assert cache.made(story.id, 60, "count", make) == first
        assert len(made) == 1, "made again for the same digest"
        cache.made(story.id, 60, "other", make)
        cache.made(story.id, 80, "count", make)
        assert len(made) == 3, "another name or budget is made apart"
        text = store.articles(story.id)[0].text.replace("Saturday", "Sunday", 1) + " More."
        store.ingest(Corpus(articles=(make_article(text, id="later"),)))
        assert cache.made(story.id, 60, "count", make) != first
        assert len(made) == 4, "the story changed: its new digest is made again"


def test_the_story_page_shows_the_digest_it_was_made_from(tmp_path: Path) -> None:
    location = str(tmp_path / "store.db")
    with Store.open(location) as store:
        store.ingest(FileIngestor().ingest([EXAMPLE]))
        (story,) = store.stories()
    with TestClient(create_app(location)) as client:
        before = client.get(f"/stories/{story.id}")
        assert client.get(f"/stories/{story.id}").text == before.text
        with Store.open(location) as store:
            text = store.articles(story.id)[0].text.replace("Saturday", "Sunday", 1) + " More."
            store.ingest(Corpus(articles=(make_article(text, id="later-one"),)))
        time.sleep(0.3)  # another process's write shows within the app's recheck interval
        after = client.get(f"/stories/{story.id}")
        assert "later-one" not in before.text
        assert "later-one" in after.text


def test_the_api_checks_a_claim_against_a_stored_story(tmp_path: Path) -> None:
    location = str(tmp_path / "store.db")
    with Store.open(location) as store:
        store.ingest(FileIngestor().ingest([EXAMPLE]))
        (story,) = store.stories()
    claim = "Inspectors warned the city about corrosion in the Gull Island Bridge's cables"
    with TestClient(create_app(location)) as client:
        answer = client.get(f"/api/v1/stories/{story.id}/check", params={"claim": claim})
        assert answer.status_code == 200
        data = answer.json()
        assert data["schema"] == "storyline.check"
        stances = {item["article_id"]: item["stance"] for item in data["articles"]}
        assert stances["09_verrin-public-radio"] == "denies"
        assert client.get(f"/api/v1/stories/{story.id}/check").status_code in (400, 422)
        assert client.get("/api/v1/stories/nope/check", params={"claim": claim}).status_code == 404


# -- the story's parts, updates, filters and pages over a filled store ------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, str]]:
    """A client of the app over the example story and the hostile one; the example
    story's id and the store's location."""
    location = fill_store(tmp_path_factory.mktemp("filled"))
    with TestClient(create_app(location)) as client:
        stories = client.get("/api/v1/stories").json()["stories"]
        (harbor,) = [s["id"] for s in stories if s["articles"] == 14]
        yield client, harbor, location


def test_the_timeline_quotes_and_entities_are_the_digests_parts(
    filled: tuple[TestClient, str, str],
) -> None:
    client, harbor, _ = filled
    (digested,) = client.get(f"/api/v1/stories/{harbor}/digest").json()["stories"]
    for name in ("timeline", "quotes", "entities"):
        answer = client.get(f"/api/v1/stories/{harbor}/{name}")
        assert answer.status_code == 200, name
        data = answer.json()
        assert (data["schema"], data["version"], data["story_id"]) == (
            "storyline.digest",
            3,
            harbor,
        )
        assert data[name] == digested[name]
        assert data[name], f"the example story has {name}"
    assert client.get("/api/v1/stories/s-000000000000/quotes").status_code == 404
    assert client.get(f"/api/v1/stories/{harbor}/entities?words=0").status_code == 422


def test_updates_since_a_day_or_a_delivered_digest(filled: tuple[TestClient, str, str]) -> None:
    client, harbor, location = filled
    url = f"/api/v1/stories/{harbor}/updates"
    none_yet = client.get(url)
    assert none_yet.status_code == 404
    assert "no digest of story" in none_yet.json()["error"]
    assert client.get(url, params={"since": "17"}).status_code == 404
    assert client.get(url, params={"since": "yesterday"}).status_code == 422
    day = client.get(url, params={"since": "2026-04-15"}).json()
    assert day["update"]["since"]["date"] == "2026-04-15"
    assert day["update"]["new_article_ids"]
    assert not day["update"]["nothing_new"]
    document = client.get(f"/api/v1/stories/{harbor}/digest").json()
    with Store.open(location) as store:
        delivered = store.record_digest(harbor, Budget(unit="words", limit=120), document)
    latest = client.get(url).json()["update"]
    assert latest["since"]["digest_ids"] == [delivered.id]
    assert latest["nothing_new"], "every article was in the digest delivered"
    assert client.get(url, params={"since": str(delivered.id)}).json()["update"] == latest
    with Store.open(location) as store:
        assert len(store.digests(harbor)) == 1, "reading an update records nothing"

    page = client.get(f"/stories/{harbor}/updates", params={"since": str(delivered.id)})
    assert page.status_code == 200
    assert f'<option value="{delivered.id}" selected>' in page.text
    assert 'data-field="nothing-new"' in page.text
    by_day = client.get(f"/stories/{harbor}/updates", params={"since": "2026-04-15"})
    assert "since articles before 2026-04-15" in by_day.text
    assert 'id="summary"' in by_day.text
    assert f'href="/stories/{harbor}/updates"' in client.get(f"/stories/{harbor}").text


def test_the_story_list_filters_by_days_and_outlet(filled: tuple[TestClient, str, str]) -> None:
    client, harbor, _ = filled

    def listed(path: str, **params: str) -> list[str]:
        return [s["id"] for s in client.get(path, params=params).json()["stories"]]

    everything = listed("/api/v1/stories")
    assert len(everything) == 2
    assert listed("/api/v1/stories", until="2026-05-01") == [harbor]
    assert listed("/api/v1/stories", since="2026-06-02", until="2026-06-30") != [harbor]
    assert listed("/api/v1/stories", since="2026-04-20", until="2026-05-30") == [], (
        "no article of either story is dated in those days"
    )
    outlet = client.get(f"/api/v1/stories/{harbor}").json()["sources"][0]
    assert listed("/api/v1/stories", outlet=outlet.upper()) == [harbor]
    assert listed("/api/v1/stories", outlet="No Such Outlet") == []

    page = client.get("/", params={"until": "2026-05-01", "outlet": outlet})
    assert page.text.count("data-story=") == 1
    form = client.get("/", params={"q": "", "since": "", "until": "2026-05-01", "outlet": ""})
    assert form.text.count("data-story=") == 1, "the form's empty fields filter nothing"
    assert client.get("/", params={"until": "May"}).status_code == 422
    assert f'<option value="{outlet}" selected>' in page.text
    assert 'id="until" type="date" name="until" value="2026-05-01"' in page.text
    charts = client.get("/").text
    assert charts.count('<svg class="activity"') == 2
    assert "14 dated articles from" in charts


def test_the_article_page_marks_every_cited_passage(filled: tuple[TestClient, str, str]) -> None:
    client, harbor, _ = filled
    document = client.get(f"/api/v1/stories/{harbor}/digest").json()
    (digested,) = document["stories"]
    citation = digested["summary"]["sentences"][0]["citations"][0]
    quoted = digested["quotes"][0]["spans"][0]
    article = client.get(f"/api/v1/articles/{citation['article_id']}").json()
    page = client.get(f"/articles/{citation['article_id']}").text
    cited = article["text"][citation["start"] : citation["end"]]
    marks = re.findall(r'<mark class="cited">(.*?)</mark>', page, re.S)
    assert any(html.escape(cited, quote=False) in mark for mark in marks)
    if quoted["article_id"] == citation["article_id"]:
        said = article["text"][quoted["start"] : quoted["end"]]
        assert any(html.escape(said, quote=False) in mark for mark in marks)
