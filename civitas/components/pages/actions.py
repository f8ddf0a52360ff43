"""Sentences of the action log for pages (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions({"page.update": _("Changed the page's text")})
