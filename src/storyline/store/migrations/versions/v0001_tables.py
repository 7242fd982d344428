"""Schema version 0001: runs, articles, rejections, stories, membership, clustering state, digests.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("started", _TIME, nullable=False),
        sa.Column("finished", _TIME),
        sa.Column("counts", sa.JSON),
    )
    op.create_table(
        "articles",
        sa.Column("key", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("url_key", sa.Text, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("partial", sa.Boolean, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested", _TIME, nullable=False),
        sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "rejections",
        sa.Column("key", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("rejected", _TIME, nullable=False),
        sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    )
    op.create_index("ix_rejections_run", "rejections", ["run"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "seed_article", sa.Text, sa.ForeignKey("articles.id"), nullable=False, unique=True
        ),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("merged_into", sa.String(32), sa.ForeignKey("stories.id")),
    )
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), nullable=False),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])
    state = op.create_table(
        "cluster_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.JSON),
        sa.Column("updated", _TIME),
    )
    op.bulk_insert(state, [{"id": 1, "state": None, "updated": None}])
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("delivered", _TIME, nullable=False),
        sa.Column("budget_unit", sa.String(16), nullable=False),
        sa.Column("budget_limit", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("run", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    )
    op.create_index("ix_digests_story_id", "digests", ["story_id"])


def downgrade() -> None:
    for table in (
        "digests",
        "cluster_state",
        "story_articles",
        "stories",
        "rejections",
        "articles",
        "runs",
    ):
        op.drop_table(table)
