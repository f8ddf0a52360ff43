from django.urls import path

from civitas.components.pages import views

app_name = "pages_admin"
urlpatterns = [path("", views.edit_page, name="edit")]
