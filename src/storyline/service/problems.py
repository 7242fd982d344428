"""Problems: what a request did wrong (or may not do) -> an HTTP status and one clear line.

A :class:`RequestError` raised anywhere in a request's handling becomes the response
``{"error": reason}`` with its status under ``/api/v1``, and the error page with that
status elsewhere (:mod:`storyline.service.app` installs the handlers). Bad input is always a
problem with a 4xx status, never an unhandled exception.
"""

from __future__ import annotations

__all__ = ["RequestError"]


class RequestError(Exception):
    """A request that cannot be served: ``status`` (4xx) and ``reason`` (one line)."""

    def __init__(self, status: int, reason: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}
