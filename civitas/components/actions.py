"""Sentences of the action log for components (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "component.create": _("Added a component"),
        "component.configure": _("Changed a component's settings"),
        "component.publish": _("Published a component"),
        "component.unpublish": _("Unpublished a component"),
        "component.delete": _("Deleted a component"),
    }
)
