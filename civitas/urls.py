from django.urls import include, path
from django.views.i18n import set_language

from civitas.components.urls import admin_patterns as component_admin_patterns
from civitas.components.urls import public_patterns as component_public_patterns
from civitas.core.media import serve_media
from civitas.core.views import healthz

handler500 = "civitas.core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("civitas.accounts.urls")),
    path("", include("civitas.moderation.urls")),
    path("admin/spam/", include("civitas.spam.urls")),
    path("admin/home/", include("civitas.homepage.urls")),
    path("admin/identity-providers/", include("civitas.identity.admin_urls")),
    path("admin/editor/", include("civitas.editor.urls")),
    path("admin/", include("civitas.backoffice.urls")),
    path("admin/legal/", include("civitas.legal.admin_urls")),
    path("admin/newsletters/", include("civitas.newsletters.admin_urls")),
    path("admin/authorizations/", include("civitas.authorizations.admin_urls")),
    path("admin/people/", include("civitas.people.admin_urls")),
    path("admin/", include(component_admin_patterns())),
    path("system/", include("civitas.system.urls")),
    path("notifications/", include("civitas.notifications.urls")),
    path("newsletters/", include("civitas.newsletters.urls")),
    path("comments/", include("civitas.comments.urls")),
    path("spaces/", include("civitas.spaces.urls")),
    path("process-groups/", include("civitas.spaces.group_urls")),
    path("authorizations/", include("civitas.authorizations.urls")),
    path("invitations/", include("civitas.people.urls")),
    path("identity/", include("civitas.identity.urls")),
    path("search/", include("civitas.search.urls")),
    path("maps/", include("civitas.maps.urls")),
    path("stats/", include("civitas.stats.urls")),
    path("open-data/", include("civitas.opendata.urls")),
    path("ballots/", include("civitas.ballotbox.urls")),
    path("api/v1/", include("civitas.api.urls")),
    path("history/", include("civitas.versions.urls")),
    path("communes/", include("civitas.communes.urls")),
    path("amendments/", include("civitas.amendments.urls")),
    # Every upload goes through the check of who may see it (nginx sends the bytes in production).
    path("media/<path:path>", serve_media, name="media"),
    path("", include(component_public_patterns())),
    path("", include("civitas.legal.urls")),
    path("", include("civitas.core.urls")),
]
