"""RFC 5545 text for the Redaktionsplan feed: just what Outlook, Thunderbird and Apple
Calendar need to subscribe, written by hand (no library) because it is this small."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from editorial.common.links import post_url
from editorial.models import Post

PRODID = "-//Sprachrohr//Redaktionsplan//DE"
MAX_LINE_OCTETS = 75


@dataclass(frozen=True)
class ICalEvent:
    uid: str
    dtstamp: datetime
    dtstart: datetime
    summary: str
    description: str
    url: str


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold_line(line: str) -> str:
    """Fold at 75 octets (RFC 5545 3.1) without splitting a UTF-8 character: a continuation
    line starts with one space, which counts towards its 75."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, MAX_LINE_OCTETS
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def format_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "sprachrohr.invalid"


def event_for_post(post: Post) -> ICalEvent:
    """A post as an event: the UID stays the same through every change of the post, so a
    subscribed calendar updates the event instead of adding a new one."""
    assert post.planned_at is not None  # the feed selects planned posts only
    link = f"{settings.SITE_URL}{post_url(post.pk)}"
    channels = ", ".join(v.channel.name for v in post.variants.all())
    status = str(Post.Status(post.status).label)
    description = "\n".join(
        [
            _("Channels: %(channels)s") % {"channels": channels or "-"},
            _("Status: %(status)s") % {"status": status},
            _("Unit: %(unit)s") % {"unit": post.unit.name},
            link,
        ]
    )
    return ICalEvent(
        uid=f"post-{post.pk}@{_uid_domain()}",
        dtstamp=post.updated_at,
        dtstart=post.planned_at,
        summary=f"{post.title} ({status})",
        description=description,
        url=link,
    )


def calendar_text(name: str, events: Iterable[ICalEvent]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # Outlook and Apple Calendar poll no more often than this hint allows.
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{format_utc(event.dtstamp)}",
            f"DTSTART:{format_utc(event.dtstart)}",
            "DURATION:PT15M",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            # URI values are not TEXT: they are not escaped (RFC 5545 3.3.13).
            f"URL:{event.url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
