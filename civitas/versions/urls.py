from django.urls import path

from civitas.versions import views

app_name = "versions"

urlpatterns = [
    path("<str:key>/<int:object_id>/", views.history, name="history"),
]
