"""gzip for the readers of saved files: a gzip's content, bounded, or a rejection.

Shared by :mod:`storyline.ingest.files` (any gzip input: pages, feeds, JSON, text) and
:mod:`storyline.ingest.html` (``read_html_file``). Crawls inflate their records as they
stream (:mod:`storyline.ingest.warc`), and never come here.
"""

from __future__ import annotations

import zlib

from storyline.model import Rejection, RejectionReason

__all__ = ["GZIP_MAGIC", "inflate"]

GZIP_MAGIC = b"\x1f\x8b"


def inflate(data: bytes, *, origin: str, max_bytes: int) -> bytes | Rejection:
    """The content of the gzip ``data`` (every member), at most ``max_bytes`` of it.

    More than ``max_bytes`` once decompressed (a gzip bomb) is ``oversized``; no gzip
    header, a stream that ends early or corrupt deflate data is ``malformed``. NUL padding
    between or after members is allowed.
    """
    if not data.startswith(GZIP_MAGIC):
        return _reject(origin, RejectionReason.MALFORMED, "not gzip data (no gzip header)")
    chunks: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            stream = zlib.decompressobj(wbits=31)
            chunk = stream.decompress(rest, max_bytes + 1 - size)
            size += len(chunk)
            chunks.append(chunk)
            if size > max_bytes:
                detail = f"more than {max_bytes} bytes once decompressed"
                return _reject(origin, RejectionReason.OVERSIZED, detail)
            if not stream.eof:
                detail = "corrupt gzip: the compressed stream ends early"
                return _reject(origin, RejectionReason.MALFORMED, detail)
            rest = stream.unused_data.lstrip(b"\x00")
    except zlib.error as error:
        return _reject(origin, RejectionReason.MALFORMED, f"corrupt gzip: {error}")
    return b"".join(chunks)


def _reject(origin: str, reason: RejectionReason, detail: str) -> Rejection:
    return Rejection(item=origin, reason=reason, detail=detail)
