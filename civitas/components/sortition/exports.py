"""The sortition component's share of a user's GDPR export, and what account deletion erases."""

from django.db import transaction
from django.utils import timezone

from civitas.core.gdpr import register_export


def _iso(value) -> str:
    return value.isoformat() if value else ""


@register_export("sortition_registrations", covers=[("sortition.Volunteer", "user")])
def export_registrations(user) -> list[dict]:
    from civitas.components.sortition.models import Volunteer
    from civitas.components.sortition.pool import answer_labels, features_with_values

    rows = []
    volunteers = (
        Volunteer.objects.filter(user=user).select_related("panel__component").order_by("created_at", "pk")
    )
    for volunteer in volunteers:
        panel = volunteer.panel
        answers = answer_labels(features_with_values(panel), volunteer.answers)
        rows.append(
            {
                "panel": panel.component.name,
                "code": volunteer.code,
                "name": volunteer.name,
                "email": volunteer.email,
                "phone": volunteer.phone,
                "answers": "; ".join(f"{feature}: {value}" for feature, value in answers.items()),
                "consent_at": _iso(volunteer.consent_at),
                "withdrawn_at": _iso(volunteer.withdrawn_at),
                "selected": volunteer.code in panel.selected_codes,
                "alternate": volunteer.code in panel.alternate_codes,
            }
        )
    return rows


@register_export("sortition_forms_keyed", covers=[("sortition.PaperKeying", "keyed_by")])
def export_keyings(user) -> list[dict]:
    """Paper registration forms the person keyed, by number: what they keyed is a volunteer's data."""
    from civitas.components.sortition.models import PaperKeying

    keyings = PaperKeying.objects.filter(keyed_by=user).select_related("panel__component__space")
    return [
        {
            "space": keying.panel.component.space.title,
            "panel": keying.panel.component.name,
            "form_number": keying.form_number,
            "keyed_at": _iso(keying.created_at),
        }
        for keying in keyings.order_by("created_at", "pk")
    ]


def erase_deleted_account(sender, instance, **kwargs) -> None:
    """A deleted account leaves the pools it was in and its contact details are erased.

    After a draw the code stays (the published result names it) but nothing personal.
    """
    if getattr(instance, "deleted_at", None) is None:
        return
    from civitas.components.sortition.models import Panel, Volunteer
    from civitas.components.sortition.services import _lottery_is_stale

    with transaction.atomic():
        for volunteer in Volunteer.objects.filter(user=instance).select_related(
            "panel__component__space__organization"
        ):
            panel = volunteer.panel
            if volunteer.withdrawn_at is None and panel.state != Panel.State.DRAWN:
                volunteer.withdrawn_at = timezone.now()
                _lottery_is_stale(panel, None, "withdrawal")
            volunteer.name, volunteer.email, volunteer.phone, volunteer.user = "", "", "", None
            volunteer.save(update_fields=["name", "email", "phone", "user", "withdrawn_at"])
