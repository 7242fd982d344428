"""Schema version 0003: the clustering state in rows, so that an ingest's cost does not grow.

Up to 0002 ``cluster_state.state`` held the clusterer's whole state as one JSON value
(version 2: parameters, documents, clock, ``document_frequency``, ``capitalised``,
``stories``), which every ingest read and rewrote. This migration moves the terms'
counts to ``cluster_terms`` (one row per term; ``capitalised`` and ``mid_sentence`` 0
for a term never seen mid-sentence) and the stories to ``cluster_stories`` (one row per
story, keyed by the story id the store derives from its first article: ``s-`` and 12
hex digits of that id's SHA-256; ``is_open`` while it has a centroid), and leaves the
head (version, parameters, documents, clock) in ``cluster_state``. The downgrade puts
the whole JSON value back together (stories in stream order, terms by name).

The conversion is spelled out here on plain JSON data, not with the current code's
classes, so that it stays what it is when they change.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SPLIT = ("document_frequency", "capitalised", "stories")
_ROWS = 1_000  # rows per INSERT

_STATE = sa.table("cluster_state", sa.column("id", sa.Integer), sa.column("state", sa.JSON))
_TERMS = sa.table(
    "cluster_terms",
    sa.column("term", sa.Text),
    sa.column("documents", sa.Integer),
    sa.column("capitalised", sa.Integer),
    sa.column("mid_sentence", sa.Integer),
)
_STORIES = sa.table(
    "cluster_stories",
    sa.column("story_id", sa.String),
    sa.column("first_position", sa.Integer),
    sa.column("is_open", sa.Boolean),
    sa.column("first_date", sa.Date),
    sa.column("last_date", sa.Date),
    sa.column("articles", sa.JSON),
    sa.column("positions", sa.JSON),
    sa.column("centroid", sa.JSON),
    sa.column("norm2", sa.Float),
)


def upgrade() -> None:
    op.create_table(
        "cluster_terms",
        sa.Column("term", sa.Text, primary_key=True),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("capitalised", sa.Integer, nullable=False),
        sa.Column("mid_sentence", sa.Integer, nullable=False),
    )
    op.create_table(
        "cluster_stories",
        sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
        sa.Column("first_position", sa.Integer, nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("first_date", sa.Date),
        sa.Column("last_date", sa.Date),
        sa.Column("articles", sa.JSON, nullable=False),
        sa.Column("positions", sa.JSON, nullable=False),
        sa.Column("centroid", sa.JSON, nullable=False),
        sa.Column("norm2", sa.Float, nullable=False),
    )
    op.create_index("ix_cluster_stories_open", "cluster_stories", ["is_open", "first_position"])
    bind = op.get_bind()
    state = bind.execute(sa.select(_STATE.c.state).where(_STATE.c.id == 1)).scalar_one()
    if state is None:
        return
    capitalised = state["capitalised"]
    terms = [
        {
            "term": term,
            "documents": int(documents),
            "capitalised": int(capitalised[term][0]) if term in capitalised else 0,
            "mid_sentence": int(capitalised[term][1]) if term in capitalised else 0,
        }
        for term, documents in state["document_frequency"].items()
    ]
    stories = [
        {
            "story_id": _story_id(story["articles"][0]),
            "first_position": int(story["positions"][0]),
            "is_open": bool(story["centroid"]),
            "first_date": _date(story["first"]),
            "last_date": _date(story["last"]),
            "articles": story["articles"],
            "positions": story["positions"],
            "centroid": story["centroid"],
            "norm2": float(story["norm2"]),
        }
        for story in state["stories"]
    ]
    for rows, table in ((terms, _TERMS), (stories, _STORIES)):
        for chunk in _chunks(rows):
            bind.execute(table.insert(), list(chunk))
    head = {key: value for key, value in state.items() if key not in _SPLIT}
    bind.execute(_STATE.update().where(_STATE.c.id == 1).values(state=head))


def downgrade() -> None:
    bind = op.get_bind()
    head = bind.execute(sa.select(_STATE.c.state).where(_STATE.c.id == 1)).scalar_one()
    if head is not None:
        frequency: dict[str, int] = {}
        capitalised: dict[str, list[int]] = {}
        for row in bind.execute(sa.select(_TERMS).order_by(_TERMS.c.term)):
            frequency[row.term] = row.documents
            if row.mid_sentence:
                capitalised[row.term] = [row.capitalised, row.mid_sentence]
        stories = [
            {
                "articles": row.articles,
                "positions": row.positions,
                "first": None if row.first_date is None else row.first_date.isoformat(),
                "last": None if row.last_date is None else row.last_date.isoformat(),
                "centroid": row.centroid,
                "norm2": row.norm2,
            }
            for row in bind.execute(sa.select(_STORIES).order_by(_STORIES.c.first_position))
        ]
        whole = {
            **head,
            "document_frequency": frequency,
            "capitalised": capitalised,
            "stories": stories,
        }
        bind.execute(_STATE.update().where(_STATE.c.id == 1).values(state=whole))
    op.drop_index("ix_cluster_stories_open", "cluster_stories")
    op.drop_table("cluster_stories")
    op.drop_table("cluster_terms")


def _story_id(seed: str) -> str:
    return "s-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12]


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), _ROWS):
        yield rows[start : start + _ROWS]
