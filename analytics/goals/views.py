"""Goals pages: the unit's goals with their KPI targets and progress, its target groups,
and per channel why it is used and for whom. Approvers and system admins change them;
everyone with a role in the unit reads them (``analytics/goals/permissions.py``)."""

from __future__ import annotations

from typing import Any
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from analytics.goals.forms import ChannelStrategyForm
from analytics.goals.forms import GoalForm
from analytics.goals.forms import TargetGroupForm
from analytics.goals.permissions import channels_for_reading_goals
from analytics.goals.permissions import units_for_editing_goals
from analytics.goals.permissions import user_may_edit_goals
from analytics.goals.permissions import user_may_edit_goals_of
from analytics.goals.permissions import user_may_see_goals
from analytics.goals.selectors import channel_strategies_for_user
from analytics.goals.selectors import channels_in_unit
from analytics.goals.selectors import goal_progress
from analytics.goals.selectors import goals_for_user
from analytics.goals.selectors import target_groups_for_unit
from analytics.goals.selectors import target_groups_for_user
from analytics.goals.selectors import target_groups_offered
from analytics.goals.services import channel_strategy_update
from analytics.goals.services import goal_archive
from analytics.goals.services import goal_create
from analytics.goals.services import goal_update
from analytics.goals.services import goal_values
from analytics.goals.services import target_group_archive
from analytics.goals.services import target_group_create
from analytics.goals.services import target_group_update
from analytics.models import Goal
from analytics.models import TargetGroup
from channels_app.models import Channel

PAGE_SIZE = 25
# What a goal page edits: each belongs to a unit (``unit_id``), whose goals the user sets.
Editable = TypeVar("Editable", Goal, TargetGroup, Channel)


def _archived_param(request: AuthenticatedHttpRequest) -> bool:
    return request.GET.get("archived") == "1"


