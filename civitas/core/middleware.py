from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from civitas.core.errors import for_the_api


class OrganizationLocaleMiddleware:
    """Pick the interface language among the organization's available ones.

    Order: the visitor's explicit choice (language cookie), the account's language,
    then the organization's default. The browser's Accept-Language is deliberately
    ignored: a French town's platform speaks French unless asked otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def _choose(request) -> str:
        organization = getattr(request, "organization", None)
        available = (
            organization.available_locales if organization else [code for code, _ in settings.LANGUAGES]
        )
        default = organization.default_locale if organization else settings.LANGUAGE_CODE
        candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            candidates.append(user.locale)
        for candidate in candidates:
            if candidate in available:
                return candidate
        return default


class RejectNulBytesMiddleware:
    """Answer 400 to a query string or form holding a NUL character.

    No human types one; PostgreSQL refuses it in text and would turn a typo-level
    attack into a server error. Refusing it up front keeps every view free of the check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        "Requête invalide : caractère nul. / Bad request: NUL character.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)


class HtmxRedirectMiddleware:
    """Send the window, not a fragment, where a redirect leads.

    An htmx request (a poll, a support button) is answered by a redirect when the session
    has ended (log-in), newer terms must be accepted, or a second factor is now required:
    htmx would follow it and swap that whole page into the fragment. HX-Redirect has htmx
    load it in the window instead. Only addresses on this site: nothing else is ours to send.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        location = response.get("Location", "") if response.status_code in (301, 302, 303, 307, 308) else ""
        if (
            request.headers.get("HX-Request") == "true"
            and location
            and url_has_allowed_host_and_scheme(location, allowed_hosts={request.get_host()})
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class FormAddressMiddleware:
    """Someone who opens the address a form is sent to (a vote's confirmation from a
    restored tab or a bookmark) gets a page that says what happened and leads back, not
    the browser's bare "HTTP ERROR 405". Nothing is sent again: it is a GET.

    Only for pages: the API answers its own 405s, in JSON.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or response.content
            or for_the_api(request)
        ):
            return response
        page = render(request, "405.html", {"back": _page_above(request.path)}, status=405)
        page["Allow"] = response.get("Allow", "POST")
        return page


def _page_above(path: str) -> str:
    """The address one level up (a vote's page above its confirmation), when it is a page."""
    above = path.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        resolve(above)
    except Resolver404:
        return "/"
    return above
