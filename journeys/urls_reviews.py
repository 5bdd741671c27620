"""Reviews: the architects' queue, submissions, comments, decisions, share links, notifications."""

from django.urls import include, path

from journeys.views import comments, reviews, share

app_name = "reviews"

# journeys/<journey_id>/…: the review side of one journey.
journey_urls = [
    path("submit/", reviews.submit, name="submit"),
    path("review/", reviews.review, name="review"),
    path("review/compare/", reviews.compare, name="compare"),
    path("history/", reviews.history, name="history"),
    path("stages/<stage:stage>/comments/", comments.stage_comments, name="stage_comments"),
    path("comments/", comments.comment_create, name="comment"),
    path("comments/<int:comment_id>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/resolve/", comments.comment_resolve, name="comment_resolve"),
    path("submissions/<int:number>/sign-off/", reviews.sign_off, name="signoff"),
    path("submissions/<int:number>/decide/", reviews.decide, name="decide"),
    path("share/", share.share_links, name="share_links"),
    path("share/<int:link_id>/revoke/", share.revoke, name="share_revoke"),
]

urlpatterns = [
    path("reviews/", reviews.review_queue, name="queue"),
    path("notifications/", reviews.notification_list, name="notifications"),
    path("notifications/nav/", reviews.nav, name="nav"),
    path("journeys/<int:journey_id>/", include(journey_urls)),
    path("s/<str:token>/", share.shared, name="shared"),
    path("s/<str:token>/roadmap.pdf", share.shared_export, name="shared_export"),
]
