# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Writes of goals, target groups and channel strategies: who may, what is refused, and the
audit entry each leaves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from analytics.goals.services import ArchivedError
from analytics.goals.services import GoalInput
from analytics.goals.services import channel_strategy_update
from analytics.goals.services import goal_archive
from analytics.goals.services import goal_create
from analytics.goals.services import goal_update
from analytics.goals.services import target_group_archive
from analytics.goals.services import target_group_create
from analytics.goals.services import target_group_update
from analytics.models import GoalMetric
from analytics.models import TargetGroup
from tests.analytics.goals.conftest import PERIOD
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _input(**fields):  # type: ignore[no-untyped-def]
    values = {
        "title": "Antworten innerhalb eines Servicetags",
        "metric": GoalMetric.RESPONSE_WITHIN_TARGET,
        "target_value": Decimal("90"),
        **PERIOD,
        **fields,
    }
    return GoalInput(**values)


def test_approver_sets_a_goal_audited(org, people, group) -> None:
    goal = goal_create(actor=people.approver, unit=org.press, data=_input(target_groups=[group]))
    assert list(goal.target_groups.all()) == [group]
    entry = AuditEntry.objects.get(action="analytics.goals.created")
    assert entry.actor == people.approver
    assert entry.unit == org.press
    assert entry.data["after"]["metric"] == "response_within_target"
    assert entry.data["after"]["target_groups"] == [group.pk]


@pytest.mark.parametrize("role", ["editor", "community_manager", "auditor", "channel_admin"])
def test_readers_may_not_set_goals(org, people, role) -> None:
    with pytest.raises(PermissionDenied):
        goal_create(actor=getattr(people, role), unit=org.press, data=_input())


def test_another_authority_may_not_set_goals(org, people) -> None:
    with pytest.raises(PermissionDenied):
        goal_create(actor=people.outsider, unit=org.press, data=_input())


def test_a_kpi_needs_a_target_value(org, people) -> None:
    with pytest.raises(ValidationError) as error:
        goal_create(actor=people.approver, unit=org.press, data=_input(target_value=None))
    assert "target_value" in error.value.message_dict


def test_a_goal_in_words_has_no_target_value(org, people) -> None:
    goal = goal_create(
        actor=people.approver,
        unit=org.press,
        data=_input(metric="", target_value=None, channel=org.press_channel),
    )
    assert goal.metric == ""
    assert goal.channel is None


def test_a_share_is_at_most_100(org, people) -> None:
    with pytest.raises(ValidationError):
        goal_create(actor=people.approver, unit=org.press, data=_input(target_value=Decimal(120)))


def test_the_period_must_be_in_order(org, people) -> None:
    with pytest.raises(ValidationError) as error:
        goal_create(
            actor=people.approver,
            unit=org.press,
            data=_input(period_start=date(2026, 7, 1), period_end=date(2026, 6, 1)),
        )
    assert "period_end" in error.value.message_dict


def test_the_channel_must_be_the_units(org, people) -> None:
    with pytest.raises(ValidationError) as error:
        goal_create(
            actor=people.system_admin,
            unit=org.social,
            data=_input(channel=org.press_channel),
        )
    assert "channel" in error.value.message_dict


def test_target_groups_of_a_unit_above_apply_below(org, people) -> None:
    city_group = TargetGroup.objects.create(unit=org.city, name="Pendler")
    goal = goal_create(
        actor=people.approver, unit=org.social, data=_input(target_groups=[city_group])
    )
    assert list(goal.target_groups.all()) == [city_group]


def test_target_groups_of_another_unit_are_refused(org, people) -> None:
    police_group = TargetGroup.objects.create(unit=org.police_press, name="Opfer")
    with pytest.raises(ValidationError):
        goal_create(
            actor=people.approver, unit=org.press, data=_input(target_groups=[police_group])
        )


def test_update_audits_only_what_changed(org, people, goal) -> None:
    goal_update(
        actor=people.approver,
        goal=goal,
        data=_input(
            title=goal.title,
            metric=goal.metric,
            target_value=Decimal("25"),
        ),
    )
    entry = AuditEntry.objects.get(action="analytics.goals.updated")
    assert entry.data["before"] == {"target_value": "20.00"}
    assert entry.data["after"] == {"target_value": "25"}


def test_archived_goal_is_not_changed(org, people, goal) -> None:
    goal_archive(actor=people.approver, goal=goal)
    assert AuditEntry.objects.filter(action="analytics.goals.archived").count() == 1
    with pytest.raises(ArchivedError):
        goal_update(actor=people.approver, goal=goal, data=_input())
    with pytest.raises(ArchivedError):
        goal_archive(actor=people.approver, goal=goal)


def test_target_group_create_update_archive(org, people) -> None:
    group = target_group_create(actor=people.approver, unit=org.press, name=" Senioren ")
    assert group.name == "Senioren"
    target_group_update(actor=people.approver, group=group, name="Ältere Menschen")
    target_group_archive(actor=people.approver, group=group)
    actions = list(
        AuditEntry.objects.filter(action__startswith="analytics.goals.target_group")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "analytics.goals.target_group_created",
        "analytics.goals.target_group_updated",
        "analytics.goals.target_group_archived",
    ]


def test_channel_strategy_created_then_changed(org, people, group) -> None:
    strategy = channel_strategy_update(
        actor=people.approver,
        channel=org.press_channel,
        purpose="Schnell informieren",
        audience="Technikaffine",
        target_groups=[group],
    )
    channel_strategy_update(
        actor=people.approver,
        channel=org.press_channel,
        purpose="Schnell informieren",
        audience="Technikaffine",
        target_groups=[],
    )
    strategy.refresh_from_db()
    assert list(strategy.target_groups.all()) == []
    entries = AuditEntry.objects.filter(action="analytics.goals.channel_strategy_updated").order_by(
        "sequence"
    )
    assert [e.data["after"].get("target_groups") for e in entries] == [[group.pk], []]


def test_channel_strategy_of_another_authority_refused(org, people) -> None:
    with pytest.raises(PermissionDenied):
        channel_strategy_update(
            actor=people.approver, channel=org.police_channel, purpose="x", audience=""
        )
