"""Languages of the pages: Babel catalogues (``locales/*/LC_MESSAGES/messages.po``), chosen per
request, with dates and numbers in the reader's language.

Catalogues are compiled in memory from the ``.po`` files, so nothing generated is committed.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from markupsafe import Markup

LANGUAGES = ("en", "fr", "es")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
LOCALES = Path(__file__).parent / "locales"

current_language: ContextVar[str] = ContextVar("current_language", default="en")


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    po = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).ugettext(message)


@lru_cache(maxsize=4096)
def text_in(language: str, message: str) -> Markup:
    """A message without variables as a page shows it: translated, markup, %-formatted (so
    ``%%`` reads ``%``, as jinja's newstyle gettext makes every message)."""
    return Markup(translations(language).ugettext(message)) % {}


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language.get()).ungettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (the conventional marker name)
    """Mark a message for extraction; translated where it is shown."""
    return message


def choose_language(
    query: str | None,
    cookie: str | None,
    accept: str | None,
    offered: tuple[str, ...] = LANGUAGES,
) -> str:
    """``?lang=`` first, then the language cookie, then the browser's preference, then the
    forum's first language; only among the languages the forum ``offered``."""
    for candidate in (query, cookie):
        if candidate in offered:
            return str(candidate)
    if accept:
        wanted = [part.split(";")[0].strip().replace("-", "_") for part in accept.split(",")]
        found = negotiate_locale(wanted, list(offered), sep="_")
        if found:
            return found.split("_")[0]
    return offered[0]


@lru_cache(maxsize=8)
def _parsed(language: str) -> Locale:
    return Locale.parse(language)


def locale() -> Locale:
    return _parsed(current_language.get())


@lru_cache(maxsize=8192)
def _day_in(language: str, day: date, style: str) -> str:
    """Babel's formatting is costly and a chart repeats its days: each is formatted once."""
    return str(format_date(day, format=style, locale=_parsed(language)))


def format_day(value: date | str | None, style: str = "medium") -> str:
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return _day_in(current_language.get(), day, style)


def format_partial(value: date | str | None, precision: str = "day") -> str:
    """A year-precise fact shows as its year, a month-precise one as month and year."""
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return str(format_skeleton("yMMMM", day, locale=locale()))
    return format_day(day)


@lru_cache(maxsize=8192)
def _number_in(language: str, value: float | int) -> str:
    return str(format_decimal(value, locale=_parsed(language)))


def format_number(value: float | int | None) -> str:
    return "" if value is None else _number_in(current_language.get(), value)


@lru_cache(maxsize=1024)
def _share_in(language: str, value: float) -> str:
    return str(format_percent(value / 100, locale=_parsed(language)))


def format_share(value: float | None) -> str:
    """A percentage given as 0..100."""
    return "" if value is None else _share_in(current_language.get(), value)


def template_globals() -> dict[str, Any]:
    return {
        "format_day": format_day,
        "format_partial": format_partial,
        "format_number": format_number,
        "format_share": format_share,
        "LANGUAGES": LANGUAGES,
        "LANGUAGE_NAMES": LANGUAGE_NAMES,
    }
