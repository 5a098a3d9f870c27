"""Reads of the Redaktionsplan: periods, posts and topic slots as calendar entries,
filters, colours, calendar feed tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from channels_app.models import Channel
from editorial.common.links import post_url
from editorial.common.timeutil import BERLIN
from editorial.common.timeutil import berlin_to_aware
from editorial.models import CalendarFeedToken
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import Topic
from editorial.posts.selectors import post_list_for_user

# Status filter value that shows only topic slots still waiting for their post.
SLOT_STATUS = "slot"
# A slot without a time becomes a draft planned for this time of its day: without a time the
# post would have no place in the calendar at all.
DEFAULT_SLOT_TIME = time(9, 0)
# The iCal feed window: recent history for context, a year ahead for planning.
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=365)
# The API refuses longer periods: one request must stay one bounded query.
MAX_API_PERIOD_DAYS = 366

# Channel colours: each has a contrast of at least 4.5:1 with white text (WCAG 2.1 AA), so a
# channel's name can be written on it. Colour is never the only carrier: the name is shown too.
CHANNEL_PALETTE: tuple[str, ...] = (
    "#0b4a82",  # blue
    "#1d6b2c",  # green
    "#a4161a",  # red
    "#6a1b9a",  # purple
    "#8a4b00",  # brown
    "#00606b",  # teal
    "#4a4a4a",  # grey
    "#9c1d5c",  # magenta
)


def channel_colour_index(channel_id: int) -> int:
    """A stable palette slot per channel: the same channel has the same colour everywhere."""
    return channel_id % len(CHANNEL_PALETTE)


def channel_colour(channel_id: int) -> str:
    return CHANNEL_PALETTE[channel_colour_index(channel_id)]


# --- Periods ---------------------------------------------------------------------------------

VIEWS = ("month", "week", "list")


@dataclass(frozen=True)
class Period:
    view: str
    anchor: date
    start: date  # first day shown
    end: date  # first day no longer shown
    previous: date
    following: date


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_for(view: str, anchor: date) -> Period:
    """The days a view shows: a month grid runs Monday to Sunday around the month."""
    if view == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return Period(
            view,
            anchor,
            monday,
            monday + timedelta(days=7),
            monday - timedelta(days=7),
            monday + timedelta(days=7),
        )
    first = anchor.replace(day=1)
    following = _add_months(first, 1)
    if view == "month":
        start = first - timedelta(days=first.weekday())
        last = following - timedelta(days=1)
        end = last + timedelta(days=7 - last.weekday())
    else:
        start, end = first, following
    return Period(view, anchor, start, end, _add_months(first, -1), following)


def berlin_midnight(day: date) -> datetime:
    # Midnight always exists in Berlin: the clocks change at 02:00/03:00.
    return datetime.combine(day, time.min, BERLIN)


def berlin_datetime(day: date, at: time, *, second_occurrence: bool | None = None) -> datetime:
    """A Berlin wall-clock date and time as an aware instant (refuses the missing spring
    hour, needs the choice for the doubled autumn hour)."""
    return berlin_to_aware(datetime.combine(day, at), second_occurrence=second_occurrence)


# --- Entries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFilters:
    unit: OrgUnit | None = None
    channel: Channel | None = None
    topic: Topic | None = None
    status: str = ""
    author: User | None = None


@dataclass(frozen=True)
class ChannelTag:
    id: int
    name: str

    @property
    def colour_index(self) -> int:
        return channel_colour_index(self.id)

    @property
    def colour(self) -> str:
        return channel_colour(self.id)


@dataclass
class CalendarEntry:
    """One row of the calendar: a post at its Berlin time, or a topic slot on its day."""

    kind: str  # "post" or "slot"
    pk: int
    title: str
    day: date
    at: time | None
    status: str
    status_label: str
    channels: list[ChannelTag]
    unit: OrgUnit
    topic: Topic | None
    author: User | None
    post: Post | None = None
    slot: CalendarSlot | None = None
    planned_at: datetime | None = None
    # Whether the calendar offers "Move" (set by the view from ``MoveRights``).
    may_move: bool = False
    # Whether it offers editing a slot and writing its post.
    may_edit: bool = False

    @property
    def url(self) -> str:
        return post_url(self.pk) if self.kind == "post" else ""

    @property
    def colour_index(self) -> int | None:
        return self.channels[0].colour_index if self.channels else None

    @property
    def sort_key(self) -> tuple[date, time, int, int]:
        return (self.day, self.at or time.min, 0 if self.kind == "slot" else 1, self.pk)


def _in_unit_subtree(unit: OrgUnit) -> Q:
    return Q(unit__path__startswith=unit.path)


def calendar_posts(
    user: User, start: date, end: date, filters: CalendarFilters | None = None
) -> QuerySet[Post]:
    """Posts planned between two Berlin days (``end`` exclusive) in the user's scope."""
    filters = filters or CalendarFilters()
    posts = post_list_for_user(user).filter(
        planned_at__gte=berlin_midnight(start), planned_at__lt=berlin_midnight(end)
    )
    if filters.unit is not None:
        posts = posts.filter(_in_unit_subtree(filters.unit))
    if filters.channel is not None:
        posts = posts.filter(
            Exists(PostVariant.objects.filter(post=OuterRef("pk"), channel=filters.channel))
        )
    if filters.topic is not None:
        posts = posts.filter(topic=filters.topic)
    if filters.status == SLOT_STATUS:
        posts = posts.none()
    elif filters.status:
        posts = posts.filter(status=filters.status)
    if filters.author is not None:
        posts = posts.filter(author=filters.author)
    return posts.order_by("planned_at", "id")


