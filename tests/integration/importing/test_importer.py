"""``followup import``: validate first, report every error with its line, all or nothing."""

from __future__ import annotations

import pytest

from followup.bootstrap import Container
from followup.importing.importer import Importer

SMALL = """\
format: followup/1
forum:
  code: gfmd
  name: Global Forum on Migration and Development
states:
  - {code: PH, name: Philippines}
  - {code: SE, name: Sweden}
meetings:
  - code: summit-2008-manila
    kind: summit
    title: Manila
    starts_on: 2008-10-27
    ends_on: 2008-10-30
    held: true
outcomes:
  - code: survey-rerun
    adopted_at: summit-2008-manila
    adopted_on: 2008-10-30
    title: Re-run the survey
    responsible:
      - {state: SE, role: lead}
"""


def run(container: Container, text: str) -> list[str]:
    report = Importer(container.app, "import:test").run(text)
    return [str(p) for p in report.problems]


def test_the_reference_history_imports_and_a_second_import_appends_nothing(
    container: Container, reference_text: str
) -> None:
    first = Importer(container.app, "import:test").run(reference_text)
    assert first.ok and first.events_appended > 90
    head = container.app.head_position()
    second = Importer(container.app, "import:test").run(reference_text)
    assert second.ok and second.events_appended == 0
    assert container.app.head_position() == head


def test_a_fact_added_to_the_file_is_the_only_thing_appended(container: Container) -> None:
    assert run(container, SMALL) == []
    grown = (
        SMALL + "    progress:\n      - {occurred_on: 2009-03-01, summary: questionnaire sent}\n"
    )
    report = Importer(container.app, "import:test").run(grown)
    assert report.ok and dict(report.appended) == {"Outcome.ProgressReported": 1}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("adopted_on: 2008-10-30", "adopted_on: 2008-10-32"), "line 18: outcomes[0].adopted_on"),
        (
            ("{state: SE, role: lead}", "{state: XX, role: lead}"),
            "line 21: outcomes[0].responsible[0].state: unknown state 'XX'",
        ),
        (
            ("- code: survey-rerun", "- code: summit-2008-manila\n    bogus: 1"),
            "line 17: outcomes[0].bogus: Extra inputs are not permitted",
        ),
        (
            ("starts_on: 2008-10-27", "starts_on: 2008-11-27"),
            "line 13: meetings[0].ends_on: the meeting ends before it starts",
        ),
        (
            ("adopted_at: summit-2008-manila", "adopted_at: summit-1999"),
            "line 17: outcomes[0].adopted_at: unknown meeting 'summit-1999'",
        ),
        (
            ("kind: summit", "kind: picnic"),
            "line 10: meetings[0].kind: unknown meeting kind 'picnic'",
        ),
        (
            ("adopted_on: 2008-10-30", "adopted_on: 2030-01-01"),
            "line 18: outcomes[0].adopted_on: 2030-01-01 is in the future",
        ),
        (
            ("title: Re-run the survey", "title: Re-run\n    title: twice"),
            "line 20: outcomes[0]: key 'title' appears twice",
        ),
        (("format: followup/1", "format: [unclosed"), "line 2: not valid YAML"),
    ],
    ids=[
        "wrong date",
        "unknown state",
        "unknown key",
        "meeting ends first",
        "unknown meeting",
        "unknown kind",
        "future date",
        "duplicate key",
        "broken yaml",
    ],
)
def test_bad_input_is_reported_with_its_line_and_nothing_is_appended(
    container: Container, change: tuple[str, str], expected: str
) -> None:
    problems = run(container, SMALL.replace(*change))
    assert any(p.startswith(expected) for p in problems), problems
    assert container.app.head_position() == 0


def test_a_duplicate_code_is_reported_on_its_second_use(container: Container) -> None:
    duplicate = SMALL + ("  - code: survey-rerun\n    adopted_on: 2008-10-30\n    title: again\n")
    assert "line 22: outcomes[1].code: code 'survey-rerun' is used twice" in run(
        container, duplicate
    )
    assert container.app.head_position() == 0


def test_every_error_is_reported_not_just_the_first(container: Container) -> None:
    text = SMALL.replace("{state: SE, role: lead}", "{state: XX, role: lead}").replace(
        "adopted_at: summit-2008-manila", "adopted_at: nowhere"
    )
    assert len(run(container, text)) == 2


def test_a_file_for_another_forum_is_refused(container: Container) -> None:
    assert run(container, SMALL.replace("code: gfmd", "code: other")) == [
        "line 3: forum.code: this instance serves forum 'gfmd'"
    ]


def test_a_dry_run_appends_nothing(container: Container) -> None:
    report = Importer(container.app, "import:test").run(SMALL, dry_run=True)
    assert report.ok and report.events_appended > 0
    assert container.app.head_position() == 0


def test_a_survey_can_be_given_to_a_working_group(container: Container) -> None:
    text = SMALL + (
        "working_groups:\n  - {code: wg-x, name: X, formed_on: '2009'}\n"
        "surveys:\n  - {code: s, title: S, launched_on: '2008', working_group: wg-x}\n"
    )
    assert run(container, text) == []
    from domain.survey import Survey

    survey = container.app.repository.get(Survey.create_id("gfmd", "s"))
    assert survey.working_group_id is not None
    unknown = text.replace("working_group: wg-x}", "working_group: wg-y}")
    assert any("unknown working group 'wg-y'" in p for p in run(container, unknown))


def test_a_plan_naming_an_unknown_survey_is_reported_with_its_line(container: Container) -> None:
    text = (
        SMALL + "    plan:\n      - {template: rerun_survey, survey: nowhere, every_months: 24}\n"
    )
    assert "line 23: outcomes[0].plan[0].survey: unknown survey 'nowhere'" in run(container, text)
    assert container.app.head_position() == 0
