"""Let the provider buttons' forms lead to the providers.

The site's policy says ``form-action 'self'``, and browsers apply it to every redirect
that follows a form's submission: the POST that starts a log-in answers with a redirect
to the provider, which the policy would block. Pages showing the buttons name the
providers' origins (``allow_providers``); the middleware adds them to that page's
``form-action`` only.
"""

from urllib.parse import urlsplit

from django.core.cache import cache

from civitas.identity.client import metadata_key

_ATTRIBUTE = "_identity_form_action_origins"
# The provider and ID token of the current log-in (set by the views), for its logout.
LOGIN_SESSION_KEY = "civitas_identity_login"


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def provider_origins(provider) -> list[str]:
    metadata = cache.get(metadata_key(provider)) or {}
    urls = (
        provider.discovery_url,
        metadata.get("authorization_endpoint"),
        metadata.get("end_session_endpoint"),
    )
    return sorted({origin for origin in map(_origin, urls) if origin})


def allow_providers(request, providers) -> None:
    origins = getattr(request, _ATTRIBUTE, set())
    for provider in providers:
        origins.update(provider_origins(provider))
    setattr(request, _ATTRIBUTE, origins)


class ProviderFormActionMiddleware:
    """Listed after ``csp.middleware.CSPMiddleware``, so its answer passes here first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = set(getattr(request, _ATTRIBUTE, None) or ())
        # Logged in through a provider: the log-out form of every page leads to its logout.
        session = getattr(request, "session", None)
        current = session.get(LOGIN_SESSION_KEY) if session is not None else None
        if current:
            origins.update(current.get("origins", ()))
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = sorted(origins)
            response._csp_update = update
        return response
