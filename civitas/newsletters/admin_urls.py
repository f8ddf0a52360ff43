from django.urls import path

from civitas.newsletters import admin_views

app_name = "newsletters_admin"
urlpatterns = [
    path("", admin_views.newsletter_list, name="list"),
    path("new/", admin_views.newsletter_new, name="new"),
    path("<int:pk>/", admin_views.newsletter_detail, name="detail"),
    path("<int:pk>/edit/", admin_views.newsletter_edit, name="edit"),
    path("<int:pk>/preview/", admin_views.newsletter_preview, name="preview"),
    path("<int:pk>/test/", admin_views.newsletter_send_test, name="send_test"),
    path("<int:pk>/send/", admin_views.newsletter_send, name="send"),
]
