"""Organization admins set up their identity providers (FranceConnect, ProConnect, any OIDC)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.identity import services
from civitas.identity.client import forget_metadata
from civitas.identity.forms import ProviderForm
from civitas.identity.kinds import KINDS
from civitas.identity.models import IdentityProvider
from civitas.organizations.access import organization_admin_required
from civitas.organizations.links import absolute_url

# The secret never goes to the action log; that it changed does.
LOGGED_FIELDS = [
    "name",
    "kind",
    "discovery_url",
    "client_id",
    "scopes",
    "acr_values",
    "kept_data",
    "allow_sign_up",
    "enabled",
]


def _addresses(provider) -> dict:
    """What the admin declares at the provider: where it sends people back."""
    return {
        "callback": absolute_url(provider.organization, reverse("identity:callback", args=[provider.pk])),
        "logged_out": absolute_url(provider.organization, reverse("identity:logged_out")),
    }


@organization_admin_required
def provider_list(request):
    providers = IdentityProvider.objects.filter(organization=request.organization)
    rows = [
        {
            "provider": provider,
            "kind": KINDS[provider.kind],
            "accounts": provider.accounts.count(),
            **_addresses(provider),
        }
        for provider in providers
    ]
    return render(request, "identity/admin/providers.html", {"rows": rows, "kinds": KINDS.values()})


@organization_admin_required
def provider_edit(request, provider_id=None):
    organization = request.organization
    if provider_id is None:
        kind = request.GET.get("kind") or request.POST.get("kind") or ""
        if kind not in KINDS:
            raise Http404
        provider = IdentityProvider(organization=organization, kind=kind)
    else:
        provider = get_object_or_404(IdentityProvider, pk=provider_id, organization=organization)
        kind = provider.kind
    before = snapshot(provider, LOGGED_FIELDS) if provider.pk else None
    form = ProviderForm(
        request.POST if request.method == "POST" else None,
        instance=provider,
        organization=organization,
        kind=kind,
    )
    if request.method == "POST" and form.is_valid():
        secret_changed = bool(form.cleaned_data.get("client_secret"))
        with transaction.atomic():
            provider = form.save()
            # Unticking a kind of data erases it now, not at each person's next log-in.
            services.forget_unkept_data(provider)
            log_action(
                organization=organization,
                user=request.user,
                action="identity_provider.update" if before else "identity_provider.create",
                target=provider,
                before=before,
                after={**snapshot(provider, LOGGED_FIELDS), "client_secret_changed": secret_changed},
            )
        forget_metadata(provider)
        messages.success(request, _("The provider “%(name)s” is saved.") % {"name": provider.name})
        return redirect("identity_admin:providers")
    context = {
        "form": form,
        "provider": provider,
        "kind": KINDS[kind],
        "addresses": _addresses(provider) if provider.pk else None,
    }
    return render(request, "identity/admin/provider_form.html", context)
