"""Every page is in English, French and Spanish: no text outside the catalogues, and every
catalogue message translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from followup.web.templating import TEMPLATES, environment

ROOT = Path(__file__).parents[3]
LOCALES = ROOT / "followup" / "web" / "locales"
METHODS = [
    ("followup/**.py", "python"),
    ("followup/web/templates/**.html", "jinja2"),
]
OPTIONS = {
    "followup/web/templates/**.html": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
    }
}
ALLOWED_TEXT = {"followup"}


def extracted_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    keywords = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        METHODS,
        OPTIONS,
        keywords=keywords,  # type: ignore[arg-type]
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def visible_text(source: str) -> str:
    """The template with every jinja construct and every HTML tag taken out."""
    pieces = [
        value if kind == "data" else "\x00"
        for _, kind, value in environment.lex(source)
        if kind in {"data", "variable_begin", "block_begin"}
    ]
    text = "".join(pieces)
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"&[a-z#0-9]+;", " ", text)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.rglob("*.html")))
def test_templates_have_no_text_outside_the_catalogue(template: str) -> None:
    path = next(TEMPLATES.rglob(template))
    words = re.findall(r"[^\W\d_]{2,}", visible_text(path.read_text(encoding="utf-8")))
    assert [w for w in words if w not in ALLOWED_TEXT] == []


def test_the_catalogue_template_is_up_to_date() -> None:
    with (LOCALES / "messages.pot").open("rb") as handle:
        pot = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}
    assert extracted_messages() == pot, "run: pybabel extract (see babel.cfg), then pybabel update"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_message_is_translated(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing = [
        m.id
        for m in catalog
        if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    problems = [(m.id, error) for m in catalog for error in m.check(catalog)]
    assert (missing, fuzzy, problems) == ([], [], [])
    with (LOCALES / "messages.pot").open("rb") as handle:
        expected = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}
    translated = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    assert expected <= translated
