"""Sentences of the action log for spam detection (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "spam.report_account": _("Reported an account that looks like spam"),
        "spam.block_account": _("Blocked an account that looks like spam"),
        "spam.hold_contribution": _("Held a contribution that looks like spam for review"),
        "spam.retrain": _("Trained the spam model again"),
        "spam.update_settings": _("Changed the spam detection settings"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "model": _("detection model"),
        "organization_samples": _("examples from the organization"),
        "probability": _("probability of spam"),
    }
)
