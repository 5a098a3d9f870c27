"""Demo decisions (``manage.py load_demo``, after the demo inbox and its triage): on each
sandbox channel a community manager has decided on two comments, so that the actions panel,
the decision list and the evidence list open with something to see: one sharp but lawful
comment left as it is ("no action", justified), one insult hidden on § 1 of the Netiquette
in force (evidence secured first; the platform call runs in the worker). Skips a channel
with decisions already (safe to run twice) or without a Netiquette."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import OrgUnit
from moderation.actions.selectors import rules_for_item
from moderation.actions.services import action_take
from moderation.demo import demo_channels
from moderation.inbox.selectors import assignable_users
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import ModerationAction

K = ModerationAction.Kind
LAWFUL = "Verstößt gegen keine Regel der Netiquette; von der Meinungsfreiheit gedeckt."
INSULT = "Beleidigung eines Mitdiskutierenden, ohne Sachbezug."


def load(units: dict[str, OrgUnit]) -> None:
    for channel in demo_channels():
        if ModerationAction.objects.filter(item__channel=channel).exists():
            continue
        manager = assignable_users(channel).first()
        comments = InboxItem.objects.filter(
            channel=channel, kind=InboxItem.Kind.COMMENT, remote_deleted_at__isnull=True
        ).select_related("channel__unit", "author")
        insulting = comments.filter(
            Q(flags__kind=Flag.Kind.INSULT) | Q(text__icontains="idiot")
        ).first()
        lawful = comments.exclude(flags__isnull=False)
        if insulting is not None:
            lawful = lawful.exclude(pk=insulting.pk)
        lawful_item = lawful.filter(status=InboxItem.Status.NEW).first()
        if manager is None or insulting is None or lawful_item is None:
            continue
        rule = rules_for_item(insulting).order_by("number").first()
        if rule is None:
            continue
        action_take(
            actor=manager, item=lawful_item, kind=K.NO_ACTION, rule=None, justification=LAWFUL
        )
        if not insulting.remote_hidden:
            action_take(actor=manager, item=insulting, kind=K.HIDE, rule=rule, justification=INSULT)
