"""Reads of the inbox: the one list across every channel a user may read (filters, keyset
pages), one item with its conversation, and the people an item can be assigned to.

The list never counts and never uses OFFSET: a page is "the next ``size`` items older (or
newer) than this key", ordered newest first by ``(created_at, id)``, which the
``moderation_item_*`` indexes serve directly. A page costs a fixed number of queries
(visible channels, the page with its flags) whatever its size."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from functools import cache
from typing import Any
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.aggregates import JSONBAgg
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField
from django.db.models import CharField
from django.db.models import Count
from django.db.models import DateTimeField
from django.db.models import Exists
from django.db.models import F
from django.db.models import Func
from django.db.models import IntegerField
from django.db.models import JSONField
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models.functions import JSONArray
from django.db.models.functions import Length
from django.db.models.functions import Substr
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import practice_unit_for
from channels_app.models import Channel
from moderation.common.permissions import READ_ROLES
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import channels_for_reading
from moderation.common.statements import Contains
from moderation.common.statements import Slot
from moderation.common.statements import compiled
from moderation.common.statements import like_pattern
from moderation.inbox.rows import ROW_COLUMNS
from moderation.inbox.rows import InboxRow
from moderation.inbox.rows import flags_loaded
from moderation.inbox.status import ACTIVE
from moderation.models import Author
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.models import ItemRevision

S = InboxItem.Status

PAGE_SIZE = 50
EXCERPT_CHARS = 280
# Free text looks up matching authors first and filters items by their ids (an index
# probe each); beyond this many the author match stays a subquery.
AUTHOR_MATCH_LIMIT = 500
THREAD_DEPTH_LIMIT = 20
THREAD_CHILDREN_LIMIT = 200
EARLIER_ITEMS_LIMIT = 10


class FlagInfo(NamedTuple):
    """A flag as a row of the list shows it (badge and explanation)."""

    id: int
    item_id: int
    kind: str
    code: str
    explanation: str

    def get_kind_display(self) -> str:
        return str(Flag.Kind(self.kind).label)


class ChannelInfo(NamedTuple):
    """What the list needs of a channel: a plain tuple, not a model (a reader may see
    hundreds of channels, and the list loads them on every page)."""

    id: int
    name: str
    platform: str
    unit_id: int
    unit_name: str
    unit_path: str

    @property
    def unit_ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.unit_path.strip("/").split("/") if part]

    @property
    def unit_depth(self) -> int:
        return max(self.unit_path.count("/") - 2, 0)


# Status filter values beyond the statuses themselves.
STATUS_ACTIVE = "active"
STATUS_SNOOZED = "snoozed"
ASSIGNEE_ME = "me"
ASSIGNEE_UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class InboxFilters:
    """What the list is narrowed to. Empty values do not filter.

    ``status``: a status, ``"active"`` (new, open, waiting) or ``"snoozed"``; without
    ``"snoozed"`` items snoozed into the future are left out. ``assignee``: ``"me"``,
    ``"unassigned"`` or a user id. ``date_from``/``date_to``: calendar days in the site's
    time zone, both included."""

    channels: tuple[int, ...] = ()
    unit: int | None = None
    status: str = ""
    assignee: str = ""
    team: int | None = None
    priority: int | None = None
    flag: str = ""
    variant: int | None = None
    post: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


@dataclass
class InboxList:
    """The visible channels (for the filter form and the rows) and what narrows the list:
    ``conditions`` with ``Slot``s for the values, the ``values`` themselves, and the
    ``shape`` (everything the statement's text depends on: its key among the compiled
    statements). No channel to read (``channel_ids`` empty): no page asks the database."""

    channels: dict[int, ChannelInfo]
    channel_ids: tuple[int, ...]
    conditions: list[Q | Func]
    values: dict[str, object]
    shape: tuple[Hashable, ...]


@dataclass
class KeysetPage:
    items: list[InboxRow]
    next_key: str | None = None
    previous_key: str | None = None
    size: int = PAGE_SIZE
    extra: dict[str, object] = field(default_factory=dict)


class InvalidPageKeyError(ValueError):
    """A page key that this code did not make (edited by hand, or truncated)."""


# --- Keys of pages ---------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def page_key(item: InboxItem | InboxRow) -> str:
    """An opaque key of ``(created_at, id)``: microseconds since the epoch and the id."""
    micros = (item.created_at - _EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{micros}.{item.pk}".encode()).decode().rstrip("=")


def parse_page_key(key: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode("ascii")
        micros, pk = raw.split(".")
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError) as error:
        raise InvalidPageKeyError(key) from error


_KEY_AT = Slot("key_at", DateTimeField())
_KEY_ID = Slot("key_id", IntegerField())


def _older_than_key() -> Q:
    # ``created_at <= k`` first: PostgreSQL turns it into an index range condition on
    # (created_at DESC, id DESC); the OR only sorts out ties at the boundary.
    return Q(created_at__lte=_KEY_AT) & (Q(created_at__lt=_KEY_AT) | Q(id__lt=_KEY_ID))


def _newer_than_key() -> Q:
    return Q(created_at__gte=_KEY_AT) & (Q(created_at__gt=_KEY_AT) | Q(id__gt=_KEY_ID))


@contextmanager
def _planned_with_its_values() -> Iterator[None]:
    """Send the statements inside unprepared, so that PostgreSQL plans each with its values.

    psycopg prepares a statement once it ran five times on a connection (``OPTIONS``
    ``prepare_threshold``), and PostgreSQL may then keep one generic plan for all values.
    No one plan fits a page of the list: with the generic plan, a free-text page for a word
    in ten comments walked the whole table (0.6 s instead of a few milliseconds at 200,000
    items; the same for a rare author before). Planning a page costs about a millisecond."""
    connection.ensure_connection()
    driver = connection.connection
    threshold = getattr(driver, "prepare_threshold", None)  # psycopg 3 only
    if threshold is None:
        yield
        return
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def keyset_page(
    listing: InboxList,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """``size`` items, newest first: the first page, the page after key ``after`` (older
    items), or the page before key ``before`` (newer ones). Raises ``InvalidPageKeyError``."""
    if before:
        rows = _page_rows(listing, "before", parse_page_key(before), size)
        if rows:
            more_newer = len(rows) > size
            rows = rows[:size][::-1]
            return KeysetPage(
                items=rows,
                next_key=page_key(rows[-1]),
                previous_key=page_key(rows[0]) if more_newer else None,
                size=size,
            )
        # Everything newer is gone (closed, snoozed, filtered out): start from the top.
        after = None
    rows = _page_rows(
        listing, "after" if after else "", parse_page_key(after) if after else None, size
    )
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        items=rows,
        next_key=page_key(rows[-1]) if more and rows else None,
        # Came from a newer page: there is one to go back to.
        previous_key=page_key(rows[0]) if after and rows else None,
        size=size,
    )


def _page_rows(
    listing: InboxList, direction: str, key: tuple[datetime, int] | None, size: int
) -> list[InboxRow]:
    """``size + 1`` rows from ``key`` on in ``direction`` (``"after"``: older, ``"before"``:
    newer, ``""``: from the newest), by the page statement of the listing's shape."""
    if not listing.channel_ids:
        return []

    def build() -> QuerySet[InboxItem, tuple[Any, ...]]:
        rows = _list_rows().filter(*listing.conditions)
        if direction == "before":
            rows = rows.filter(_newer_than_key()).order_by("created_at", "id")
        else:
            if direction == "after":
                rows = rows.filter(_older_than_key())
            rows = rows.order_by("-created_at", "-id")
        return rows[: size + 1]

    values = dict(listing.values)
    if key is not None:
        values["key_at"], values["key_id"] = key
    statement = compiled(("inbox_page", listing.shape, direction, size), build)
    with _planned_with_its_values():
        return [InboxRow.from_columns(row) for row in statement.rows(values)]


