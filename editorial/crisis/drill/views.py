"""Crisis drill pages: list and start (system admins), the drill with its checklist (tick a
step: admins and participants), end (admins). The ended drill's page is the result."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from editorial.crisis.drill.forms import DrillForm
from editorial.crisis.drill.permissions import user_may_manage_drill
from editorial.crisis.drill.permissions import user_may_run_drills
from editorial.crisis.drill.permissions import user_may_tick
from editorial.crisis.drill.selectors import drill_duration
from editorial.crisis.drill.selectors import drill_timings
from editorial.crisis.drill.selectors import drills_for_user
from editorial.crisis.drill.services import drill_end
from editorial.crisis.drill.services import drill_start
from editorial.crisis.drill.services import drill_step_done
from editorial.models import CrisisDrill


def _drill(request: AuthenticatedHttpRequest, pk: int) -> CrisisDrill:
    return get_object_or_404(drills_for_user(request.user), pk=pk)


def _anyone(user: User) -> bool:
    return True


class DrillListView(PermissionMixin, View):
    """GET: the user's drills (and, for admins, the start form); POST: start one."""

    template_name = "editorial/crisis/drills.html"
    permission = staticmethod(_anyone)

    def _render(self, request: AuthenticatedHttpRequest, form: DrillForm | None) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"drills": drills_for_user(request.user), "form": form},
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = DrillForm(user=request.user) if user_may_run_drills(request.user) else None
        return self._render(request, form)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if not user_may_run_drills(request.user):
            raise PermissionDenied
        form = DrillForm(request.POST, user=request.user)
        drill = submit_form(
            request,
            form,
            lambda data: drill_start(
                actor=request.user,
                unit=data["unit"],
                participants=data["participants"],
                title=data["title"],
                request=request,
            ),
            success=_("The drill has started."),
            refusals=(ValidationError,),
        )
        if drill is not None:
            return redirect("crisis:drill", pk=drill.pk)
        return self._render(request, form)


class DrillDetailView(PermissionMixin, View):
    permission = staticmethod(_anyone)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        drill = _drill(request, pk)
        return render(
            request,
            "editorial/crisis/drill.html",
            {
                "drill": drill,
                "timings": drill_timings(drill),
                "duration": drill_duration(drill),
                "may_tick": drill.is_running and user_may_tick(request.user, drill),
                "may_end": drill.is_running and user_may_manage_drill(request.user, drill),
                "participants": drill.participants.order_by("email"),
            },
        )


class DrillStepDoneView(PermissionMixin, View):
    permission = staticmethod(_anyone)

    def post(self, request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
        drill = _drill(request, pk)
        step = get_object_or_404(drill.steps, pk=step_pk)
        try:
            drill_step_done(actor=request.user, step=step, request=request)
        except ValidationError as error:
            report_errors(request, error)
        return redirect("crisis:drill", pk=drill.pk)


class DrillEndView(PermissionMixin, View):
    permission = staticmethod(_anyone)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        drill = _drill(request, pk)
        carry_out(
            request,
            lambda: drill_end(actor=request.user, drill=drill, request=request),
            success=_("The drill has ended. Publishing in practice resumes."),
            refusals=(ValidationError,),
        )
        return redirect("crisis:drill", pk=drill.pk)
