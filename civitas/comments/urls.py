from django.urls import path

from civitas.comments import views

app_name = "comments"
urlpatterns = [
    path("<int:content_type_id>/<int:object_id>/", views.comment_list, name="list"),
    path("<int:content_type_id>/<int:object_id>/add/", views.add_comment, name="add"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:comment_id>/replies/", views.replies, name="replies"),
    path("<int:comment_id>/reply/", views.reply, name="reply"),
    path("<int:comment_id>/edit/", views.edit_comment, name="edit"),
    path("<int:comment_id>/delete/", views.delete_comment, name="delete"),
    path("<int:comment_id>/vote/", views.vote, name="vote"),
]
