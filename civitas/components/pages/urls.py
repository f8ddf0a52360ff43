from django.urls import path

from civitas.components.pages import views

app_name = "pages"
urlpatterns = [path("", views.page, name="page")]
