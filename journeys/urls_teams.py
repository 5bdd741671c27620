from django.urls import path

from journeys.views import teams

app_name = "teams"

urlpatterns = [
    path("", teams.team_list, name="list"),
    path("new/", teams.team_create, name="create"),
    path("<slug:slug>/", teams.team_detail, name="detail"),
    path("<slug:slug>/members/<int:membership_id>/remove/", teams.member_remove, name="remove"),
]
