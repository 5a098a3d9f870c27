"""The Redaktionsplan: what is planned when, topic slots, public holidays and iCal feeds.

Reads (``calendar_entries``, ``holidays_for_*``, ``slots_for_user``) are scoped like the post
lists (``post_list_for_user``); writes on slots and feed tokens are audited services. Moving a
post is ``editorial.services.post_reschedule`` with a Berlin wall-clock time resolved through
``editorial.timeutil.berlin_to_aware``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import FederalState, OrgUnit, Role, User
from accounts.notifications import notify
from accounts.permissions import APPROVE_ON_CHANNEL
from accounts.selectors import unit_ids_for_roles, user_role_assignments
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from editorial.models import CalendarFeedToken, CalendarSlot, Post, PostVariant, Topic
from editorial.selectors import channels_for_drafting, post_list_for_user, units_for_authoring
from editorial.services import post_create
from editorial.status import EDITABLE
from editorial.timeutil import BERLIN, berlin_to_aware

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


def post_url(post_id: int) -> str:
    """The post's detail page; the plain path while the post pages are not mounted yet."""
    try:
        return reverse("editorial:post_detail", args=[post_id])
    except NoReverseMatch:
        return f"/editorial/posts/{post_id}/"


def user_may_use_calendar(user: User) -> bool:
    return bool(user_role_assignments(user))


# --- Public holidays -------------------------------------------------------------------------

S = FederalState


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(state: str, year: int) -> dict[date, str]:
    """Statutory public holidays of a German federal state in a year.

    Names stay German: they are the legal names of the days, like the states' names.
    Regional holidays that only some municipalities keep (Augsburger Friedensfest, Mariä
    Himmelfahrt in parts of Bavaria) are marked as such."""
    easter = easter_sunday(year)
    days: dict[date, str] = {
        date(year, 1, 1): "Neujahr",
        easter - timedelta(days=2): "Karfreitag",
        easter + timedelta(days=1): "Ostermontag",
        date(year, 5, 1): "Tag der Arbeit",
        easter + timedelta(days=39): "Christi Himmelfahrt",
        easter + timedelta(days=50): "Pfingstmontag",
        date(year, 10, 3): "Tag der Deutschen Einheit",
        date(year, 12, 25): "1. Weihnachtsfeiertag",
        date(year, 12, 26): "2. Weihnachtsfeiertag",
    }
    if state in {S.BW, S.BY, S.ST}:
        days[date(year, 1, 6)] = "Heilige Drei Könige"
    if (state == S.BE and year >= 2019) or (state == S.MV and year >= 2023):
        days[date(year, 3, 8)] = "Internationaler Frauentag"
    if state == S.BB:
        days[easter] = "Ostersonntag"
        days[easter + timedelta(days=49)] = "Pfingstsonntag"
    if state in {S.BW, S.BY, S.HE, S.NW, S.RP, S.SL}:
        days[easter + timedelta(days=60)] = "Fronleichnam"
    if state == S.SL:
        days[date(year, 8, 15)] = "Mariä Himmelfahrt"
    elif state == S.BY:
        days[date(year, 8, 15)] = "Mariä Himmelfahrt (nicht überall in Bayern)"
    if state == S.TH and year >= 2019:
        days[date(year, 9, 20)] = "Weltkindertag"
    # 2017 (500 years of the Reformation) was a holiday everywhere; four northern states
    # added it for good from 2018.
    reformation = {S.BB, S.MV, S.SN, S.ST, S.TH}
    if year >= 2018:
        reformation |= {S.HB, S.HH, S.NI, S.SH}
    if year == 2017 or state in reformation:
        days[date(year, 10, 31)] = "Reformationstag"
    if state in {S.BW, S.BY, S.NW, S.RP, S.SL}:
        days[date(year, 11, 1)] = "Allerheiligen"
    if state == S.SN:
        # The Wednesday before 23 November.
        nov22 = date(year, 11, 22)
        days[nov22 - timedelta(days=(nov22.weekday() - 2) % 7)] = "Buß- und Bettag"
    return days


