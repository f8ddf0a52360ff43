from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class HtmxLoginRedirectMiddleware:
    """Send a page whose session ended to the log-in page, not a fragment of it.

    An htmx request (a poll, a support button) answered by the redirect to the log-in page
    would have htmx follow it and swap the whole log-in page into the fragment. HX-Redirect
    tells htmx to load the log-in page in the window instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code in (301, 302, 303, 307, 308)
            and response.get("Location", "").split("?")[0] == resolve_url(settings.LOGIN_URL)
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response
