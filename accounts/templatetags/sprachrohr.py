from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import pgettext

from accounts.models import Role

register = template.Library()
BERLIN = ZoneInfo(settings.TIME_ZONE)


@register.filter
def role_label(value: str) -> str:
    """The translated name of a role value stored in JSON (notifications, audit data)."""
    return str(Role(value).label) if value in Role.values else value


@register.filter
def zone_name(value: datetime | None) -> str:
    """The German civil time zone of the moment by its date: MEZ in winter, MESZ in summer
    (CET/CEST in English), so a page names the zone the way the reader says it."""
    if not isinstance(value, datetime):
        return ""
    moment = value.astimezone(BERLIN) if timezone.is_aware(value) else value.replace(tzinfo=BERLIN)
    if moment.dst():
        return pgettext("time zone", "CEST")
    return pgettext("time zone", "CET")
