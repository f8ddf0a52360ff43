from django.urls import path

from civitas.components.participatory_texts import views

app_name = "participatory_texts"
urlpatterns = [
    path("", views.text, name="index"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("versions/", views.versions, name="versions"),
    path("versions/compare/", views.compare, name="compare"),
    path("versions/<int:number>/", views.text_version, name="version"),
    path("text.md", views.markdown, name="markdown"),
]
