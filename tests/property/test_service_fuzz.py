"""Schema-based fuzzing of the HTTP API: requests generated from the app's own OpenAPI
document, sent to the app in process (Starlette's test client); none may answer 500.

schemathesis is not installed, so a small generator reads the document instead: for every
GET operation, each path and query parameter gets values of its schema (integers within
and around their bounds, dates, strings up to their length) mixed with arbitrary text,
and optional ones are sometimes left out; path parameters are sometimes a real story's or
article's id, so that requests reach past the 404. ``POST /articles`` gets bodies of its
request-body schema, any JSON, raw bytes and multipart files, under several content
types. Every answer must be below 500, and every error under ``/api/v1`` JSON with a
reason. The examples are bounded and derandomized (the same requests on every run).
"""

from __future__ import annotations

import json
import string
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.service import create_app
from tests.web import fill_store

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with", UserWarning)
    from fastapi.testclient import TestClient

EXAMPLES = 30  # per GET operation
POST_EXAMPLES = 60
Request = tuple[str, str, dict[str, Any]]  # method, url, httpx keyword arguments


@pytest.fixture(scope="module")
def fuzzed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, dict[str, Any], list[str]]]:
    """A client of the app over the filled test store, the app's OpenAPI document, and
    real ids (stories, articles) for path parameters."""
    location = fill_store(tmp_path_factory.mktemp("fuzz"))
    with TestClient(create_app(location), raise_server_exceptions=False) as client:
        document = client.get("/api/v1/openapi.json").json()
        stories = client.get("/api/v1/stories").json()["stories"]
        ids = [s["id"] for s in stories] + [a for s in stories for a in s["article_ids"][:2]]
        yield client, document, ids


def _any_text() -> st.SearchStrategy[str]:
    return st.text(max_size=60) | st.sampled_from(["", " ", "0", "-1", "../..", "%00", "\u202e"])


def _of_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of a parameter's schema (None: leave the parameter out), and some that are not."""
    if "anyOf" in schema:
        return st.one_of([_of_schema(part) for part in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "integer":
        low, high = schema.get("minimum", -(2**40)), schema.get("maximum", 2**40)
        inside = st.integers(low, high).map(str)
        edges = st.sampled_from([low - 1, low, high, high + 1, 2**70]).map(str)
        return inside | edges | _any_text()
    if schema.get("format") == "date":
        return st.dates().map(lambda day: day.isoformat()) | _any_text()
    return st.text(max_size=schema.get("maxLength", 80) + 2) | _any_text()


def _get_requests(
    path: str, operation: dict[str, Any], ids: list[str]
) -> st.SearchStrategy[Request]:
    """GET requests of one operation, its parameters drawn from their schemas."""
    parameters = operation.get("parameters", [])

    @st.composite
    def request(draw: st.DrawFn) -> Request:
        url, query = path, {}
        for parameter in parameters:
            name, schema = parameter["name"], parameter.get("schema", {})
            if parameter["in"] == "path":
                value = draw(st.sampled_from(ids) | _of_schema(schema) | st.just(""))
                url = url.replace("{" + name + "}", quote(str(value), safe=""))
            elif parameter["required"] or draw(st.booleans()):
                value = draw(_of_schema(schema))
                if value is not None:
                    query[name] = value
        return "GET", url, {"params": query}

    return request()


def _json_values() -> st.SearchStrategy[Any]:
    numbers = st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    scalars = st.none() | st.booleans() | numbers | st.text(max_size=40)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )


def _post_requests(operation: dict[str, Any]) -> st.SearchStrategy[Request]:
    """``POST /api/v1/articles``: bodies of its request-body schema and others, under the
    content types it reads and others."""
    item = operation["requestBody"]["content"]["application/json"]["schema"]["items"]
    fields = sorted(item["properties"])
    text = st.text(max_size=200) | st.sampled_from(["2026-02-30", "<script>x</script>", ""])
    article = st.fixed_dictionaries(
        dict.fromkeys(item["required"], text),
        optional={n: text | _json_values() for n in fields if n not in item["required"]},
    )
    typed = st.lists(article, max_size=4).map(lambda body: {"json": body})
    any_json = _json_values().map(lambda body: {"json": body})
    raw = st.tuples(
        st.binary(max_size=300),
        st.sampled_from(
            ["application/json", "text/plain", "multipart/form-data", "", "application/xml"]
        ),
    ).map(lambda pair: {"content": pair[0], "headers": {"content-type": pair[1]}})
    names = st.text(string.printable, max_size=30) | st.sampled_from(
        ["a.json", "b.jsonl", "c.html", "d.warc.gz", "../../etc/passwd", "e.txt", "f.xml"]
    )
    files = st.lists(st.tuples(names, st.binary(max_size=300)), min_size=1, max_size=3).map(
        lambda pairs: {"files": [("files", (name, data)) for name, data in pairs]}
    )
    return st.one_of(typed, any_json, raw, files).map(
        lambda arguments: ("POST", "/api/v1/articles", arguments)
    )


def _check(client: TestClient, request: Request) -> None:
    method, url, arguments = request
    try:
        answer = client.request(method, url, **arguments)
    except httpx.InvalidURL:
        return  # a URL the client itself refuses to send never reaches the app
    assert answer.status_code < 500, f"{method} {url} {arguments!r}: {answer.text[:300]}"
    if answer.status_code >= 400 and url.startswith("/api/v1/"):
        assert isinstance(answer.json()["error"], str), f"{method} {url}: {answer.text[:300]}"
    elif answer.status_code == 200:
        json.loads(answer.text)


_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_no_generated_get_request_is_answered_500(
    fuzzed: tuple[TestClient, dict[str, Any], list[str]],
) -> None:
    client, document, ids = fuzzed
    operations = [
        (path, methods["get"]) for path, methods in document["paths"].items() if "get" in methods
    ]
    assert len(operations) == 10, "every GET route of the API is fuzzed"
    for path, operation in operations:

        @settings(_SETTINGS, max_examples=EXAMPLES)
        @given(request=_get_requests(path, operation, ids))
        def check(request: Request) -> None:
            _check(client, request)

        check()


def test_no_generated_post_of_articles_is_answered_500(
    fuzzed: tuple[TestClient, dict[str, Any], list[str]],
) -> None:
    client, document, _ = fuzzed
    operation = document["paths"]["/api/v1/articles"]["post"]

    @settings(_SETTINGS, max_examples=POST_EXAMPLES)
    @given(request=_post_requests(operation))
    def check(request: Request) -> None:
        _check(client, request)

    check()
