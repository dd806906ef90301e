"""Text as a page writes it: escaped as jinja's autoescape would, in the reader's language, each
day formatted once.

The outcome page writes its long lists in Python (see ``outcome_lines``, ``outcome_timeline``):
these are the pieces jinja would have given each value, without its cost per value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

try:  # the escaping markupsafe.escape applies to a text: in C where built, as markupsafe picks it
    from markupsafe._speedups import _escape_inner as escape_text
except ImportError:  # pragma: no cover
    from markupsafe._native import _escape_inner as escape_text

from followup.web.i18n import current_language, format_day, format_partial, text_in


def escaped(value: Any) -> str:
    """What ``{{ value }}`` writes in an autoescaped template: ``markupsafe.escape`` without
    the ``Markup`` it builds (the same escaping of a text, markupsafe's own)."""
    if type(value) is str:
        return escape_text(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape_text(str(value))


def said(message: str) -> str:
    """``{{ _(message) }}``: a text without variables, in the reader's language."""
    return escaped(text_in(current_language.get(), message))


class DayTexts:
    """Days as one language writes them, escaped, each worked out once for the life of the
    process: a heavy outcome page shows ~400 dates, most of them distinct days (a report a
    month for fifteen years), and babel's formatting, even behind its cache, is a chain of calls
    per date (a month's is not cached at all). What a day reads as depends only on the
    language, so nothing kept goes stale; each language keeps at most ``KEPT`` days."""

    KEPT = 20_000
    __slots__ = ("days", "language", "partial_days")
    _languages: ClassVar[dict[str, DayTexts]] = {}

    def __init__(self, language: str) -> None:
        self.language = language
        self.partial_days: dict[tuple[date, str], str] = {}
        self.days: dict[date, str] = {}

    @classmethod
    def of(cls, language: str) -> DayTexts:
        """The one kept for ``language``."""
        found = cls._languages.get(language)
        if found is None:
            found = cls._languages.setdefault(language, cls(language))
        return found

    def partial(self, day: date, precision: str) -> str:
        """``escaped(format_partial(day, precision))``: a year or a month where that is all the
        fact says."""
        key = (day, precision)
        text = self.partial_days.get(key)
        if text is None:
            text = self._keep(self.partial_days, key, format_partial, day, precision)
        return text

    def day(self, day: date) -> str:
        """``escaped(format_day(day))``."""
        text = self.days.get(day)
        if text is None:
            text = self._keep(self.days, day, format_day, day)
        return text

    def _keep(self, kept: dict[Any, str], key: Any, form: Callable[..., str], *args: Any) -> str:
        token = current_language.set(self.language)
        try:
            text = escaped(form(*args))
        finally:
            current_language.reset(token)
        if len(kept) >= self.KEPT:
            kept.clear()
        kept[key] = text
        return text
