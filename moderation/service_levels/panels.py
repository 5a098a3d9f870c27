"""The response-time panel of the conversation view (registered in
``moderation.registrations``)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from moderation.common.permissions import channel_ids_for_reading
from moderation.models import InboxItem
from moderation.service_levels.selectors import service_calendars_for_units


def service_level_panel_context(user: User, item: InboxItem) -> dict[str, Any] | None:
    if item.channel_id not in channel_ids_for_reading(user):
        return None
    unit = item.channel.unit
    settings, calendars = service_calendars_for_units([unit])
    hours = None
    if item.first_responded_at is not None:
        minutes = calendars[unit.pk].minutes_between(item.created_at, item.first_responded_at)
        hours = round(minutes / 60, 1)
    return {
        "item": item,
        "unit_id": unit.pk,
        "first_minutes": settings[unit.pk].first_response_minutes,
        "next_minutes": settings[unit.pk].next_response_minutes,
        "first_response_hours": hours,
        "may_see_settings": True,
    }
