"""Participants accept new terms of use before they act again.

When an organization publishes a new version of its terms, a logged-in member whose last
acceptance is older is sent, from any page, to the page that asks them to accept it, and
comes back afterwards. A POST is answered with a 303 to that page and does nothing. Left
open: that page, logging out, reading the terms and the help pages, deleting one's
account or downloading one's data (refusing the terms must stay possible), switching the
language, the API (tokens, no session), health checks and files (the theme's
stylesheet, the icon, robots.txt).

In the common case this costs no query: the current version number comes from
``services.site_facts`` (cached) and the version the person accepted from their session.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from civitas.legal import services

# Views (``namespace:name``) that stay open to a person who has not accepted yet.
OPEN_VIEWS = frozenset(
    {
        "legal:accept",
        "legal:terms",
        "legal:terms_version",
        "legal:help",
        "legal:help_page",
        "accounts:logout",
        "accounts:delete_account",
        "accounts:my_data",
        "set_language",
        "healthz",
        "media",
        # Files more than pages: the organization's colours (the terms page needs them too).
        "core:theme",
        "core:favicon",
        "core:robots",
    }
)
OPEN_NAMESPACES = frozenset({"api"})


def _is_open(request) -> bool:
    match = request.resolver_match
    if match is None:
        return True
    if match.view_name in OPEN_VIEWS or OPEN_NAMESPACES.intersection(match.namespaces):
        return True
    return request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))


def must_accept(request) -> bool:
    """A member of this organization, with newer terms than the ones they accepted."""
    user = getattr(request, "user", None)
    organization = getattr(request, "organization", None)
    if organization is None or user is None or not user.is_authenticated:
        return False
    if user.organization_id != organization.pk:  # system admins belong to no organization
        return False
    current = services.current_terms_number(organization)
    if current == 0:
        return False
    accepted = request.session.get(services.ACCEPTED_SESSION_KEY, 0)
    if accepted >= current:
        return False
    accepted = services.last_accepted_number(user)
    services.remember_acceptance(request, accepted)
    return accepted < current


def _came_from(request) -> str:
    """Where to return after accepting: this page, or for a POST the page that sent it."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


class TermsAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_open(request) or not must_accept(request):
            return None
        url = reverse("legal:accept")
        came_from = _came_from(request)
        if came_from:
            url += "?next=" + quote(came_from, safe="/")
        response = HttpResponseRedirect(url)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 303  # See Other: the action is not done, look at this page
        return response
