"""The page that shows a voter their receipt: once, in the answer to their vote."""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def receipt_response(request, template: str, context: dict):
    """Render the receipt so that no cache, proxy or back button keeps it.

    The code is not stored in the session or anywhere else (storing it beside the
    session's account id would link the account to its ballot once the vote is counted).
    """
    response = render(request, template, context)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Referrer-Policy"] = "no-referrer"
    return response
