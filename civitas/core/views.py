from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from civitas.organizations.theme import theme_css
from civitas.spaces.models import Space


def home(request):
    organization = request.organization
    visible = Space.objects.filter(organization=organization).listed_for(request.user)
    promoted = visible.filter(promoted=True).select_related("active_phase").order_by("position", "pk")[:6]
    participants = get_user_model().objects.filter(
        organization=organization, is_active=True, deleted_at__isnull=True, email_confirmed_at__isnull=False
    )
    statistics = visible.aggregate(
        processes=Count("pk", filter=Q(kind=Space.Kind.PROCESS)),
        assemblies=Count("pk", filter=Q(kind=Space.Kind.ASSEMBLY)),
    )
    statistics["participants"] = participants.count()
    return render(request, "core/home.html", {"promoted": promoted, "statistics": statistics})


@require_GET
def organization_theme(request):
    organization = request.organization
    response = HttpResponse(
        theme_css(organization.primary_colour, organization.secondary_colour), content_type="text/css"
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /accounts/", "Disallow: /admin/", "Disallow: /system/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def terms(request):
    return render(request, "core/terms.html")
