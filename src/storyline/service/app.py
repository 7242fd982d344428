"""The web app and the HTTP API over a store: a store location -> an ASGI app; ``serve``.

:func:`create_app` builds a FastAPI app (Starlette underneath) over one
:class:`~storyline.store.Store`:

- the API under ``/api/v1``, described by ``/api/v1/openapi.json`` (each response and
  error described): ``GET /stories`` (the story index, newest activity first; ``since``,
  ``until``, ``outlet``, ``search``), ``GET /stories/{id}``, ``GET
  /stories/{id}/digest?words=N`` (the digest JSON, schema 3), ``GET
  /stories/{id}/check?claim=`` (each article's stance toward a claim: ``storyline check``),
  ``GET
  /stories/{id}/updates?since=DIGEST-ID|DATE`` (the update JSON of ``storyline update``,
  not recorded as delivered), ``GET /stories/{id}/timeline``, ``/quotes``, ``/entities``
  (those parts of the digest JSON), ``GET /articles/{id}``, ``GET /search?q=``, ``POST
  /articles`` (a JSON array of articles or multipart files -> the ingest report); every
  error is ``{"error": reason}`` with a 4xx status
  (:class:`~storyline.service.problems.RequestError`), and an unexpected fault a 500 with a
  one-line reason and no traceback;
- the pages, rendered by Jinja2 in the HTML report's environment
  (:func:`~storyline.report.html.environment`: autoescape on, every value passing through
  :func:`~storyline.report.escaping.neutral` first, so bidirectional controls never reach
  a page): the story list with its search box, filters (days, outlet) and an activity
  chart per story (:mod:`storyline.service.charts`, inline SVG), the story page, the
  "what's new since" page of a story (against a delivered digest or a day), the article
  page (its text, the passages the story's digest cites anywhere marked), the upload page
  and search results. The
  story page's digest is laid out by the HTML report's own macros (``story_body`` of
  ``report/templates/report.html`` over :func:`~storyline.report.html.story_view`): one
  escaping path, one look, with the report's CSS served as ``/static/report.css``.

Security (:mod:`storyline.service.security`): a token guards every write when one is set
(every read too with ``private``), forms carry CSRF tokens, writes from another site's page
are refused, bodies are limited (413), uploads go through :mod:`storyline.service.uploads`,
and every response carries a strict Content-Security-Policy: no script, styles from
``/static`` only, no request to any other server. The interactive API docs (which load
scripts from a CDN) are off; the OpenAPI document is served.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any, TypeVar

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from storyline.config import Config, load_config
from storyline.digest.stance import StanceJudge
from storyline.errors import ConfigError, StoreError, StorylineError
from storyline.ingest.files import FileIngestor
from storyline.model import Citation, Corpus, Digest, QuoteSpan, StoryOverview
from storyline.registry import build_segmenter
from storyline.report.html import STYLESHEET, story_view
from storyline.report.html import environment as report_environment
from storyline.report.markdown import stories_to_dict
from storyline.report.stance import check_to_dict
from storyline.report.store import article_json, ingest_json
from storyline.report.updates import update_note
from storyline.service.charts import activity_chart
from storyline.service.digests import DigestCache, StoryDigest, StoryUpdate
from storyline.service.problems import RequestError
from storyline.service.reads import ReadCache, StoryIndex
from storyline.service.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    LOOPBACK_HOSTS,
    TOKEN_COOKIE,
    BodyLimit,
    Guard,
    SecurityHeaders,
    check_binding,
    is_loopback,
    same_origin,
)
from storyline.service.uploads import Upload, posted_corpus, uploaded_corpus
from storyline.service.workers import Workers
from storyline.store import Store, active_since

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "DEFAULT_WORDS", "create_app", "serve"]

DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024
DEFAULT_WORDS = 120
_MAX_WORDS = 5000
_MAX_FILES = 100
_API = "/api/v1"
_T = TypeVar("_T")
_LISTED = 200  # stories on one page of the story list
# an idle kept-alive connection is closed after this long: longer than common clients keep
# theirs (httpx and requests 5 s), so that the client, not the server, ends it; with both at
# 5 s, a client sometimes sent a request on a connection the server was closing (a
# ReadError in bench/bench_service.py at 50 clients)
_KEEP_ALIVE_SECONDS = 30
_RECHECK_SECONDS = 0.25  # how soon another process's write shows (reads.ReadCache)
_Words = Annotated[int, Query(ge=1, le=_MAX_WORDS, description="the summary's word budget")]
_CSRF_REFUSED = "the form's CSRF token is missing or wrong: reload the page"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Site:
    """What every handler of one app shares."""

    store: Store
    config: Config
    reads: ReadCache
    index: StoryIndex
    digests: DigestCache
    workers: Workers
    guard: Guard
    pages: Environment
    static: dict[str, str]


def create_app(
    store_location: str | None,
    *,
    token: str | None = None,
    private: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    allowed_hosts: Sequence[str] | None = None,
    config: Config | None = None,
) -> FastAPI:
    """The app over the store at ``store_location`` (created when new).

    ``token``: writes need it (``Authorization: Bearer TOKEN``, or the login form's
    cookie); ``private``: reads need it too. ``max_upload_bytes``: the largest request
    body. ``allowed_hosts``: the ``Host`` headers accepted (all when None), against DNS
    rebinding of a server on loopback.
    """
    if private and not token:
        raise ConfigError("--private needs a token (--token or $STORYLINE_TOKEN)")
    chosen = config or load_config(None)
    store = Store.open(store_location)
    reads = ReadCache(store=store, recheck=_RECHECK_SECONDS)
    workers = Workers(store.location)
    site = _Site(
        store=store,
        config=chosen,
        reads=reads,
        index=StoryIndex(store),
        digests=DigestCache(store=store, config=chosen, reads=reads, offload=workers.call),
        workers=workers,
        guard=Guard(token=token, private=private, secret=secrets.token_bytes(32)),
        pages=_environment(),
        static={
            "report.css": STYLESHEET,
            "app.css": resources.files("storyline.service").joinpath("static/app.css").read_text(),
        },
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        site.workers.close()
        store.close()

    app = FastAPI(
        title="storyline",
        version="1",
        description="Stories, digests and articles of a storyline store.",
        openapi_url=f"{_API}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.include_router(_api(site), prefix=_API)
    app.include_router(_pages(site))
    _handle_errors(app, site)
    app.add_middleware(BodyLimit, limit=max_upload_bytes)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app


def serve(
    store_location: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    private: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> None:
    """Serve the app on ``host``:``port`` with uvicorn until interrupted; a host other than
    loopback without a token is a :class:`~storyline.errors.ConfigError`."""
    check_binding(host, token, private=private)
    shown = f"[{host}]" if ":" in host else host
    # Host headers as Starlette reads them: an IPv6 literal keeps its brackets
    named = {f"[{h}]" if ":" in h else h for h in (*LOOPBACK_HOSTS, host)}
    hosts = sorted(named) if is_loopback(host) else None
    app = create_app(
        store_location,
        token=token,
        private=private,
        max_upload_bytes=max_upload_bytes,
        allowed_hosts=hosts,
    )
    print(f"storyline: serving on http://{shown}:{port}/", file=sys.stderr, flush=True)
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            server_header=False,
            log_level="warning",
            timeout_keep_alive=_KEEP_ALIVE_SECONDS,
        )
    except SystemExit as stopped:  # uvicorn exits when it cannot listen (its line says why)
        if stopped.code:
            raise StorylineError(f"could not serve on {shown}:{port}") from None


# -- the API ---------------------------------------------------------------------------------


def _api(site: _Site) -> APIRouter:
    router = APIRouter(dependencies=[Depends(_reader(site))])

    @router.get(
        "/stories",
        summary="The story index, newest activity first",
        response_description="The story index (schema storyline.stories) with counts",
        responses=_errors(400, 422),
    )
    def stories(
        since: Annotated[dt.date | None, Query(description="stories active on or after")] = None,
        until: Annotated[dt.date | None, Query(description="stories active on or before")] = None,
        outlet: Annotated[
            str | None, Query(max_length=500, description="stories this outlet reports")
        ] = None,
        search: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        wanted = _Filters(since=since, until=until, outlet=outlet or None)
        text = site.reads.get(
            ("index", wanted, search),
            lambda: json.dumps(_index(_filtered(site, wanted, search=search)), ensure_ascii=False),
        )
        return Response(text, media_type="application/json")

    @router.get(
        "/stories/{story_id}",
        summary="One story: its overview and articles",
        response_description="The story (schema storyline.story) with its articles",
        responses=_errors(404, 422),
    )
    def story(story_id: str) -> Response:
        overview = _story(site, story_id)
        articles = site.reads.get(
            ("articles", overview.id), lambda: site.store.articles(overview.id)
        )
        data = _index([overview])["stories"][0] | {
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "source": a.source,
                    "published": a.published.isoformat() if a.published else None,
                    "url": a.url,
                }
                for a in articles
            ]
        }
        return _json({"schema": "storyline.story", "version": 1} | data)

    @router.get(
        "/stories/{story_id}/digest",
        summary="The story's digest (schema 3)",
        response_description="The digest JSON (schema storyline.digest, version 3)",
        responses=_errors(404, 422),
    )
    def digest(story_id: str, words: _Words = DEFAULT_WORDS) -> Response:
        text = _made(site, story_id, words, "json", lambda found: _dumped(found.document))
        return Response(text, media_type="application/json")

    @router.get(
        "/stories/{story_id}/check",
        summary="Each article's stance toward a claim, and the outlets on each side",
        description="What `storyline check CLAIM --story ID` writes as JSON: each article's "
        "stance toward the claim (asserts, denies, reports, unrelated) with the sentences that "
        "show it, and the tally by outlet.",
        response_description="The check (schema storyline.check, version 1)",
        responses=_errors(404, 422),
    )
    def check(
        story_id: str, claim: Annotated[str, Query(min_length=1, max_length=500)]
    ) -> Response:
        overview = _story(site, story_id)
        articles = site.reads.get(
            ("articles", overview.id), lambda: site.store.articles(overview.id)
        )

        def judged() -> str:
            checked = StanceJudge().check_articles(claim, articles, build_segmenter(site.config))
            return _dumped({"schema": "storyline.check", "version": 1} | check_to_dict(checked))

        # kept like the store's reads: a claim checked again is not judged again
        text = site.reads.get(("check", overview.id, claim), judged)
        return Response(text, media_type="application/json")

    @router.get(
        "/stories/{story_id}/updates",
        summary="What is new in the story since a delivered digest or a day",
        description="The update JSON that `storyline update --story ID --since` writes: a "
        "digest (schema 3) of only what is new, with an `update` key naming what it is since. "
        "Without `since`, since the last digest delivered of the story. Reading it does not "
        "record it as delivered.",
        response_description="The update (schema storyline.digest, version 3, with `update`)",
        responses=_errors(404, 422),
    )
    def updates(
        story_id: str,
        since: Annotated[
            str | None,
            Query(
                max_length=40,
                description="a delivered digest's id, or a day YYYY-MM-DD (new since the last "
                "digest delivered before it; without one, the articles published from it on)",
            ),
        ] = None,
        words: _Words = DEFAULT_WORDS,
    ) -> Response:
        return _json(_update(site, story_id, _since(since), words).document)

    for name, summary, described in _SECTIONS:
        router.add_api_route(
            f"/stories/{{story_id}}/{name}",
            _section(site, name),
            methods=["GET"],
            name=name,
            summary=summary,
            response_description=described,
            responses=_errors(404, 422),
        )

    @router.get(
        "/articles/{article_id:path}",
        summary="One stored article",
        response_description="The stored article with its story",
        responses=_errors(404, 422),
    )
    def article(article_id: str) -> Response:
        try:
            stored = site.store.article(article_id)
        except StoreError:
            raise RequestError(404, f"no article {article_id!r} in the store") from None
        return Response(article_json(stored), media_type="application/json")

    @router.get(
        "/search",
        summary="The stories with an article holding every word of q",
        response_description="The story index (schema storyline.stories) of the matches",
        responses=_errors(400, 422),
    )
    def search(q: Annotated[str, Query(min_length=1, max_length=500)]) -> Response:
        return _json({"query": q} | _index(_listed(site, search=q)))

    @router.post(
        "/articles",
        summary="Store articles: a JSON array of article objects, or multipart files",
        dependencies=[Depends(_writer(site))],
        openapi_extra={"requestBody": _ARTICLES_BODY},
        response_description="The ingest report: new, already stored and rejected items, and "
        "the stories created, grown and merged",
        responses=_errors(400, 401, 403, 413, 415, 422),
    )
    async def post_articles(request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            body = await request.body()
            corpus = await run_in_threadpool(posted_corpus, body, _ingestor(site))
        elif kind == "multipart/form-data":
            corpus = await _uploaded(site, request)
        else:
            raise RequestError(
                415,
                f"unsupported content type {kind or '(none)'!r}: post application/json "
                "(an array of articles) or multipart/form-data (files)",
            )
        report = await site.workers.ingest(corpus, command="serve")
        site.reads.wrote()
        return Response(ingest_json(report, "server"), media_type="application/json")

    return router


_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string", "description": "what was wrong, one line"}},
    "required": ["error"],
}
_STATUS = {
    400: "The request is malformed (a header, a body or a search without a word)",
    401: "The server's token is needed",
    403: "A write from another site's page",
    404: "No such story, article, digest or route",
    413: "The body is larger than the server's limit (named in the reason)",
    415: "The content type or an uploaded file's type is not one the server reads",
    422: "A parameter is not valid",
}


_SECTIONS = (
    (
        "timeline",
        "The story's timeline (the digest's `timeline`)",
        "`timeline` of the digest JSON (schema 3): dates, each with its cited sentences and "
        "the wording that dated it",
    ),
    (
        "quotes",
        "Who said what in the story (the digest's `quotes`)",
        "`quotes` of the digest JSON (schema 3): speaker, words, kind, cue and where they appear",
    ),
    (
        "entities",
        "Who is involved in the story (the digest's `entities`)",
        "`entities` of the digest JSON (schema 3): people, organisations and places with their "
        "aliases and mentions",
    ),
)


def _section(site: _Site, name: str) -> Callable[[str, int], Response]:
    """The handler of ``GET /stories/{id}/NAME``: that part of the story's digest."""

    def part(story_id: str, words: _Words = DEFAULT_WORDS) -> Response:
        return Response(
            _made(site, story_id, words, f"json {name}", section), media_type="application/json"
        )

    def section(found: StoryDigest) -> str:
        document = found.document
        (digested,) = document["stories"]
        return _dumped(
            {
                "schema": document["schema"],
                "version": document["version"],
                "story_id": digested["id"],
                name: digested.get(name),
            }
        )

    return part


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of ``statuses``: each ``{"error": reason}``."""
    return {
        status: {
            "description": _STATUS[status],
            "content": {"application/json": {"schema": _ERROR}},
        }
        for status in statuses
    }


def _day(name: str, text: str | None, *, digest: bool = False) -> dt.date | None:
    """A day of the query parameter ``name``: empty is none; not a day, a 422 (that names a
    digest id too when ``digest`` says one is allowed)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        wanted = "a digest id or a date" if digest else "a date"
        raise RequestError(
            422, f"query parameter {name!r} must be {wanted} YYYY-MM-DD. Got {text!r}"
        ) from None


