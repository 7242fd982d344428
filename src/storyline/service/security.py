"""Security: the checks between a request and the store.

- :func:`check_binding`: a server on an address other than loopback refuses to start
  without a token (and ``--private`` needs one wherever it listens);
- :class:`Guard`: the token (``Authorization: Bearer TOKEN``, or the cookie that the login
  form sets), compared in constant time (:func:`secrets.compare_digest`); CSRF tokens for
  form posts by the signed double-submit cookie pattern (OWASP's CSRF Prevention Cheat
  Sheet: a random value signed with the server's HMAC key, in a ``SameSite=Strict`` cookie
  and in a hidden field, both required and equal); a same-origin check of the ``Origin``
  and ``Sec-Fetch-Site`` headers of every write, so that another site's page cannot post
  to the API of a server on loopback without a token;
- :class:`BodyLimit`: an ASGI middleware that answers 413, naming the limit, to a request
  whose declared or actual body is larger, before any handler reads it;
- :class:`SecurityHeaders`: an ASGI middleware that adds a strict Content-Security-Policy
  (no script at all, styles only from the server's own stylesheets, no request elsewhere)
  and the other headers that keep pages from being framed or sniffed.

No library does this set for Starlette (its ``TrustedHostMiddleware`` is used as it is for
the Host check); each check is a few lines, tested in ``tests/e2e/test_web_server.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

from storyline.errors import ConfigError

__all__ = [
    "CSP",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "LOOPBACK_HOSTS",
    "TOKEN_COOKIE",
    "BodyLimit",
    "Guard",
    "SecurityHeaders",
    "check_binding",
    "is_loopback",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
CSRF_COOKIE = "storyline-csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "storyline-token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine's loopback interface."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None, *, private: bool = False) -> None:
    """Refuse (:class:`~storyline.errors.ConfigError`) to listen on ``host`` without a token
    when it is not loopback, or to serve privately without one."""
    if token:
        return
    if private:
        raise ConfigError("--private needs a token (--token or $STORYLINE_TOKEN)")
    if not is_loopback(host):
        raise ConfigError(
            f"serving on {host}, which is not loopback, needs a token "
            "(--token or $STORYLINE_TOKEN); without one, serve on 127.0.0.1"
        )


class Guard:
    """The token and CSRF checks of one app; ``secret`` signs its CSRF tokens."""

    def __init__(self, *, token: str | None, private: bool, secret: bytes) -> None:
        self.token = token or None
        self.private = private
        self._secret = secret

    def authorized(self, request: Request) -> bool:
        """Whether ``request`` carries the token (always, when the app has none)."""
        if self.token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            given = request.cookies.get(TOKEN_COOKIE, "")
        return secrets.compare_digest(given.strip().encode(), self.token.encode())

    def may_read(self, request: Request) -> bool:
        return not self.private or self.authorized(request)

    def new_csrf(self) -> str:
        """A fresh CSRF token: a random value and its signature."""
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._sign(nonce)}"

    def csrf_of(self, request: Request) -> str | None:
        """The request's CSRF cookie when it is one this app signed, else None."""
        cookie = request.cookies.get(CSRF_COOKIE, "")
        nonce, _, signature = cookie.partition(".")
        if nonce and secrets.compare_digest(signature.encode(), self._sign(nonce).encode()):
            return cookie
        return None

    def csrf_valid(self, request: Request, field: object) -> bool:
        """Whether the form's hidden ``field`` matches the request's signed CSRF cookie."""
        cookie = self.csrf_of(request)
        return (
            cookie is not None
            and isinstance(field, str)
            and secrets.compare_digest(field.encode(), cookie.encode())
        )

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]


def same_origin(request: Request) -> bool:
    """Whether a write comes from this server's own pages or from a program (no ``Origin``),
    not from another site's page."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


class BodyLimit:
    """Answer 413 to a request whose body is over ``limit`` bytes; replay the others'."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _UNSAFE:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and not declared.isdigit():
            await _answer(send, 400, "the Content-Length header is not a number")
            return
        if declared is not None and int(declared) > self.limit:
            await self._refuse(send, declared.decode("latin-1"))
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send, f"over {self.limit}")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send, size: str) -> None:
        reason = f"the request body ({size} bytes) is over the limit of {self.limit} bytes"
        await _answer(send, 413, reason)


async def _answer(send: Send, status: int, reason: str) -> None:
    """Answer ``{"error": reason}`` with ``status`` and close the connection."""
    payload = json.dumps({"error": reason}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with
    # the app's own form posts, which the same-origin check of writes would refuse
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


class SecurityHeaders:
    """Add the Content-Security-Policy and the other protective headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _HEADERS if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
