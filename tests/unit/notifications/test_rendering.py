"""Digest templates: rendered in each language, every text in the catalogue."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from notifications.rendering import LOCALES, TEMPLATES, DigestContext, render

CONTEXT = DigestContext(
    forum_name="GFMD",
    audience_name="Morocco",
    meeting_title="Third GFMD meeting, Athens",
    meeting_place="Athens",
    meeting_date=date(2009, 11, 2),
    days_before=14,
    outcomes=[
        {
            "code": "x-1",
            "title": "Keep <coherence> on the agenda",
            "status": "overdue",
            "due_on": date(2009, 6, 30),
            "responsible": ["MA"],
        }
    ],
    public_url="https://followup.example.org",
).as_dict()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Dear focal point", "overdue", "June 30, 2009"]),
        ("fr", ["point focal", "en retard", "30 juin 2009"]),
        ("es", ["punto focal", "atrasado", "30 de junio de 2009"]),
    ],
)
def test_a_digest_in_each_language(language: str, words: list[str]) -> None:
    message = render("digest", CONTEXT, language)
    for word in words:
        assert word in message.text and word in message.html
    assert "https://followup.example.org/api/v1/outcomes/x-1/progress" in message.text
    assert "Keep &lt;coherence&gt; on the agenda" in message.html  # HTML escaped...
    assert "Keep <coherence> on the agenda" in message.text  # ...the text part is not


def test_an_unknown_language_falls_back_to_english() -> None:
    assert render("digest", CONTEXT, "de").subject.startswith("GFMD: what Morocco owes")


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.iterdir()))
def test_templates_have_no_text_outside_the_catalogue(template: str) -> None:
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    env = Environment(extensions=["jinja2.ext.i18n"])
    pieces = [
        v if k == "data" else "\x00"
        for _, k, v in env.lex(source)
        if k in {"data", "variable_begin", "block_begin"}
    ]
    text = re.sub(r"<[^>]*>", " ", "".join(pieces))
    text = re.sub(r"/[\w/.\-]*", " ", text)  # link paths are addresses, not words
    assert re.findall(r"[^\W\d_]{2,}", text) == []


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_notification_message_is_translated(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    assert [m.id for m in catalog if m.id and not m.string] == []
    assert [(m.id, e) for m in catalog for e in m.check(catalog)] == []
