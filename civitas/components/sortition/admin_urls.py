from django.urls import path

from civitas.components.sortition import admin_views as views

app_name = "sortition_admin"
urlpatterns = [
    path("", views.index, name="index"),
    path("features/", views.add_feature, name="add_feature"),
    path("features/<int:feature_id>/delete/", views.delete_feature, name="delete_feature"),
    path("quotas/", views.quotas, name="quotas"),
    path("shares/", views.apply_shares, name="shares"),
    path("compute/", views.compute, name="compute"),
    path("status/", views.status, name="status"),
    path("publish/", views.publish, name="publish"),
    path("draw/", views.draw_panel, name="draw"),
    path("cancel-publication/", views.cancel_publication, name="cancel_publication"),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:volunteer_id>/withdraw/", views.withdraw_volunteer, name="withdraw"),
    path("paper/", views.paper, name="paper"),
    path("paper/<int:keying_id>/delete/", views.delete_keying, name="delete_keying"),
    path("import/", views.import_csv, name="import"),
    path("proposal-draws/", views.proposal_draws, name="proposal_draws"),
    path("proposal-draws/<int:draw_id>/draw/", views.draw_proposals, name="draw_proposals"),
]
