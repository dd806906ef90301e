"""Every secretariat form: its fields, the API body it fills, the command it runs, where it goes."""

from followup.web.form_specs.forum_forms import FORUM_FORMS, GROUP_FORMS, SURVEY_FORMS
from followup.web.form_specs.outcome_forms import OUTCOME_FORMS as DECISION_FORMS
from followup.web.form_specs.plan_forms import PLAN_FORMS

OUTCOME_FORMS = {**DECISION_FORMS, **PLAN_FORMS}

__all__ = ["FORUM_FORMS", "GROUP_FORMS", "OUTCOME_FORMS", "SURVEY_FORMS"]
