"""Health endpoints for a load balancer or an orchestrator: no sign-in, no HTTPS redirect
(settings.SECURE_REDIRECT_EXEMPT), JSON, nothing secret in them."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from planner import health as checks


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers. Touches nothing else (no database), so a slow
    database does not get healthy web processes restarted."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database, the broker and the storage answer, else 503 with
    the failing checks named; also the worker last seen and each queue's depth."""
    is_ready, report = checks.readiness()
    return JsonResponse(report, status=200 if is_ready else 503)