# --- The list --------------------------------------------------------------------------------


class _AmongIds(Func):
    """``column IN (1, 2, …)`` with the ids written into the statement instead of bound one
    parameter each. PostgreSQL plans it as the bound list (it sees the values either way),
    but hundreds of parameters cost Django and psycopg time on every page (psycopg caches a
    statement's parsing only up to 50 parameters). ``int()`` lets nothing but digits into the
    text. No ids match nothing, and nothing is sent (as ``__in`` with an empty list)."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: Iterable[int]) -> None:
        self.ids = sorted({int(pk) for pk in ids})
        super().__init__(F(column))

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: object
    ) -> tuple[str, list[object]]:
        if not self.ids:
            raise EmptyResultSet
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"{column} IN ({', '.join(map(str, self.ids))})", list(params)


def visible_channels(user: User) -> dict[int, ChannelInfo]:
    """The channels whose inbox the user reads, by id, in display order (with their unit).

    The rule is ``channels_for_reading``'s (a reading role on the channel's unit or on a
    unit above it, an active user), in one query instead of three (roles, the units below
    them, channels): a unit is above another, or the same, when its path begins the
    other's."""
    if not user.is_authenticated or not user.is_active:
        return {}
    statement = compiled(("visible_channels",), _visible_channels_rows)
    channels = [ChannelInfo(*row) for row in statement.rows({"user": user.pk})]
    # The statement reads the role assignments itself, past their practice scope
    # (accounts.practice.selectors): applied here, so that the practice space's channels
    # are the whole inbox in practice mode and none of it outside (no practice comment
    # among the real ones, no real one in practice).
    practice = practice_unit_for(user)
    if practice is not None:
        inside = practice_mode_on(user)
        channels = [c for c in channels if (c.unit_id == practice.pk) == inside]
    return {channel.id: channel for channel in channels}


