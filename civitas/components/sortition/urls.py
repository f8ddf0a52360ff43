from django.urls import path

from civitas.components.sortition import views

app_name = "sortition"
urlpatterns = [
    path("", views.panel_page, name="panel"),
    path("volunteer/", views.register, name="register"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("lottery.json", views.lottery_file, name="lottery_file"),
    path("proposal-draws/<int:draw_id>/", views.proposal_draw, name="proposal_draw"),
    path("proposal-draws/<int:draw_id>/list.json", views.proposal_draw_file, name="proposal_draw_file"),
]
