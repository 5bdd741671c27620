from django.urls import URLPattern, URLResolver, include, path, register_converter

from journeys.converters import StageConverter
from journeys.views import architecture, exports, journeys, products, quick_start, wizard

# Registered once, here: planner/urls.py includes this module before urls_reviews and
# urls_teams, which may then use <stage:...> too.
register_converter(StageConverter, "stage")

app_name = "journeys"

# journeys/<journey_id>/stages/<stage>/milestones/<number>/…: one saved milestone of a stage.
milestone_urls: list[URLPattern | URLResolver] = [
    path("", architecture.milestone_detail, name="milestone"),
    path("diagram/", products.milestone_diagram, name="milestone_diagram"),
    path("estimate/", products.milestone_estimate, name="milestone_estimate"),
]

# journeys/<journey_id>/stages/<stage>/…: one growth stage, live.
stage_urls: list[URLPattern | URLResolver] = [
    path("", wizard.stage_page, name="stage"),
    path("architecture/", architecture.panel, name="panel"),
    path("components/<slug:component>/override/", architecture.override, name="override"),
    path("milestones/", architecture.milestone_list, name="milestones"),
    path("milestones/compare/", architecture.milestone_diff, name="milestone_diff"),
    path("milestones/<int:number>/", include(milestone_urls)),
    path("diagram/", products.stage_diagram, name="stage_diagram"),
    path("estimate/", products.stage_estimate, name="stage_estimate"),
    path("progress/", wizard.stage_progress_view, name="progress"),
    path("answers/<slug:question>/", wizard.answer, name="answer"),
]

# journeys/<journey_id>/…: one journey.
journey_urls: list[URLPattern | URLResolver] = [
    path("", journeys.journey_detail, name="detail"),
    path("edit/", journeys.journey_edit, name="edit"),
    path("quick-start/", quick_start.quick_start, name="quick_start"),
    path("duplicate/", journeys.journey_duplicate, name="duplicate"),
    path("archive/", journeys.journey_archive, name="archive"),
    path("delete/", journeys.journey_delete, name="delete"),
    path("export.json", journeys.journey_export, name="export"),
    path("assumptions/", architecture.assumptions, name="assumptions"),
    path("stages/<stage:stage>/", include(stage_urls)),
    path("estimates/<int:estimate_id>.csv", products.estimate_csv, name="estimate_csv"),
    path("estimates/<int:estimate_id>/retry/", products.estimate_retry, name="estimate_retry"),
    path("costs/", products.journey_costs, name="costs"),
    path("exports/", exports.exports, name="exports"),
    path("exports/<int:export_id>/", exports.export_status, name="export_status"),
    path("exports/<int:export_id>.pdf", exports.export_download, name="export_download"),
    path("diagrams/<int:diagram_id>.<str:kind>", products.diagram_file, name="diagram_file"),
    path("diagrams/<int:diagram_id>/retry/", products.diagram_retry, name="diagram_retry"),
]

# s/<token>/milestones/<stage>/<number>/…: a milestone seen through a share link (no account).
shared_milestone_urls: list[URLPattern | URLResolver] = [
    path("diagram/", products.shared_milestone_diagram, name="shared_milestone_diagram"),
    path("diagram.<str:kind>", products.shared_diagram_file, name="shared_diagram_file"),
    path("estimate/", products.shared_milestone_estimate, name="shared_milestone_estimate"),
    path("estimate.csv", products.shared_estimate_csv, name="shared_estimate_csv"),
]

urlpatterns = [
    path("", journeys.journey_list, name="list"),
    path("journeys/new/", journeys.journey_create, name="create"),
    path("journeys/import/", journeys.journey_import, name="import"),
    path("journeys/<int:journey_id>/", include(journey_urls)),
    path("s/<str:token>/milestones/<stage:stage>/<int:number>/", include(shared_milestone_urls)),
]
