from django.urls import path

from civitas.legal import views

app_name = "legal"
urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("terms/versions/<int:number>/", views.terms_version, name="terms_version"),
    path("terms/accept/", views.accept, name="accept"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:slug>/", views.help_page, name="help_page"),
]
