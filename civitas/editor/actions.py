"""Sentences of the action log for the editor (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions({"editor.image_upload": _("Uploaded a picture for a text")})

# What the keys of this app's before / after records are called.
register_details(
    {
        "image": _("picture"),
        "width": _("width in pixels"),
        "height": _("height in pixels"),
    }
)
