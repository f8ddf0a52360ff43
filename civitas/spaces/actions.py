"""Sentences of the action log for spaces, phases and roles (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details
from civitas.spaces.blueprints import BLUEPRINTS

register_actions(
    {
        "space.create": _("Created the space"),
        "space.update": _("Changed the space's details"),
        "space.publish": _("Published the space"),
        "space.unpublish": _("Unpublished the space"),
        "space.move": _("Moved the space in the list"),
        "space.copy": _("Copied a space into a new draft"),
        "group.create": _("Created a process group"),
        "group.update": _("Changed a process group"),
        "group.delete": _("Deleted a process group"),
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

register_details(
    {
        "blueprint": _("template"),
        "copied_from": _("copied from the space number"),
        "copied_from_title": _("title of the space copied"),
        "copied_phases": _("phases copied"),
        "copied_components": _("components copied"),
        "shift_days": _("dates moved by (days)"),
        "group_processes": _("processes of the group (numbers)"),
        "created_components": _("components created by the template"),
    },
    {"blueprint": {key: blueprint.title for key, blueprint in BLUEPRINTS.items()}},
)
