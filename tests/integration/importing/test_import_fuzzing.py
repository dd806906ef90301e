"""The import parser under fuzzing (hypothesis): whatever the text, a clear report or a clean
import — never a crash, and never anything appended when there is a problem."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.clock import FixedClock
from followup.bootstrap import Container, bootstrap
from followup.importing.importer import Importer
from followup.settings import Settings
from tests.integration.importing.test_importer import SMALL

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Container:
    return bootstrap(
        Settings(data_dir=tmp_path_factory.mktemp("fuzz")),
        clock=FixedClock(datetime(2026, 11, 22, tzinfo=UTC)),
    )


def check(store: Container, text: str) -> None:
    before = store.app.head_position()
    report = Importer(store.app, "import:fuzz").run(text)
    if report.problems:
        assert store.app.head_position() == before
        assert all(problem.line >= 1 and problem.message for problem in report.problems)


@FUZZ
@given(st.text(max_size=400))
def test_any_text_gets_a_report_not_a_crash(store: Container, text: str) -> None:
    check(store, text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The small valid file with characters deleted, repeated or replaced here and there."""
    text = list(SMALL)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "replace"]))
        if action == "delete":
            del text[at]
        elif action == "repeat":
            text.insert(at, text[at])
        else:
            text[at] = draw(st.sampled_from(list(":-{}[]'\"#&*!|>%@`\t\n 0123456789aZé\x00")))
    return "".join(text)


@FUZZ
@given(mutated())
def test_a_damaged_file_gets_a_report_not_a_crash(store: Container, text: str) -> None:
    check(store, text)


def test_the_fixture_file_itself_imports(tmp_path: Path) -> None:
    container = bootstrap(Settings(data_dir=tmp_path))
    try:
        assert Importer(container.app, "import:fuzz").run(SMALL).ok
    finally:
        container.close()


def test_absurd_nesting_is_a_report_not_a_crash(store: Container) -> None:
    report = Importer(store.app, "import:fuzz").run("[" * 100_000 + "]" * 100_000)
    assert [str(p) for p in report.problems] == [
        "line 1: not valid here: the YAML nests far too deep"
    ]
