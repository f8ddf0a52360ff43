"""Sentences of the action log for spaces, phases and roles (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "space.create": _("Created the space"),
        "space.update": _("Changed the space's details"),
        "space.publish": _("Published the space"),
        "space.unpublish": _("Unpublished the space"),
        "space.move": _("Moved the space in the list"),
        "phase.create": _("Added a phase"),
        "phase.update": _("Changed a phase"),
        "phase.delete": _("Deleted a phase"),
        "phase.move": _("Moved a phase"),
        "phase.activate": _("Made a phase the current one"),
        "phase.activate_by_date": _("The phase became current on its start date"),
        "role.grant": _("Gave a role"),
        "role.update": _("Changed a role"),
        "role.revoke": _("Took a role back"),
        "role.move": _("Moved a person in the list of roles"),
    }
)
