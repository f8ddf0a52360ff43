"""What every API view shares: read-only methods, rate limit, JSON errors, cache headers.

Views return plain data (a dict); this decorator turns it into the JSON answer, or any
``ApiError`` (and Django's ``Http404``) into the JSON error, so no view writes a response.
"""

import hashlib
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.accounts import throttle
from civitas.api.errors import ApiError, error_response, not_found

READ_METHODS = ("GET", "HEAD")
# Anonymous answers are the same for every visitor: shared caches may keep them a minute,
# about as long as the pages' own cache. A logged-in answer is that person's alone.
PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-cache"


def _check_rate(request) -> None:
    verdict = throttle.record(request, "api")
    if verdict.limited:
        raise ApiError(
            429,
            "rate_limited",
            ngettext(
                "Too many requests: wait %(seconds)s second before trying again.",
                "Too many requests: wait %(seconds)s seconds before trying again.",
                verdict.retry_after_seconds,
            )
            % {"seconds": verdict.retry_after_seconds},
            headers={"Retry-After": str(verdict.retry_after_seconds)},
        )


def _check_method(request) -> None:
    if request.method not in READ_METHODS:
        raise ApiError(
            405,
            "method_not_allowed",
            _("This API is read-only: only GET and HEAD are accepted."),
            headers={"Allow": ", ".join(READ_METHODS)},
        )


def _with_cache_headers(request, response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE_CACHE if request.user.is_authenticated else PUBLIC_CACHE
    # The language comes from a cookie or the account, never from Accept-Language.
    patch_vary_headers(response, ("Cookie",))
    # A re-user polling a list gets "304 Not Modified", without the body, while it is unchanged.
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)


def api_endpoint(view):
    """Wrap a view of the API. The view gets the request and its URL arguments, returns a dict."""

    # Not exempt from CSRF: like every route of the platform, a POST without its token is
    # refused by the middleware (403) before it gets here; with one, it gets a JSON 405.
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            _check_rate(request)
            _check_method(request)
            if request.organization is None:
                raise not_found()
            result = view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(error)
        except Http404:
            return error_response(not_found())
        if not isinstance(result, HttpResponse):
            result = JsonResponse(result, json_dumps_params={"ensure_ascii": False})
        return _with_cache_headers(request, result)

    return wrapper
