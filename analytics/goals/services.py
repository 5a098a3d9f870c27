"""Writes of goals and strategy: target groups, goals with their KPI target, channel
strategies. Each write checks that the actor may set goals in the unit, keeps every link
inside the unit (its target groups, its channels) and is audited with before and after."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import Any
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.audited import save_changed
from accounts.errors import ConflictError
from accounts.models import OrgUnit
from accounts.models import User
from analytics.goals.permissions import user_may_edit_goals_of
from analytics.goals.selectors import target_groups_for_unit
from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from analytics.models import TargetGroup
from channels_app.models import Channel

# Metrics counted in per cent: a target above 100 cannot be met (growth can exceed 100 %).
PERCENT_METRICS = (GoalMetric.RESPONSE_WITHIN_TARGET,)
GOAL_FIELDS = (
    "title",
    "description",
    "period_start",
    "period_end",
    "metric",
    "channel",
    "comparison",
    "target_value",
)
TARGET_GROUP_FIELDS = ("name", "description")
STRATEGY_FIELDS = ("purpose", "audience")
Archivable = TypeVar("Archivable", Goal, TargetGroup)


class ArchivedError(ConflictError):
    default_message = gettext_lazy("It is archived and can no longer be changed.")


@dataclass(frozen=True)
class GoalInput:
    title: str
    period_start: date
    period_end: date
    description: str = ""
    metric: str = ""
    channel: Channel | None = None
    comparison: str = GoalComparison.AT_LEAST
    target_value: Decimal | None = None
    target_groups: Sequence[TargetGroup] = field(default_factory=tuple)


def goal_values(goal: Goal) -> dict[str, Any]:
    """The goal's values as ``GoalInput`` takes them: a form's initial data, and what a
    partial update keeps of the fields it does not send."""
    return {
        **{name: getattr(goal, name) for name in GOAL_FIELDS},
        "target_groups": list(goal.target_groups.all()),
    }


def _check_may_edit(actor: User, unit_id: int) -> None:
    if not user_may_edit_goals_of(actor, unit_id):
        raise PermissionDenied(_("Only approvers and system admins of the unit set its goals."))


def _check_target_groups(unit: OrgUnit, groups: Iterable[TargetGroup]) -> list[TargetGroup]:
    """Groups of the unit or of a unit above it (a group defined above applies below)."""
    groups = list(groups)
    allowed = set(target_groups_for_unit(unit).values_list("pk", flat=True))
    if any(group.pk not in allowed for group in groups):
        raise ValidationError(
            {"target_groups": _("Choose target groups of this unit or of a unit above it.")}
        )
    return groups


def _ids(groups: Iterable[TargetGroup]) -> list[int]:
    return sorted(group.pk for group in groups)


def _goal_snapshot(goal: Goal) -> dict[str, Any]:
    return {
        **audit_snapshot(goal, *GOAL_FIELDS),
        "target_groups": _ids(goal.target_groups.all()) if goal.pk else [],
    }


def _target_group_snapshot(group: TargetGroup) -> dict[str, Any]:
    return audit_snapshot(group, *TARGET_GROUP_FIELDS)


def _strategy_snapshot(strategy: ChannelStrategy) -> dict[str, Any]:
    return {
        **audit_snapshot(strategy, *STRATEGY_FIELDS),
        "target_groups": _ids(strategy.target_groups.all()) if strategy.pk else [],
    }


def _clean_goal(unit: OrgUnit, data: GoalInput) -> None:
    errors: dict[str, str] = {}
    if data.period_end < data.period_start:
        errors["period_end"] = _("The period ends before it begins.")
    if data.metric and data.target_value is None:
        errors["target_value"] = _("A KPI needs a target value.")
    if not data.metric and data.target_value is not None:
        errors["metric"] = _("Choose what the target value measures, or leave it empty.")
    if data.target_value is not None and data.target_value < 0:
        errors["target_value"] = _("The target value cannot be negative.")
    if data.metric in PERCENT_METRICS and data.target_value and data.target_value > 100:
        errors["target_value"] = _("A share is at most 100 %.")
    if data.channel is not None and not data.channel.unit.path.startswith(unit.path):
        errors["channel"] = _("Choose a channel of this unit or of a unit below it.")
    if errors:
        raise ValidationError(errors)


def _apply(goal: Goal, data: GoalInput) -> None:
    for name in GOAL_FIELDS:
        setattr(goal, name, getattr(data, name))
    if not data.metric:
        # A goal in words: no scope or comparison to keep.
        goal.channel = None
        goal.comparison = GoalComparison.AT_LEAST


def _locked_for_change(archivable: Archivable, actor: User) -> Archivable:
    """Goals and target groups alike: the row locked and read again, changed only by whoever
    may set the unit's goals and only while it is not archived."""
    archivable = (
        type(archivable)
        ._default_manager.select_for_update()
        .select_related("unit")
        .get(pk=archivable.pk)
    )
    _check_may_edit(actor, archivable.unit_id)
    if archivable.archived_at is not None:
        raise ArchivedError
    return archivable


