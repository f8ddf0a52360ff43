from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from civitas.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("civitas.accounts.urls")),
    path("admin/", include("civitas.backoffice.urls")),
    path("system/", include("civitas.system.urls")),
    path("", include("civitas.core.urls")),
]

if settings.CIVITAS_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