def _since(text: str | None) -> int | dt.date | None:
    """``since`` of an update: a delivered digest's id or a day; else a 422."""
    if text and text.isascii() and text.isdigit():
        return int(text)
    return _day("since", text, digest=True)


def _update(site: _Site, story_id: str, since: int | dt.date | None, words: int) -> StoryUpdate:
    _story(site, story_id)
    try:
        return site.digests.update(story_id, since, words)
    except StoreError:
        raise RequestError(404, f"no story {story_id!r} in the store") from None
    except StorylineError as error:  # no delivered digest to start from
        raise RequestError(404, str(error)) from None


def _reader(site: _Site) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        if not site.guard.may_read(request):
            raise RequestError(401, "this server is private: send its token", headers=_CHALLENGE)

    return check


def _writer(site: _Site) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        if not same_origin(request):
            raise RequestError(403, "a write from another site's page is refused")
        if not site.guard.authorized(request):
            raise RequestError(401, "writing needs this server's token", headers=_CHALLENGE)

    return check


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="storyline"'}
_ARTICLES_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "description": "an article: id, title, text, date (YYYY-MM-DD), url, "
                    "source; only text is required",
                    "properties": {
                        name: {"type": "string"}
                        for name in ("id", "title", "text", "date", "url", "source")
                    },
                    "required": ["text"],
                },
            }
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                },
            }
        },
    },
}


