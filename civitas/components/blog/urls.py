from django.urls import path

from civitas.components.blog import views
from civitas.components.blog.feeds import atom_feed, rss_feed

app_name = "blog"
urlpatterns = [
    path("", views.post_index, name="index"),
    path("feed/", rss_feed, name="feed"),
    path("feed/atom/", atom_feed, name="atom"),
    path("<int:post_id>/", views.post_detail, name="detail"),
    path("<int:post_id>/endorse/", views.post_endorse, name="endorse"),
]