def slots_for_user(user: User) -> QuerySet[CalendarSlot]:
    """Slots of the units where the user holds any role, like ``posts_for_user``."""
    return (
        CalendarSlot.objects.filter(unit_id__in=unit_ids_for_roles(user, Role.values))
        .select_related("unit", "topic", "created_by", "post")
        .prefetch_related("channels")
    )


def calendar_slots(
    user: User, start: date, end: date, filters: CalendarFilters | None = None
) -> QuerySet[CalendarSlot]:
    """Open topic slots (no post written yet) between two days (``end`` exclusive)."""
    filters = filters or CalendarFilters()
    slots = slots_for_user(user).filter(day__gte=start, day__lt=end, post__isnull=True)
    if filters.unit is not None:
        slots = slots.filter(_in_unit_subtree(filters.unit))
    if filters.channel is not None:
        slots = slots.filter(channels=filters.channel)
    if filters.topic is not None:
        slots = slots.filter(topic=filters.topic)
    if filters.status and filters.status != SLOT_STATUS:
        slots = slots.none()
    if filters.author is not None:
        slots = slots.filter(created_by=filters.author)
    return slots.order_by("day", "time", "id")


def _post_entry(post: Post) -> CalendarEntry:
    assert post.planned_at is not None  # calendar_posts filters on it
    local = timezone.localtime(post.planned_at, BERLIN)
    return CalendarEntry(
        kind="post",
        pk=post.pk,
        title=post.title,
        day=local.date(),
        at=local.time().replace(second=0, microsecond=0),
        status=post.status,
        status_label=str(Post.Status(post.status).label),
        channels=[ChannelTag(v.channel_id, v.channel.name) for v in post.variants.all()],
        unit=post.unit,
        topic=post.topic,
        author=post.author,
        post=post,
        planned_at=post.planned_at,
    )


def _slot_entry(slot: CalendarSlot) -> CalendarEntry:
    return CalendarEntry(
        kind="slot",
        pk=slot.pk,
        title=slot.title,
        day=slot.day,
        at=slot.time,
        status=SLOT_STATUS,
        status_label=_("Topic slot"),
        channels=[ChannelTag(c.pk, c.name) for c in slot.channels.all()],
        unit=slot.unit,
        topic=slot.topic,
        author=slot.created_by,
        slot=slot,
    )


def calendar_entries(
    user: User, start: date, end: date, filters: CalendarFilters | None = None
) -> list[CalendarEntry]:
    """Posts and open slots between two Berlin days, in time order. Four queries however
    many entries there are (posts, their variants, slots, their channels)."""
    entries = [_post_entry(p) for p in calendar_posts(user, start, end, filters)]
    entries += [_slot_entry(s) for s in calendar_slots(user, start, end, filters)]
    return sorted(entries, key=lambda e: e.sort_key)


def entries_by_day(entries: Iterable[CalendarEntry]) -> dict[date, list[CalendarEntry]]:
    grouped: dict[date, list[CalendarEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.day, []).append(entry)
    return grouped


def authors_for_user(user: User) -> QuerySet[User]:
    """People who wrote posts the user can see: the choices of the author filter."""
    unit_ids = unit_ids_for_roles(user, Role.values)
    return User.objects.filter(
        Exists(Post.objects.filter(author=OuterRef("pk"), unit_id__in=unit_ids))
    ).order_by("full_name", "email")


def slot_needs_occurrence_choice(slot: CalendarSlot) -> bool:
    """The slot's time falls into the doubled autumn hour: writing the post needs a choice."""
    try:
        berlin_datetime(slot.day, slot.time or DEFAULT_SLOT_TIME)
    except ValidationError as error:
        return error.code == "ambiguous_time"
    return False


# --- iCal feed tokens ------------------------------------------------------------------------


def feed_token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def feed_token_active(user: User) -> CalendarFeedToken | None:
    return (
        CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def feed_user_for_secret(secret: str) -> User | None:
    """The owner of a feed URL, if the URL is valid, not revoked and the owner active."""
    token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(digest=feed_token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None


def feed_posts_for_user(user: User, *, now: datetime | None = None) -> QuerySet[Post]:
    now = now or timezone.now()
    return (
        post_list_for_user(user)
        .filter(planned_at__gte=now - FEED_PAST, planned_at__lt=now + FEED_FUTURE)
        .order_by("planned_at", "id")
    )
