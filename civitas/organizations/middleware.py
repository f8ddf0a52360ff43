"""Find the organization behind each request from its Host header.

An unknown or malformed host never falls back to some other organization: it gets a
plain page that shows nothing from the database.
"""

from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest, HttpResponseNotFound, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.template.loader import render_to_string

from civitas.organizations.hosts import normalize_host
from civitas.organizations.models import Organization, SecondaryHost

# Paths that must answer whatever the host (load-balancer health checks).
HOST_INDEPENDENT_PATHS = ("/healthz",)


def _plain_not_found():
    return HttpResponseNotFound(render_to_string("unknown_host.html"))


def _account_organization(request, domain: str):
    """The logged-in account's organization when it is the one this host serves, else None.

    The account is read anyway (Django's authentication middleware reads it, lazily, on
    first use); its query brings its organization along (accounts.backends), so a
    participant's request needs no query of its own for the host. The host is unique: the
    organization that has it is the one the query by host would find. The account is
    kept where Django's authentication middleware looks for it, so it is read once.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = get_user(request)
    request._cached_user = user  # django.contrib.auth.middleware.get_user reuses it
    organization = user.organization if user.is_authenticated and user.organization_id else None
    return organization if organization is not None and organization.host == domain else None


class OrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.is_system_host = False
        if request.path.startswith(HOST_INDEPENDENT_PATHS):
            return self.get_response(request)
        try:
            domain, port = split_domain_port(request.get_host())
        except DisallowedHost:
            return HttpResponseBadRequest("Bad Request: malformed Host header.", content_type="text/plain")
        domain = normalize_host(domain)
        if not domain:
            return HttpResponseBadRequest("Bad Request: malformed Host header.", content_type="text/plain")

        organization = _account_organization(request, domain)
        if organization is None:
            organization = Organization.objects.filter(host=domain).first()
        if organization is None:
            secondary = SecondaryHost.objects.select_related("organization").filter(host=domain).first()
            if secondary is not None:
                return self._redirect_to_main_host(request, secondary.organization, port)
            if domain in settings.CIVITAS_SYSTEM_HOSTS and request.path.startswith("/system/"):
                request.is_system_host = True
                return self.get_response(request)
            return _plain_not_found()
        request.organization = organization
        return self.get_response(request)

    @staticmethod
    def _redirect_to_main_host(request, organization, port):
        netloc = organization.host + (f":{port}" if port else "")
        return HttpResponsePermanentRedirect(f"{request.scheme}://{netloc}{request.get_full_path()}")
