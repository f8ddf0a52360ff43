from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from civitas.organizations.theme import theme_css


def home(request):
    return render(request, "core/home.html")


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
