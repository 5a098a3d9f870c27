"""Pages of the weekly formats: the list (with pause and resume), a new format, a change,
a delete (asked once more).
Thin: the form is parsed, a service does the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.submissions import submit_form
from editorial.models import WeeklyFormat
from editorial.posts.selectors import units_for_authoring
from editorial.weekly_formats.forms import WeeklyFormatForm
from editorial.weekly_formats.permissions import user_may_use_weekly_formats
from editorial.weekly_formats.selectors import HORIZON
from editorial.weekly_formats.selectors import weekly_formats_for_user
from editorial.weekly_formats.services import weekly_format_create
from editorial.weekly_formats.services import weekly_format_delete
from editorial.weekly_formats.services import weekly_format_pause
from editorial.weekly_formats.services import weekly_format_resume
from editorial.weekly_formats.services import weekly_format_update

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORM_TEMPLATE = "editorial/weekly_formats/form.html"


def _format_for(request: AuthenticatedHttpRequest, pk: int) -> WeeklyFormat:
    return get_object_or_404(weekly_formats_for_user(request.user), pk=pk)


class WeeklyFormatListView(PermissionMixin, View):
    permission = user_may_use_weekly_formats

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(
            request,
            "editorial/weekly_formats/list.html",
            {
                "weekly_formats": weekly_formats_for_user(request.user),
                "horizon_weeks": HORIZON.days // 7,
            },
        )


class WeeklyFormatCreateView(PermissionMixin, View):
    permission = user_may_use_weekly_formats

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        units = units_for_authoring(request.user)
        if units.count() == 1:
            initial["unit"] = units.first()
        form = WeeklyFormatForm(initial=initial, user=request.user)
        return render(request, FORM_TEMPLATE, {"form": form, "weekly_format": None})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = WeeklyFormatForm(request.POST, user=request.user)
        created = submit_form(
            request,
            form,
            lambda data: weekly_format_create(
                actor=request.user, request=request, **form.weekly_format_data()
            ),
            success=lambda created: (
                _("Weekly format “%(title)s” created and planned.") % {"title": created}
            ),
            refusals=(ValidationError,),
        )
        if created is not None:
            return HttpResponseRedirect(reverse("weekly_formats:list"))
        return render(request, FORM_TEMPLATE, {"form": form, "weekly_format": None}, status=400)


class WeeklyFormatEditView(PermissionMixin, View):
    permission = user_may_use_weekly_formats

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        weekly_format = _format_for(request, pk)
        form = WeeklyFormatForm.filled_from(weekly_format, user=request.user)
        return render(request, FORM_TEMPLATE, {"form": form, "weekly_format": weekly_format})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        weekly_format = _format_for(request, pk)
        form = WeeklyFormatForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.weekly_format_data()
            try:
                weekly_format_update(
                    actor=request.user,
                    weekly_format=weekly_format,
                    channels=data.pop("channels"),
                    request=request,
                    **data,
                )
            except ValidationError as error:
                report_errors(request, error, form)
            else:
                messages.success(
                    request, _("Weekly format saved; its coming slots are planned anew.")
                )
                return HttpResponseRedirect(reverse("weekly_formats:list"))
        return render(
            request, FORM_TEMPLATE, {"form": form, "weekly_format": weekly_format}, status=400
        )


class _WeeklyFormatButtonView(PermissionMixin, View):
    """A button of the list (pause, resume): one service, a confirmation, back to the list."""

    permission = user_may_use_weekly_formats
    service: Callable[..., WeeklyFormat]
    success: StrOrPromise

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        type(self).service(  # the function itself, not bound to the view
            actor=request.user, weekly_format=_format_for(request, pk), request=request
        )
        messages.success(request, self.success)
        return redirect("weekly_formats:list")


class WeeklyFormatPauseView(_WeeklyFormatButtonView):
    service = weekly_format_pause
    success = gettext_lazy("Weekly format paused; its coming slots left the plan.")


class WeeklyFormatResumeView(_WeeklyFormatButtonView):
    service = weekly_format_resume
    success = gettext_lazy("Weekly format resumed and planned.")


class WeeklyFormatDeleteView(PermissionMixin, View):
    permission = user_may_use_weekly_formats
    template_name = "editorial/weekly_formats/delete.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"weekly_format": _format_for(request, pk)})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        weekly_format_delete(
            actor=request.user, weekly_format=_format_for(request, pk), request=request
        )
        messages.success(request, _("Weekly format deleted; its coming slots left the plan."))
        return redirect("weekly_formats:list")
