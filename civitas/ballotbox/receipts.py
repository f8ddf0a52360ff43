"""The page that shows a voter their receipt: once, in the answer to their vote."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

# Bytes kept in hand beyond the widest page: numbers formatted a little wider, say.
PAD_MARGIN = 256


def receipt_response(
    request,
    template: str,
    context: dict,
    *,
    widest_context: dict | None = None,
    ballot_parts: tuple[str, ...] = (),
    referrer_policy: str = "no-referrer",
):
    """Render the receipt so that no cache, proxy or back button keeps it.

    The code is not stored in the session or anywhere else (storing it beside the
    session's account id would link the account to its ballot once the vote is counted).

    ``widest_context`` is the same page for the widest ballot (every budget project
    chosen): when the page shows the ballot, it is padded to that page's size, so that
    the length of the answer, which whoever sees the encrypted traffic or a stock access
    log knows, tells nothing about what was chosen. ``ballot_parts`` are the templates
    the page includes that alone depend on the ballot: the widest page's size is then
    found by rendering them, not the whole page a second time.

    A page that posts on (the review of a ballot before it is cast) needs
    ``referrer_policy="same-origin"``: under ``no-referrer`` browsers send ``Origin: null``
    with its form, which the CSRF check refuses.
    """
    response = render(request, template, context)
    if widest_context is not None:
        if ballot_parts:
            growth = parts_size(request, ballot_parts, widest_context) - parts_size(
                request, ballot_parts, context
            )
            widest = len(response.content) + growth
        else:
            widest = len(render_to_string(template, widest_context, request=request).encode())
        _pad(response, widest + PAD_MARGIN)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Referrer-Policy"] = referrer_policy
    return response


def parts_size(request, parts: tuple[str, ...], context: dict) -> int:
    """The bytes that the included templates ``parts`` take in a page rendered with ``context``."""
    return sum(len(render_to_string(part, context, request=request).encode()) for part in parts)


def _pad(response, size: int) -> None:
    """An HTML comment of spaces before </body> (nothing shown, nothing read aloud), so
    that the body is ``size`` bytes; PAD_MARGIN leaves room for the comment's own marks."""
    body = response.content
    missing = size - len(body)
    if missing <= len(b"<!---->"):
        return
    filler = b"<!--" + b" " * (missing - len(b"<!---->")) + b"-->"
    at = body.rfind(b"</body>")
    at = len(body) if at < 0 else at
    response.content = body[:at] + filler + body[at:]
