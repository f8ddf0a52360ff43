from django.urls import path

from civitas.editor import views

app_name = "editor"

urlpatterns = [path("images/", views.upload_image, name="upload_image")]
