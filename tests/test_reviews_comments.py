"""Review comments: anchored threads, replies, the safe markup, edits with their history,
resolving, and refusals that keep what was typed."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from journeys.access import JourneyAccess, review_access_or_404
from journeys.markup import render
from journeys.models import Comment, CommentRevision, Journey, Milestone, Submission
from journeys.reviews import comments
from tests.conftest import add_comment

HTMX = {"HX-Request": "true"}
ALLOWED_TAGS = re.compile(
    r'</?(?:strong|em|code)>|<br>|<a href="https?://[^"<>]*" rel="nofollow noopener">|</a>'
)
LINK_TARGETS = re.compile(r'href="([^"]*)"')


def comment_url(journey: Journey) -> str:
    return reverse("reviews:comment", args=[journey.pk])


def post_comment(client: Any, journey: Journey, htmx: bool = True, **data: Any) -> Any:
    headers = HTMX if htmx else {}
    return client.post(comment_url(journey), data, headers=headers)


def as_seen_by(journey: Journey, user: User) -> JourneyAccess:
    return review_access_or_404(user, journey.pk)


# --- The markup ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "html"),
    [
        ("**bold** and *italic*", "<strong>bold</strong> and <em>italic</em>"),
        ("use `<b>x</b>` here", "use <code>&lt;b&gt;x&lt;/b&gt;</code> here"),
        ("line one\nline two", "line one<br>line two"),
        (
            "see https://aws.amazon.com/rds/?a=1&b=2.",
            'see <a href="https://aws.amazon.com/rds/?a=1&amp;b=2" rel="nofollow noopener">'
            "https://aws.amazon.com/rds/?a=1&amp;b=2</a>.",
        ),
        ("2*3*4 and snake_case", "2*3*4 and snake_case"),
    ],
)
def test_the_markup_knows_bold_italic_code_links_and_line_breaks(typed: str, html: str) -> None:
    assert render(typed) == html


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "javascript:alert(1)",
        "[click](javascript:alert(1))",
        'http://example.com/"onmouseover="alert(1)',
        "https://example.com/<script>alert(1)</script>",
        "**<iframe src=//evil>**",
        "`</code><script>x</script>`",
    ],
)
def test_script_and_html_in_the_markup_come_out_as_text(typed: str) -> None:
    html = str(render(typed))
    # Only the markup's own tags may remain; every other "<" was escaped.
    rest = ALLOWED_TAGS.sub("", html)
    assert "<" not in rest and ">" not in rest, html
    assert "javascript:" not in "".join(LINK_TARGETS.findall(html))


def test_script_and_html_in_a_comment_are_inert_on_every_page_that_shows_it(
    client: Any, journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> **ok**'
    add_comment(as_seen_by(journey, architect), {"body": evil})
    add_comment(as_seen_by(journey, architect), {"body": evil, "scope": "growth"})
    client.force_login(architect)
    pages = [reverse("reviews:review", args=[journey.pk])]
    client.force_login(editor)
    pages += [
        reverse("journeys:detail", args=[journey.pk]),
        reverse("reviews:stage_comments", args=[journey.pk, "growth"]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert '<script>alert("x")' not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<strong>ok</strong>" in html


# --- Threads and anchors -------------------------------------------------------------------------


def test_an_architect_comments_on_a_component_of_the_submitted_milestone(
    client: Any, journey: Journey, architect: User, editor: User, submitted: Submission
) -> None:
    client.force_login(architect)
    milestone = submitted.entries.get(stage="growth").milestone
    response = post_comment(
        client,
        journey,
        body="Why not Aurora?",
        scope="growth",
        scope_milestone=str(milestone.pk),
        anchor="component:primary-db",
    )
    assert response.status_code == 200
    comment = Comment.objects.get()
    assert (comment.stage, comment.kind, comment.target) == ("growth", "component", "primary-db")
    assert comment.target_label == "RDS database" and comment.milestone == milestone
    assert comment.submission == submitted
    html = response.content.decode()
    assert 'href="#component-primary-db"' in html and "Why not Aurora?" in html
    # The team finds it beside the growth questions, not beside the launch ones.
    client.force_login(editor)
    growth = client.get(reverse("reviews:stage_comments", args=[journey.pk, "growth"]))
    launch = client.get(reverse("reviews:stage_comments", args=[journey.pk, "launch"]))
    assert "Why not Aurora?" in growth.content.decode()
    assert "Why not Aurora?" not in launch.content.decode()


def test_comments_anchor_on_a_finding_the_stage_or_the_journey(
    journey: Journey, architect: User, submitted: Submission
) -> None:
    seen = as_seen_by(journey, architect)
    milestone = submitted.entries.get(stage="launch").milestone
    finding = Milestone.objects.get(pk=milestone.pk).state["findings"][0]
    data = {"scope": "launch", "scope_milestone": str(milestone.pk)}
    on_finding = add_comment(seen, {**data, "body": "Risky", "anchor": f"finding:{finding['id']}"})
    on_stage = add_comment(seen, {**data, "body": "Overall", "anchor": "stage"})
    on_journey = add_comment(seen, {"body": "Nice plan", "anchor": "journey"})
    assert on_finding.kind == "finding" and on_finding.target_label == finding["title"]
    assert (on_stage.kind, on_stage.stage) == ("stage", "launch")
    assert (on_journey.kind, on_journey.stage) == ("journey", "")


def test_an_anchor_that_is_not_in_the_milestone_is_refused_and_the_text_kept(
    client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    client.force_login(architect)
    milestone = submitted.entries.get(stage="launch").milestone
    response = post_comment(
        client,
        journey,
        body="About the cache",
        scope="launch",
        scope_milestone=str(milestone.pk),
        anchor="component:cache",  # launch has no cache
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Pick one from the list." in html
    assert "About the cache" in html
    assert not Comment.objects.exists()


def test_a_reply_joins_the_thread_of_the_comment_it_answers(
    journey: Journey, architect: User, editor: User, submitted: Submission
) -> None:
    root = add_comment(as_seen_by(journey, architect), {"body": "Q", "scope": "scale"})
    reply = add_comment(as_seen_by(journey, editor), {"body": "A", "parent": str(root.pk)})
    again = add_comment(as_seen_by(journey, architect), {"body": "Thanks", "parent": str(reply.pk)})
    assert reply.parent == root and again.parent == root
    assert (again.stage, again.kind) == ("scale", "stage")
    found = comments.threads(journey, "scale")
    assert [t.root.pk for t in found] == [root.pk]
    assert [r.body for r in found[0].replies] == ["A", "Thanks"]


def test_a_reply_to_a_comment_of_another_journey_answers_404(
    client: Any, journey: Journey, editor: User, architect: User, submitted: Submission, team: Any
) -> None:
    other = Journey.objects.create(team=team, name="Other", region="eu-west-1")
    elsewhere = Comment.objects.create(journey=other, author=editor, body="Elsewhere")
    client.force_login(editor)
    response = post_comment(client, journey, body="Hi", parent=str(elsewhere.pk))
    assert response.status_code == 404


def test_an_empty_comment_is_refused_beside_the_form(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = post_comment(editor_client, journey, body="   ")
    html = response.content.decode()
    assert response.status_code == 200 and "Write something first." in html
    assert 'aria-invalid="true"' in html


def test_a_too_long_comment_keeps_its_text_without_javascript(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    text = "x" * (Comment.MAX_LENGTH + 1)
    response = post_comment(editor_client, journey, htmx=False, body=text, next="/")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Keep it under 5,000 characters" in html and text in html
    assert not Comment.objects.exists()


def test_without_javascript_a_comment_goes_back_to_the_page_it_came_from(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    stage_page = reverse("journeys:stage", args=[journey.pk, "growth"])
    response = post_comment(
        editor_client, journey, htmx=False, body="Hi", scope="growth", next=stage_page
    )
    comment = Comment.objects.get()
    assert response["Location"] == f"{stage_page}#comment-{comment.pk}"


def test_a_next_address_outside_the_site_is_ignored(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = post_comment(
        editor_client, journey, htmx=False, body="Hi", next="https://evil.example/"
    )
    assert response["Location"].startswith(reverse("journeys:detail", args=[journey.pk]))


def test_viewers_read_comments_but_cannot_write_them(
    client: Any, viewer: User, journey: Journey, architect: User, submitted: Submission
) -> None:
    add_comment(as_seen_by(journey, architect), {"body": "For the team"})
    client.force_login(viewer)
    page = client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert "For the team" in page and "Comment on the journey" not in page
    assert post_comment(client, journey, body="Me too").status_code == 403
    comment = Comment.objects.get()
    url = reverse("reviews:comment_resolve", args=[journey.pk, comment.pk])
    assert client.post(url, {"resolved": "1"}).status_code == 403


def test_another_teams_editor_cannot_comment(
    client: Any, outsider: User, journey: Journey, submitted: Submission
) -> None:
    client.force_login(outsider)
    assert post_comment(client, journey, body="Hello").status_code == 404


# --- Editing and resolving ----------------------------------------------------------------------


def test_authors_edit_their_comment_and_the_earlier_text_stays_readable(
    client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    comment = add_comment(as_seen_by(journey, architect), {"body": "Frist"})
    client.force_login(architect)
    url = reverse("reviews:comment_edit", args=[journey.pk, comment.pk])
    form = client.get(url, headers=HTMX).content.decode()
    assert "Frist</textarea>" in form
    response = client.post(url, {"body": "First"}, headers=HTMX)
    html = response.content.decode()
    assert "First" in html and "Edit history (1 earlier version)" in html and "Frist" in html
    comment.refresh_from_db()
    assert comment.body == "First" and comment.edited is not None
    revision = CommentRevision.objects.get()
    assert revision.body == "Frist" and revision.written == comment.created


def test_only_the_author_edits_a_comment(
    client: Any, journey: Journey, architect: User, editor: User, submitted: Submission
) -> None:
    comment = add_comment(as_seen_by(journey, architect), {"body": "Mine"})
    client.force_login(editor)
    url = reverse("reviews:comment_edit", args=[journey.pk, comment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Yours"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine"


def test_an_edit_that_empties_the_comment_is_refused_and_keeps_the_old_text(
    client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    comment = add_comment(as_seen_by(journey, architect), {"body": "Keep"})
    client.force_login(architect)
    url = reverse("reviews:comment_edit", args=[journey.pk, comment.pk])
    response = client.post(url, {"body": ""}, headers=HTMX)
    assert "Write something first." in response.content.decode()
    response = client.post(url, {"body": ""})
    assert response.status_code == 422
    comment.refresh_from_db()
    assert comment.body == "Keep" and not CommentRevision.objects.exists()


def test_a_thread_is_resolved_and_reopened_by_the_team_or_the_architect(
    client: Any, journey: Journey, architect: User, editor: User, submitted: Submission
) -> None:
    root = add_comment(as_seen_by(journey, architect), {"body": "Fix"})
    reply = add_comment(as_seen_by(journey, editor), {"body": "Done", "parent": str(root.pk)})
    client.force_login(editor)
    url = reverse("reviews:comment_resolve", args=[journey.pk, reply.pk])
    html = client.post(url, {"resolved": "1"}, headers=HTMX).content.decode()
    root.refresh_from_db()
    assert root.resolved is not None and root.resolved_by == editor
    assert "Resolved by erin" in html and "Reopen" in html
    client.force_login(architect)
    client.post(reverse("reviews:comment_resolve", args=[journey.pk, root.pk]), {"resolved": "0"})
    root.refresh_from_db()
    assert root.resolved is None


# --- Where the team sees them -------------------------------------------------------------------


def test_the_stage_page_loads_its_comments_beside_the_questions(
    editor_client: Any, journey: Journey
) -> None:
    html = editor_client.get(reverse("journeys:stage", args=[journey.pk, "scale"])).content.decode()
    assert reverse("reviews:stage_comments", args=[journey.pk, "scale"]) in html


def test_a_stage_nobody_commented_on_shows_only_a_way_to_start_a_thread(
    editor_client: Any, journey: Journey
) -> None:
    html = editor_client.get(
        reverse("reviews:stage_comments", args=[journey.pk, "launch"])
    ).content.decode()
    assert "Comment on Launch" in html and "No comments yet" not in html


def test_the_journey_page_says_which_stages_have_open_comments(
    editor_client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    add_comment(as_seen_by(journey, architect), {"body": "Hmm", "scope": "beyond"})
    html = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert "Open comments on:" in html and "#comments-beyond" in html


@pytest.mark.parametrize("comments", [1, 25])
def test_the_stage_comments_query_count_is_fixed(
    editor_client: Any,
    journey: Journey,
    editor: User,
    submitted: Submission,
    comments: int,
    django_assert_num_queries: Any,
) -> None:
    root = Comment.objects.create(journey=journey, stage="growth", kind="stage", body="r")
    for i in range(comments):
        reply = Comment.objects.create(
            journey=journey, parent=root, stage="growth", kind="stage", author=editor, body=str(i)
        )
        CommentRevision.objects.create(comment=reply, body="old", written=reply.created)
    # session, user, the journey with the role, whether it was submitted and whether the user
    # is an architect, the newest growth milestone, the comments with their authors, their
    # revisions
    with django_assert_num_queries(6):
        response = editor_client.get(reverse("reviews:stage_comments", args=[journey.pk, "growth"]))
    assert response.content.decode().count('class="reply"') == comments


def test_a_nul_character_typed_into_a_comment_is_dropped_not_a_server_error(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = post_comment(editor_client, journey, body="before\x00after")
    assert response.status_code == 200
    assert Comment.objects.get().body == "beforeafter"
