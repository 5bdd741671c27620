"""The sign-up form: a new account with its first team."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.db import transaction

from journeys.models import Membership, Team


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True)
    team_name = forms.CharField(
        max_length=100, label="Team name", help_text="Your first team. You can add people later."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=True)
        name = self.cleaned_data["team_name"].strip()
        team = Team.objects.create(name=name, slug=Team.unique_slug(name))
        Membership.objects.create(team=team, user=user, role=Membership.OWNER)
        return user
