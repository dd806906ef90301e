"""The current outcome list without a view per outcome: the page's filters go to SQL, the rest
(text search, sorting, paging) runs over light entries read from the rows, and only the page's
25 outcomes become full views. Same answers as filtering the views, a fraction of the work."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from adapters.read_models.outcome_status import outcomes, responsibilities
from followup.outcome_views import Named, Names, OutcomeView, view_from_row
from followup.queries import OutcomeQueries


@dataclass(frozen=True)
class Due:
    due_on: date | None


@dataclass(frozen=True)
class Entry:
    """An outcome as the list filters, sorts and pages it (the attributes ``matches`` and
    ``sort_key`` read of a view)."""

    id: str
    code: str
    title: str
    summary: str
    status: str
    adopted_on: date
    roundtable: str
    meeting: Named | None
    working_group: Named | None
    deadline: Due | None
    responsible_states: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Facets:
    """What the filter form offers: the groups, meetings and roundtables outcomes name."""

    groups: list[Named]
    meetings: list[Named]
    roundtables: list[tuple[Named, str]]


ENTRY_COLUMNS = (
    outcomes.c.id,
    outcomes.c.code,
    outcomes.c.title,
    outcomes.c.summary,
    outcomes.c.status,
    outcomes.c.adopted_on,
    outcomes.c.roundtable,
    outcomes.c.meeting_id,
    outcomes.c.working_group_id,
    outcomes.c.due_on,
)


def _id_of(named: dict[str, Named], code: str) -> str | None:
    return next((n.id for n in named.values() if n.code == code), None)


def narrowed(query: Select[Any], wanted: Any, names: Names) -> Select[Any]:
    """The page filter's exact conditions in SQL (text search stays in Python: its case
    folding must match Python's for every script, which SQLite's ``lower`` does not)."""
    if wanted.status is not None:
        query = query.where(outcomes.c.status == wanted.status)
    if wanted.state is not None:
        query = query.where(
            outcomes.c.id.in_(
                select(responsibilities.c.outcome_id).where(
                    responsibilities.c.state == wanted.state
                )
            )
        )
    if wanted.working_group is not None:
        query = query.where(
            outcomes.c.working_group_id == _id_of(names.working_groups, wanted.working_group)
        )
    if wanted.meeting is not None:
        query = query.where(outcomes.c.meeting_id == _id_of(names.meetings, wanted.meeting))
    if wanted.roundtable is not None:
        meeting, _, roundtable = wanted.roundtable.rpartition(":")
        query = query.where(
            and_(
                outcomes.c.meeting_id == _id_of(names.meetings, meeting),
                outcomes.c.roundtable == roundtable,
                outcomes.c.roundtable != "",
            )
        )
    if wanted.due_from is not None:
        query = query.where(outcomes.c.due_on >= wanted.due_from)
    if wanted.due_to is not None:
        query = query.where(outcomes.c.due_on <= wanted.due_to)
    return query


class CurrentIndex:
    """Entries and views of the current portfolio, from the read models."""

    def __init__(self, queries: OutcomeQueries) -> None:
        self.queries = queries
        self.engine = queries.container.engine

    def entries(self, wanted: Any) -> list[Entry]:
        self.queries.refresh()
        with self.engine.connect() as connection:
            names = self.queries.names(connection)
            query = select(*ENTRY_COLUMNS).where(outcomes.c.forum == self.queries.forum)
            rows = list(connection.execute(narrowed(query, wanted, names)))
            states = self._states(connection, wanted)
        return [
            Entry(
                id=r.id,
                code=r.code,
                title=r.title,
                summary=r.summary,
                status=r.status,
                adopted_on=r.adopted_on,
                roundtable=r.roundtable,
                meeting=names.meetings.get(r.meeting_id) if r.meeting_id else None,
                working_group=(
                    names.working_groups.get(r.working_group_id) if r.working_group_id else None
                ),
                deadline=Due(r.due_on) if r.due_on is not None else None,
                responsible_states=states.get(r.id, []),
            )
            for r in rows
        ]

    def _states(self, connection: Connection, wanted: Any) -> dict[str, list[dict[str, str]]]:
        """Each outcome's responsible states (only the wanted one matters to the filter)."""
        found: dict[str, list[dict[str, str]]] = defaultdict(list)
        if wanted.state is None:
            return found
        query = select(responsibilities.c.outcome_id, responsibilities.c.state).where(
            responsibilities.c.state == wanted.state
        )
        for row in connection.execute(query):
            found[row.outcome_id].append({"state": row.state})
        return found

    def views(self, ids: list[str]) -> list[OutcomeView]:
        """Full views of these outcomes, in this order."""
        if not ids:
            return []
        with self.engine.connect() as connection:
            names = self.queries.names(connection)
            rows = {
                r.id: r for r in connection.execute(select(outcomes).where(outcomes.c.id.in_(ids)))
            }
            states = self.queries.responsibilities_of(connection, ids)
        return [view_from_row(rows[i], states.get(i, []), names) for i in ids if i in rows]

    def counts(self) -> dict[str, Counter[str]]:
        """``Portfolio.counts`` of today's portfolio, by GROUP BY in the read model."""
        self.queries.refresh()
        by: dict[str, Counter[str]] = {
            "status": Counter(),
            "roundtable": Counter(),
            "state": Counter(),
            "working_group": Counter(),
        }
        mine = outcomes.c.forum == self.queries.forum
        with self.engine.connect() as connection:
            names = self.queries.names(connection)
            tally = func.count()
            for status, n in connection.execute(
                select(outcomes.c.status, tally).where(mine).group_by(outcomes.c.status)
            ):
                by["status"][status] += n
            for meeting_id, roundtable, n in connection.execute(
                select(outcomes.c.meeting_id, outcomes.c.roundtable, tally)
                .where(mine, outcomes.c.roundtable != "")
                .group_by(outcomes.c.meeting_id, outcomes.c.roundtable)
            ):
                if meeting_id in names.meetings:
                    by["roundtable"][f"{names.meetings[meeting_id].code}:{roundtable}"] += n
            for state, n in connection.execute(
                select(responsibilities.c.state, tally)
                .join(outcomes, outcomes.c.id == responsibilities.c.outcome_id)
                .where(mine)
                .group_by(responsibilities.c.state)
            ):
                by["state"][state] += n
            for group_id, n in connection.execute(
                select(outcomes.c.working_group_id, tally)
                .where(mine, outcomes.c.working_group_id.is_not(None))
                .group_by(outcomes.c.working_group_id)
            ):
                if group_id in names.working_groups:
                    by["working_group"][names.working_groups[group_id].code] += n
        return by

    def facets(self) -> Facets:
        with self.engine.connect() as connection:
            names = self.queries.names(connection)
            mine = outcomes.c.forum == self.queries.forum
            groups = connection.execute(
                select(outcomes.c.working_group_id).where(mine).distinct()
            ).scalars()
            pairs = list(
                connection.execute(
                    select(outcomes.c.meeting_id, outcomes.c.roundtable)
                    .where(mine, outcomes.c.meeting_id.is_not(None))
                    .distinct()
                )
            )
        return Facets(
            groups=[names.working_groups[g] for g in groups if g in names.working_groups],
            meetings=sorted(
                {names.meetings[m] for m, _ in pairs if m in names.meetings}, key=lambda n: n.code
            ),
            roundtables=[(names.meetings[m], rt) for m, rt in pairs if m in names.meetings and rt],
        )


def facets_of(views: list[OutcomeView]) -> Facets:
    """The same choices, from views (the portfolio as of a past day)."""
    return Facets(
        groups=list({v.working_group for v in views if v.working_group is not None}),
        meetings=sorted({v.meeting for v in views if v.meeting is not None}, key=lambda n: n.code),
        roundtables=list(
            {(v.meeting, v.roundtable) for v in views if v.meeting is not None and v.roundtable}
        ),
    )
