# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Triage: the status machine, priority, assignment (person or team, notified), snooze and
waking, bulk changes; each change audited once per item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.errors import ErrorCode
from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import Role
from accounts.models import User
from moderation.inbox.services import inbox_item_assign
from moderation.inbox.services import inbox_item_set_priority
from moderation.inbox.services import inbox_item_set_status
from moderation.inbox.services import inbox_item_snooze
from moderation.inbox.services import inbox_items_bulk_update
from moderation.inbox.services import inbox_items_wake_snoozed
from moderation.inbox.status import TRANSITIONS
from moderation.inbox.status import InboxTransitionError
from moderation.inbox.tasks import wake_snoozed_items
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import audit_actions
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]


# --- Status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target"),
    [(start, target) for start, targets in TRANSITIONS.items() for target in sorted(targets)],
)
def test_every_allowed_transition_works(org: Org, people: People, start: str, target: str) -> None:
    item = make_item(org.press_channel, status=start)
    item = inbox_item_set_status(actor=people.community_manager, item=item, status=target)
    assert InboxItem.objects.get(pk=item.pk).status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.OPEN, S.NEW),
        (S.CLOSED, S.ANSWERED),
        (S.CLOSED, S.PENDING),
        (S.ANSWERED, S.PENDING),
        (S.NO_ACTION, S.ANSWERED),
    ],
)
def test_a_refused_transition_is_a_domain_error_with_a_stable_code(
    org: Org, people: People, start: str, target: str
) -> None:
    item = make_item(org.press_channel, status=start)
    with pytest.raises(InboxTransitionError) as refused:
        inbox_item_set_status(actor=people.community_manager, item=item, status=target)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    assert InboxItem.objects.get(pk=item.pk).status == start
    assert audit_actions(item) == []


def test_closing_records_when_and_reopening_clears_it(org: Org, people: People) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    item = inbox_item_set_status(actor=people.community_manager, item=item, status=S.CLOSED)
    assert item.closed_at is not None
    item = inbox_item_set_status(actor=people.community_manager, item=item, status=S.OPEN)
    assert item.closed_at is None


def test_a_status_change_is_audited_with_before_and_after(org: Org, people: People) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    inbox_item_set_status(actor=people.community_manager, item=item, status=S.PENDING)
    entry = AuditEntry.objects.get(action="moderation.inbox.status_changed")
    assert entry.actor == people.community_manager and entry.unit == org.press
    assert entry.data["before"]["status"] == "open" and entry.data["after"]["status"] == "pending"


def test_setting_the_same_status_again_changes_nothing(org: Org, people: People) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    inbox_item_set_status(actor=people.community_manager, item=item, status=S.OPEN)
    assert audit_actions(item) == []


