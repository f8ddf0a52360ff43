"""Send a participant who lacks verifications to the page that says which, and back after."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from civitas.authorizations.requirements import blocked_only_by_verifications


def required_url(component, action: str, back: str) -> str:
    return reverse("authorizations:required", args=[component.pk, action]) + "?" + urlencode({"next": back})


def verification_redirect(request, component, action: str, back: str | None = None):
    """A redirect to the verification page when missing verifications alone refuse the
    action, else None (the caller refuses as it did)."""
    if not blocked_only_by_verifications(request.user, component, action):
        return None
    return redirect(required_url(component, action, back or request.get_full_path()))
