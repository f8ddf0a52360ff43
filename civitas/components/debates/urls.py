from django.urls import path

from civitas.components.debates import views

app_name = "debates"
urlpatterns = [
    path("", views.debate_index, name="index"),
    path("new/", views.debate_create, name="create"),
    path("<int:debate_id>/", views.debate_detail, name="detail"),
]
