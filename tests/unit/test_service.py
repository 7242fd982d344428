"""The web app's factory, in-process (Starlette's test client): the token for writes and,
with ``private``, for reads; the login form; the loopback rule; the names uploads get."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import load_config
from storyline.errors import ConfigError
from storyline.ingest.files import FileIngestor
from storyline.model import Corpus
from storyline.service import check_binding, create_app, is_loopback
from storyline.service.digests import DigestCache
from storyline.service.uploads import safe_name
from storyline.store import Store
from tests.builders import make_article
from tests.web import EXAMPLE

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
        "/api/v1/articles/{article_id}",
        "/api/v1/search",
        "/api/v1/articles",
    }
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
