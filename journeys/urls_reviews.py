"""Reviews: the architects' queue, submissions, comments, decisions, share links, notifications."""

from django.urls import path

from journeys.views import comments, reviews, share

app_name = "reviews"

JOURNEY = "journeys/<int:journey_id>"

urlpatterns = [
    path("reviews/", reviews.review_queue, name="queue"),
    path("notifications/", reviews.notification_list, name="notifications"),
    path("notifications/nav/", reviews.nav, name="nav"),
    path(f"{JOURNEY}/submit/", reviews.submit, name="submit"),
    path(f"{JOURNEY}/review/", reviews.review, name="review"),
    path(f"{JOURNEY}/review/compare/", reviews.compare, name="compare"),
    path(f"{JOURNEY}/history/", reviews.history, name="history"),
    path(
        f"{JOURNEY}/stages/<stage:stage>/comments/", comments.stage_comments, name="stage_comments"
    ),
    path(f"{JOURNEY}/comments/", comments.comment_create, name="comment"),
    path(f"{JOURNEY}/comments/<int:comment_id>/edit/", comments.comment_edit, name="comment_edit"),
    path(
        f"{JOURNEY}/comments/<int:comment_id>/resolve/",
        comments.comment_resolve,
        name="comment_resolve",
    ),
    path(f"{JOURNEY}/submissions/<int:number>/sign-off/", reviews.sign_off, name="signoff"),
    path(f"{JOURNEY}/submissions/<int:number>/decide/", reviews.decide, name="decide"),
    path(f"{JOURNEY}/share/", share.share_links, name="share_links"),
    path(f"{JOURNEY}/share/<int:link_id>/revoke/", share.revoke, name="share_revoke"),
    path("s/<str:token>/", share.shared, name="shared"),
    path("s/<str:token>/roadmap.pdf", share.shared_export, name="shared_export"),
]