def _visible_channels_rows() -> QuerySet[Channel, tuple[int, str, str, int, str, str]]:
    reading_role = RoleAssignment.objects.filter(
        user_id=Slot("user", IntegerField()),
        role__in=READ_ROLES,
        unit__path=Substr(OuterRef("unit__path"), 1, Length("unit__path")),
    )
    return (
        Channel.objects.filter(Exists(reading_role))
        .order_by("unit__path", "name")
        .values_list("id", "name", "platform", "unit_id", "unit__name", "unit__path")
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _matching_authors(channel_ids: tuple[int, ...]) -> QuerySet[Author]:
    """Authors on the channels whose handle or name contains the text (slots
    ``handle_pattern`` and ``q_pattern``)."""
    return Author.objects.filter(_AmongIds("channel_id", channel_ids)).filter(
        Q(Contains("handle", Slot("handle_pattern", CharField())))
        | Q(Contains("display_name", Slot("q_pattern", CharField())))
    )


def _text_condition(
    query: str, channel_ids: tuple[int, ...], values: dict[str, object]
) -> tuple[Q, Hashable]:
    """Items whose text contains ``query`` or whose author's handle or name does, and the
    condition's part of the list's shape. The authors are looked up first (an index probe
    each for the page's statement); beyond ``AUTHOR_MATCH_LIMIT`` they stay a subquery."""
    values["q_pattern"] = like_pattern(query)
    values["handle_pattern"] = like_pattern(query.removeprefix("@") or query)
    in_text = Q(Contains("text", Slot("q_pattern", CharField())))

    def first_authors() -> QuerySet[Author, tuple[int]]:
        return _matching_authors(channel_ids).values_list("id")[: AUTHOR_MATCH_LIMIT + 1]

    statement = compiled(("inbox_authors", channel_ids), first_authors)
    with _planned_with_its_values():
        ids = tuple(row[0] for row in statement.rows(values))
    if len(ids) > AUTHOR_MATCH_LIMIT:
        return in_text | Q(author__in=_matching_authors(channel_ids).values("id")), "authors"
    if not ids:
        return in_text, "text"
    return in_text | Q(_AmongIds("author_id", ids)), ids


def _active_flag_rows() -> Subquery:
    """An item's flags that are not dismissed, as one JSON array of ``[id, kind, code,
    explanation]`` by kind and code (null: none), for the page's own statement: PostgreSQL
    computes it only for the rows the page returns (after the sort and the limit), and the
    page needs no query of its own for its flags."""
    rows = (
        Flag.objects.filter(item_id=OuterRef("pk"), dismissed_at__isnull=True)
        .order_by()
        .values("item_id")
        .annotate(
            rows=JSONBAgg(JSONArray("id", "kind", "code", "explanation"), order_by=("kind", "code"))
        )
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


@cache
def _list_rows() -> QuerySet[InboxItem, tuple[Any, ...]]:
    """A row's columns (``ROW_COLUMNS``: author, assignee and team joined in), the
    ``excerpt`` and, on PostgreSQL, the ``flag_rows``; built once (filtering copies a
    QuerySet, never changes it; this one is never evaluated itself)."""
    rows = InboxItem.objects.annotate(excerpt=Substr("text", 1, EXCERPT_CHARS))
    if connection.vendor != "postgresql":
        # SQLite (`make run`) has no ordered JSONB_AGG: attach_channels asks for the flags.
        return rows.values_list(*ROW_COLUMNS)
    return rows.annotate(flag_rows=_active_flag_rows()).values_list(*ROW_COLUMNS, "flag_rows")


def _flag_rows_of(items: list[Any]) -> dict[int, list[tuple[int, str, str, str]]]:
    """The page's flags not dismissed, by item, in one query (where the rows did not bring
    them along)."""
    by_item: dict[int, list[tuple[int, str, str, str]]] = {item.pk: [] for item in items}
    for item_id, *row in (
        Flag.objects.filter(item_id__in=list(by_item), dismissed_at__isnull=True)
        .order_by("kind", "code")
        .values_list("item_id", "id", "kind", "code", "explanation")
    ):
        by_item[item_id].append(tuple(row))  # type: ignore[arg-type]
    return by_item


def inbox_items_list(
    user: User,
    filters: InboxFilters | None = None,
    *,
    channels: dict[int, ChannelInfo] | None = None,
    now: datetime | None = None,
) -> InboxList:
    """The user's inbox, filtered, unordered and unpaginated (hand it to ``keyset_page``).

    The conditions use ``Slot``s for their values, so that the page's statement of one shape
    is compiled once (``moderation.common.statements``); the shape records which conditions
    there are, and the channel ids, which are written into the statement's text."""
    filters = filters or InboxFilters()
    now = now or timezone.now()
    if channels is None:
        channels = visible_channels(user)
    channel_ids = set(channels)
    if filters.channels:
        channel_ids &= set(filters.channels)
    if filters.unit is not None:
        path = next(
            (c.unit_path for c in channels.values() if c.unit_id == filters.unit),
            OrgUnit.objects.filter(pk=filters.unit).values_list("path", flat=True).first(),
        )
        channel_ids = {
            pk for pk in channel_ids if path is not None and channels[pk].unit_path.startswith(path)
        }
    ids = tuple(sorted(channel_ids))
    # The ids themselves, even hundreds: with a subquery instead, PostgreSQL's generic plan
    # of the prepared statement (psycopg prepares repeated queries) walked the whole table
    # for a rare author in the benchmark (0.7 s instead of 20 ms); as one array parameter,
    # the generic plan guessed ten channels and the free-text pages took 80 ms instead of 25.
    conditions: list[Q | Func] = [_AmongIds("channel_id", ids)]
    values: dict[str, object] = {"now": now}
    shape: list[Hashable] = [ids]

    def condition(name: str, value: object, make: Callable[[], Q]) -> None:
        values[name] = value
        shape.append(name)
        conditions.append(make())

    now_slot = Slot("now", DateTimeField())
    if filters.status == STATUS_SNOOZED:
        conditions.append(Q(snoozed_until__gt=now_slot))
        shape.append(STATUS_SNOOZED)
    else:
        conditions.append(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now_slot))
        if filters.status == STATUS_ACTIVE:
            conditions.append(Q(status__in=sorted(ACTIVE)))
            shape.append(STATUS_ACTIVE)
        elif filters.status:
            condition("status", filters.status, lambda: Q(status=Slot("status", CharField())))
    if filters.assignee == ASSIGNEE_UNASSIGNED:
        conditions.append(Q(assignee__isnull=True, team__isnull=True))
        shape.append(ASSIGNEE_UNASSIGNED)
    elif filters.assignee:
        assignee = user.pk if filters.assignee == ASSIGNEE_ME else int(filters.assignee)
        condition("assignee", assignee, lambda: Q(assignee_id=Slot("assignee", IntegerField())))
    if filters.team is not None:
        condition("team", filters.team, lambda: Q(team_id=Slot("team", IntegerField())))
    if filters.priority is not None:
        condition(
            "priority", filters.priority, lambda: Q(priority=Slot("priority", IntegerField()))
        )
    if filters.flag:
        condition("flag", filters.flag, _flag_condition)
    if filters.variant is not None:
        condition("variant", filters.variant, lambda: Q(variant_id=Slot("variant", IntegerField())))
    if filters.post is not None:
        condition("post", filters.post, lambda: Q(variant__post_id=Slot("post", IntegerField())))
    if filters.date_from is not None:
        condition(
            "date_from",
            _local_midnight(filters.date_from),
            lambda: Q(created_at__gte=Slot("date_from", DateTimeField())),
        )
    if filters.date_to is not None:
        condition(
            "date_to",
            _local_midnight(filters.date_to + timedelta(days=1)),
            lambda: Q(created_at__lt=Slot("date_to", DateTimeField())),
        )
    query = filters.q.strip()
    if query and ids:
        text, text_shape = _text_condition(query, ids, values)
        conditions.append(text)
        shape.append(("q", text_shape))
    return InboxList(
        channels=channels,
        channel_ids=ids,
        conditions=conditions,
        values=values,
        shape=tuple(shape),
    )


def _flag_condition() -> Q:
    active_flags = Flag.objects.filter(kind=Slot("flag", CharField()), dismissed_at__isnull=True)
    return Q(pk__in=active_flags.values("item_id"))


def attach_channels(
    page: KeysetPage, channels: dict[int, ChannelInfo], now: datetime | None = None
) -> KeysetPage:
    """Give each row ``channel_info`` from the already loaded channels (no join, no query),
    ``active_flags`` (the flags not dismissed, loaded with the row as ``flag_rows``, or in
    one query where the database could not bring them) and its ``due_state`` (see
    ``response_state``)."""
    now = now or timezone.now()
    loaded = not page.items or flags_loaded(page.items[0])
    fetched = {} if loaded else _flag_rows_of(page.items)
    for item in page.items:
        rows = (item.flag_rows if loaded else fetched[item.pk]) or ()
        item.active_flags = [
            FlagInfo(pk, item.pk, kind, code, explanation) for pk, kind, code, explanation in rows
        ]
        item.channel_info = channels[item.channel_id]
        item.due_state = response_state(item, now)
    return page


def inbox_page(
    user: User,
    filters: InboxFilters | None = None,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
    now: datetime | None = None,
) -> tuple[InboxList, KeysetPage]:
    """One page of the list as the page view and the API show it."""
    listing = inbox_items_list(user, filters, now=now)
    page = keyset_page(listing, after=after, before=before, size=size)
    return listing, attach_channels(page, listing.channels)


# --- One item --------------------------------------------------------------------------------


def inbox_items_for_user(user: User) -> QuerySet[InboxItem]:
    """Every item the user may read (for a detail lookup: 404 for any other)."""
    return InboxItem.objects.filter(channel_id__in=channels_for_reading(user).values("id"))


def inbox_item_for_user(user: User, pk: int) -> InboxItem | None:
    return (
        inbox_items_for_user(user)
        .select_related(
            "channel__unit", "author", "assignee", "team", "variant__post", "variant__channel"
        )
        .filter(pk=pk)
        .first()
    )


def item_ancestors(item: InboxItem) -> list[InboxItem]:
    """The parent chain, the thread's start first (bounded: a cycle cannot loop forever)."""
    chain: list[InboxItem] = []
    seen = {item.pk}
    parent_id = item.parent_id
    while parent_id is not None and parent_id not in seen and len(chain) < THREAD_DEPTH_LIMIT:
        parent = (
            InboxItem.objects.select_related("author")
            .filter(pk=parent_id, channel_id=item.channel_id)
            .first()
        )
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.pk)
        parent_id = parent.parent_id
    return chain[::-1]


