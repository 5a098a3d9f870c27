"""Demo block register (``manage.py load_demo``, after the demo inbox is ingested): on each
sandbox channel, the authors of the two hostile comments are blocked by a community manager
of the unit (a moderation decision of kind block), on rule 1 of the Netiquette in force, with
the evidence recorded first. One
block is due for review today and carries an objection waiting for a second person, so that
the register opens with something in each section. The platform blocks are queued like any
other and carried out by the worker of ``make run``. Skips a channel that already has
entries (safe to run twice)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import OrgUnit
from channels_app.models import Channel
from moderation.actions.services import action_block
from moderation.blocks.selectors import community_managers_for
from moderation.blocks.services import block_appeal_record
from moderation.demo import demo_channels
from moderation.models import BlockEntry
from moderation.models import InboxItem
from moderation.netiquette.selectors import netiquette_current_for

HOSTILE = ("Versager", "unfähig")
JUSTIFICATION = "Wiederholte Beleidigung von Beschäftigten (§ 1)."
WHY_NOT_HIDING = (
    "Verbergen der einzelnen Beiträge hat nicht gereicht: die Person schreibt unter jedem"
    " neuen Beitrag weiter in diesem Ton."
)
OBJECTION = (
    "Ich bin gesperrt worden, nur weil ich meine Meinung gesagt habe. Das ist Zensur."
    " Bitte heben Sie die Sperre auf."
)


def load(units: dict[str, OrgUnit]) -> None:
    for channel in demo_channels():
        if BlockEntry.objects.filter(channel=channel).exists():
            continue
        manager = community_managers_for(channel).order_by("pk").first()
        netiquette = netiquette_current_for(channel.unit)
        if manager is None or netiquette is None:
            continue
        rule = netiquette.rules.get(number=1)
        blocked: set[int] = set()
        for item in _hostile_items(channel):
            if item.author_id in blocked:
                continue
            block = action_block(
                actor=manager,
                item=item,
                rule=rule,
                justification=JUSTIFICATION,
                why_not_milder=WHY_NOT_HIDING,
            )
            blocked.add(item.author_id)
            if len(blocked) == 1:
                # Blocked three months ago: the review is due today, and the author objected.
                BlockEntry.objects.filter(pk=block.pk).update(
                    review_due_on=timezone.localdate(),
                    blocked_at=timezone.now() - timedelta(days=92),
                )
                block_appeal_record(
                    actor=manager,
                    block=BlockEntry.objects.get(pk=block.pk),
                    text=OBJECTION,
                    received_on=timezone.localdate(),
                )
            if len(blocked) == 2:
                break


def _hostile_items(channel: Channel) -> list[InboxItem]:
    items = InboxItem.objects.filter(channel=channel).select_related("author", "channel__unit")
    return [
        item
        for item in items.order_by("created_at", "pk")
        if any(word in item.text for word in HOSTILE)
    ]
