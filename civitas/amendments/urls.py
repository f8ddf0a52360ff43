from django.urls import path

from civitas.amendments import views

app_name = "amendments"
urlpatterns = [
    path("new/<str:key>/<int:object_id>/", views.amendment_new, name="new"),
    path("<int:amendment_id>/", views.amendment_detail, name="detail"),
    path("<int:amendment_id>/edit/", views.amendment_edit, name="edit"),
    path("<int:amendment_id>/withdraw/", views.amendment_withdraw, name="withdraw"),
    path("<int:amendment_id>/accept/", views.amendment_accept, name="accept"),
    path("<int:amendment_id>/reject/", views.amendment_reject, name="reject"),
    path("<int:amendment_id>/promote/", views.amendment_promote, name="promote"),
    path("<int:amendment_id>/support/", views.amendment_support, name="support"),
]