def item_children(item: InboxItem) -> list[InboxItem]:
    return list(
        InboxItem.objects.filter(parent_id=item.pk, channel_id=item.channel_id)
        .select_related("author")
        .order_by("created_at", "id")[:THREAD_CHILDREN_LIMIT]
    )


def author_earlier_items(item: InboxItem) -> list[InboxItem]:
    """What the same author wrote earlier on the channel, newest first (with ``excerpt``)."""
    return list(
        InboxItem.objects.filter(
            author_id=item.author_id, channel_id=item.channel_id, created_at__lt=item.created_at
        )
        .defer("text", "raw")
        .annotate(excerpt=Substr("text", 1, EXCERPT_CHARS))
        .order_by("-created_at", "-id")[:EARLIER_ITEMS_LIMIT]
    )


def item_notes(item: InboxItem) -> QuerySet[InternalNote]:
    return item.notes.select_related("author").order_by("created_at", "id")


def item_revisions(item: InboxItem) -> QuerySet[ItemRevision]:
    return item.revisions.order_by("recorded_at", "id")


def item_flags(item: InboxItem) -> QuerySet[Flag]:
    return item.flags.select_related("dismissed_by").order_by("dismissed_at", "kind", "code")


# --- Assignment ------------------------------------------------------------------------------