def federal_states_of_units(units: Iterable[OrgUnit]) -> set[str]:
    """Each unit's federal state: its own, else the nearest ancestor's. One query."""
    units = list(units)
    ancestor_ids = {pk for unit in units for pk in unit.ancestor_ids}
    states = dict(
        OrgUnit.objects.filter(id__in=ancestor_ids)
        .exclude(federal_state="")
        .values_list("id", "federal_state")
    )
    found: set[str] = set()
    for unit in units:
        for pk in reversed(unit.ancestor_ids):
            if pk in states:
                found.add(states[pk])
                break
    return found


def federal_state_for_unit(unit: OrgUnit) -> str:
    return next(iter(federal_states_of_units([unit])), "")


def holidays_for_states(states: Iterable[str], start: date, end: date) -> dict[date, list[str]]:
    """Holidays between ``start`` and ``end`` (exclusive). With several states, a holiday
    not kept in all of them names the states that keep it."""
    states = sorted(set(states))
    per_day: dict[date, dict[str, list[str]]] = {}
    for state in states:
        for year in range(start.year, end.year + 1):
            for day, name in public_holidays(state, year).items():
                if start <= day < end:
                    per_day.setdefault(day, {}).setdefault(name, []).append(state)
    result: dict[date, list[str]] = {}
    for day in sorted(per_day):
        result[day] = [
            name if len(keepers) == len(states) else f"{name} ({', '.join(keepers)})"
            for name, keepers in per_day[day].items()
        ]
    return result


def holidays_for_user(
    user: User, start: date, end: date, *, unit: OrgUnit | None = None
) -> dict[date, list[str]]:
    """Holidays of the chosen unit's state, else of the states of the user's units."""
    units = [unit] if unit is not None else [a.unit for a in user_role_assignments(user)]
    return holidays_for_states(federal_states_of_units(units), start, end)


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


def _topic_unit_ids(user: User) -> set[int]:
    """Topics live in the user's units, below them, or above them (a city-wide campaign
    is used by every office of the city)."""
    above = {pk for a in user_role_assignments(user) for pk in a.unit.ancestor_ids}
    return above | unit_ids_for_roles(user, Role.values)


def topics_for_user(user: User) -> QuerySet[Topic]:
    return Topic.objects.filter(unit_id__in=_topic_unit_ids(user), archived=False).order_by("name")


def authors_for_user(user: User) -> QuerySet[User]:
    """People who wrote posts the user can see: the choices of the author filter."""
    unit_ids = unit_ids_for_roles(user, Role.values)
    return User.objects.filter(
        Exists(Post.objects.filter(author=OuterRef("pk"), unit_id__in=unit_ids))
    ).order_by("full_name", "email")


# --- Moving posts (the move itself is editorial.services.post_reschedule) ------------------


@dataclass(frozen=True)
class MoveRights:
    """Whether the calendar offers "Move" on a post, for many posts in two queries.

    Mirrors ``user_may_edit_post`` / ``user_may_approve_post`` over prefetched variants; it
    only decides what to show: ``post_reschedule`` checks again with those selectors."""

    user_id: int
    editor_unit_ids: frozenset[int]
    draft_channel_ids: frozenset[int]
    approve_channel_ids: frozenset[int]

    def allows(self, post: Post) -> bool:
        if post.status not in EDITABLE:
            return False
        channel_ids = {v.channel_id for v in post.variants.all()}
        may_edit = post.unit_id in self.editor_unit_ids and channel_ids <= self.draft_channel_ids
        may_approve = (
            post.author_id != self.user_id
            and bool(channel_ids)
            and channel_ids <= self.approve_channel_ids
        )
        return may_edit or may_approve

    def allows_slot(self, slot: CalendarSlot) -> bool:
        return slot.unit_id in self.editor_unit_ids


