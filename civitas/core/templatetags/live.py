"""htmx, loaded only by the pages that update in place.

A fragment with ``hx-*`` attributes says ``{% uses_live_updates %}``; ``base.html`` ends
with ``{% live_scripts %}``, which writes the two scripts only if something on the page
asked for them. The blocks of a page are rendered before the end of ``base.html``, so
the flag is set by then. Every such fragment works without the scripts: htmx only
swaps, in place, the answer the plain form or link would have led to.
"""

import json

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

FLAG = "civitas_live_updates"

# htmx's settings, read from <meta name="htmx-config">. The Content-Security-Policy allows
# no eval and no inline style or script: htmx must not need them (hx-on, js: values and
# event filters are off, and it injects no indicator <style>). Swapped answers run no
# script, pages are not copied into localStorage, and requests go to this site only.
# 422 answers (a form with its errors) are swapped like 200s; other errors are not.
HTMX_CONFIG = {
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "historyCacheSize": 0,
    "selfRequestsOnly": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "422", "swap": True},
        {"code": "[45]..", "swap": False, "error": True},
    ],
}


@register.simple_tag(takes_context=True)
def uses_live_updates(context) -> str:
    request = context.get("request")
    if request is not None:
        setattr(request, FLAG, True)
    return ""


@register.simple_tag
def htmx_config() -> str:
    return format_html(
        '<meta name="htmx-config" content="{}">', json.dumps(HTMX_CONFIG, separators=(",", ":"))
    )


@register.simple_tag(takes_context=True)
def live_scripts(context) -> str:
    request = context.get("request")
    if request is None or not getattr(request, FLAG, False):
        return ""
    return format_html(
        '<script src="{}" defer></script><script src="{}" defer></script>',
        static("vendor/htmx.org/dist/htmx.min.js"),
        static("civitas/live.js"),
    )
