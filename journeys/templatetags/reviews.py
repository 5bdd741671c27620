"""Template tags of reviews: the comment markup, and the review panel of the journey page."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from journeys import markup as comment_markup
from journeys.access import JourneyAccess
from journeys.views.comments import journey_panel

register = template.Library()


@register.filter
def markup(text: str | None) -> SafeString:
    """A comment (or summary) as safe HTML: escaped, then the few formats of `journeys.markup`."""
    return comment_markup.render(text or "")


@register.inclusion_tag("reviews/journey_panel.html", takes_context=True)
def journey_review(context: template.Context, access: JourneyAccess) -> dict[str, Any]:
    """Status, submission, decision, comments, share links and history, for the team."""
    panel = journey_panel(access)
    # The panel's forms post, so they need the page's CSRF token.
    panel.update({"csrf_token": context.get("csrf_token"), "request": context["request"]})
    return panel


@register.inclusion_tag("reviews/comments.html#block", takes_context=True)
def comments_block(context: template.Context, block: dict[str, Any]) -> dict[str, Any]:
    """One block of threads, from the context `views.comments.comment_block` built."""
    return {**block, "csrf_token": context.get("csrf_token")}
