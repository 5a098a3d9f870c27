"""Who sees and handles evidence: the readers of the item's channel, and of the unit that
handles criminally relevant items (``ModerationSettings.criminal_unit``). Community managers
of either act (export, mark criminally relevant, record a complaint); auditors read."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import channels_for_reading
from moderation.common.permissions import units_for_moderating
from moderation.common.permissions import units_for_reading
from moderation.models import EvidenceRecord


def readable_evidence(user: User) -> Q:
    return Q(channel__in=channels_for_reading(user)) | Q(criminal_unit__in=units_for_reading(user))


def user_may_handle_evidence(user: User, record: EvidenceRecord) -> bool:
    if channels_for_moderating(user).filter(pk=record.channel_id).exists():
        return True
    return (
        record.criminal_unit_id is not None
        and units_for_moderating(user).filter(pk=record.criminal_unit_id).exists()
    )
