from django.urls import path, register_converter

from journeys.converters import StageConverter
from journeys.views import architecture, exports, journeys, products, quick_start, wizard

# Registered once, here: planner/urls.py includes this module before urls_reviews and
# urls_teams, which may then use <stage:...> too.
register_converter(StageConverter, "stage")

app_name = "journeys"

urlpatterns = [
    path("", journeys.journey_list, name="list"),
    path("journeys/new/", journeys.journey_create, name="create"),
    path("journeys/import/", journeys.journey_import, name="import"),
    path("journeys/<int:journey_id>/", journeys.journey_detail, name="detail"),
    path("journeys/<int:journey_id>/edit/", journeys.journey_edit, name="edit"),
    path("journeys/<int:journey_id>/quick-start/", quick_start.quick_start, name="quick_start"),
    path("journeys/<int:journey_id>/duplicate/", journeys.journey_duplicate, name="duplicate"),
    path("journeys/<int:journey_id>/archive/", journeys.journey_archive, name="archive"),
    path("journeys/<int:journey_id>/delete/", journeys.journey_delete, name="delete"),
    path("journeys/<int:journey_id>/export.json", journeys.journey_export, name="export"),
    path("journeys/<int:journey_id>/assumptions/", architecture.assumptions, name="assumptions"),
    path("journeys/<int:journey_id>/stages/<stage:stage>/", wizard.stage_page, name="stage"),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/architecture/",
        architecture.panel,
        name="panel",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/components/<slug:component>/override/",
        architecture.override,
        name="override",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/milestones/",
        architecture.milestone_list,
        name="milestones",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/milestones/compare/",
        architecture.milestone_diff,
        name="milestone_diff",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/milestones/<int:number>/",
        architecture.milestone_detail,
        name="milestone",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/diagram/",
        products.stage_diagram,
        name="stage_diagram",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/milestones/<int:number>/diagram/",
        products.milestone_diagram,
        name="milestone_diagram",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/estimate/",
        products.stage_estimate,
        name="stage_estimate",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/milestones/<int:number>/estimate/",
        products.milestone_estimate,
        name="milestone_estimate",
    ),
    path(
        "journeys/<int:journey_id>/estimates/<int:estimate_id>.csv",
        products.estimate_csv,
        name="estimate_csv",
    ),
    path(
        "journeys/<int:journey_id>/estimates/<int:estimate_id>/retry/",
        products.estimate_retry,
        name="estimate_retry",
    ),
    path("journeys/<int:journey_id>/costs/", products.journey_costs, name="costs"),
    path(
        "s/<str:token>/milestones/<stage:stage>/<int:number>/diagram/",
        products.shared_milestone_diagram,
        name="shared_milestone_diagram",
    ),
    path(
        "s/<str:token>/milestones/<stage:stage>/<int:number>/diagram.<str:kind>",
        products.shared_diagram_file,
        name="shared_diagram_file",
    ),
    path(
        "s/<str:token>/milestones/<stage:stage>/<int:number>/estimate/",
        products.shared_milestone_estimate,
        name="shared_milestone_estimate",
    ),
    path(
        "s/<str:token>/milestones/<stage:stage>/<int:number>/estimate.csv",
        products.shared_estimate_csv,
        name="shared_estimate_csv",
    ),
    path("journeys/<int:journey_id>/exports/", exports.exports, name="exports"),
    path(
        "journeys/<int:journey_id>/exports/<int:export_id>/",
        exports.export_status,
        name="export_status",
    ),
    path(
        "journeys/<int:journey_id>/exports/<int:export_id>.pdf",
        exports.export_download,
        name="export_download",
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
        "journeys/<int:journey_id>/stages/<stage:stage>/progress/",
        wizard.stage_progress_view,
        name="progress",
    ),
    path(
        "journeys/<int:journey_id>/stages/<stage:stage>/answers/<slug:question>/",
        wizard.answer,
        name="answer",
    ),
]
