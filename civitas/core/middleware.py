from django.conf import settings
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
