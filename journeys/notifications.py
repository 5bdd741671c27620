"""Emails to people, sent through Django's email backend (the console in development)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from journeys.models import Membership


def tell_new_member(membership_id: int) -> bool:
    """Tell a user they were added to a team. False when there is nobody to tell."""
    membership = Membership.objects.select_related("team", "user").filter(pk=membership_id).first()
    if membership is None or not membership.user.email:
        return False
    context = {"membership": membership, "site_name": settings.SITE_NAME}
    send_mail(
        subject=f"You joined {membership.team.name} on {settings.SITE_NAME}",
        message=render_to_string("emails/new_member.txt", context),
        from_email=None,
        recipient_list=[membership.user.email],
    )
    return True
