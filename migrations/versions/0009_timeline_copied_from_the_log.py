"""timeline copied from the log

The timeline's rows are now copied from the event store's table by the database, and its
``data`` holds each event's own fields as the store keeps them (until 0008, made plain in
Python). Its rows are emptied and its position forgotten, so the next catch-up (at the
service's start, or the next write) copies the whole log into it again in the new form.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 20:20:00
"""
from __future__ import annotations

from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def refill_timeline() -> None:
    op.execute("DELETE FROM timeline")
    op.execute("DELETE FROM projection_tracking WHERE projection = 'timeline'")


def upgrade() -> None:
    refill_timeline()


def downgrade() -> None:
    refill_timeline()  # the older version writes its own form again
