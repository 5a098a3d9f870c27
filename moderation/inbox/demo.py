"""Demo triage (``manage.py load_demo``, after the demo inbox is ingested): on each sandbox
channel a community manager of the unit has already worked through part of the inbox, so
that the list opens with every state to see: items assigned to a colleague and to a team,
one waiting for another office with an internal note, one urgent, one snoozed until
tomorrow morning, older ones settled. All through the services (audited, the assignee is
notified). Skips a channel whose items were already triaged (safe to run twice)."""

from __future__ import annotations

from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from accounts.models import OrgUnit
from moderation.demo import demo_channels
from moderation.inbox.selectors import assignable_users
from moderation.inbox.services import inbox_item_assign
from moderation.inbox.services import inbox_item_set_priority
from moderation.inbox.services import inbox_item_set_status
from moderation.inbox.services import inbox_item_snooze
from moderation.inbox.services import inbox_note_add
from moderation.models import InboxItem

S = InboxItem.Status
NOTE = "Frage an das Tiefbauamt weitergegeben (Herr Wagner, Durchwahl 4711); Antwort bis Freitag."


def _tomorrow_morning() -> datetime:
    local = timezone.localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE))
    return datetime.combine(
        local.date() + timedelta(days=1), time(8, 30), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def load(units: dict[str, OrgUnit]) -> None:
    for channel in demo_channels():
        items = list(
            InboxItem.objects.filter(channel=channel, status=S.NEW, parent__isnull=True)
            .select_related("channel__unit")
            .order_by("-created_at", "-id")[:12]
        )
        already = InboxItem.objects.filter(channel=channel).exclude(status=S.NEW).exists()
        managers = list(assignable_users(channel)[:2])
        if already or len(items) < 8 or not managers:
            continue
        manager, colleague = managers[0], managers[-1]
        inbox_item_assign(actor=manager, item=items[0], assignee=colleague)
        inbox_item_assign(actor=manager, item=items[1], assignee=None, team=channel.unit)
        inbox_item_set_status(actor=manager, item=items[2], status=S.PENDING)
        inbox_note_add(actor=manager, item=items[2], text=NOTE)
        inbox_item_set_priority(actor=manager, item=items[3], priority=InboxItem.Priority.URGENT)
        inbox_item_assign(actor=manager, item=items[3], assignee=manager)
        inbox_item_snooze(actor=manager, item=items[4], until=_tomorrow_morning())
        for item in items[-3:]:
            inbox_item_set_status(actor=manager, item=item, status=S.OPEN)
        inbox_item_set_status(actor=manager, item=items[-3], status=S.NO_ACTION)
        inbox_item_set_status(actor=manager, item=items[-2], status=S.CLOSED)
