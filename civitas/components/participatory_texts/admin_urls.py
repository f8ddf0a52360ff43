from django.urls import path

from civitas.components.participatory_texts import admin_views

app_name = "participatory_texts_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("import/", admin_views.import_document, name="import"),
    path("articles/new/", admin_views.article_edit, name="article_create"),
    path("articles/<int:article_id>/", admin_views.article_edit, name="article_edit"),
    path("articles/<int:article_id>/move/", admin_views.article_move, name="article_move"),
    path("articles/<int:article_id>/delete/", admin_views.article_delete, name="article_delete"),
    path("sections/<int:section_id>/", admin_views.section_edit, name="section_edit"),
    path("publish/", admin_views.publish, name="publish"),
]
