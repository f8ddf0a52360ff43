"""A cache of whole component pages for visitors who are not logged in.

Most of a participatory platform's traffic is anonymous reading, and those visitors all
see the same page. The page is keyed by everything it depends on: the component's
content version (bumped in the same transaction as any visible change, see
``freshness``), the component's, space's and organization's own edits, the active
phase, the language, the time zone and the requested path. Logged-in people see their
own supports and forms, so they always get a fresh render.

The one per-visitor part of an anonymous page is the CSRF token of its forms (the
language switcher). The page is stored with a placeholder in its place and each visitor
gets their own token written in, exactly as if the page had been rendered for them.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

# A safety net for what no version tracks (an author renaming their profile).
PAGE_SECONDS = 300

# Shared by every process (pages may live in Redis), so it is a constant. Should a
# user write it in a comment, that reader sees their own token there: nothing leaks.
CSRF_PLACEHOLDER = "civitas-csrf-token-placeholder"


def _key(request, component, extra: Iterable) -> str:
    space = component.space
    organization = request.organization
    parts = (
        organization.pk,
        organization.updated_at.timestamp(),
        component.pk,
        component.created_at.timestamp(),
        component.content_version,
        component.updated_at.timestamp(),
        space.updated_at.timestamp(),
        space.active_phase_id,
        get_language(),
        get_current_timezone_name(),
        request.get_full_path(),
        *extra,
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _shareable(request) -> bool:
    """A page that any anonymous visitor could be given: no login, no flash message."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        # ``len`` reads pending messages without marking them shown.
        and not len(get_messages(request))
    )


def visitor_page(
    request, component, template: str, build_context: Callable[[], dict], extra: Iterable = ()
) -> HttpResponse:
    """``template`` rendered with ``build_context()``, shared between anonymous visitors.

    ``build_context`` runs only when the page has to be rendered, so that a cached page
    costs no query beyond the ones that find the component.
    """
    if not _shareable(request):
        return render(request, template, build_context())
    cache = caches["pages"]
    key = _key(request, component, extra)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, {**build_context(), "csrf_token": CSRF_PLACEHOLDER}, request)
        cache.set(key, html, PAGE_SECONDS)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html)
