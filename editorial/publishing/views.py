"""The operations page: is publishing running, what is late or failed."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import user_may_administer
from accounts.views.base import PermissionMixin
from editorial.publishing.selectors import error_rates
from editorial.publishing.selectors import late_variants
from editorial.publishing.selectors import problem_variants
from editorial.publishing.selectors import publishing_service_status
from editorial.publishing.selectors import queue_counts
from editorial.publishing.selectors import worker_heartbeats


class OperationsView(PermissionMixin, View):
    """For system admins: is publishing healthy? Queue, late and failed posts, workers,
    error rates per platform."""

    permission = user_may_administer

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        heartbeat_limit = timezone.now() - settings.WORKER_HEARTBEAT_MAX_AGE
        return render(
            request,
            "editorial/publishing/operations.html",
            {
                "counts": queue_counts(),
                "late": late_variants(request.user)[:50],
                "problems": problem_variants(request.user)[:50],
                "rates": error_rates(),
                "workers": [(w, w.last_seen >= heartbeat_limit) for w in worker_heartbeats()],
                "service": publishing_service_status(),
                "max_age_seconds": int(settings.WORKER_HEARTBEAT_MAX_AGE.total_seconds()),
            },
        )
