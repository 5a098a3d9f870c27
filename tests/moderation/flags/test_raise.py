# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""``flags_raise``: what ingestion calls once per stored batch."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from accounts.models import Notification
from moderation.flags.services import flags_raise
from moderation.flags.services import keyword_alert_create
from moderation.flags.services import lexicon_entry_add
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import KeywordAlert
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

Make = Callable[..., InboxItem]


def test_flags_are_stored_with_their_explanation(make_item: Make) -> None:
    item = make_item("Ruft mich an: 030 12345678, ihr Idioten")
    flags_raise(items=[item])
    flags = {(f.kind, f.code): f for f in Flag.objects.filter(item=item)}
    assert set(flags) == {(Flag.Kind.PERSONAL_DATA, "phone"), (Flag.Kind.INSULT, "lexicon")}
    assert all(flag.explanation for flag in flags.values())
    assert flags[(Flag.Kind.INSULT, "lexicon")].evidence["terms"][0]["text"] == "Idioten"


def test_explanations_are_in_the_installation_language(make_item: Make) -> None:
    item = make_item("Ich widerspreche dem Bescheid.")
    flags_raise(items=[item])
    assert "Widerspruch" in Flag.objects.get(item=item).explanation


def test_a_harmless_item_gets_no_flag(make_item: Make) -> None:
    item = make_item("Wann öffnet das Bürgerbüro?")
    assert flags_raise(items=[item]) == []
    assert not Flag.objects.exists()


def test_flags_never_change_visibility_or_status(make_item: Make, org: Org, people: People) -> None:
    keyword_alert_create(
        actor=people.community_manager,
        unit=org.press,
        phrase="Bombe",
        category=KeywordAlert.Category.THREAT,
        raises_priority=True,
    )
    item = make_item(
        "Ihr Idioten, da liegt eine Bombe. https://bit.ly/x 030 12345678",
        status=InboxItem.Status.OPEN,
    )
    flags_raise(items=[item])
    item.refresh_from_db()
    assert Flag.objects.filter(item=item).count() >= 4
    assert item.remote_hidden is False
    assert item.remote_deleted_at is None
    assert item.status == InboxItem.Status.OPEN
    assert not item.actions.exists()


def test_keyword_alert_flags_with_its_category(make_item: Make, org: Org, people: People) -> None:
    keyword_alert_create(
        actor=people.community_manager,
        unit=org.press,
        phrase="Hochwasser",
        category=KeywordAlert.Category.EMERGENCY,
    )
    item = make_item("Bei uns steht das HOCHWASSER schon im Keller")
    flags_raise(items=[item])
    flag = Flag.objects.get(item=item, kind=Flag.Kind.KEYWORD)
    assert flag.code == "emergency"
    assert flag.evidence["spans"][0]["text"] == "HOCHWASSER"
    item.refresh_from_db()
    assert item.priority == InboxItem.Priority.NORMAL


def test_keyword_alert_marked_so_raises_priority(make_item: Make, org: Org, people: People) -> None:
    keyword_alert_create(
        actor=people.community_manager,
        unit=org.press,
        phrase="bring dich um",
        category=KeywordAlert.Category.THREAT,
        raises_priority=True,
    )
    item = make_item("Ich bring dich um")
    flags_raise(items=[item])
    item.refresh_from_db()
    assert item.priority == InboxItem.Priority.URGENT


def test_raising_the_priority_is_audited(make_item: Make, org: Org, people: People) -> None:
    keyword_alert_create(
        actor=people.community_manager,
        unit=org.press,
        phrase="bring dich um",
        category=KeywordAlert.Category.THREAT,
        raises_priority=True,
    )
    item = make_item("Ich bring dich um")
    flags_raise(items=[item])
    entry = AuditEntry.objects.get(action="moderation.inbox.priority_changed")
    assert (entry.target_id, entry.actor_label, entry.data["reason"]) == (
        str(item.pk),
        "system",
        "keyword_alert",
    )
    assert (entry.data["before"], entry.data["after"]) == (
        {"priority": InboxItem.Priority.NORMAL},
        {"priority": InboxItem.Priority.URGENT},
    )


