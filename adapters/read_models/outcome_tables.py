"""The outcome-status read model's tables: one row per outcome with its current status, who is
responsible for it (the per-state view), and its plan's milestones."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Integer, String, Table, Text, false

from adapters.read_models.metadata import metadata

outcomes = Table(
    "outcomes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("forum", String(64), nullable=False),
    Column("code", String(120), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("meeting_id", String(36), index=True),
    Column("roundtable", String(32), nullable=False),
    Column("session", String(32), nullable=False),
    Column("adopted_on", Date, nullable=False),
    Column("working_group_id", String(36), index=True),
    Column("deadline_kind", String(16)),
    Column("deadline_meeting_kind", String(64)),
    Column("deadline_set_on", Date),
    Column("deadline_text", String(200)),
    Column("due_on", Date, index=True),
    Column("deadline_anchor", String(300), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("status_reason", Text, nullable=False),
    Column("status_rule", String(32), nullable=False, server_default=""),
    Column("status_details", JSON, nullable=False, server_default="{}"),
    Column("changes_on", Date, index=True),
    Column("completed_on", Date),
    Column("percent_complete", Integer),
    Column("progress_reports", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("public", Boolean, nullable=False, server_default=false()),
)

responsibilities = Table(
    "outcome_responsibilities",
    metadata,
    Column("outcome_id", String(36), primary_key=True),
    Column("state", String(16), primary_key=True, index=True),
    Column("role", String(16), nullable=False),
)

milestones = Table(
    "outcome_milestones",
    metadata,
    Column("milestone_id", String(36), primary_key=True),
    Column("outcome_id", String(36), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("working_group_id", String(36), index=True),
    Column("survey_id", String(36), index=True),
    Column("meeting_kind", String(64)),
    Column("cycle", Integer, nullable=False),
    Column("planned_position", BigInteger, nullable=False),
    Column("reached", Boolean, nullable=False),
    Column("reached_on", Date),
    Column("cause_aggregate_id", String(36), index=True),
    Column("cause_version", Integer),
    Column("cause_type", String(100)),
)