def _community_managers_of(unit_ids: set[int]) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.COMMUNITY_MANAGER,
            role_assignments__unit_id__in=sorted(unit_ids),
        )
        .distinct()
        .order_by("full_name", "email")
    )


def assignable_users(channel: Channel) -> QuerySet[User]:
    """Community managers of the channel's unit or a unit above it."""
    return _community_managers_of(set(channel.unit.ancestor_ids))


def assignable_users_for_channels(channels: dict[int, ChannelInfo]) -> QuerySet[User]:
    """For a selection across channels: anyone assignable to at least one of them (the
    service checks each item)."""
    return _community_managers_of({uid for c in channels.values() for uid in c.unit_ancestor_ids})


def _authority_path(unit: OrgUnit) -> str:
    return f"/{unit.ancestor_ids[0]}/"


def assignable_teams(channel: Channel) -> QuerySet[OrgUnit]:
    """Units of the channel's authority: a team is an organisational unit."""
    return OrgUnit.objects.filter(path__startswith=_authority_path(channel.unit)).order_by("path")


def assignable_teams_for_channels(channels: dict[int, ChannelInfo]) -> QuerySet[OrgUnit]:
    roots = {f"/{c.unit_ancestor_ids[0]}/" for c in channels.values()}
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(path__startswith=root)
    return OrgUnit.objects.filter(condition).order_by("path")


