from django.urls import path

from journeys.views import architecture, journeys, products, wizard

app_name = "journeys"

urlpatterns = [
    path("", journeys.journey_list, name="list"),
    path("journeys/new/", journeys.journey_create, name="create"),
    path("journeys/import/", journeys.journey_import, name="import"),
    path("journeys/<int:journey_id>/", journeys.journey_detail, name="detail"),
    path("journeys/<int:journey_id>/edit/", journeys.journey_edit, name="edit"),
    path("journeys/<int:journey_id>/duplicate/", journeys.journey_duplicate, name="duplicate"),
    path("journeys/<int:journey_id>/archive/", journeys.journey_archive, name="archive"),
    path("journeys/<int:journey_id>/delete/", journeys.journey_delete, name="delete"),
    path("journeys/<int:journey_id>/export.json", journeys.journey_export, name="export"),
    path("journeys/<int:journey_id>/assumptions/", architecture.assumptions, name="assumptions"),
    path("journeys/<int:journey_id>/stages/<slug:stage>/", wizard.stage_page, name="stage"),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/architecture/",
        architecture.panel,
        name="panel",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/components/<slug:component>/override/",
        architecture.override,
        name="override",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/milestones/",
        architecture.milestone_list,
        name="milestones",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/milestones/compare/",
        architecture.milestone_diff,
        name="milestone_diff",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/milestones/<int:number>/",
        architecture.milestone_detail,
        name="milestone",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/diagram/",
        products.stage_diagram,
        name="stage_diagram",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/milestones/<int:number>/diagram/",
        products.milestone_diagram,
        name="milestone_diagram",
    ),
    path(
        "journeys/<int:journey_id>/diagrams/<int:diagram_id>.<str:kind>",
        products.diagram_file,
        name="diagram_file",
    ),
    path(
        "journeys/<int:journey_id>/diagrams/<int:diagram_id>/retry/",
        products.diagram_retry,
        name="diagram_retry",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/progress/",
        wizard.stage_progress_view,
        name="progress",
    ),
    path(
        "journeys/<int:journey_id>/stages/<slug:stage>/answers/<slug:question>/",
        wizard.answer,
        name="answer",
    ),
]
