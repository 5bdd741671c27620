"""The site's URLs: accounts, teams and journeys."""

from django.contrib import admin
from django.urls import include, path

from journeys.views import accounts, health, products

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("accounts/signup/", accounts.signup, name="signup"),
    # Before Django's own: the password reset that counts its requests.
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("charts.css", products.chart_stylesheet, name="chart_css"),
    path("teams/", include("journeys.urls_teams")),
    path("", include("journeys.urls")),
    path("", include("journeys.urls_reviews")),
]
