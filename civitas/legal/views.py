"""Public pages: the terms of use (current and earlier versions), accepting new terms, help pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from civitas.legal import services
from civitas.legal.models import HelpPage, TermsVersion


def _versions(organization):
    return TermsVersion.objects.filter(organization=organization).only("number", "title", "published_at")


def terms(request):
    versions = list(_versions(request.organization))
    if not versions:
        return render(request, "core/terms.html")
    current = TermsVersion.objects.get(pk=versions[0].pk)
    context = {"version": current, "current": current, "earlier": versions[1:]}
    return render(request, "legal/terms.html", context)


def terms_version(request, number):
    version = get_object_or_404(TermsVersion, organization=request.organization, number=number)
    versions = list(_versions(request.organization))
    current = versions[0]
    if version.number == current.number:
        return redirect("legal:terms")
    context = {
        "version": version,
        "current": current,
        "earlier": [v for v in versions[1:] if v.number != number],
    }
    return render(request, "legal/terms.html", context)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept(request):
    """The new terms, what changed, and the choice: accept, or leave with one's data."""
    organization = request.organization
    if request.user.organization_id != organization.pk:
        raise Http404
    version = services.current_terms(organization)
    next_url = _safe_next(request)
    accepted = services.last_accepted_number(request.user)
    if version is None or accepted >= version.number:
        services.remember_acceptance(request, accepted)
        return redirect(next_url or "core:home")
    if request.method == "POST":
        services.do_accept_terms(user=request.user, version=version)
        services.remember_acceptance(request, version.number)
        return redirect(next_url or "core:home")
    context = {"version": version, "next": next_url, "first_time": accepted == 0}
    return render(request, "legal/accept.html", context)


def help_index(request):
    pages = HelpPage.objects.filter(organization=request.organization).only("title", "slug", "body")
    return render(request, "legal/help_index.html", {"pages": pages})


def help_page(request, slug):
    page = get_object_or_404(HelpPage, organization=request.organization, slug=slug)
    pages = HelpPage.objects.filter(organization=request.organization).only("title", "slug")
    return render(request, "legal/help_page.html", {"page": page, "pages": pages})
