"""The web app's real server (``python -m storyline serve`` on 127.0.0.1) driven by httpx:
the API's answers and errors, the body limit, upload types, CSRF, cross-site writes, the
Host check and the loopback rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_cli import run
from tests.web import HOSTILE_SCRIPT, fill_store, running_server

LIMIT = 200_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    store = fill_store(folder)
    with running_server(store, "--max-upload-bytes", str(LIMIT), log=folder / "server.log") as base:
        yield base


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


def _harbor_story(client: httpx.Client) -> dict:  # type: ignore[type-arg]
    stories = client.get("/api/v1/stories").json()["stories"]
    (story,) = [s for s in stories if s["articles"] == 14]
    return story  # type: ignore[no-any-return]


def test_the_story_list_newest_activity_first_with_counts(client: httpx.Client) -> None:
    answer = client.get("/api/v1/stories")
    assert answer.status_code == 200
    data = answer.json()
    assert data["schema"] == "storyline.stories"
    hostile, harbor = data["stories"][:2]
    assert hostile["last"] > harbor["last"], "newest activity first"
    assert (hostile["articles"], hostile["outlets"]) == (2, 2)
    assert harbor["articles"] == 14
    assert harbor["outlets"] == len(harbor["sources"])
    since = client.get("/api/v1/stories", params={"since": "2026-06-01"}).json()
    assert [s["id"] for s in since["stories"]] == [hostile["id"]]
    searched = client.get("/api/v1/search", params={"q": "Quillon ferry"}).json()
    assert [s["id"] for s in searched["stories"]] == [hostile["id"]]
    assert client.get("/api/v1/search", params={"q": "!!"}).status_code == 400


def test_a_story_and_its_digest(client: httpx.Client) -> None:
    story = _harbor_story(client)
    answer = client.get(f"/api/v1/stories/{story['id']}")
    assert answer.status_code == 200
    assert len(answer.json()["articles"]) == 14
    digest = client.get(f"/api/v1/stories/{story['id']}/digest", params={"words": 60})
    assert digest.status_code == 200
    document = digest.json()
    assert (document["schema"], document["version"]) == ("storyline.digest", 3)
    (digested,) = document["stories"]
    assert digested["id"] == story["id"]
    assert digested["summary"]["budget"] == {"unit": "words", "limit": 60}
    words = sum(len(s["text"].split()) for s in digested["summary"]["sentences"])
    assert 0 < words <= 60
    again = client.get(f"/api/v1/stories/{story['id']}/digest", params={"words": 60})
    assert again.json() == document
    article_id = document["articles"][0]["id"]
    article = client.get(f"/api/v1/articles/{article_id}").json()
    assert article["story"] == story["id"]


def test_errors_are_json_with_their_status(client: httpx.Client) -> None:
    for path in ("/api/v1/stories/s-000000000000", "/api/v1/articles/nope", "/api/v1/nothing"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/json"
        assert set(answer.json()) == {"error"}
    story = _harbor_story(client)
    for words in ("0", "many", "999999"):
        answer = client.get(f"/api/v1/stories/{story['id']}/digest", params={"words": words})
        assert answer.status_code == 422
        assert "words" in answer.json()["error"]
    assert client.get("/api/v1/stories", params={"since": "soon"}).status_code == 422
    bad_json = client.post(
        "/api/v1/articles", content=b"[{", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert "not JSON" in bad_json.json()["error"]
    not_a_list = client.post("/api/v1/articles", json={"text": "one"})
    assert not_a_list.status_code == 422
    assert client.post("/api/v1/articles", content=b"hello").status_code == 415


def test_a_body_over_the_limit_is_413_naming_the_limit(client: httpx.Client) -> None:
    answer = client.post("/api/v1/articles", files={"files": ("big.txt", b"x" * (LIMIT + 1))})
    assert answer.status_code == 413
    assert f"limit of {LIMIT} bytes" in answer.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(LIMIT // 10_000 + 2):
            yield b"[" + b" " * 9_999

    streamed = client.post(
        "/api/v1/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert str(LIMIT) in streamed.json()["error"]


def test_an_upload_of_unknown_type_is_415(client: httpx.Client) -> None:
    answer = client.post(
        "/api/v1/articles", files={"files": ("tool.exe", b"MZ\x90\x00\x03\x00binary")}
    )
    assert answer.status_code == 415
    assert "tool.exe" in answer.json()["error"]


def test_an_uploaded_file_creates_a_story(client: httpx.Client) -> None:
    text = (
        "date 2026-07-01 The Port Verrin zoo welcomed two red pandas on Wednesday. "
        "Keepers said the pandas arrived from a zoo upriver and will be shown in August."
    )
    before = {s["id"] for s in client.get("/api/v1/stories").json()["stories"]}
    answer = client.post(
        "/api/v1/articles",
        files=[
            ("files", ("../../red pandas.txt", text.encode())),
            ("files", ("empty.json", b"[]")),
        ],
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["new"] == ["red-pandas"], "the name is the server's, made of the stem"
    assert report["rejected"] == [
        {"item": "upload:empty.json", "reason": "no-articles", "detail": "the JSON list is empty"}
    ]
    (created,) = report["stories"]["new"]
    after = {s["id"] for s in client.get("/api/v1/stories").json()["stories"]}
    assert after - before == {created}
    again = client.post("/api/v1/articles", files={"files": ("red pandas.txt", text.encode())})
    assert again.json()["counts"]["already_stored"] == 1


def test_form_posts_need_the_csrf_token(client: httpx.Client) -> None:
    files = {"files": ("otters.txt", b"date 2026-07-02 Two otters swam in the harbor.")}
    refused = client.post("/upload", files=files)
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    form = client.get("/upload")
    token = form.cookies.get("storyline-csrf") or client.cookies.get("storyline-csrf")
    assert token is not None
    assert f'value="{token}"' in form.text
    forged = client.post("/upload", files=files, data={"csrf": token + "x"})
    assert forged.status_code == 403
    accepted = client.post("/upload", files=files, data={"csrf": token})
    assert accepted.status_code == 200, accepted.text
    assert 'data-count="new"><b>1</b>' in accepted.text


def test_writes_from_another_sites_page_and_foreign_hosts_are_refused(
    client: httpx.Client,
) -> None:
    files = {"files": ("seals.txt", b"date 2026-07-03 Seals rested on the pier.")}
    foreign = client.post(
        "/api/v1/articles", files=files, headers={"origin": "http://evil.example"}
    )
    assert foreign.status_code == 403
    hidden = client.post("/api/v1/articles", files=files, headers={"origin": "null"})
    assert hidden.status_code == 403, "a page under no-referrer sends Origin: null"
    fetched = client.post("/api/v1/articles", files=files, headers={"sec-fetch-site": "cross-site"})
    assert fetched.status_code == 403
    assert client.get("/api/v1/stories", headers={"host": "evil.example"}).status_code == 400


def test_pages_carry_a_strict_policy_and_escape_article_text(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "unsafe-inline" not in policy
    assert HOSTILE_SCRIPT not in page.text
    assert "&lt;img src=x onerror=" in page.text
    hostile = client.get("/api/v1/search", params={"q": "Quillon"}).json()["stories"][0]
    story = client.get(f"/stories/{hostile['id']}")
    assert story.status_code == 200
    assert "<script" not in story.text
    assert client.get("/stories/s-000000000000").status_code == 404
    assert client.get("/static/report.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/..%2Fapp.py").status_code == 404


def test_serve_refuses_an_address_off_loopback_without_a_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    done = run("serve", "--store", tmp_path / "s.db", "--host", "0.0.0.0")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "needs a token" in done.stderr
    assert not (tmp_path / "s.db").exists()
