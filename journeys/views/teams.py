"""Teams: list, create, and membership managed by the team's owners."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from journeys.access import team_access_or_404
from journeys.forms import AddMemberForm, RemoveMemberForm, TeamForm
from journeys.models import Membership, Team
from journeys.reviews import notifications
from journeys.views import HtmxHttpRequest


@require_http_methods(["GET"])
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user).select_related("team").order_by("team__name")
    )
    return render(request, "teams/list.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
def team_create(request: HtmxHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            team = form.save(commit=False)
            team.slug = Team.unique_slug(team.name)
            team.save()
            Membership.objects.create(team=team, user=request.user, role=Membership.OWNER)
        messages.success(request, f"Team “{team.name}” created. Add the people who plan with you.")
        return redirect(team)
    return render(request, "teams/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def team_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = team_access_or_404(request.user, slug, manage=request.method == "POST")
    team = access.team
    form = AddMemberForm(team, request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        notifications.welcome(membership)
        messages.success(
            request, f"{membership.user.username} joined {team.name} as {membership.role}."
        )
        return redirect(team)
    members = team.memberships.select_related("user").order_by("user__username")
    context = {"team": team, "access": access, "members": members, "form": form}
    return render(request, "teams/detail.html", context)


@require_POST
def member_remove(request: HtmxHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    team = team_access_or_404(request.user, slug, manage=True).team
    membership = get_object_or_404(team.memberships.select_related("user"), pk=membership_id)
    form = RemoveMemberForm(membership, request.POST)
    if form.is_valid():
        membership.delete()
        messages.success(request, f"{membership.user.username} no longer belongs to {team.name}.")
    else:
        # The button sits in a table row of the team page: the reason comes back as a message.
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect(team)
