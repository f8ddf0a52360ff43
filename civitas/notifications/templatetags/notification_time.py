"""How long ago a notification came, in words a person says ("just now", "3 hours ago")."""

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(moment: datetime.datetime) -> str:
    """Django's timesince says "0 minutes" for the last minute: people say "just now"."""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, depth=1)}
