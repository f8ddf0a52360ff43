"""Sentences of the action log for the organization's settings (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "organization.update": _("Changed the organization's settings"),
        "captcha_question.create": _("Added a security question"),
        "captcha_question.update": _("Changed a security question"),
        "captcha_question.delete": _("Deleted a security question"),
        "component.move": _("Moved a component in the space"),
    }
)
