from django.urls import path

from civitas.people import views

app_name = "people_admin"
urlpatterns = [
    path("", views.participants, name="participants"),
    path("export/", views.export, name="export"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:user_id>/remove/", views.role_remove, name="role_remove"),
    path("invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
