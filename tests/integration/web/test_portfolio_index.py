"""The current list, filtered in SQL and paged over light entries, gives exactly what filtering
every outcome's view gives, for every filter the page offers."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from followup.bootstrap import Container
from followup.queries import OutcomeQueries
from followup.web.portfolio import PageFilter, Portfolio, matches, sort_key
from followup.web.portfolio_index import CurrentIndex, facets_of


def by_views(portfolio: Portfolio, wanted: PageFilter) -> list[str]:
    """The straightforward answer: every view, filtered and sorted in Python."""
    found = [v for v in portfolio.views(None) if matches(v, wanted)]
    return [v.code for v in sorted(found, key=sort_key(wanted.sort), reverse=wanted.descending)]


def filters(portfolio: Portfolio) -> list[PageFilter]:
    views = portfolio.views(None)
    states = sorted({r["state"] for v in views for r in v.responsible_states})[:4]
    groups = sorted({v.working_group.code for v in views if v.working_group})
    meetings = sorted({v.meeting.code for v in views if v.meeting})[:3]
    roundtables = sorted(
        {f"{v.meeting.code}:{v.roundtable}" for v in views if v.meeting and v.roundtable}
    )[:3]
    dues = sorted({v.deadline.due_on for v in views if v.deadline and v.deadline.due_on})
    single = [PageFilter()]
    single += [PageFilter(due_from=d) for d in dues[:2]] + [PageFilter(due_to=d) for d in dues[:2]]
    single += [PageFilter(due_from=dues[0], due_to=dues[0])]
    single += [PageFilter(status=s) for s in sorted({v.status for v in views})]
    single += [PageFilter(state=s) for s in [*states, "ZZ"]]
    single += [PageFilter(working_group=g) for g in [*groups, "no-such-group"]]
    single += [PageFilter(meeting=m) for m in [*meetings, "no-such-meeting"]]
    single += [PageFilter(roundtable=r) for r in [*roundtables, "x:1"]]
    single += [
        PageFilter(due_from=date(2009, 1, 1)),
        PageFilter(due_to=date(2010, 12, 31)),
        PageFilter(due_from=date(2009, 1, 1), due_to=date(2011, 6, 30)),
        PageFilter(q="migration"),
        PageFilter(q="MIGRATION"),
        PageFilter(q="100%"),
        PageFilter(q="rt1"),
    ]
    combined = [
        replace(a, state=b.state)
        for a, b in itertools.product(single[:8], [PageFilter(state=s) for s in states[:2]])
    ]
    sorts = [
        PageFilter(sort=s, descending=d)
        for s, d in itertools.product(("due", "adopted", "status", "code", "title"), (False, True))
    ]
    return single + combined + sorts


@pytest.mark.parametrize("page_number", [1, 2])
def test_every_filter_gives_what_the_views_give(loaded: Container, page_number: int) -> None:
    portfolio = Portfolio(OutcomeQueries(loaded))
    checked = 0
    for wanted in filters(portfolio):
        wanted = replace(wanted, page=page_number)
        expected = by_views(portfolio, wanted)
        page = portfolio.page(wanted, None)
        assert page.total == len(expected), wanted
        start = (page.page - 1) * 25
        assert [v.code for v in page.items] == expected[start : start + 25], wanted
        assert [v.code for v in portfolio.filtered(wanted, None)] == expected, wanted
        checked += 1
    assert checked > 40


def test_a_page_shows_full_views(loaded: Container) -> None:
    portfolio = Portfolio(OutcomeQueries(loaded))
    page = portfolio.page(PageFilter(sort="code"), None)
    everything = {v.code: v for v in portfolio.views(None)}
    assert page.items and all(v == everything[v.code] for v in page.items)


def test_the_form_offers_what_the_outcomes_name(loaded: Container) -> None:
    portfolio = Portfolio(OutcomeQueries(loaded))
    today, from_views = portfolio.facets(None), facets_of(portfolio.views(None))
    assert sorted(today.groups, key=str) == sorted(from_views.groups, key=str)
    assert today.meetings == from_views.meetings
    assert sorted(today.roundtables, key=str) == sorted(from_views.roundtables, key=str)
    assert today.roundtables


def test_todays_counts_in_sql_equal_counting_the_views(loaded: Container) -> None:
    portfolio = Portfolio(OutcomeQueries(loaded))
    counted = CurrentIndex(portfolio.queries).counts()
    assert counted == portfolio.counts(portfolio.views(None))
    assert sum(counted["status"].values()) == 30
    assert counted["state"] and counted["roundtable"] and counted["working_group"]
