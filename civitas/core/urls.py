from django.urls import path

from civitas.accounts.views import public_profile
from civitas.core import views
from civitas.homepage.views import home

app_name = "core"
urlpatterns = [
    path("", home, name="home"),
    path("theme.css", views.organization_theme, name="theme"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("profiles/<str:nickname>/", public_profile, name="profile"),
    path("link/", views.outbound_link, name="outbound_link"),
]
