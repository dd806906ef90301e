"""An outcome's fields (status, adoption, responsible states, group, deadline, progress,
evidence) as its page and its public page list them, written in Python where
``_outcome_fields.html`` was: jinja called a dozen helpers through its context and escaped each
value into a ``Markup`` on every page, ~3 % of a page's CPU. It writes, byte for byte, what the
template wrote (kept in the tests)."""

from __future__ import annotations

from markupsafe import Markup

from followup.outcome_views import OutcomeView
from followup.web.i18n import N_, format_day, format_share, gettext, ngettext
from followup.web.outcome_lines import evidence_links
from followup.web.page_text import escaped, said
from followup.web.wording import anchor_text, role_label, status_label, status_reason

#: the fields' names, in the order they are listed (outside f-strings, where pybabel finds them)
LABELS = (
    N_("Status"),
    N_("Adopted"),
    N_("Responsible states"),
    N_("Working group"),
    N_("Deadline"),
    N_("Progress"),
    N_("Evidence"),
)


def with_values(message: str, **values: object) -> str:
    """``{{ _(message, name=value) }}``: translated, made markup, the values escaped in."""
    return str(Markup(gettext(message)) % values)


def outcome_fields(outcome: OutcomeView) -> Markup:
    """The ``<dl class="fields">`` of ``outcome``, in the current language."""
    adopted = escaped(format_day(outcome.adopted_on))
    if outcome.meeting:
        adopted += ", " + escaped(outcome.meeting.title)
    if outcome.roundtable:
        adopted += ", " + with_values(N_("roundtable %(number)s"), number=outcome.roundtable)
    if outcome.session:
        adopted += ", " + with_values(N_("session %(number)s"), number=outcome.session)
    states = outcome.responsible_states
    responsible = (
        ", ".join(f"{escaped(r['state'])} ({escaped(role_label(r['role']))})" for r in states)
        if states
        else said(N_("none named"))
    )
    group = escaped(outcome.working_group.title) if outcome.working_group else said(N_("none"))
    deadline = outcome.deadline
    if deadline:
        due = escaped(format_day(deadline.due_on, "long")) if deadline.due_on else ""
        anchor = escaped(anchor_text(outcome.status_details))
        deadline_text = f'{due} <span class="muted">({anchor})</span>'
    else:
        deadline_text = said(N_("none set"))
    count = outcome.progress_reports
    progress = str(
        Markup(ngettext("%(num)s progress report", "%(num)s progress reports", count))
        % {"num": count}
    )
    if outcome.percent_complete is not None:
        progress += ", " + escaped(format_share(outcome.percent_complete))
    status = escaped(outcome.status)
    reason = escaped(status_reason(outcome.status_rule, outcome.status_details))
    rows = zip(
        LABELS,
        (
            f'<span class="status status-{status}">{escaped(status_label(outcome.status))}</span> '
            f'<span class="reason">{reason}</span>',
            adopted,
            responsible,
            group,
            deadline_text,
            progress,
            evidence_links(outcome.evidence_urls),
        ),
        strict=True,
    )
    lines = "".join(f"  <dt>{said(label)}</dt>\n  <dd>{value}</dd>\n" for label, value in rows)
    return Markup(f'<dl class="fields">\n{lines}</dl>')