def test_an_auditor_may_not_change_the_status(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    with pytest.raises(PermissionDenied):
        inbox_item_set_status(actor=people.auditor, item=item, status=S.OPEN)


def test_the_status_form_changes_the_status(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    response = client_for(people.community_manager).post(
        f"/moderation/inbox/{item.pk}/status/", {"status": "no_action"}
    )
    assert response.status_code == 302
    assert InboxItem.objects.get(pk=item.pk).status == S.NO_ACTION


def test_a_refused_transition_on_the_page_is_a_message(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel, status=S.CLOSED)
    response = client_for(people.community_manager).post(
        f"/moderation/inbox/{item.pk}/status/", {"status": "pending"}, follow=True
    )
    assert response.status_code == 200
    assert InboxItem.objects.get(pk=item.pk).status == S.CLOSED
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# --- Priority --------------------------------------------------------------------------------


def test_priority_changes_are_audited(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    inbox_item_set_priority(
        actor=people.community_manager, item=item, priority=InboxItem.Priority.URGENT
    )
    assert InboxItem.objects.get(pk=item.pk).priority == InboxItem.Priority.URGENT
    assert audit_actions(item) == ["moderation.inbox.priority_changed"]


def test_an_unknown_priority_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        inbox_item_set_priority(
            actor=people.community_manager, item=make_item(org.press_channel), priority=9
        )


# --- Assignment ------------------------------------------------------------------------------


@pytest.fixture
def colleague(org: Org) -> User:
    return UserFactory(full_name="Chris Community", roles=[(org.city, Role.COMMUNITY_MANAGER)])


def test_assigning_a_person_notifies_them(org: Org, people: People, colleague: User) -> None:
    item = make_item(org.social_channel)
    inbox_item_assign(actor=people.community_manager, item=item, assignee=colleague)
    assert InboxItem.objects.get(pk=item.pk).assignee == colleague
    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == "moderation.assigned"
    assert notification.link == f"/moderation/inbox/{item.pk}/"
    assert audit_actions(item) == ["moderation.inbox.assigned"]


def test_assigning_oneself_sends_no_notification(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    inbox_item_assign(actor=people.community_manager, item=item, assignee=people.community_manager)
    assert not Notification.objects.filter(kind="moderation.assigned").exists()


def test_only_community_managers_of_the_unit_or_above_can_be_assigned(
    org: Org, people: People
) -> None:
    below = UserFactory(roles=[(org.social, Role.COMMUNITY_MANAGER)])
    item = make_item(org.press_channel)  # Presseamt: the Social-Media-Team is below it
    for person in (below, people.editor, people.auditor):
        with pytest.raises(ValidationError) as refused:
            inbox_item_assign(actor=people.community_manager, item=item, assignee=person)
        assert "assignee" in refused.value.message_dict
    assert InboxItem.objects.get(pk=item.pk).assignee is None


def test_a_team_is_a_unit_of_the_same_authority(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    inbox_item_assign(actor=people.community_manager, item=item, assignee=None, team=org.social)
    assert InboxItem.objects.get(pk=item.pk).team == org.social
    with pytest.raises(ValidationError):
        inbox_item_assign(actor=people.community_manager, item=item, assignee=None, team=org.police)


def test_the_assign_form_assigns(
    org: Org, people: People, colleague: User, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel)
    client_for(people.community_manager).post(
        f"/moderation/inbox/{item.pk}/assign/", {"assignee": colleague.pk, "team": ""}
    )
    assert InboxItem.objects.get(pk=item.pk).assignee == colleague


# --- Snooze ----------------------------------------------------------------------------------


def test_snoozing_hides_and_waking_opens(org: Org, people: People) -> None:
    item = make_item(org.press_channel, status=S.PENDING)
    until = timezone.now() + timedelta(hours=2)
    inbox_item_snooze(actor=people.community_manager, item=item, until=until)
    assert InboxItem.objects.get(pk=item.pk).snoozed_until == until
    assert inbox_items_wake_snoozed(now=until - timedelta(minutes=1)) == 0
    assert inbox_items_wake_snoozed(now=until + timedelta(minutes=1)) == 1
    woken = InboxItem.objects.get(pk=item.pk)
    assert woken.status == S.OPEN and woken.snoozed_until is None
    assert audit_actions(item) == [
        "moderation.inbox.snoozed",
        "moderation.inbox.status_changed",
    ]


def test_the_beat_task_wakes_items_and_is_idempotent(org: Org, people: People) -> None:
    item = make_item(org.press_channel, status=S.NEW)
    InboxItem.objects.filter(pk=item.pk).update(snoozed_until=timezone.now() - timedelta(seconds=1))
    assert wake_snoozed_items.apply().get() == 1
    assert wake_snoozed_items.apply().get() == 0
    assert InboxItem.objects.get(pk=item.pk).status == S.OPEN


def test_the_beat_task_has_its_fixed_name() -> None:
    assert wake_snoozed_items.name == "moderation.inbox.tasks.wake_snoozed_items"


def test_a_settled_item_cannot_be_snoozed(org: Org, people: People) -> None:
    item = make_item(org.press_channel, status=S.CLOSED)
    with pytest.raises(InboxTransitionError):
        inbox_item_snooze(
            actor=people.community_manager, item=item, until=timezone.now() + timedelta(hours=1)
        )


def test_snoozing_into_the_past_is_refused(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    with pytest.raises(ValidationError):
        inbox_item_snooze(
            actor=people.community_manager, item=item, until=timezone.now() - timedelta(hours=1)
        )


def test_the_snooze_form_reads_german_time(org: Org, people: People, client_for: ClientFor) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    client_for(people.community_manager).post(
        f"/moderation/inbox/{item.pk}/snooze/", {"snoozed_until": "2099-01-15T09:30"}
    )
    until = InboxItem.objects.get(pk=item.pk).snoozed_until
    assert until is not None and until.isoformat() == "2099-01-15T08:30:00+00:00"


# --- Bulk ------------------------------------------------------------------------------------


def test_a_bulk_change_writes_one_audit_entry_per_changed_item(org: Org, people: People) -> None:
    items = [make_item(org.press_channel, status=S.OPEN) for _ in range(3)]
    already = make_item(org.press_channel, status=S.CLOSED)
    result = inbox_items_bulk_update(
        actor=people.community_manager, items=[*items, already], action="status", status=S.CLOSED
    )
    assert sorted(result.changed) == sorted(i.pk for i in items)
    assert result.unchanged == [already.pk]
    assert AuditEntry.objects.filter(action="moderation.inbox.status_changed").count() == 3


def test_a_bulk_change_leaves_refused_items_and_says_why(org: Org, people: People) -> None:
    ok = make_item(org.press_channel, status=S.OPEN)
    closed = make_item(org.press_channel, status=S.CLOSED)
    result = inbox_items_bulk_update(
        actor=people.community_manager, items=[ok, closed], action="status", status=S.PENDING
    )
    assert result.changed == [ok.pk] and list(result.refused) == [closed.pk]
    assert InboxItem.objects.get(pk=closed.pk).status == S.CLOSED


def test_bulk_assign_priority_and_snooze(org: Org, people: People, colleague: User) -> None:
    items = [make_item(org.press_channel) for _ in range(2)]
    actor = people.community_manager
    inbox_items_bulk_update(actor=actor, items=items, action="assign", assignee=colleague)
    inbox_items_bulk_update(actor=actor, items=items, action="priority", priority=3)
    until = timezone.now() + timedelta(days=1)
    inbox_items_bulk_update(actor=actor, items=items, action="snooze", snoozed_until=until)
    for item in InboxItem.objects.filter(pk__in=[i.pk for i in items]):
        assert (item.assignee, item.priority, item.snoozed_until) == (colleague, 3, until)
    assert Notification.objects.filter(recipient=colleague).count() == 2


def test_the_bulk_form_changes_the_selection_and_returns_to_the_list(
    org: Org, people: People, client_for: ClientFor
) -> None:
    items = [make_item(org.press_channel, status=S.OPEN) for _ in range(2)]
    response = client_for(people.community_manager).post(
        "/moderation/inbox/bulk/",
        {
            "items": [i.pk for i in items],
            "action": "status",
            "status": "no_action",
            "next": "/moderation/inbox/?status=open",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/moderation/inbox/?status=open"
    assert set(InboxItem.objects.values_list("status", flat=True)) == {S.NO_ACTION}


def test_the_list_page_offers_bulk_actions_to_community_managers_only(
    org: Org, people: People, client_for: ClientFor
) -> None:
    make_item(org.press_channel)
    assert (
        b'id="bulk-form"' in client_for(people.community_manager).get("/moderation/inbox/").content
    )
    assert b'id="bulk-form"' not in client_for(people.auditor).get("/moderation/inbox/").content


def test_a_status_following_another_features_work_is_audited_with_its_reason(
    org: Org, people: People
) -> None:
    from moderation.inbox.services import inbox_item_status_follows

    item = make_item(org.press_channel, status=S.OPEN)
    assert inbox_item_status_follows(item=item, status=S.ANSWERED, reason="reply_sent")
    assert item.status == S.ANSWERED
    entry = AuditEntry.objects.get(action="moderation.inbox.status_changed")
    assert entry.data["reason"] == "reply_sent" and entry.actor is None


def test_a_status_the_machine_refuses_does_not_follow(org: Org, people: People) -> None:
    from moderation.inbox.services import inbox_item_status_follows

    item = make_item(org.press_channel, status=S.CLOSED)
    assert not inbox_item_status_follows(item=item, status=S.PENDING, reason="late")
    assert InboxItem.objects.get(pk=item.pk).status == S.CLOSED
