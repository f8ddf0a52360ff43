"""The back-office part every sealed vote shares: who holds its counting key.

Each component mounts :func:`keys_view` behind its own admin permission and puts
``ballotbox/_key_panel.html`` on its admin page and ``ballotbox/_closing_keys.html``
inside its closing form; its closing view passes :func:`supplied_trustee_keys` on.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action
from civitas.ballotbox import background, invitations, keys
from civitas.ballotbox.models import KeyMode
from civitas.ballotbox.receipts import receipt_response

MAX_KEY_FILE_BYTES = 4096


def key_panel(target) -> dict:
    """Context of ``ballotbox/_key_panel.html``."""
    return {
        "sealed_target": target,
        "key_lock_reason": keys.mode_lock_reason(target),
        "trustee_mode": target.key_mode == KeyMode.TRUSTEES,
        "trustees_waiting": sum(1 for trustee in target.trustees if not trustee.get("public_key")),
    }


def closing_confirmed(request) -> bool:
    """Closing cannot be undone: the form's box saying so must be ticked (checked here too,
    since the browser's own check is not a guarantee)."""
    if request.POST.get("confirm_closing") == "1":
        return True
    messages.error(request, _("Tick the box confirming that closing cannot be undone, then close again."))
    return False


def supplied_trustee_keys(request, target) -> list[str]:
    """Each trustee's key, from its text field or its uploaded file, in trustee order."""
    supplied = []
    for index in range(1, len(target.trustees) + 1):
        upload = request.FILES.get(f"trustee-file-{index}")
        if upload is not None and upload.size <= MAX_KEY_FILE_BYTES:
            supplied.append(upload.read().decode("utf-8", errors="replace"))
        else:
            supplied.append(request.POST.get(f"trustee-key-{index}", ""))
    return supplied


def keys_view(request, *, target, space, back_url: str, template: str = "ballotbox/trustee_invitations.html"):
    """POST only: name the trustees (each e-mailed their personal link) or go back to the platform key.

    The admin's answer lists where the links went, never a link: see :mod:`invitations`.
    """
    before = {"key_mode": target.key_mode, "trustees": [t["name"] for t in target.trustees]}
    action = request.POST.get("action")
    if action not in ("trustees", "platform"):
        messages.error(request, _("Choose who holds the counting key."))
        return redirect(back_url)
    if action == "trustees" and target.trustees and request.POST.get("replace") != "1":
        # A reloaded page sends the form again: new links would silently void the trustees' keys.
        messages.error(
            request,
            _(
                "Trustees were already named. Tick the box to replace them: their links and keys will stop working."  # noqa: E501
            ),
        )
        return redirect(back_url)
    try:
        with transaction.atomic():
            if action == "trustees":
                named = invitations.parse_trustees(request.POST.get("names") or "")
                handed = keys.invite_trustees(target, [trustee.name for trustee in named])
            else:
                keys.use_platform_key(target)
                handed = None
            log_action(
                organization=space.organization,
                user=request.user,
                action="ballot.key_mode",
                target=target,
                space=space,
                before=before,
                after={"key_mode": target.key_mode, "trustees": [t["name"] for t in target.trustees]},
            )
    except keys.VoteKeyError as error:
        for problem in getattr(error, "problems", [error.message]):
            messages.error(request, problem)
        return redirect(back_url)
    if handed is None:
        messages.success(request, _("The platform holds the counting key of this vote."))
        return redirect(back_url)
    # Sent once the trustees are stored, and outside the transaction: a slow mail server
    # holds no lock on the vote.
    deliveries = invitations.email_invitations(
        organization=space.organization, target=target, invitations=handed, trustees=named
    )
    context = {
        "space": space,
        "target": target,
        "deliveries": deliveries,
        "failed": [delivery for delivery in deliveries if not delivery.sent],
        "back_url": back_url,
    }
    # The page shows the trustees' addresses: no-store, so that no cache or back button keeps them.
    return receipt_response(request, template, context)


def close_from_admin(request, *, targets: list, close_now, error_class, done_message: str) -> None:
    """Close ``targets`` (one vote, or a component's open budgets, which close together) and say how.

    Votes whose key the platform holds close in the task queue and the admin's page follows
    the closing (:mod:`civitas.ballotbox.background`); with trustee keys, ``close_now()``
    closes in this request, the only place the trustees' private keys ever are. The same
    form withdraws a closing that no consumer has taken yet (``withdraw_closing``).
    """
    if request.POST.get("withdraw_closing") and targets:
        if background.cancel_queued(targets[0]._meta.label_lower, [target.pk for target in targets]):
            messages.success(request, _("The closing was withdrawn before it started."))
        else:
            messages.error(request, _("This closing has already started: it can no longer be withdrawn."))
        return
    if not closing_confirmed(request):
        return
    if not targets or any(target.key_mode == KeyMode.TRUSTEES for target in targets):
        try:
            close_now()
        except error_class as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done_message)
        return
    try:
        job = background.request_closing(targets, request.user)
    except background.ClosingNotStarted as error:
        messages.error(request, error.message)
        return
    state = background.state_of(job)
    if state == background.ClosingState.DONE:
        messages.success(request, done_message)
    elif state == background.ClosingState.FAILED:
        messages.error(request, job.error)
    else:
        messages.info(
            request, _("Closing has started. This page follows it; you may leave it and come back later.")
        )


def closing_progress(targets: list, page_url: str) -> dict:
    """Context of ``ballotbox/_closing_progress.html`` for ``page_url``, the admin page of
    ``targets`` (also rendered at a form's address after its errors: not one to poll)."""
    if not targets:
        return {"closing": None}
    label = targets[0]._meta.label_lower
    closing = background.progress_of(label, [target.pk for target in targets])
    if closing is not None:
        closing["page_url"] = page_url
    return {"closing": closing}


def closing_poll(request, targets: list):
    """The page's periodic check of a closing (``?closing=<what the page shows>``), or None
    when this request is no such check.

    Nothing to swap (204) while the closing's state is what the page shows; otherwise the
    new state for the page's live region, and a new poll unless the closing has ended. The
    page is not reloaded: a form being filled in keeps its text, and the end is announced.
    """
    shown = request.GET.get("closing")
    if shown is None or not request.headers.get("HX-Request") or not targets:
        return None
    label = targets[0]._meta.label_lower
    closing = background.progress_of(label, [target.pk for target in targets], ended_well_too=True)
    if closing is not None and closing["fingerprint"] == shown:
        return HttpResponse(status=204)
    if closing is not None:
        closing["page_url"] = request.path
    state_changed = closing is None or shown.split("-", 1)[0] != closing["state"]
    return render(
        request, "ballotbox/_closing_poll.html", {"closing": closing, "state_changed": state_changed}
    )