def move_rights_for(user: User) -> MoveRights:
    return MoveRights(
        user_id=user.pk,
        editor_unit_ids=frozenset(unit_ids_for_roles(user, [Role.EDITOR])),
        draft_channel_ids=frozenset(channels_for_drafting(user).values_list("id", flat=True)),
        approve_channel_ids=frozenset(
            channels_for_user(user, APPROVE_ON_CHANNEL).values_list("id", flat=True)
        ),
    )


# --- Topic slots -----------------------------------------------------------------------------


def _slot_snapshot(slot: CalendarSlot, channel_ids: Iterable[int]) -> dict[str, Any]:
    return {
        "unit": slot.unit_id,
        "title": slot.title,
        "day": slot.day.isoformat(),
        "time": slot.time.strftime("%H:%M") if slot.time else None,
        "topic": slot.topic_id,
        "note": slot.note,
        "channels": sorted(channel_ids),
        "post": slot.post_id,
    }


def _check_slot_unit(actor: User, unit: OrgUnit) -> None:
    if not units_for_authoring(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied


def _check_slot_channels(actor: User, channels: Iterable[Channel]) -> list[Channel]:
    channels = list(channels)
    allowed = set(channels_for_drafting(actor).values_list("id", flat=True))
    if any(channel.pk not in allowed for channel in channels):
        raise ValidationError({"channels": _("You may not post on one of these channels.")})
    return channels


def _check_slot_topic(actor: User, topic: Topic | None) -> None:
    if topic is not None and topic.unit_id not in _topic_unit_ids(actor):
        raise ValidationError({"topic": _("Unknown topic.")})


def user_may_edit_slot(user: User, slot: CalendarSlot) -> bool:
    """Editors of the slot's unit (and the units above it)."""
    return slot.unit_id in unit_ids_for_roles(user, [Role.EDITOR])


@transaction.atomic
def slot_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    day: date,
    time: time | None = None,
    topic: Topic | None = None,
    note: str = "",
    channels: Iterable[Channel] = (),
    request: HttpRequest | None = None,
) -> CalendarSlot:
    _check_slot_unit(actor, unit)
    _check_slot_topic(actor, topic)
    channel_list = _check_slot_channels(actor, channels)
    slot = CalendarSlot(
        unit=unit, title=title, day=day, time=time, topic=topic, note=note, created_by=actor
    )
    slot.full_clean()
    slot.save()
    slot.channels.set(channel_list)
    audit_log(
        action="editorial.slot.created",
        actor=actor,
        request=request,
        target=slot,
        unit=unit,
        after=_slot_snapshot(slot, [c.pk for c in channel_list]),
    )
    return slot


SLOT_FIELDS = frozenset({"unit", "title", "day", "time", "topic", "note"})


