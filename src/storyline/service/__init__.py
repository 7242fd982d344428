"""The web app and HTTP API over the store (``storyline serve``).

Modules: ``app`` (:func:`create_app`, :func:`serve`: the API under ``/api/v1`` and the
pages), ``security`` (token, CSRF, body limit, Content-Security-Policy, the loopback
rule), ``uploads`` (posted articles and files -> a corpus, through the file ingest),
``digests`` (the digest and updates of a stored story, cached while the story stays the
same), ``reads`` (store reads kept while the store's revision stays the same),
``workers`` (ingests and digests in worker processes), ``charts`` (a story's activity
chart), ``problems`` (a request's error -> status and reason); ``templates/`` and
``static/``.
"""

from storyline.service.app import DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_WORDS, create_app, serve
from storyline.service.security import check_binding, is_loopback

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DEFAULT_WORDS",
    "check_binding",
    "create_app",
    "is_loopback",
    "serve",
]
