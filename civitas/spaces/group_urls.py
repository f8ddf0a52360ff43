from django.urls import path

from civitas.spaces import views

app_name = "process_groups"
urlpatterns = [
    path("<slug:slug>/", views.group_detail, name="detail"),
]
