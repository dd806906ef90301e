"""Values written as an autoescaped template writes them, and a page's days as its language
writes them, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from followup.web.i18n import current_language, format_day, format_partial
from followup.web.page_text import DayTexts, escaped

AWKWARD = "Ann & <Bob> \"quoted\" 'single' %s {{ x }}"


def test_escaped_writes_what_markupsafe_writes() -> None:
    for value in (AWKWARD, "", "plain", None, 42, 0.5, Markup("<b>kept</b>"), ["<x>"]):
        assert escaped(value) == str(escape(value)), value


DAYS = (date(2008, 10, 30), date(2009, 1, 1), date(2008, 10, 30), date(2026, 12, 31))


def test_days_are_written_as_each_language_writes_them_whatever_the_page_is_in() -> None:
    for language in ("en", "fr", "es"):
        days = DayTexts.of(language)
        assert DayTexts.of(language) is days
        for reader in ("en", "fr", "es"):  # a kept text is its own language's
            token = current_language.set(reader)
            try:
                for day in DAYS:
                    for precision in ("day", "month", "year"):
                        assert days.partial(day, precision) == written(
                            language, format_partial, day, precision
                        )
                    assert days.day(day) == written(language, format_day, day)
            finally:
                current_language.reset(token)


def test_a_language_keeps_at_most_its_limit_of_days() -> None:
    class FewDays(DayTexts):
        KEPT = 2

    days = FewDays("fr")
    for day in DAYS:
        assert days.day(day) == written("fr", format_day, day)
        assert 1 <= len(days.days) <= 2


def written(language: str, form: Callable[..., str], *args: Any) -> str:
    token = current_language.set(language)
    try:
        return escaped(form(*args))
    finally:
        current_language.reset(token)