def _json(data: Any, status: int = 200) -> Response:
    return Response(_dumped(data), status_code=status, media_type="application/json")


def _dumped(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _listed(
    site: _Site, *, since: dt.date | None = None, search: str | None = None
) -> list[StoryOverview]:
    """The stories, newest activity (last article date) first, then largest, then by id."""

    def read() -> tuple[StoryOverview, ...]:
        return site.store.stories(search=search) if search else site.index.stories()

    try:
        found = site.reads.get(("stories", search or None), read)
    except ConfigError as error:
        raise RequestError(400, str(error)) from None
    return sorted(
        active_since(found, since),
        key=lambda s: (-(s.last or dt.date.min).toordinal(), -len(s.article_ids), s.id),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Filters:
    """A story list's filters: active in the days ``since`` to ``until`` (either open),
    reported by ``outlet`` (its name, compared case-folded)."""

    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None


def _filtered(
    site: _Site,
    wanted: _Filters,
    *,
    search: str | None = None,
    activity: Mapping[str, Sequence[tuple[dt.date, int]]] | None = None,
) -> list[StoryOverview]:
    """:func:`_listed` with ``wanted``'s filters: a story is active in the days when one of
    its articles is dated in them."""
    return _of_outlet(_dated(site, wanted, search=search, activity=activity), wanted.outlet)


def _dated(
    site: _Site,
    wanted: _Filters,
    *,
    search: str | None,
    activity: Mapping[str, Sequence[tuple[dt.date, int]]] | None,
) -> list[StoryOverview]:
    stories = _listed(site, since=wanted.since, search=search)
    if wanted.until is None:
        return stories
    days = _activity(site) if activity is None else activity
    low, high = wanted.since or dt.date.min, wanted.until
    return [s for s in stories if any(low <= day <= high for day, _ in days.get(s.id, ()))]


def _of_outlet(stories: Sequence[StoryOverview], outlet: str | None) -> list[StoryOverview]:
    if not outlet:
        return list(stories)
    key = outlet.strip().casefold()
    return [s for s in stories if any(source.casefold() == key for source in s.sources)]


def _index(stories: Sequence[StoryOverview]) -> dict[str, Any]:
    """The story index in the ``storyline stories --format json`` schema, with counts."""
    data = stories_to_dict(stories, ())
    del data["rejected"]
    for story in data["stories"]:
        story["articles"] = len(story["article_ids"])
        story["outlets"] = len(story["sources"])
    return data


def _activity(site: _Site) -> dict[str, tuple[tuple[dt.date, int], ...]]:
    return site.reads.get("activity", site.store.activity)


def _story(site: _Site, story_id: str) -> StoryOverview:
    try:
        return site.digests.overview(story_id)
    except StoreError:
        raise RequestError(404, f"no story {story_id!r} in the store") from None


def _digest(site: _Site, story_id: str, words: int) -> StoryDigest:
    _story(site, story_id)
    return site.digests.digest(story_id, words)


def _made(
    site: _Site, story_id: str, words: int, name: str, make: Callable[[StoryDigest], _T]
) -> _T:
    """``make``'s result for the story's digest (:meth:`DigestCache.made`: once a digest)."""
    _story(site, story_id)
    return site.digests.made(story_id, words, name, make)


def _ingestor(site: _Site) -> FileIngestor:
    return FileIngestor(config=site.config.ingest)


async def _uploaded(site: _Site, request: Request) -> Corpus:
    form = await request.form(max_files=_MAX_FILES, max_fields=_MAX_FILES)
    files = [
        Upload(name=value.filename or "", data=value.file)
        for _, value in form.multi_items()
        if isinstance(value, UploadFile)
    ]
    try:
        return await run_in_threadpool(uploaded_corpus, files, _ingestor(site))
    finally:
        await form.close()


# -- the pages -------------------------------------------------------------------------------


def _environment() -> Environment:
    """The report's environment (:func:`~storyline.report.html.environment`: its escaping,
    its macros) with the app's templates in front."""
    environment = report_environment(PackageLoader("storyline.service", "templates"))
    environment.filters["day"] = lambda day: day.isoformat() if day else "undated"
    return environment


def _pages(site: _Site) -> APIRouter:
    router = APIRouter(dependencies=[Depends(_page_reader(site))])

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        since: Annotated[str | None, Query(max_length=40)] = None,
        until: Annotated[str | None, Query(max_length=40)] = None,
        outlet: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        # the form sends its empty fields too: an empty day is no filter
        wanted = _Filters(
            since=_day("since", since), until=_day("until", until), outlet=outlet or None
        )
        activity = _activity(site)
        dated = _dated(site, wanted, search=q, activity=activity)
        stories = _of_outlet(dated, wanted.outlet)
        return _page(
            site,
            request,
            "stories.html",
            stories=stories[:_LISTED],
            more=max(0, len(stories) - _LISTED),
            charts={s.id: activity_chart(activity.get(s.id, ())) for s in stories[:_LISTED]},
            outlets=sorted({o for s in dated for o in s.sources}, key=str.casefold),
            q=q or "",
            filters=wanted,
            searched=False,
        )

    @router.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, q: Annotated[str, Query(min_length=1, max_length=500)]
    ) -> Response:
        stories = _listed(site, search=q)
        return _page(
            site, request, "stories.html", stories=stories, q=q, searched=True, charts=None
        )

    @router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(
        request: Request,
        story_id: str,
        words: Annotated[int, Query(ge=1, le=_MAX_WORDS)] = DEFAULT_WORDS,
    ) -> Response:
        def body(found: StoryDigest) -> tuple[StoryOverview, Markup]:
            main = site.pages.get_template("story_main.html").render(
                story=found.overview,
                view=found.view,
                articles=found.digest.corpus.articles,
                words=words,
            )
            return found.overview, Markup(main)  # rendered with autoescape on

        story, main = _made(site, story_id, words, "page", body)
        return _page(site, request, "story.html", story=story, main=main)

    @router.get("/stories/{story_id}/updates", response_class=HTMLResponse, include_in_schema=False)
    def update_page(
        request: Request,
        story_id: str,
        since: Annotated[str | None, Query(max_length=40)] = None,
        words: _Words = DEFAULT_WORDS,
    ) -> Response:
        overview = _story(site, story_id)
        delivered = site.reads.get(
            ("digests", overview.id), lambda: site.store.digests(overview.id)
        )
        chosen = _since(since)
        found = None
        if chosen is not None or delivered:
            found = _update(site, overview.id, chosen, words).update
        return _page(
            site,
            request,
            "update.html",
            story=overview,
            delivered=delivered,
            since=since or "",
            words=words,
            update=found,
            note=update_note(found) if found else "",
            view=story_view(found.digest) if found and not found.nothing_new else None,
            new=found.digest.corpus.articles if found else (),
        )

    @router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        try:
            stored = site.store.article(article_id)
        except StoreError:
            raise RequestError(404, f"no article {article_id!r} in the store") from None
        cited = site.digests.digest(stored.story_id, DEFAULT_WORDS).digest
        spans = _cited_spans(cited, stored.article.id)
        return _page(
            site,
            request,
            "article.html",
            stored=stored,
            article=stored.article,
            parts=_marked(stored.article.text, spans),
            cited=len(spans),
        )

    @router.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_form(request: Request) -> Response:
        return _page(site, request, "upload.html")

    @router.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request) -> Response:
        if not same_origin(request):
            raise RequestError(403, "a form posted from another site's page is refused")
        form = await request.form(max_files=_MAX_FILES, max_fields=_MAX_FILES)
        try:
            if not site.guard.csrf_valid(request, form.get(CSRF_FIELD)):
                raise RequestError(
                    403, "the form's CSRF token is missing or wrong: reload the page"
                )
            if not site.guard.authorized(request):
                raise RequestError(401, "uploading needs this server's token: log in first")
            files = [
                Upload(name=value.filename or "", data=value.file)
                for _, value in form.multi_items()
                if isinstance(value, UploadFile) and (value.filename or value.size)
            ]
            corpus = await run_in_threadpool(uploaded_corpus, files, _ingestor(site))
        finally:
            await form.close()
        report = await site.workers.ingest(corpus, command="serve")
        site.reads.wrote()
        return _page(site, request, "ingested.html", report=report, counts=report.counts())

    @router.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request) -> Response:
        return _page(site, request, "login.html")

    @router.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        if not site.guard.csrf_valid(request, form.get(CSRF_FIELD)):
            raise RequestError(403, _CSRF_REFUSED)
        given = form.get("token")
        if site.guard.token is None or not isinstance(given, str):
            return RedirectResponse("/", status_code=303)
        if not secrets.compare_digest(given.encode(), site.guard.token.encode()):
            raise RequestError(401, "that is not this server's token")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict")
        return response

    @router.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in site.static:
            raise RequestError(404, f"no file {name!r}")
        return Response(
            site.static[name],
            media_type="text/css",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    return router


def _page_reader(site: _Site) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        path = request.url.path
        if not (path.startswith("/static/") or path == "/login") and not site.guard.may_read(
            request
        ):
            raise RequestError(401, "this server is private: log in with its token")

    return check


def _page(site: _Site, request: Request, template: str, /, **values: Any) -> Response:
    """``template`` rendered with ``values``; the CSRF cookie set when the form needs one."""
    csrf = site.guard.csrf_of(request)
    fresh = csrf is None
    csrf = csrf or site.guard.new_csrf()
    html = site.pages.get_template(template).render(
        csrf=csrf,
        csrf_field=CSRF_FIELD,
        needs_token=site.guard.token is not None,
        signed_in=site.guard.token is not None and site.guard.authorized(request),
        **values,
    )
    response = HTMLResponse(html, status_code=values.get("status", 200))
    if fresh:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


def _cited_spans(digest: Digest, article_id: str) -> list[tuple[int, int]]:
    """The character spans of ``article_id`` that the digest cites anywhere (summary,
    timeline, quotes, disagreements), merged where they overlap."""
    items = [item for summary in digest.summaries for item in summary.sentences]
    items += [
        item
        for timeline in digest.timelines
        for entry in timeline.entries
        for item in entry.sentences
    ]
    cited: list[Citation | QuoteSpan] = [c for item in items for c in item.citations]
    cited += [span for quote in digest.quotes for span in quote.spans]
    cited += [c for claim in digest.disagreements for side in claim.sides for c in side.citations]
    spans = sorted(
        (c.start, c.end) for c in cited if c.article_id == article_id and c.start < c.end
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` in parts, each with whether a cited span holds it."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def _handle_errors(app: FastAPI, site: _Site) -> None:
    def answer(request: Request, status: int, reason: str, headers: dict[str, str]) -> Response:
        if request.url.path.startswith((_API + "/", "/static/")):
            response = _json({"error": reason}, status)
        else:
            response = _page(site, request, "error.html", status=status, reason=reason)
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestError)
    async def problem(request: Request, error: RequestError) -> Response:
        return answer(request, error.status, error.reason, error.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        reason = error.detail if isinstance(error.detail, str) else "bad request"
        if error.status_code == 404:
            reason = f"no such page: {request.url.path[:200]}"
        return answer(request, error.status_code, reason, dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return answer(request, 422, _validation_reason(error), {})

    @app.exception_handler(Exception)
    async def fault(_request: Request, error: Exception) -> Response:
        return _json({"error": f"internal error: {type(error).__name__}"}, 500)


def _validation_reason(error: RequestValidationError) -> str:
    """The first problem FastAPI found, as one line: where, then what."""
    for problem in error.errors():
        where = [str(part) for part in problem.get("loc", ())]
        place = f"{where[0]} parameter {where[-1]!r}" if len(where) > 1 else "the request"
        return f"{place}: {problem.get('msg', 'invalid')}"
    return "the request is not valid"
