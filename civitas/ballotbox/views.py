"""A trustee's own page: where they make their key and hand the platform its public half.

The page is reached through the personal link e-mailed to them when the admin named them
(no account needed: a bailiff may have none; the admin never sees the link). The private
key is made in the trustee's browser, which downloads the key file; only the public line
is posted. A trustee who prefers their own computer makes the key with
``python -m civitas.ballotbox.trustee_key`` and pastes the public line. Either way the
platform never sees the private key before closing.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civitas.actionlog.services import log_action
from civitas.ballotbox import crypto, invitations, keys
from civitas.ballotbox.receipts import receipt_response


def _trustee_context(target, index: int) -> dict:
    trustee = target.trustees[index - 1]
    return {
        "target": target,
        "index": index,
        "total": len(target.trustees),
        "trustee_name": trustee["name"],
        "file_title": " ".join(str(target).split()),
        "file_name": f"cle-depositaire-{index}.txt",
    }


@require_http_methods(["GET", "POST"])
def trustee_key(request, token: str):
    found = keys.invited_trustee(token, getattr(request.organization, "pk", None))
    if found is None:
        raise Http404(_("This link is unknown, or has already been used."))
    target, index = found
    context = {**_trustee_context(target, index), "public_line": ""}
    if request.method == "POST":
        public_line = (request.POST.get("public_key") or "").strip()
        context["public_line"] = public_line
        try:
            with transaction.atomic():
                keys.register_trustee_key(target, index, token, public_line)
                registered = target.trustees[index - 1]["public_key"]
                log_action(
                    organization=request.organization,
                    user=request.user,
                    action="ballot.trustee_key",
                    target=target,
                    space=target.component.space,
                    after={"trustee": index, "public_key": crypto.encode_share(bytes.fromhex(registered))},
                )
        except keys.VoteKeyError as error:
            context["error"] = error.message
        else:
            messages.success(
                request, _("Your public key is registered. Keep your key file safe until closing.")
            )
            return redirect(invitations.vote_public_path(target))
    # The link is a secret until used: keep it out of caches and other sites' referrers.
    response = receipt_response(request, "ballotbox/trustee_key.html", context)
    # Not "no-referrer": the form posts back here, and the browser would then send
    # "Origin: null", which the CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
