"""Writing the outcome-status rows: an outcome's row, its responsibilities and its milestones,
for many outcomes at once (a few statements per chunk, not per outcome)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Select,
    Table,
    TextClause,
    bindparam,
    delete,
    insert,
    select,
    text,
)

from adapters.read_models.event_data import plain
from adapters.read_models.on_the_driver import DriverStatement
from adapters.read_models.outcome_tables import milestones, outcomes, responsibilities
from domain.outcome_record import OutcomeRecord
from domain.status import StatusReport


def write_rows(
    connection: Connection,
    prepared: list[tuple[OutcomeRecord, StatusReport]],
    today: date,
    planned_at: dict[str, int] | None = None,
    plan_unchanged: set[str] | frozenset[str] = frozenset(),
) -> None:
    """``write_row`` for many outcomes at once: a few statements per chunk, not per outcome.

    An outcome's milestone and responsibility rows are rewritten only where they differ from
    the stored ones: a progress report, most of what is written, changes neither, and on
    PostgreSQL each statement is a round trip. Those of the outcomes in ``plan_unchanged``
    (whose new events the caller knows change neither) are not even read."""
    for start in range(0, len(prepared), WRITE_CHUNK):
        chunk = prepared[start : start + WRITE_CHUNK]
        keys = [str(record.id) for record, _ in chunk]
        UPSERT_OUTCOMES.execute(
            connection, [row_values(record, report, today) for record, report in chunk]
        )
        changing = [(record, key) for (record, _), key in zip(chunk, keys, strict=True)]
        changing = [(record, key) for record, key in changing if key not in plan_unchanged]
        if not changing:
            continue
        keys = [key for _, key in changing]
        stored_milestones = _stored(connection, milestones, milestones.c.outcome_id, keys)
        known = {
            row["milestone_id"]: row["planned_position"]
            for rows in stored_milestones.values()
            for row in rows
        }
        known.update(planned_at or {})
        _replace_changed(
            connection,
            milestones,
            milestones.c.outcome_id,
            stored_milestones,
            {key: milestone_rows(record, known) for record, key in changing},
        )
        _replace_changed(
            connection,
            responsibilities,
            responsibilities.c.outcome_id,
            _stored(connection, responsibilities, responsibilities.c.outcome_id, keys),
            {key: responsibility_rows(record) for record, key in changing},
        )


def _stored(
    connection: Connection, table: Table, outcome_id: Column[Any], keys: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Each outcome's stored rows of ``table``."""
    found: dict[str, list[dict[str, Any]]] = {}
    query = STORED.get(table.name)
    if query is None:
        query = STORED[table.name] = select(table).where(
            outcome_id.in_(bindparam("keys", expanding=True))
        )
    for row in connection.execute(query, {"keys": keys}).mappings():
        found.setdefault(row["outcome_id"], []).append(dict(row))
    return found


def _replace_changed(
    connection: Connection,
    table: Table,
    outcome_id: Column[Any],
    stored: dict[str, list[dict[str, Any]]],
    wanted: dict[str, list[dict[str, Any]]],
) -> None:
    """Delete and insert the rows of the outcomes whose wanted rows differ from the stored."""
    changed = [key for key, rows in wanted.items() if _rowset(rows) != _rowset(stored.get(key, []))]
    if not changed:
        return
    connection.execute(delete(table).where(outcome_id.in_(changed)))
    rows = [row for key in changed for row in wanted[key]]
    if rows:
        connection.execute(insert(table), rows)


def _rowset(rows: list[dict[str, Any]]) -> set[tuple[tuple[str, Any], ...]]:
    return {tuple(sorted(row.items())) for row in rows}


WRITE_CHUNK = 400
# built once: building a statement costs more than running it (SQLAlchemy's cache key)


def _upsert() -> TextClause:
    """Each outcome's row inserted, or replaced whole where it is there: one statement (on
    PostgreSQL one round trip) instead of a delete and an insert. Spelled as text, the same on
    SQLite and PostgreSQL, with each column's type bound (dates, JSON stored as an insert
    stores them): the dialects' ``on_conflict_do_update`` has no cache key, and compiling it
    on every write cost more than the delete it saves."""
    names = [column.name for column in outcomes.columns]
    updates = ", ".join(f'"{name}" = excluded."{name}"' for name in names if name != "id")
    return text(
        f"INSERT INTO outcomes ({', '.join(f'{chr(34)}{name}{chr(34)}' for name in names)}) "
        f"VALUES ({', '.join(':' + name for name in names)}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    ).bindparams(*(bindparam(column.name, type_=column.type) for column in outcomes.columns))


#: run by psycopg itself on PostgreSQL (``adapters.read_models.on_the_driver``)
UPSERT_OUTCOMES = DriverStatement(_upsert())
STORED: dict[str, Select[Any]] = {}


def milestone_rows(record: OutcomeRecord, known: dict[str, int]) -> list[dict[str, Any]]:
    key = str(record.id)
    return [
        {
            "milestone_id": str(m.id),
            "outcome_id": key,
            "kind": str(m.kind),
            "title": m.title,
            "working_group_id": str(m.working_group_id) if m.working_group_id else None,
            "survey_id": str(m.survey_id) if m.survey_id else None,
            "meeting_kind": m.meeting_kind,
            "cycle": m.cycle,
            "planned_position": known.get(str(m.id), 0),
            "reached": m.reached,
            "reached_on": m.reached_by.occurred_on if m.reached_by else None,
            "cause_aggregate_id": str(m.reached_by.aggregate_id) if m.reached_by else None,
            "cause_version": m.reached_by.version if m.reached_by else None,
            "cause_type": m.reached_by.event_type if m.reached_by else None,
        }
        for m in record.milestones.values()
    ]


def responsibility_rows(record: OutcomeRecord) -> list[dict[str, str]]:
    return [
        {"outcome_id": str(record.id), "state": state, "role": str(role)}
        for state, role in sorted(record.responsible.items())
    ]


def write_row(
    connection: Connection,
    record: OutcomeRecord,
    report: StatusReport,
    today: date,
    planned_at: dict[str, int] | None = None,
) -> None:
    """Replace the outcome's row, responsibilities and milestones with what the record says.

    A milestone row keeps the log position of its planning: the workflow policy only lets a
    fact fulfil milestones planned before it in the log.
    """
    write_rows(connection, [(record, report)], today, planned_at)


def row_values(record: OutcomeRecord, report: StatusReport, today: date) -> dict[str, Any]:
    deadline = record.deadline
    return {
        "id": str(record.id),
        "forum": record.forum,
        "code": record.code,
        "title": record.title,
        "summary": record.summary,
        "meeting_id": str(record.meeting_id) if record.meeting_id else None,
        "roundtable": record.roundtable,
        "session": record.session,
        "adopted_on": record.adopted_on,
        "working_group_id": str(record.working_group_id) if record.working_group_id else None,
        "deadline_kind": str(deadline.kind) if deadline else None,
        "deadline_meeting_kind": deadline.meeting_kind if deadline else None,
        "deadline_set_on": deadline.set_on if deadline else None,
        "deadline_text": deadline.describe() if deadline else None,
        "due_on": report.due_on,
        "deadline_anchor": report.deadline_anchor,
        "status": str(report.status),
        "status_reason": report.reason,
        "status_rule": report.rule,
        "status_details": plain(report.details),
        "changes_on": report.changes_on,
        "completed_on": record.last_completed_on,
        "percent_complete": record.latest_percent,
        "progress_reports": len(record.live_reports),
        "version": record.version,
        "public": record.public,
    }
