"""Sentences of the action log for authorizations (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions({"census.replace": _("Replaced the census list")})
