from django.urls import path

from civitas.moderation import views

app_name = "moderation"
urlpatterns = [
    path("report/<int:content_type_id>/<int:object_id>/", views.report, name="report"),
    path("admin/moderation/", views.queue, name="queue"),
    path("admin/moderation/<int:moderation_id>/hide/", views.hide, name="hide"),
    path("admin/moderation/<int:moderation_id>/unhide/", views.unhide, name="unhide"),
    path("admin/moderation/<int:moderation_id>/dismiss/", views.dismiss, name="dismiss"),
    path("admin/blocked/", views.blocked_accounts, name="blocked"),
    path("admin/users/<int:user_id>/block/", views.block, name="block"),
    path("admin/users/<int:user_id>/unblock/", views.unblock, name="unblock"),
]
