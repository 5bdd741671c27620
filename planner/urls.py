"""The site's URLs: accounts, teams and journeys."""

from django.contrib import admin
from django.urls import include, path

from journeys.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("teams/", include("journeys.urls_teams")),
    path("", include("journeys.urls")),
    path("", include("journeys.urls_reviews")),
]
