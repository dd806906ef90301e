"""Reminder digests as their recipients read them: jinja2 templates, plain text and HTML, in the
focal point's language (its own Babel catalogue, ``notifications/locales``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent / "templates"
LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "fr", "es")


def N_(message: str) -> str:  # noqa: N802 (the conventional marker name)
    return message


STATUS = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "due_soon": N_("due soon"),
    "overdue": N_("overdue"),
}


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


def _environment(language: str, html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["day"] = lambda value: format_date(value, format="long", locale=language)
    env.globals["status"] = lambda code: translations(language).ugettext(STATUS.get(code) or code)
    return env


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def render(name: str, context: dict[str, Any], language: str) -> RenderedMessage:
    """``name``.txt and ``name``.html in ``language``, and the subject the templates set."""
    language = language if language in LANGUAGES else "en"
    text_env, html_env = _environment(language, False), _environment(language, True)
    subject = text_env.get_template(f"{name}.subject.txt").render(context).strip()
    return RenderedMessage(
        subject=subject,
        text=text_env.get_template(f"{name}.txt").render(context),
        html=html_env.get_template(f"{name}.html").render(context),
    )


@dataclass(frozen=True)
class DigestContext:
    """Everything a digest shows: never looked up while rendering."""

    forum_name: str
    audience_name: str
    meeting_title: str
    meeting_place: str
    meeting_date: date
    days_before: int
    outcomes: list[dict[str, Any]]
    public_url: str

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))
