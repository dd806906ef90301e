"""What the reminder planner reads of today's open outcomes, straight from the read model's rows,
and where the read models stand: an answer read from them holds while that does, so it is kept
until a read model or the day moves (the scheduler plans every few minutes; most times nothing
has)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, exists, func, select

from adapters.read_models.metadata import projection_tracking
from adapters.read_models.outcome_status import outcomes, responsibilities
from domain.calendar import Calendar, Meeting
from followup.bootstrap import Container
from followup.queries import OutcomeQueries
from notifications.policy import OPEN, OwedOutcome, ReminderPolicy, upcoming_meetings

# where the read models stand, the day, and whether every status is up to date for it (if
# not — another instance is still rewriting one — nothing read then is kept)
ReadModelsOn = tuple[tuple[tuple[str, int], ...], date, bool]
# where every read model stands, each row saying whether a status's day has come by the clock's
# day (the rows ``refresh`` would rewrite): built once, asked on every plan
STANDING = select(
    projection_tracking.c.projection,
    projection_tracking.c.position,
    exists().where(outcomes.c.changes_on <= bindparam("today")).label("due"),
).order_by(projection_tracking.c.projection)
# per state, the earliest due day of its open outcomes due by the horizon (``owed_by``'s terms)
OWING = (
    select(responsibilities.c.state, func.min(outcomes.c.due_on))
    .select_from(outcomes.join(responsibilities, responsibilities.c.outcome_id == outcomes.c.id))
    .where(
        outcomes.c.forum == bindparam("forum"),
        outcomes.c.status.in_(sorted(OPEN)),
        outcomes.c.deadline_kind.is_not(None),
        outcomes.c.due_on.is_not(None),
        outcomes.c.due_on <= bindparam("horizon"),
    )
    .group_by(responsibilities.c.state)
)
LATE = select(
    exists().where(outcomes.c.forum == bindparam("forum"), outcomes.c.status == "overdue")
)
OWED_COLUMNS = (
    outcomes.c.id,
    outcomes.c.code,
    outcomes.c.title,
    outcomes.c.status,
    outcomes.c.due_on,
    outcomes.c.deadline_kind,
    outcomes.c.status_rule,
    outcomes.c.status_details,
)


def parse_day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def owed_outcome(
    outcome_id: str,
    code: str,
    title: str,
    status: str,
    due_on: date | None,
    responsible: tuple[str, ...],
    rule: str,
    details: dict[str, Any],
) -> OwedOutcome:
    """An outcome as the reminder policy reads it (from a view or straight from its row)."""
    return OwedOutcome(
        id=UUID(outcome_id),
        code=code,
        title=title,
        status=status,
        due_on=due_on,
        responsible=responsible,
        status_rule=rule,
        status_details=details,
        milestone=details.get("next_milestone"),
        milestone_due=parse_day(details.get("next_milestone_due")),
    )


class OwedToday:
    """Today's owed outcomes of one forum, from the rows, kept per read-model state and day."""

    def __init__(self, container: Container, queries: OutcomeQueries) -> None:
        self.container = container
        self.queries = queries
        self.forum = container.settings.forum
        self._kept: tuple[ReadModelsOn, list[OwedOutcome]] | None = None

    def read_models_on(self, today: date) -> ReadModelsOn:
        """Where the read models stand on ``today``, once the statuses whose day has come are
        brought up to date: what is owed and what the ledger holds stay the same while this
        does. Asked in one round trip; ``refresh`` runs only when a status's day has come."""
        found = self._standing(today)
        if not found[2]:
            self.queries.refresh()
            found = self._standing(today)
        return found

    def _standing(self, today: date) -> ReadModelsOn:
        with self.container.engine.connect() as connection:
            rows = list(connection.execute(STANDING, {"today": self.container.clock.today()}))
        state = tuple((row.projection, int(row.position)) for row in rows)
        return state, today, bool(rows) and not any(row.due for row in rows)

    def owed(self, moment: ReadModelsOn) -> list[OwedOutcome]:
        """Every open outcome (the policy reads nothing else: a closed one is owed by nobody),
        read again only when ``moment`` has moved. The list is shared: do not change it."""
        kept = self._kept
        if kept is not None and kept[0] == moment:
            return kept[1]
        with self.container.engine.connect() as connection:
            owed = self._read(connection)
        if moment[2]:
            self._kept = (moment, owed)
        return owed

    def _read(self, connection: Connection) -> list[OwedOutcome]:
        rows = list(
            connection.execute(
                select(*OWED_COLUMNS).where(
                    outcomes.c.forum == self.forum, outcomes.c.status.in_(sorted(OPEN))
                )
            )
        )
        states: dict[str, list[str]] = defaultdict(list)
        ids = [r.id for r in rows]
        for start in range(0, len(ids), 500):
            query = (
                select(responsibilities.c.outcome_id, responsibilities.c.state)
                .where(responsibilities.c.outcome_id.in_(ids[start : start + 500]))
                .order_by(responsibilities.c.state)
            )
            for found in connection.execute(query):
                states[found.outcome_id].append(found.state)
        return [
            owed_outcome(
                r.id,
                r.code,
                r.title,
                r.status,
                r.due_on if r.deadline_kind else None,
                tuple(states.get(r.id, ())),
                r.status_rule,
                dict(r.status_details),
            )
            for r in rows
        ]

    def owing(
        self, calendar: Calendar, policy: ReminderPolicy, today: date
    ) -> tuple[Callable[[Meeting], list[str]], bool]:
        """All the policy reads of today's owed outcomes, from the rows in two small queries:
        each state's earliest due day among its open outcomes (it owes a digest for every
        meeting from then on, as ``owed_by`` says) and whether any outcome is overdue."""
        meetings = upcoming_meetings(calendar, policy, today)
        if not meetings:
            return (lambda meeting: []), False
        horizon = max(m.starts_on for m in meetings)
        with self.container.engine.connect() as connection:
            found = connection.execute(OWING, {"forum": self.forum, "horizon": horizon})
            first_due = {state: due for state, due in found}
            late = bool(connection.execute(LATE, {"forum": self.forum}).scalar())
        return (
            lambda meeting: [s for s, due in first_due.items() if due <= meeting.starts_on]
        ), late
