"""The organization's admins write the terms of use (new versions only) and the help pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.core.confirmation import act_confirmed, confirm_act, confirm_deletion, deletion_confirmed
from civitas.legal import services
from civitas.legal.forms import HelpPageForm, TermsVersionForm
from civitas.legal.models import HelpPage, TermsVersion
from civitas.organizations.access import organization_admin_required


@organization_admin_required
def terms_versions(request):
    versions = TermsVersion.objects.filter(organization=request.organization).select_related("author")
    return render(request, "legal/admin/terms_versions.html", {"versions": versions})


@organization_admin_required
def terms_publish(request):
    current = services.current_terms(request.organization)
    initial = {"title": current.title, "body": current.body} if current else {}
    form = TermsVersionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not act_confirmed(request):
            return confirm_act(
                request,
                title=_("Publish this version of the terms?"),
                consequence=_(
                    "Once published, it can never be changed, and every participant is asked to accept it "
                    "before acting on the platform again."
                ),
                button=_("Publish the new terms"),
                back_url=reverse("legal_admin:terms"),
            )
        data = form.cleaned_data
        version = services.do_publish_terms(
            organization=request.organization,
            user=request.user,
            title=data["title"],
            body=data["body"],
            summary=data["summary"],
        )
        messages.success(
            request,
            _("Version %(number)s of the terms is in force. Participants accept it at their next visit.")
            % {"number": version.number},
        )
        return redirect("legal_admin:terms")
    return render(request, "legal/admin/terms_new.html", {"form": form, "current": current})


@organization_admin_required
def terms_version(request, number):
    version = get_object_or_404(
        TermsVersion.objects.select_related("author"), organization=request.organization, number=number
    )
    return render(request, "legal/admin/terms_version.html", {"version": version})


@organization_admin_required
def help_pages(request):
    pages = HelpPage.objects.filter(organization=request.organization)
    return render(request, "legal/admin/help_pages.html", {"pages": pages})


@organization_admin_required
def help_page_new(request):
    form = HelpPageForm(request.POST if request.method == "POST" else None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        services.do_create_help_page(
            organization=request.organization, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The help page is published."))
        return redirect("legal_admin:help")
    return render(request, "legal/admin/help_page_edit.html", {"form": form, "page": None})


@organization_admin_required
def help_page_edit(request, pk):
    page = get_object_or_404(HelpPage, pk=pk, organization=request.organization)
    form = HelpPageForm(
        request.POST if request.method == "POST" else None, instance=page, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        services.do_update_help_page(
            organization=request.organization, user=request.user, page=page, **form.cleaned_data
        )
        messages.success(request, _("The help page is saved."))
        return redirect("legal_admin:help")
    return render(request, "legal/admin/help_page_edit.html", {"form": form, "page": page})


@organization_admin_required
def help_page_history(request, pk):
    page = get_object_or_404(HelpPage, pk=pk, organization=request.organization)
    revisions = page.revisions.select_related("author")
    return render(request, "legal/admin/help_page_history.html", {"page": page, "revisions": revisions})


@organization_admin_required
@require_POST
def help_page_move(request, pk):
    page = get_object_or_404(HelpPage, pk=pk, organization=request.organization)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.do_move_help_page(
            organization=request.organization, user=request.user, page=page, direction=direction
        )
    return redirect("legal_admin:help")


@organization_admin_required
@require_POST
def help_page_delete(request, pk):
    page = get_object_or_404(HelpPage, pk=pk, organization=request.organization)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=page.title,
            consequence=_("The page and its history are deleted for good; its address stops working."),
            back_url=reverse("legal_admin:help"),
        )
    services.do_delete_help_page(organization=request.organization, user=request.user, page=page)
    messages.success(request, _("The help page is deleted."))
    return redirect("legal_admin:help")