def _archive(
    archivable: Archivable, *, action: str, actor: User, request: HttpRequest | None
) -> Archivable:
    """Goals and target groups alike: archived once, by whoever may set the unit's goals."""
    archivable = _locked_for_change(archivable, actor)
    archivable.archived_at = timezone.now()
    archivable.save(update_fields=["archived_at"])
    audit_about(
        archivable,
        action,
        actor=actor,
        request=request,
        before={"archived_at": None},
        after={"archived_at": archivable.archived_at.isoformat()},
    )
    return archivable


@transaction.atomic
def goal_create(
    *, actor: User, unit: OrgUnit, data: GoalInput, request: HttpRequest | None = None
) -> Goal:
    _check_may_edit(actor, unit.pk)
    _clean_goal(unit, data)
    groups = _check_target_groups(unit, data.target_groups)
    goal = Goal(unit=unit, created_by=actor)
    _apply(goal, data)
    return save_audited(
        goal,
        action="analytics.goals.created",
        actor=actor,
        request=request,
        unit=unit,
        after=_goal_snapshot,
        relate=lambda saved: saved.target_groups.set(groups),
    )


@transaction.atomic
def goal_update(
    *, actor: User, goal: Goal, data: GoalInput, request: HttpRequest | None = None
) -> Goal:
    goal = _locked_for_change(goal, actor)
    _clean_goal(goal.unit, data)
    groups = _check_target_groups(goal.unit, data.target_groups)
    before = _goal_snapshot(goal)
    _apply(goal, data)
    goal.updated_at = timezone.now()
    save_changed(
        goal,
        action="analytics.goals.updated",
        actor=actor,
        request=request,
        unit=goal.unit,
        before=before,
        after=_goal_snapshot,
        relations={"target_groups": groups},
    )
    return goal


@transaction.atomic
def goal_archive(*, actor: User, goal: Goal, request: HttpRequest | None = None) -> Goal:
    """Archived goals stay readable (what the unit aimed at then) but are no longer shown
    as current nor changed."""
    return _archive(goal, action="analytics.goals.archived", actor=actor, request=request)


# --- Target groups -----------------------------------------------------------------------------


@transaction.atomic
def target_group_create(
    *,
    actor: User,
    unit: OrgUnit,
    name: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> TargetGroup:
    _check_may_edit(actor, unit.pk)
    return save_audited(
        TargetGroup(unit=unit, name=name.strip(), description=description),
        action="analytics.goals.target_group_created",
        actor=actor,
        request=request,
        unit=unit,
        after=_target_group_snapshot,
    )


@transaction.atomic
def target_group_update(
    *,
    actor: User,
    group: TargetGroup,
    name: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> TargetGroup:
    group = _locked_for_change(group, actor)
    before = _target_group_snapshot(group)
    group.name = name.strip()
    group.description = description
    group.updated_at = timezone.now()
    save_changed(
        group,
        action="analytics.goals.target_group_updated",
        actor=actor,
        request=request,
        unit=group.unit,
        before=before,
        after=_target_group_snapshot,
    )
    return group


@transaction.atomic
def target_group_archive(
    *, actor: User, group: TargetGroup, request: HttpRequest | None = None
) -> TargetGroup:
    """No longer offered for new goals and strategies; those that name it keep it."""
    return _archive(
        group, action="analytics.goals.target_group_archived", actor=actor, request=request
    )


# --- Channel strategies ------------------------------------------------------------------------


@transaction.atomic
def channel_strategy_update(
    *,
    actor: User,
    channel: Channel,
    purpose: str,
    audience: str,
    target_groups: Sequence[TargetGroup] = (),
    request: HttpRequest | None = None,
) -> ChannelStrategy:
    """Why the unit uses the channel and for whom; created on the first save."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    _check_may_edit(actor, channel.unit_id)
    groups = _check_target_groups(channel.unit, target_groups)
    strategy = ChannelStrategy.objects.filter(channel=channel).first() or ChannelStrategy(
        channel=channel
    )
    before = _strategy_snapshot(strategy)
    strategy.purpose = purpose
    strategy.audience = audience
    strategy.updated_at = timezone.now()
    strategy.updated_by = actor
    save_changed(
        strategy,
        action="analytics.goals.channel_strategy_updated",
        actor=actor,
        request=request,
        unit=channel.unit,
        before=before,
        after=_strategy_snapshot,
        relations={"target_groups": groups},
        data={"channel": channel.pk},
    )
    return strategy
