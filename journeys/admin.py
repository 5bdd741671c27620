from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from journeys.models import (
    Answer,
    Comment,
    Diagram,
    Estimate,
    Export,
    HistoryEntry,
    Job,
    Journey,
    Membership,
    Milestone,
    PriceEntry,
    ShareLink,
    Submission,
    Team,
)


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


def job_queues() -> list[dict[str, Any]]:
    """Per kind of job: how many wait for a worker, and the one waiting longest."""
    rows = []
    for model in (Diagram, Estimate, Export):
        queued = model.objects.filter(status=Job.QUEUED)
        oldest = queued.order_by("created", "pk").select_related("journey").first()
        rows.append(
            {
                "kind": model._meta.verbose_name_plural,
                "depth": queued.count(),
                "running": model.objects.filter(status=Job.RUNNING).count(),
                "oldest": oldest,
            }
        )
    return rows


class JobAdmin(admin.ModelAdmin):
    """Background jobs are read here, not edited: their rows belong to the workers. The list
    starts with the queues: how many jobs wait, and the oldest queued one."""

    list_display = ["journey", "stage", "status", "attempts", "lost", "created", "finished"]
    list_filter = ["status", "stage"]
    list_select_related = ["journey"]
    search_fields = ["journey__name"]
    change_list_template = "admin/journeys/job_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse | HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "queues": job_queues()})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False


admin.site.register(Diagram, JobAdmin)
admin.site.register(Estimate, JobAdmin)


@admin.register(Export)
class ExportAdmin(JobAdmin):
    list_display = ["journey", "status", "attempts", "lost", "page_count", "created", "finished"]
    list_filter = ["status"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["journey", "stage", "number", "author", "created"]
    list_filter = ["stage"]
    list_select_related = ["journey", "author"]

    def has_change_permission(self, request: HttpRequest, obj: Milestone | None = None) -> bool:
        return False  # milestones are immutable


@admin.register(HistoryEntry)
class HistoryAdmin(admin.ModelAdmin):
    list_display = ["created", "journey", "actor", "action", "summary"]
    list_filter = ["action"]
    list_select_related = ["journey", "actor"]
    search_fields = ["summary", "journey__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HistoryEntry | None = None) -> bool:
        return False  # the history is append-only


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["journey", "label", "created", "expires", "revoked"]
    list_select_related = ["journey"]
    exclude = ["key"]  # the secret behind the link never shows


admin.site.register(PriceEntry)
admin.site.register(Submission)
admin.site.register(Comment)
