"""Deletions that cannot be undone must be confirmed (the box of includes/confirm_delete.html).

Checked on the server too: a browser's own check of a required box is no guarantee.
"""

from django.contrib import messages
from django.utils.translation import gettext as _


def deletion_confirmed(request) -> bool:
    if request.POST.get("confirm_delete") == "1":
        return True
    messages.error(request, _("Nothing was deleted: tick the box confirming that it cannot be undone."))
    return False
