from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from civitas.components.urls import admin_patterns as component_admin_patterns
from civitas.components.urls import public_patterns as component_public_patterns
from civitas.core.views import healthz

handler500 = "civitas.core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("civitas.accounts.urls")),
    path("", include("civitas.moderation.urls")),
    path("admin/spam/", include("civitas.spam.urls")),
    path("admin/", include("civitas.backoffice.urls")),
    path("admin/authorizations/", include("civitas.authorizations.admin_urls")),
    path("admin/", include(component_admin_patterns())),
    path("system/", include("civitas.system.urls")),
    path("notifications/", include("civitas.notifications.urls")),
    path("comments/", include("civitas.comments.urls")),
    path("spaces/", include("civitas.spaces.urls")),
    path("authorizations/", include("civitas.authorizations.urls")),
    path("search/", include("civitas.search.urls")),
    path("stats/", include("civitas.stats.urls")),
    path("open-data/", include("civitas.opendata.urls")),
    path("api/v1/", include("civitas.api.urls")),
    path("", include(component_public_patterns())),
    path("", include("civitas.core.urls")),
]

if settings.CIVITAS_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
