"""A cache of component page fragments for visitors who are not logged in.

Most of a participatory platform's traffic is anonymous reading, and those visitors all
see the same page. The fragment is keyed by everything it depends on: the component's
content version (bumped in the same transaction as any visible change, see
``freshness``), the component's and space's own edits, the active phase, the language,
the time zone and the requested path. Logged-in people see their own supports, forms
and CSRF tokens, so they always get a fresh render.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

# A safety net for what no version tracks (an author renaming their profile).
FRAGMENT_SECONDS = 300


def _key(request, component, extra: Iterable) -> str:
    space = component.space
    parts = (
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
    return "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def visitor_fragment(request, component, render: Callable[[], str], extra: Iterable = ()) -> SafeString:
    if request.user.is_authenticated or request.method != "GET":
        return mark_safe(render())
    cache = caches["pages"]
    key = _key(request, component, extra)
    html = cache.get(key)
    if html is None:
        html = render()
        # A form token must never be shared between visitors.
        if "csrfmiddlewaretoken" not in html:
            cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)
