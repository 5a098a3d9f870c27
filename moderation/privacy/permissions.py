"""Who handles data protection.

Data-subject requests: community managers of the unit (on the channels they moderate) and
system admins (on the channels of the units they govern); auditors read the requests, not
the data. Retention periods, the criminal unit and the per-employee figures switch: system
admins only. Another authority's request is not found (404)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import unit_ids_for_reading_or_governing
from moderation.common.permissions import units_for_governing
from moderation.common.permissions import units_for_moderating_or_governing
from moderation.models import DataSubjectRequest


def units_for_requests(user: User) -> QuerySet[OrgUnit]:
    """Units in which the user handles data-subject requests."""
    return units_for_moderating_or_governing(user)


def unit_ids_for_seeing_requests(user: User) -> set[int]:
    return unit_ids_for_reading_or_governing(user)


def channels_for_requests(user: User, unit: OrgUnit) -> QuerySet[Channel]:
    """The channels of ``unit`` and below on which the user may look up a person's data."""
    return Channel.objects.filter(unit__path__startswith=unit.path).filter(
        Q(pk__in=channels_for_moderating(user).values("pk")) | Q(unit__in=units_for_governing(user))
    )


def user_may_use_privacy(user: User) -> bool:
    return bool(unit_ids_for_seeing_requests(user))


def user_may_handle_request(user: User, subject_request: DataSubjectRequest) -> bool:
    return units_for_requests(user).filter(pk=subject_request.unit_id).exists()


def request_for_user(user: User, pk: int) -> DataSubjectRequest:
    found = (
        DataSubjectRequest.objects.filter(pk=pk, unit_id__in=unit_ids_for_seeing_requests(user))
        .select_related("unit", "requested_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def units_for_privacy_settings(user: User) -> QuerySet[OrgUnit]:
    return units_for_governing(user)
