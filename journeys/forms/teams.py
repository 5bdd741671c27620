"""The team forms: renaming a team, adding and removing its members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from journeys.models import Membership, Team


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]


class AddMemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(
        choices=[
            (Membership.EDITOR, "Editor — changes the team's journeys"),
            (Membership.VIEWER, "Viewer — reads them"),
            (Membership.OWNER, "Owner — an editor who also manages members"),
        ],
        initial=Membership.EDITOR,
    )

    def __init__(self, team: Team, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"There is no user called “{username}”.")
        if Membership.objects.filter(team=self.team, user=user).exists():
            raise forms.ValidationError(f"{user.username} is already in this team.")
        return user

    def save(self) -> Membership:
        return Membership.objects.create(
            team=self.team, user=self.cleaned_data["username"], role=self.cleaned_data["role"]
        )


class RemoveMemberForm(forms.Form):
    """Taking someone out of a team: nothing is typed, but a team keeps at least one owner."""

    def __init__(self, membership: Membership, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean(self) -> dict[str, Any]:
        membership = self.membership
        owners = Membership.objects.filter(team=membership.team_id, role=Membership.OWNER)
        if membership.role == Membership.OWNER and owners.count() == 1:
            raise forms.ValidationError("A team needs at least one owner: add another owner first.")
        return self.cleaned_data
