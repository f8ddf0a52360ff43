from django.urls import path

from civitas.legal import admin_views

app_name = "legal_admin"
urlpatterns = [
    path("terms/", admin_views.terms_versions, name="terms"),
    path("terms/new/", admin_views.terms_publish, name="terms_publish"),
    path("terms/<int:number>/", admin_views.terms_version, name="terms_version"),
    path("help/", admin_views.help_pages, name="help"),
    path("help/new/", admin_views.help_page_new, name="help_new"),
    path("help/<int:pk>/", admin_views.help_page_edit, name="help_edit"),
    path("help/<int:pk>/history/", admin_views.help_page_history, name="help_history"),
    path("help/<int:pk>/move/", admin_views.help_page_move, name="help_move"),
    path("help/<int:pk>/delete/", admin_views.help_page_delete, name="help_delete"),
]
