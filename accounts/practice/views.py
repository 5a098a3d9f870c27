"""The practice page and the practice-mode switch (header button)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import practice_unit_for
from accounts.practice.selectors import user_may_practise
from accounts.practice.services import practice_mode_set
from accounts.views.base import PermissionMixin
from accounts.views.errors import safe_next_url


class PracticeView(PermissionMixin, View):
    """GET: what practice mode is and the state; POST ``active`` = 1/0: switch."""

    permission = staticmethod(user_may_practise)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        unit = practice_unit_for(user)
        return render(
            request,
            "accounts/practice/practice.html",
            {
                "practice_unit": unit,
                "practice_channels": list(unit.channels.all()) if unit is not None else [],
                "colleague": practice_colleague_for(user) if unit is not None else None,
                "active": practice_mode_on(user),
            },
        )

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        active = request.POST.get("active") == "1"
        practice_mode_set(user=request.user, active=active, request=request)
        if active:
            messages.success(request, _("Practice mode is on. Nothing leaves the sandbox."))
        else:
            messages.success(request, _("Practice mode is off. You are back at work."))
        default = reverse("practice:home") if active else reverse("dashboard")
        return HttpResponseRedirect(safe_next_url(request, default))
