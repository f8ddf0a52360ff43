from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.notifications.delivery import send_pending_now
from civitas.notifications.models import EmailFrequency, NotificationPreference


@login_required
def notification_list(request):
    notifications = request.user.notifications.all()
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_frequency"]
        widgets = {"email_frequency": forms.RadioSelect}


@login_required
def preferences(request):
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        preference = form.save()
        if preference.email_frequency == EmailFrequency.IMMEDIATELY:
            send_pending_now(request.user)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "section": "notifications"})
