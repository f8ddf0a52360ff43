"""Sentences of the action log for the home page's blocks (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "home_block.create": _("Added a block to the home page"),
        "home_block.update": _("Changed a block of the home page"),
        "home_block.move": _("Moved a block of the home page"),
        "home_block.hide": _("Hid a block of the home page"),
        "home_block.show": _("Showed a block of the home page again"),
        "home_block.delete": _("Deleted a block of the home page"),
    }
)

# A block's visibility is logged alone (hide / show), a key of the block's own model.
register_details({"visible": _("shown")})