def test_keyword_alerts_are_inherited_from_units_above(
    make_item: Make, org: Org, people: People
) -> None:
    keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Stadtfest")
    item = make_item("Wann ist das Stadtfest?", channel=org.social_channel)
    flags_raise(items=[item])
    assert Flag.objects.filter(item=item, kind=Flag.Kind.KEYWORD, code="topic").exists()


def test_threat_notifies_the_units_community_managers_on_commit(
    make_item: Make, org: Org, people: People, django_capture_on_commit_callbacks
) -> None:
    keyword_alert_create(
        actor=people.community_manager,
        unit=org.press,
        phrase="Anschlag",
        category=KeywordAlert.Category.THREAT,
    )
    item = make_item("Morgen gibt es einen Anschlag", channel=org.social_channel)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flags_raise(items=[item])
    assert not Notification.objects.filter(kind="moderation.keyword_alert").exists()
    for callback in callbacks:
        callback()
    notification = Notification.objects.get(kind="moderation.keyword_alert")
    assert notification.recipient == people.community_manager
    assert notification.link == f"/moderation/inbox/{item.pk}/"


def test_a_topic_alert_notifies_nobody(
    make_item: Make, org: Org, people: People, django_capture_on_commit_callbacks
) -> None:
    keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Stadtfest")
    with django_capture_on_commit_callbacks(execute=True):
        flags_raise(items=[make_item("Stadtfest!")])
    assert not Notification.objects.filter(kind="moderation.keyword_alert").exists()


def test_another_authoritys_alerts_do_not_apply(make_item: Make, org: Org) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    police_manager = UserFactory(roles=[(org.police, Role.COMMUNITY_MANAGER)])
    keyword_alert_create(actor=police_manager, unit=org.police, phrase="Stadtfest")
    item = make_item("Wann ist das Stadtfest?")
    flags_raise(items=[item])
    assert not Flag.objects.filter(item=item, kind=Flag.Kind.KEYWORD).exists()


def test_unit_lexicon_applies_to_its_channels_only(
    make_item: Make, org: Org, people: People
) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    social_manager = UserFactory(roles=[(org.social, Role.COMMUNITY_MANAGER)])
    lexicon_entry_add(actor=social_manager, unit=org.social, term="Sesselfurzer*")
    on_social = make_item("Ihr Sesselfurzer!", channel=org.social_channel)
    on_press = make_item("Ihr Sesselfurzer!", channel=org.press_channel)
    flags_raise(items=[on_social, on_press])
    flag = Flag.objects.get(item=on_social, kind=Flag.Kind.INSULT, code="lexicon")
    assert flag.evidence["terms"][0]["source"] == "unit"
    assert not Flag.objects.filter(item=on_press).exists()


def test_a_flag_is_not_raised_twice_for_an_edited_item(make_item: Make) -> None:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    flag = Flag.objects.get(item=item)
    item.text = "Ihr Idioten und Trottel"
    item.save()
    assert flags_raise(items=[item]) == []
    assert list(Flag.objects.filter(item=item)) == [flag]


def test_a_dismissed_flag_stays_dismissed_after_an_edit(make_item: Make) -> None:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    Flag.objects.update(dismissed_at="2026-01-01T00:00:00Z")
    flags_raise(items=[item])
    assert Flag.objects.get(item=item).dismissed_at is not None


def test_erased_items_are_skipped(make_item: Make) -> None:
    item = make_item("Ihr Idioten", erased_at="2026-01-01T00:00:00Z")
    assert flags_raise(items=[item]) == []


def _queries(make_item: Make, org: Org, count: int) -> int:
    items = []
    for index in range(count):
        channel = org.social_channel if index % 2 else org.press_channel
        items.append(make_item(f"Ihr Idioten, ruft 030 1234567{index % 10} an", channel=channel))
    with CaptureQueriesContext(connection) as queries:
        flags_raise(items=items)
    return len(queries)


def test_query_count_does_not_grow_with_the_batch(
    make_item: Make, org: Org, people: People
) -> None:
    keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Idioten")
    small = _queries(make_item, org, 2)
    Flag.objects.all().delete()
    large = _queries(make_item, org, 40)
    assert large == small
    assert Flag.objects.count() == 40 * 3
