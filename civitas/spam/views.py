from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civitas.organizations.access import organization_admin_required
from civitas.spam import scoring, services
from civitas.spam.forms import SpamSettingsForm
from civitas.spam.labels import group_label, trained_at
from civitas.spam.models import ScanRun, SpamSettings


@organization_admin_required
def spam_admin(request):
    """The model in use with its held-out figures, the last scans, and the thresholds form."""
    organization = request.organization
    current = SpamSettings.for_organization(organization)
    form = SpamSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.do_update_settings(
            admin=request.user,
            organization=organization,
            report_threshold=form.cleaned_data["report_threshold"],
            block_threshold=form.cleaned_data["block_threshold"],
            blocking_enabled=form.cleaned_data["blocking_enabled"],
        )
        messages.success(request, _("The spam detection settings are saved."))
        return redirect("spam:admin")
    status = scoring.model_status(organization)
    metrics = status["model"].metrics if status["ok"] else {}
    context = {
        "form": form,
        "status": status,
        "metrics": metrics,
        "groups": [(group_label(code), shares) for code, shares in sorted(metrics.get("groups", {}).items())],
        "trained_at": trained_at(status["model"].trained_at) if status["ok"] else None,
        "runs": ScanRun.objects.filter(organization=organization)[:10],
        "today": services.daily_counts(organization, services.timezone.localdate()),
    }
    return render(request, "spam/admin.html", context)