@transaction.atomic
def slot_update(
    *,
    actor: User,
    slot: CalendarSlot,
    channels: Iterable[Channel] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> CalendarSlot:
    slot = CalendarSlot.objects.select_for_update().get(pk=slot.pk)
    if not user_may_edit_slot(actor, slot):
        raise PermissionDenied
    if set(fields) - SLOT_FIELDS:
        raise ValueError(f"Not editable: {sorted(set(fields) - SLOT_FIELDS)}")
    if "unit" in fields and fields["unit"].pk != slot.unit_id:
        _check_slot_unit(actor, fields["unit"])
    if "topic" in fields:
        _check_slot_topic(actor, fields["topic"])
    before_channels = list(slot.channels.values_list("id", flat=True))
    before = _slot_snapshot(slot, before_channels)
    for name, value in fields.items():
        setattr(slot, name, value)
    slot.full_clean()
    slot.save()
    after_channels = before_channels
    if channels is not None:
        channel_list = _check_slot_channels(actor, channels)
        slot.channels.set(channel_list)
        after_channels = [c.pk for c in channel_list]
    audit_log(
        action="editorial.slot.updated",
        actor=actor,
        request=request,
        target=slot,
        unit=slot.unit,
        before=before,
        after=_slot_snapshot(slot, after_channels),
    )
    return slot


@transaction.atomic
def slot_delete(*, actor: User, slot: CalendarSlot, request: HttpRequest | None = None) -> None:
    slot = CalendarSlot.objects.select_for_update().select_related("unit").get(pk=slot.pk)
    if not user_may_edit_slot(actor, slot):
        raise PermissionDenied
    # Written before the delete: the entry keeps the slot's id and title as its target.
    audit_log(
        action="editorial.slot.deleted",
        actor=actor,
        request=request,
        target=slot,
        unit=slot.unit,
        before=_slot_snapshot(slot, slot.channels.values_list("id", flat=True)),
    )
    slot.delete()


def slot_needs_occurrence_choice(slot: CalendarSlot) -> bool:
    """The slot's time falls into the doubled autumn hour: writing the post needs a choice."""
    try:
        berlin_datetime(slot.day, slot.time or DEFAULT_SLOT_TIME)
    except ValidationError as error:
        return error.code == "ambiguous_time"
    return False


@transaction.atomic
def slot_write_post(
    *,
    actor: User,
    slot: CalendarSlot,
    second_occurrence: bool | None = None,
    request: HttpRequest | None = None,
) -> Post:
    """Start the post for a slot: a draft with the slot's title, topic, time and channels,
    linked to the slot (which then leaves the calendar; the post takes its place)."""
    slot = (
        CalendarSlot.objects.select_for_update(of=("self",))
        .select_related("unit", "topic")
        .get(pk=slot.pk)
    )
    if not user_may_edit_slot(actor, slot):
        raise PermissionDenied
    if slot.post_id is not None:
        raise ValidationError(_("The post for this slot has already been written."))
    planned_at = berlin_datetime(
        slot.day, slot.time or DEFAULT_SLOT_TIME, second_occurrence=second_occurrence
    )
    post = post_create(
        actor=actor,
        unit=slot.unit,
        title=slot.title,
        text="",
        topic=slot.topic,
        planned_at=planned_at,
        channels=slot.channels.all(),
        request=request,
    )
    slot.post = post
    slot.save(update_fields=["post"])
    audit_log(
        action="editorial.slot.post_written",
        actor=actor,
        request=request,
        target=slot,
        unit=slot.unit,
        before={"post": None},
        after={"post": post.pk},
    )
    return post


# --- iCal feed tokens ------------------------------------------------------------------------


def feed_token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _home_unit(user: User) -> OrgUnit | None:
    """The unit the user's feed entries are filed under, for auditors' visibility."""
    assignments = user_role_assignments(user)
    return assignments[0].unit if assignments else None


def feed_token_active(user: User) -> CalendarFeedToken | None:
    return (
        CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class CreatedFeedToken:
    token: CalendarFeedToken
    secret: str = field(repr=False)


@transaction.atomic
def feed_token_create(*, user: User, request: HttpRequest | None = None) -> CreatedFeedToken:
    """A new secret feed URL; an earlier one stops working (one feed per person keeps it
    clear which URL is subscribed where). Only the digest is stored."""
    for old in CalendarFeedToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True
    ):
        feed_token_revoke(actor=user, token=old, request=request)
    secret = secrets.token_urlsafe(32)
    token = CalendarFeedToken(user=user, digest=feed_token_digest(secret))
    token.full_clean()
    token.save()
    audit_log(
        action="editorial.calendar_feed.created",
        actor=user,
        request=request,
        target=token,
        unit=_home_unit(user),
    )
    notify(
        recipients=[user],
        kind="editorial.calendar_feed_created",
        context={},
        link="/editorial/calendar/#feed",
    )
    return CreatedFeedToken(token=token, secret=secret)


@transaction.atomic
def feed_token_revoke(
    *, actor: User, token: CalendarFeedToken, request: HttpRequest | None = None
) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(
        action="editorial.calendar_feed.revoked",
        actor=actor,
        request=request,
        target=token,
        unit=_home_unit(token.user),
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
