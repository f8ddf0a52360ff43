from django.urls import path

from civitas.components.accountability import views

app_name = "accountability"
urlpatterns = [
    path("", views.result_index, name="index"),
    path("<int:result_id>/", views.result_detail, name="result"),
]
