"""Secretariat forms: each declares its fields and reuses the write API's body model and the
service layer's command, so a form and the API accept and refuse exactly the same things."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from followup.commands.base import CommandError, Receipt
from followup.web.i18n import N_, gettext

Options = Callable[["FormContext"], list[tuple[str, str]]]


@dataclass(frozen=True)
class Field:
    """One input: ``label`` and ``hint`` are catalogue messages."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select
    required: bool = False
    options: Options | None = None
    hint: str = ""


@dataclass
class FormContext:
    """What a form needs to offer choices and to act: the wiring, the user, the target."""

    container: Any
    principal: Any
    target: str = ""
    choices: Any = None


@dataclass(frozen=True)
class FormSpec:
    name: str
    title: str
    fields: tuple[Field, ...]
    body: type[BaseModel]
    submit: Callable[[FormContext, Any], Receipt]
    done: Callable[[FormContext, Any, Receipt], str]
    to_body: Callable[[dict[str, str]], dict[str, Any]] = field(default=lambda form: form)
    field_of: Callable[[tuple[Any, ...]], str] = field(default=lambda loc: str(loc[0]))


FACT_FIELDS = (
    Field("occurred_on", N_("When it happened"), "date", hint=N_("Leave empty for today.")),
    Field("source", N_("Source document"), hint=N_("Where it is recorded, e.g. the minutes.")),
)


@dataclass
class Outcome:
    """The result of a submitted form: where to go, or the messages to show next to fields."""

    redirect: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    form_error: str = ""


def clean(form: dict[str, str], spec: FormSpec) -> dict[str, str]:
    """Only this form's fields; empty inputs are absent (the model's defaults apply)."""
    names = {f.name for f in (*spec.fields, *FACT_FIELDS)}
    return {k: v.strip() for k, v in form.items() if k in names and v.strip() != ""}


def handle(spec: FormSpec, context: FormContext, form: dict[str, str]) -> Outcome:
    """Validate with the API's model, then run the command; nothing is appended on error."""
    try:
        body = spec.body.model_validate(spec.to_body(clean(form, spec)))
    except ValidationError as error:
        errors: dict[str, str] = {}
        for item in error.errors():
            name = spec.field_of(tuple(item["loc"])) if item["loc"] else ""
            errors.setdefault(name or "_form", translate_error(item))
        form_error = errors.pop("_form", "")
        return Outcome(errors=errors, form_error=form_error)
    try:
        receipt = spec.submit(context, body)
    except CommandError as error:
        if error.field:
            return Outcome(errors={spec.field_of((error.field,)): error.detail})
        return Outcome(form_error=error.detail)
    return Outcome(redirect=spec.done(context, body, receipt))


MESSAGES = {
    "missing": N_("This is required."),
    "string_too_short": N_("This is required."),
    "string_pattern_mismatch": N_("This does not have the expected form."),
    "string_too_long": N_("This is too long."),
    "int_parsing": N_("Give a whole number."),
    "greater_than_equal": N_("This number is too small."),
    "less_than_equal": N_("This number is too large."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "url_parsing": N_("Give a full web address, starting with https://."),
    "url_scheme": N_("Give a full web address, starting with https://."),
}


def translate_error(item: Any) -> str:
    """A validation error in the reader's language; our own checks carry their own words."""
    kind = str(item.get("type", ""))
    if kind in MESSAGES:
        return gettext(MESSAGES[kind])
    message = str(item.get("msg", "")).removeprefix("Value error, ")
    if "YYYY-MM-DD" in message or kind.startswith(("date", "datetime")):
        return gettext("Give the day as YYYY-MM-DD, for example 2008-10-30.")
    if "deadline needs" in message:
        return gettext("This kind of deadline needs its date, meeting kind or number of months.")
    return message