def moderated_channel_ids(user: User) -> set[int]:
    return set(channels_for_moderating(user).values_list("id", flat=True))


def response_state(item: InboxItem | InboxRow, now: datetime | None = None) -> str:
    """``"breached"`` (the deadline passed while work is still to do), ``"due"`` (a
    deadline ahead) or ``""`` (no deadline, or the item is settled)."""
    if item.response_due_at is None or item.status not in ACTIVE:
        return ""
    now = now or timezone.now()
    return "breached" if item.response_due_at <= now else "due"


# --- The dashboard ("my work") ----------------------------------------------------------------


def _to_do(user: User) -> QuerySet[InboxItem]:
    """Items on the channels the user moderates that still need work (new, open, waiting)."""
    return InboxItem.objects.filter(
        channel_id__in=channels_for_moderating(user).values("id"), status__in=ACTIVE
    )


def _awake(now: datetime) -> Q:
    return Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now)


def inbox_open_items(user: User, now: datetime | None = None) -> QuerySet[InboxItem]:
    """The items to do that are not snoozed, the most urgent deadline first."""
    return (
        _to_do(user)
        .filter(_awake(now or timezone.now()))
        .select_related("channel")
        .order_by(F("response_due_at").asc(nulls_last=True), "created_at", "id")
    )


def inbox_work_counts(user: User, now: datetime | None = None) -> dict[str, int]:
    """In one query: items to do and not snoozed ("open"), those assigned to the user
    ("mine"), and those past their service-level deadline, snoozed or not ("overdue", as
    ``service_levels.selectors.items_breached`` counts them)."""
    now = now or timezone.now()
    counts = _to_do(user).aggregate(
        open=Count("pk", filter=_awake(now)),
        mine=Count("pk", filter=_awake(now) & Q(assignee=user)),
        overdue=Count("pk", filter=Q(response_due_at__lt=now)),
    )
    return {name: int(value or 0) for name, value in counts.items()}
