from django.urls import path

from civitas.maps import views

app_name = "maps"
urlpatterns = [path("addresses/", views.suggest, name="suggest")]
