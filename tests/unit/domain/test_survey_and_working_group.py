from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DuplicateCodeError, InvalidValueError
from domain.survey import Figure, Survey
from domain.working_group import MemberRole, WorkingGroup
from tests.factories import fact


def test_a_survey_keeps_each_run_with_its_figures() -> None:
    survey = Survey.launch(
        "gfmd", "coherence", "Coherence questionnaire", fact(date(2007, 1, 1)), "SE"
    )
    survey.close_run("2007", 45, [Figure("plan", "national plan", 9, 45)], fact(date(2007, 7, 1)))
    survey.close_run("2008", 53, [Figure("plan", "national plan", 26, 53)], fact(date(2008, 9, 1)))
    runs = sorted(survey.runs.values(), key=lambda r: r.closed_on)
    assert [r.responses for r in runs] == [45, 53]
    assert [r.figures[0].share for r in runs] == [20.0, 49.1]
    with pytest.raises(DuplicateCodeError):
        survey.close_run("2008", 53, [], fact(date(2008, 9, 2)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"numerator": 60, "denominator": 53},
        {"numerator": 5},
        {},
        {"percent": 140.0},
        {"numerator": 1, "denominator": 0},
    ],
)
def test_a_figure_must_make_sense(kwargs: dict[str, float]) -> None:
    with pytest.raises(InvalidValueError):
        Figure("f", "label", **kwargs)  # type: ignore[arg-type]


def test_working_group_members_and_co_chairs() -> None:
    group = WorkingGroup.form(
        "gfmd", "wg-pcdr", "Policy Coherence, Data and Research", fact(date(2009, 1, 1))
    )
    group.admit_member("MA", MemberRole.CO_CHAIR, fact(date(2009, 1, 1)))
    group.admit_member("CH", MemberRole.MEMBER, fact(date(2009, 1, 1)))
    group.change_member_role("CH", MemberRole.CO_CHAIR, fact(date(2011, 1, 1)))
    assert group.co_chairs == ["CH", "MA"]
    group.remove_member("CH", fact(date(2012, 1, 1)))
    assert group.co_chairs == ["MA"]
    with pytest.raises(DuplicateCodeError):
        group.admit_member("MA", MemberRole.MEMBER, fact(date(2012, 1, 1)))
