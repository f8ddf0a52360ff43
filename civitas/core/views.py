from functools import wraps
from urllib.parse import quote

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_safe

from civitas.core import activity
from civitas.core.errors import api_error, cache_unavailable, for_the_api
from civitas.core.links import MAX_URL_LENGTH, parse_web_address
from civitas.organizations.theme import theme_css


@require_GET
def organization_theme(request):
    organization = request.organization
    response = HttpResponse(
        theme_css(organization.primary_colour, organization.secondary_colour), content_type="text/css"
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe  # monitors often ask with HEAD
def healthz(request):
    """What a load balancer asks: does this server reach its database and its shared cache
    (Redis, when there is one: every page, the rate limits and the queue go through it)?
    A server that reaches neither, or only one, is taken out of rotation (503)."""
    failing = [
        name
        for name, answers in (("database", _database_answers), ("cache", _cache_answers))
        if not answers()
    ]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    try:
        caches["shared"].get("healthz")
    except Exception as error:  # noqa: BLE001 - any backend's "cannot reach it"
        if cache_unavailable(error) or isinstance(error, (OSError, DatabaseError)):
            return False
        raise
    return True


# Past this many silent accounts robots.txt would grow too big for crawlers (Google
# reads 500 KiB): one line then keeps crawlers off every profile page instead.
ROBOTS_MAX_LISTED_PROFILES = 5000


def _inactive_profile_rules(organization) -> list[str]:
    nicknames = list(
        activity.inactive_profiles(organization)
        .order_by("nickname")
        .values_list("nickname", flat=True)[: ROBOTS_MAX_LISTED_PROFILES + 1]
    )
    profiles_path = reverse("core:profile", kwargs={"nickname": "NICKNAME"}).partition("NICKNAME")[0]
    if len(nicknames) > ROBOTS_MAX_LISTED_PROFILES:
        return [f"Disallow: {profiles_path}"]
    return [f"Disallow: {profiles_path}{quote(nickname, safe='')}/" for nickname in nicknames]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /accounts/", "Disallow: /admin/", "Disallow: /system/"]
    # Search result pages are endless and thin; silent accounts' profiles are spam bait.
    lines.append("Disallow: /search/")
    lines += _inactive_profile_rules(request.organization)
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def _noindex(view):
    """Every answer of the view, errors included, asks search engines to stay away."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _back_url(request) -> str:
    """The page the visitor came from when it is one of ours, else the home page."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return reverse("core:home")


@_noindex
@require_safe
def outbound_link(request):
    """The warning page between a link a participant wrote and the site it leads to.

    It never redirects by itself: the visitor reads the real destination and decides.
    """
    raw = request.GET.get("url", "")
    destination = parse_web_address(raw)
    if destination is None:
        if not raw.strip():
            problem = "missing"
        elif len(raw) > MAX_URL_LENGTH:
            problem = "too_long"
        else:
            problem = "not_web"
        return render(request, "core/outbound_link.html", {"problem": problem}, status=400)
    return render(
        request, "core/outbound_link.html", {"destination": destination, "back_url": _back_url(request)}
    )


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico on every site, whatever the page says."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.http import HttpResponsePermanentRedirect

    return HttpResponsePermanentRedirect(staticfiles_storage.url("civitas/favicon.ico"))


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale security token (a page left open for hours,
    cookies refused): what happened and what to do, in the visitor's language, instead of
    Django's bare English page; the API's own JSON shape under /api/."""
    if for_the_api(request):
        return api_error(403, "csrf")
    return render(request, "403_csrf.html", status=403)