def _form_page(
    request: AuthenticatedHttpRequest,
    template: str,
    form: BaseForm,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    return render(request, f"analytics/goals/{template}", {"form": form, **extra}, status=status)


class GoalBase(PermissionMixin, View):
    permission = staticmethod(user_may_see_goals)

    def goal(self, pk: int) -> Goal:
        return get_object_or_404(goals_for_user(self.request.user), pk=pk)

    def editable(self, readable: QuerySet[Editable], pk: int) -> Editable:
        """The one of ``readable`` (404 when the user does not read it) whose unit's goals
        the user may set (403 otherwise)."""
        found = get_object_or_404(readable, pk=pk)
        if not user_may_edit_goals_of(self.request.user, found.unit_id):
            raise PermissionDenied
        return found

    def editable_goal(self, pk: int) -> Goal:
        return self.editable(goals_for_user(self.request.user), pk)


class GoalIndexView(GoalBase):
    """The goals of the user's units, the current ones first (``?archived=1``: the archived)."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        archived = _archived_param(request)
        goals = goals_for_user(request.user, archived=archived).order_by(
            "-period_end", "unit__path", "title", "pk"
        )
        page = Paginator(goals, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "analytics/goals/index.html",
            {
                "page": page,
                "archived": archived,
                "query": "archived=1" if archived else "",
                "may_create": user_may_edit_goals(request.user),
            },
        )


class GoalCreateView(GoalBase):
    permission = staticmethod(user_may_edit_goals)

    def _form(self, data: Any = None) -> GoalForm:
        units = units_for_editing_goals(self.request.user)
        return GoalForm(
            data,
            units=units,
            target_groups=target_groups_offered(units),
            channels=Channel.objects.filter(unit__in=units).select_related("unit"),
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return _form_page(request, "goal_form.html", self._form())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        goal = submit_form(
            request,
            form,
            lambda data: goal_create(
                actor=request.user, unit=data["unit"], data=form.goal_input(), request=request
            ),
            success=_("Goal saved."),
            refusals=(ValidationError, DomainError, PermissionDenied),
        )
        if goal is not None:
            return redirect("goals:detail", pk=goal.pk)
        return _form_page(request, "goal_form.html", form, status=400)


class GoalDetailView(GoalBase):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        goal = self.goal(pk)
        return render(
            request,
            "analytics/goals/detail.html",
            {
                "goal": goal,
                "progress": goal_progress(goal),
                "may_edit": goal.archived_at is None
                and user_may_edit_goals_of(request.user, goal.unit_id),
            },
        )


class GoalEditView(GoalBase):
    def _form(self, goal: Goal, data: Any = None) -> GoalForm:
        offered = target_groups_for_unit(goal.unit, archived=False)
        return GoalForm(
            data,
            initial=goal_values(goal),
            units=None,
            # Groups archived since the goal named them stay on offer for it.
            target_groups=(offered | goal.target_groups.all()).distinct(),
            channels=channels_in_unit(goal.unit).select_related("unit"),
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        goal = self.editable_goal(pk)
        return _form_page(request, "goal_form.html", self._form(goal), goal=goal)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        goal = self.editable_goal(pk)
        form = self._form(goal, request.POST)
        saved = submit_form(
            request,
            form,
            lambda data: goal_update(
                actor=request.user, goal=goal, data=form.goal_input(), request=request
            ),
            success=_("Goal saved."),
        )
        if saved is not None:
            return redirect("goals:detail", pk=goal.pk)
        return _form_page(request, "goal_form.html", form, status=400, goal=goal)


class GoalArchiveView(GoalBase):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        goal = self.editable_goal(pk)
        carry_out(
            request,
            lambda: goal_archive(actor=request.user, goal=goal, request=request),
            success=_("Goal archived."),
            refusals=(DomainError,),
        )
        return redirect("goals:detail", pk=goal.pk)


# --- Target groups -----------------------------------------------------------------------------


class TargetGroupListView(GoalBase):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        archived = _archived_param(request)
        groups = target_groups_for_user(request.user, archived=archived).order_by(
            "unit__path", "name", "pk"
        )
        page = Paginator(groups, PAGE_SIZE * 2).get_page(request.GET.get("page"))
        editable = set(units_for_editing_goals(request.user).values_list("pk", flat=True))
        return render(
            request,
            "analytics/goals/target_groups.html",
            {
                "page": page,
                "rows": [(group, group.unit_id in editable) for group in page],
                "archived": archived,
                "query": "archived=1" if archived else "",
                "may_create": user_may_edit_goals(request.user),
            },
        )


class TargetGroupCreateView(GoalBase):
    permission = staticmethod(user_may_edit_goals)

    def _form(self, data: Any = None) -> TargetGroupForm:
        return TargetGroupForm(data, units=units_for_editing_goals(self.request.user))

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return _form_page(request, "target_group_form.html", self._form())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        saved = submit_form(
            request,
            form,
            lambda data: target_group_create(
                actor=request.user,
                unit=data["unit"],
                name=data["name"],
                description=data["description"],
                request=request,
            ),
            success=_("Target group saved."),
            refusals=(ValidationError, DomainError, PermissionDenied),
        )
        if saved is not None:
            return redirect("goals:target_groups")
        return _form_page(request, "target_group_form.html", form, status=400)


class TargetGroupBase(GoalBase):
    def group(self, pk: int) -> TargetGroup:
        return self.editable(target_groups_for_user(self.request.user), pk)


class TargetGroupEditView(TargetGroupBase):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        group = self.group(pk)
        form = TargetGroupForm(
            initial={"name": group.name, "description": group.description}, units=None
        )
        return _form_page(request, "target_group_form.html", form, group=group)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        group = self.group(pk)
        form = TargetGroupForm(request.POST, units=None)
        saved = submit_form(
            request,
            form,
            lambda data: target_group_update(
                actor=request.user,
                group=group,
                name=data["name"],
                description=data["description"],
                request=request,
            ),
            success=_("Target group saved."),
        )
        if saved is not None:
            return redirect("goals:target_groups")
        return _form_page(request, "target_group_form.html", form, status=400, group=group)


class TargetGroupArchiveView(TargetGroupBase):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        group = self.group(pk)
        carry_out(
            request,
            lambda: target_group_archive(actor=request.user, group=group, request=request),
            success=_("Target group archived."),
            refusals=(DomainError,),
        )
        return redirect("goals:target_groups")


# --- Channel strategies --------------------------------------------------------------------------


class ChannelStrategyListView(GoalBase):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(channel_strategies_for_user(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        editable = set(units_for_editing_goals(request.user).values_list("pk", flat=True))
        return render(
            request,
            "analytics/goals/channels.html",
            {"page": page, "rows": [(channel, channel.unit_id in editable) for channel in page]},
        )


class ChannelStrategyEditView(GoalBase):
    def _channel(self, channel_id: int) -> Channel:
        return self.editable(
            channels_for_reading_goals(self.request.user).select_related("unit"), channel_id
        )

    def _form(self, channel: Channel, data: Any = None) -> ChannelStrategyForm:
        strategy = getattr(channel, "strategy", None)
        current = strategy.target_groups.all() if strategy else TargetGroup.objects.none()
        initial = (
            {
                "purpose": strategy.purpose,
                "audience": strategy.audience,
                "target_groups": list(current),
            }
            if strategy
            else {}
        )
        offered = target_groups_for_unit(channel.unit, archived=False)
        return ChannelStrategyForm(
            data, initial=initial, target_groups=(offered | current).distinct()
        )

    def get(self, request: AuthenticatedHttpRequest, channel_id: int) -> HttpResponse:
        channel = self._channel(channel_id)
        return _form_page(request, "channel_form.html", self._form(channel), channel=channel)

    def post(self, request: AuthenticatedHttpRequest, channel_id: int) -> HttpResponse:
        channel = self._channel(channel_id)
        form = self._form(channel, request.POST)
        saved = submit_form(
            request,
            form,
            lambda data: channel_strategy_update(
                actor=request.user,
                channel=channel,
                purpose=data["purpose"],
                audience=data["audience"],
                target_groups=list(data["target_groups"]),
                request=request,
            ),
            success=_("Channel strategy saved."),
        )
        if saved is not None:
            return redirect("goals:channels")
        return _form_page(request, "channel_form.html", form, status=400, channel=channel)
