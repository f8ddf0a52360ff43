"""A participant's side: the newsletter opt-in among the account settings, and unsubscribing.

The unsubscribe address works without logging in and without a CSRF token: mail clients
POST ``List-Unsubscribe=One-Click`` to it (RFC 8058) from outside any session, and its
signed token is what proves the request comes from the message's recipient. A GET (a
person following the link) only shows a page with the button.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from civitas.newsletters import services
from civitas.newsletters.forms import ConsentForm
from civitas.newsletters.rendering import read_unsubscribe_token


@login_required
def preferences(request):
    consent = services.consent_of(request.user)
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"newsletter": bool(consent and consent.consented_at)},
    )
    if request.method == "POST" and form.is_valid():
        services.do_set_consent(request.user, form.cleaned_data["newsletter"], source="settings")
        if form.cleaned_data["newsletter"]:
            messages.success(request, _("You will receive the newsletter."))
        else:
            messages.success(request, _("You will no longer receive the newsletter."))
        return redirect("newsletters:preferences")
    return render(
        request, "newsletters/preferences.html", {"form": form, "consent": consent, "section": "newsletter"}
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    found = read_unsubscribe_token(token)
    user = None
    if found is not None and found[1] == request.organization.pk:
        user = request.organization.users.filter(pk=found[0], deleted_at__isnull=True).first()
    if user is None:
        return render(request, "newsletters/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.do_unsubscribe(user=user)
        return render(request, "newsletters/unsubscribe_done.html", {"email": user.email})
    return render(request, "newsletters/unsubscribe.html", {"email": user.email, "token": token})
