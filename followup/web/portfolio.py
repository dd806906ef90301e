"""What the pages ask of the portfolio: filtered lists, counts, the status over time, briefings.

Lists are built from the same views the API returns (current from the read models, past from
the events), then filtered, searched, sorted and paged here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from sqlalchemy import select

from adapters.read_models.event_data import stored_fields
from adapters.read_models.forum_calendar import states
from adapters.read_models.outcome_status import outcomes
from adapters.read_models.timeline import timeline
from domain.calendar import Meeting, MeetingStatus
from domain.forum import calendar_as_of
from domain.outcome_history import fold_outcome
from domain.status import Status, status_of_record
from followup.outcome_views import OutcomeView
from followup.queries import OutcomeFilter, OutcomeQueries
from followup.web.portfolio_index import CurrentIndex, Entry, Facets, facets_of

STATUS_ORDER = [s.value for s in Status]
SORTS = ("due", "adopted", "status", "code", "title")
PER_PAGE = 25


@dataclass(frozen=True)
class PageFilter:
    status: str | None = None
    state: str | None = None
    working_group: str | None = None
    meeting: str | None = None
    roundtable: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    q: str | None = None
    sort: str = "due"
    descending: bool = False
    page: int = 1


def roundtable_key(view: OutcomeView | Entry) -> str | None:
    if view.meeting is None or not view.roundtable:
        return None
    return f"{view.meeting.code}:{view.roundtable}"


def matches(view: OutcomeView | Entry, wanted: PageFilter) -> bool:
    due = view.deadline.due_on if view.deadline else None
    text = (wanted.q or "").strip().lower()
    checks = [
        wanted.status is None or view.status == wanted.status,
        wanted.state is None or wanted.state in {r["state"] for r in view.responsible_states},
        wanted.working_group is None
        or (view.working_group is not None and view.working_group.code == wanted.working_group),
        wanted.meeting is None
        or (view.meeting is not None and view.meeting.code == wanted.meeting),
        wanted.roundtable is None or roundtable_key(view) == wanted.roundtable,
        wanted.due_from is None or (due is not None and due >= wanted.due_from),
        wanted.due_to is None or (due is not None and due <= wanted.due_to),
        not text or text in f"{view.code} {view.title} {view.summary}".lower(),
    ]
    return all(checks)


def sort_key(sort: str) -> Any:
    far = date.max
    keys = {
        "due": lambda v: (v.deadline.due_on if v.deadline and v.deadline.due_on else far, v.code),
        "adopted": lambda v: (v.adopted_on, v.code),
        "status": lambda v: (STATUS_ORDER.index(v.status), v.code),
        "code": lambda v: v.code,
        "title": lambda v: v.title.lower(),
    }
    return keys.get(sort, keys["due"])


@dataclass
class Page:
    items: list[OutcomeView]
    total: int
    page: int
    pages: int


@dataclass
class Briefing:
    on: date
    meeting: Meeting | None
    by_state: list[tuple[str, str, list[OutcomeView]]] = field(default_factory=list)
    without_state: list[OutcomeView] = field(default_factory=list)
    overdue: list[OutcomeView] = field(default_factory=list)
    previous: Meeting | None = None
    changes: list[Any] = field(default_factory=list)
    log_position: int = 0


class Portfolio:
    def __init__(self, queries: OutcomeQueries) -> None:
        self.queries = queries
        self.container = queries.container

    def views(self, on: date | None) -> list[OutcomeView]:
        everything = OutcomeFilter()
        if on is None:
            return self.queries.list_current(everything, limit=10**9)[0]
        return self.queries.list_as_of(everything, on, limit=10**9)[0]

    def filtered(self, wanted: PageFilter, on: date | None) -> list[OutcomeView]:
        if on is None:
            index = CurrentIndex(self.queries)
            return index.views([e.id for e in self._current(index, wanted)])
        found = [v for v in self.views(on) if matches(v, wanted)]
        return sorted(found, key=sort_key(wanted.sort), reverse=wanted.descending)

    @staticmethod
    def _current(index: CurrentIndex, wanted: PageFilter) -> list[Entry]:
        """The current outcomes the filter keeps, in its order, as light entries."""
        found = [e for e in index.entries(wanted) if matches(e, wanted)]
        return sorted(found, key=sort_key(wanted.sort), reverse=wanted.descending)

    def page(self, wanted: PageFilter, on: date | None) -> Page:
        """One page of the list; today's builds views only for the page's outcomes."""
        index = CurrentIndex(self.queries)
        found: list[Any] = self._current(index, wanted) if on is None else self.filtered(wanted, on)
        pages = max(1, -(-len(found) // PER_PAGE))
        number = min(max(1, wanted.page), pages)
        start = (number - 1) * PER_PAGE
        shown = found[start : start + PER_PAGE]
        items = index.views([e.id for e in shown]) if on is None else shown
        return Page(items, len(found), number, pages)

    def facets(self, on: date | None) -> Facets:
        """The filter form's choices: from the read model today, from the views as of a day."""
        if on is None:
            return CurrentIndex(self.queries).facets()
        return facets_of(self.views(on))

    def state_names(self) -> dict[str, str]:
        with self.container.engine.connect() as connection:
            rows = connection.execute(
                select(states.c.code, states.c.name).where(states.c.forum == self.queries.forum)
            )
            return {row.code: row.name for row in rows}

    @staticmethod
    def counts(views: list[OutcomeView]) -> dict[str, Counter[str]]:
        by: dict[str, Counter[str]] = {
            "status": Counter(),
            "roundtable": Counter(),
            "state": Counter(),
            "working_group": Counter(),
        }
        for view in views:
            by["status"][view.status] += 1
            key = roundtable_key(view)
            if key:
                by["roundtable"][key] += 1
            for responsible in view.responsible_states:
                by["state"][responsible["state"]] += 1
            if view.working_group is not None:
                by["working_group"][view.working_group.code] += 1
        return by

    def status_over_time(self, until: date) -> list[tuple[date, Counter[str]]]:
        """The portfolio's statuses at the end of each quarter up to ``until`` (from events)."""
        app = self.container.app
        with self.container.engine.connect() as connection:
            ids = list(connection.execute(select(outcomes.c.id, outcomes.c.adopted_on)))
        if not ids:
            return []
        histories = {UUID(i): app.events_of(UUID(i)) for i, _ in ids}
        forum_events = app.events_of(app.forum_id)
        points = quarter_ends(min(d for _, d in ids), until)
        series = []
        for day in points:
            calendar = calendar_as_of(forum_events, day)
            tally: Counter[str] = Counter()
            for events in histories.values():
                record = fold_outcome(events, day)
                if record is not None:
                    report = status_of_record(
                        record, calendar, day, self.container.settings.due_soon_days
                    )
                    tally[report.status.value] += 1
            series.append((day, tally))
        return series

    def briefing(self, on: date) -> Briefing:
        meeting, due = self.queries.next_meeting(on)
        briefing = Briefing(on, meeting, log_position=self.container.app.head_position())
        if meeting is None:
            return briefing
        names = self.state_names()
        grouped: dict[str, list[OutcomeView]] = {}
        for view in due:
            if not view.responsible_states:
                briefing.without_state.append(view)
            for responsible in view.responsible_states:
                grouped.setdefault(responsible["state"], []).append(view)
        briefing.by_state = [
            (code, names.get(code, code), grouped[code]) for code in sorted(grouped)
        ]
        briefing.overdue = [v for v in due if v.status == Status.OVERDUE]
        calendar = self.queries.calendar(on)
        earlier = [
            m
            for m in calendar.meetings
            if m.kind == meeting.kind
            and m.starts_on < meeting.starts_on
            and m.status != MeetingStatus.CANCELLED
        ]
        briefing.previous = earlier[-1] if earlier else None
        since = briefing.previous.ends_on if briefing.previous else date.min
        briefing.changes = self.changes_between(since, on)
        return briefing

    def changes_between(self, after: date, until: date) -> list[Any]:
        """What happened to outcomes after ``after`` up to ``until``, with the outcome's code
        (each row's ``data`` as plain data: the timeline keeps it as the store does)."""
        with self.container.engine.connect() as connection:
            rows = connection.execute(
                select(timeline, outcomes.c.code, outcomes.c.title)
                .join(outcomes, outcomes.c.id == timeline.c.aggregate_id)
                .where(timeline.c.occurred_on > after, timeline.c.occurred_on <= until)
                .order_by(timeline.c.occurred_on, timeline.c.position)
            ).all()
        mapper = self.container.app.mapper
        return [
            SimpleNamespace(**{**row._asdict(), "data": stored_fields(mapper, row)}) for row in rows
        ]


def quarter_ends(start: date, until: date) -> list[date]:
    """The last day of each quarter from ``start``'s to the one before ``until``, then ``until``."""
    points = []
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        if end >= until:
            break
        points.append(end)
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
    points.append(until)
    return points
