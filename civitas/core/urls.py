from django.urls import path

from civitas.accounts.views import public_profile
from civitas.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("theme.css", views.organization_theme, name="theme"),
    path("terms/", views.terms, name="terms"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("profiles/<str:nickname>/", public_profile, name="profile"),
    path("link/", views.outbound_link, name="outbound_link"),
]
