from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
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


@register.filter
def long_date(value: date | None) -> str:
    """Weekday and date in the reader's language ("Samstag, 5. Dezember 2026", "Saturday,
    5 December 2026"): the date formats of the language, not a German pattern for everyone."""
    if not isinstance(value, date):
        return ""
    return f"{date_format(value, 'l')}, {date_format(value, 'DATE_FORMAT')}"


@register.filter
def long_datetime(value: datetime | None) -> str:
    """Weekday, date and time in the reader's language, in the current time zone."""
    if not isinstance(value, datetime):
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(moment, 'l')}, {date_format(moment, 'DATETIME_FORMAT')}"
