from django.urls import path

from civitas.spaces import views

app_name = "spaces"
urlpatterns = [
    path("", views.space_list, name="list"),
    path("<slug:slug>/", views.space_detail, name="detail"),
    path("<slug:slug>/follow/", views.follow_space, name="follow"),
]
