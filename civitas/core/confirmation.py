"""Deletions and other acts that cannot be undone must be confirmed: a box to tick, checked
on the server.

Two ways to ask, one rule: the box of ``includes/confirm_delete.html`` inline on a page, or
the page of :func:`confirm_deletion`, which a delete view answers with whenever the box was
not ticked (a one-click button, a browser ignoring ``required``, a forged request). Either
way a POST without ``confirm_delete=1`` deletes nothing.
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirm_delete"
# Fields of the refused POST that are not sent again by the confirmation page.
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def deletion_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "1"


def confirm_deletion(request, *, name, consequence, back_url, context=None, public=False):
    """The page asking first: what goes for good, the box to tick, a way back.

    The refused POST's own fields (which keying, where to return…) are sent again with the
    box, so one view serves both steps. ``public`` pages (a participant's own comment) use
    the site's layout rather than the back-office's; ``context`` gives the back-office
    layout what it shows beside (the space of the page).
    """
    fields = [
        (key, value) for key, values in request.POST.lists() if key not in _NOT_REPEATED for value in values
    ]
    template = "core/confirm_delete_public.html" if public else "core/confirm_delete_admin.html"
    page = {
        **(context or {}),
        "name": name,
        "consequence": consequence,
        "back_url": back_url,
        "action": request.get_full_path(),
        "fields": fields,
    }
    return render(request, template, page)


# --- Other irreversible acts: sealing, publishing results, drawing lots, sending… ---------

ACT_FIELD = "confirm_act"


def act_confirmed(request) -> bool:
    return request.POST.get(ACT_FIELD) == "1"


def confirm_act(request, *, title, consequence, button, back_url, context=None):
    """The page asking before an irreversible act of the back-office, as for a deletion.

    The form's inline box (``includes/confirm_act_box.html``) spares this page; without it
    (a browser ignoring ``required``, a forged request) the act waits here. The refused
    POST's fields (a seed typed, an answer written) are sent again with the box.
    """
    fields = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in {"csrfmiddlewaretoken", ACT_FIELD}
        for value in values
    ]
    page = {
        **(context or {}),
        "title": title,
        "consequence": consequence,
        "button": button,
        "back_url": back_url,
        "action": request.get_full_path(),
        "fields": fields,
    }
    return render(request, "core/confirm_act_admin.html", page)
