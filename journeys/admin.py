from django.contrib import admin

from journeys.models import Answer, Journey, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "status", "region", "updated", "archived"]
    list_filter = ["status", "region", "team"]
    search_fields = ["name", "description"]
    list_select_related = ["team"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["journey", "stage", "question", "value", "not_applicable", "updated"]
    list_filter = ["stage"]
    search_fields = ["question", "journey__name"]
    list_select_related = ["journey"]
