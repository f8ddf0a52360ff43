"""The surveys component's share of a user's GDPR export (``exports.py`` exports the answers).

A respondent gets that they answered a consultation, never what: the answer is stored
without any link to the account, by design, and no export may rebuild one. Data entry
staff get their memberships, the print runs and batches they created and the paper forms
they keyed, by serial number and without the keyed content, which is a respondent's
anonymous answer.
"""

from civitas.components.surveys.models import Batch, Keying, PrintRun, Survey, SurveyParticipation, ThemeEdit
from civitas.core.gdpr import iso, register_export


def _survey(survey) -> dict:
    component = survey.component
    return {
        "space": component.space.title,
        "consultation": component.name,
        "url": component.get_absolute_url(),
    }


@register_export("consultations_answered", covers=[(SurveyParticipation, "user")])
def export_participations(user) -> list[dict]:
    participations = SurveyParticipation.objects.filter(user=user).select_related("survey__component__space")
    # No date: the participation row has none, so that it cannot be paired with the answer's day.
    return [{**_survey(participation.survey), "answered": True} for participation in participations]


@register_export("consultation_data_entry", covers=[(Survey, "data_entry_staff")])
def export_data_entry_staff(user) -> list[dict]:
    surveys = Survey.objects.filter(data_entry_staff=user).select_related("component__space").order_by("pk")
    return [_survey(survey) for survey in surveys]


@register_export("consultation_print_runs", covers=[(PrintRun, "created_by")])
def export_print_runs(user) -> list[dict]:
    runs = PrintRun.objects.filter(created_by=user).select_related("survey__component__space")
    return [
        {
            **_survey(run.survey),
            "first_serial": run.first,
            "last_serial": run.first + run.count - 1,
            "forms": run.count,
            "created_at": iso(run.created_at),
        }
        for run in runs.order_by("created_at", "pk")
    ]


@register_export("consultation_batches", covers=[(Batch, "created_by")])
def export_batches(user) -> list[dict]:
    batches = Batch.objects.filter(created_by=user).select_related("survey__component__space")
    return [
        {
            **_survey(batch.survey),
            "batch": batch.label,
            "channel": batch.get_channel_display(),
            "created_at": iso(batch.created_at),
            "counted_at": iso(batch.counted_at),
            "answers_counted": batch.counted_answers,
        }
        for batch in batches.order_by("created_at", "pk")
    ]


@register_export("consultation_forms_keyed", covers=[(Keying, "keyed_by")])
def export_keyings(user) -> list[dict]:
    keyings = Keying.objects.filter(keyed_by=user).select_related("batch__survey__component__space")
    return [
        {
            **_survey(keying.batch.survey),
            "batch": keying.batch.label,
            "serial": keying.serial,
            "keyed_at": iso(keying.created_at),
            "last_changed_at": iso(keying.updated_at),
        }
        for keying in keyings.order_by("created_at", "pk")
    ]


@register_export("consultation_theme_edits", covers=[(ThemeEdit, "created_by")])
def export_theme_edits(user) -> list[dict]:
    """The themes an admin named, merged or split in the analysis of written answers."""
    edits = ThemeEdit.objects.filter(created_by=user).select_related("survey__component__space")
    return [
        {
            **_survey(edit.survey),
            "edit": edit.get_kind_display(),
            "question": edit.question_key,
            "theme": edit.theme,
            "other_theme": edit.other,
            "name": edit.name,
            "created_at": iso(edit.created_at),
        }
        for edit in edits.order_by("created_at", "pk")
    ]
