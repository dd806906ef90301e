"""Deterministic aggregate ids: the same forum and code always give the same UUID, which makes
imports idempotent and lets clients address records by their human code."""

from __future__ import annotations

from uuid import UUID, uuid5

FOLLOWUP_NAMESPACE = UUID("8a0e4c8e-63a5-4bd4-9b2c-7d1f0f6b2f4e")


def record_id(forum: str, kind: str, code: str) -> UUID:
    """The id of the record of ``kind`` (outcome, working_group, survey...) named ``code``."""
    return uuid5(FOLLOWUP_NAMESPACE, f"{forum}/{kind}/{code}")


def forum_id(forum: str) -> UUID:
    """The id of the forum aggregate itself."""
    return uuid5(FOLLOWUP_NAMESPACE, f"{forum}")


def child_id(parent: UUID, kind: str, code: str) -> UUID:
    """The id of a child (a progress report, a survey run, a meeting) named within its parent."""
    return uuid5(parent, f"{kind}/{code}")
