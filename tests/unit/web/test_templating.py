from __future__ import annotations

from jinja2 import Environment, StrictUndefined, select_autoescape

from followup.web.i18n import current_language, gettext, ngettext
from followup.web.templating import environment

TEMPLATE = (
    '{{ _("Outcomes") }}|{{ _("evidence") }}|{{ _("100%% <sure>") }}|'
    '{{ _("retracted on %(day)s", day="<b>") }}|{{ gettext("Timeline") }}|'
    '{{ ngettext("%(num)s outcome matches.", "%(num)s outcomes match.", 2) }}'
)


def stock_environment() -> Environment:
    """jinja's own newstyle gettext, as the pages had it."""
    stock = Environment(
        autoescape=select_autoescape(default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
    )
    stock.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return stock


def rendered(env: Environment, language: str) -> str:
    token = current_language.set(language)
    try:
        return env.from_string(TEMPLATE).render()
    finally:
        current_language.reset(token)


def test_the_pages_gettext_says_what_jinjas_newstyle_gettext_says_in_every_language() -> None:
    stock = stock_environment()
    for language in ("en", "fr", "es", "en", "fr"):  # asked again: no language kept for another
        assert rendered(environment, language) == rendered(stock, language), language


def test_a_message_without_variables_follows_the_readers_language_each_time() -> None:
    template = environment.from_string('{{ _("Outcomes") }}')
    said = []
    for language in ("en", "fr", "en", "es"):
        token = current_language.set(language)
        try:
            said.append(template.render())
        finally:
            current_language.reset(token)
    assert said == ["Outcomes", "Résultats", "Outcomes", "Resultados"]
