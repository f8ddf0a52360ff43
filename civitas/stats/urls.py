from django.urls import path

from civitas.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.organization_stats, name="organization"),
    path("spaces/<slug:slug>/", views.space_stats, name="space"),
]
