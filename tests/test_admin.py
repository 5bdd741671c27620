"""The admin: every registered model's list opens for staff."""

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from journeys.milestones import save_milestone


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m.__name__)
def test_the_changelist_opens(client: Any, journey: Any, editor: Any, model: Any) -> None:
    save_milestone(journey, "launch", "", editor)
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()


def test_a_milestone_cannot_be_changed_in_the_admin(client: Any, journey: Any, editor: Any) -> None:
    milestone, _ = save_milestone(journey, "launch", "", editor)
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    url = reverse("admin:journeys_milestone_change", args=[milestone.pk])
    response = client.post(url, {"note": "rewritten"})
    milestone.refresh_from_db()
    assert milestone.note == "" and response.status_code == 403
