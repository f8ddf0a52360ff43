from django.urls import path

from civitas.backoffice import component_views, group_views, log_views, space_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.organization_settings, name="settings"),
    path("pages/new/", views.page_new, name="page_new"),
    path("captcha/", views.captcha_questions, name="captcha_questions"),
    path("captcha/<int:pk>/", views.captcha_question_edit, name="captcha_question_edit"),
    path("captcha/<int:pk>/delete/", views.captcha_question_delete, name="captcha_question_delete"),
    path("log/", log_views.action_log, name="action_log"),
    path("spaces/", space_views.space_list, name="spaces"),
    path("spaces/new/<str:kind>/", space_views.space_create, name="space_create"),
    path("spaces/<int:space_id>/", space_views.space_dashboard, name="space"),
    path("spaces/<int:space_id>/edit/", space_views.space_edit, name="space_edit"),
    path("spaces/<int:space_id>/publish/", space_views.space_publish, name="space_publish"),
    path("spaces/<int:space_id>/move/", space_views.space_move, name="space_move"),
    path("spaces/<int:space_id>/copy/", space_views.space_copy, name="space_copy"),
    path("groups/", group_views.group_list, name="groups"),
    path("groups/new/", group_views.group_create, name="group_create"),
    path("groups/<int:group_id>/", group_views.group_edit, name="group_edit"),
    path("groups/<int:group_id>/delete/", group_views.group_delete, name="group_delete"),
    path("spaces/<int:space_id>/phases/new/", space_views.phase_create, name="phase_create"),
    path("spaces/<int:space_id>/phases/<int:phase_id>/", space_views.phase_edit, name="phase_edit"),
    path(
        "spaces/<int:space_id>/phases/<int:phase_id>/activate/",
        space_views.phase_activate,
        name="phase_activate",
    ),
    path("spaces/<int:space_id>/phases/<int:phase_id>/move/", space_views.phase_move, name="phase_move"),
    path(
        "spaces/<int:space_id>/phases/<int:phase_id>/delete/", space_views.phase_delete, name="phase_delete"
    ),
    path("spaces/<int:space_id>/roles/", space_views.role_list, name="space_roles"),
    path("spaces/<int:space_id>/roles/<int:role_id>/revoke/", space_views.role_revoke, name="role_revoke"),
    path("spaces/<int:space_id>/roles/<int:role_id>/move/", space_views.role_move, name="role_move"),
    path("spaces/<int:space_id>/components/new/", component_views.component_create, name="component_create"),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/",
        component_views.component_configure,
        name="component",
    ),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/publish/",
        component_views.component_publish,
        name="component_publish",
    ),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/move/",
        component_views.component_move,
        name="component_move",
    ),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/delete/",
        component_views.component_delete,
        name="component_delete",
    ),
]
