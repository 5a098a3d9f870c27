"""A row of the inbox list: plain objects with the names the models use.

A page of 50 rows as model instances (item, author, assignee, team) cost Django about a
millisecond to create, as much as the database took for the page; these cost a tenth. They
answer what the list's template, ``deadline_state`` and the list's API serializer ask of a
row (the same attribute names and ``get_*_display`` as ``InboxItem``), nothing more: a page
that needs an item's other fields loads the item."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from moderation.models import InboxItem

_NOT_LOADED: Any = object()

# The columns of a row, in the order the list's statement selects them.
ITEM_COLUMNS = (
    "id",
    "channel_id",
    "remote_id",
    "kind",
    "url",
    "created_at",
    "status",
    "priority",
    "snoozed_until",
    "response_due_at",
    "last_responded_at",
    "first_response_breached",
    "variant_id",
    "parent_id",
    "edited_at",
    "remote_deleted_at",
    "excerpt",
)
AUTHOR_COLUMNS = (
    "author__id",
    "author__remote_id",
    "author__handle",
    "author__display_name",
    "author__profile_url",
    "author__pseudonymised_at",
)
ASSIGNEE_COLUMNS = ("assignee__id", "assignee__full_name", "assignee__email")
TEAM_COLUMNS = ("team__id", "team__name")
ROW_COLUMNS = ITEM_COLUMNS + AUTHOR_COLUMNS + ASSIGNEE_COLUMNS + TEAM_COLUMNS

_AUTHOR = slice(len(ITEM_COLUMNS), len(ITEM_COLUMNS) + len(AUTHOR_COLUMNS))
_ASSIGNEE = slice(_AUTHOR.stop, _AUTHOR.stop + len(ASSIGNEE_COLUMNS))
_TEAM = slice(_ASSIGNEE.stop, _ASSIGNEE.stop + len(TEAM_COLUMNS))


@dataclass(slots=True)
class AuthorRow:
    id: int
    remote_id: str
    handle: str
    display_name: str
    profile_url: str
    pseudonymised_at: datetime | None

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.handle or self.display_name or self.remote_id


@dataclass(slots=True)
class PersonRow:
    id: int
    full_name: str
    email: str

    @property
    def pk(self) -> int:
        return self.id

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def __str__(self) -> str:
        return self.get_full_name()


@dataclass(slots=True)
class TeamRow:
    id: int
    name: str

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.name


def _label(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:  # a value from before a choice was dropped: shown as stored
        return str(value)


@dataclass(slots=True)
class InboxRow:
    id: int
    channel_id: int
    remote_id: str
    kind: str
    url: str
    created_at: datetime
    status: str
    priority: int
    snoozed_until: datetime | None
    response_due_at: datetime | None
    last_responded_at: datetime | None
    first_response_breached: bool | None
    variant_id: int | None
    parent_id: int | None
    edited_at: datetime | None
    remote_deleted_at: datetime | None
    excerpt: str
    author: AuthorRow
    assignee: PersonRow | None
    team: TeamRow | None
    # ``[id, kind, code, explanation]`` per flag not dismissed, where the statement brought
    # them (PostgreSQL); ``attach_channels`` turns them into ``active_flags``.
    flag_rows: Any = _NOT_LOADED
    # Set by ``attach_channels``.
    active_flags: list[Any] = field(default_factory=list)
    channel_info: Any = None
    due_state: str = ""

    @property
    def pk(self) -> int:
        return self.id

    @property
    def assignee_id(self) -> int | None:
        return self.assignee.id if self.assignee is not None else None

    @property
    def team_id(self) -> int | None:
        return self.team.id if self.team is not None else None

    def get_kind_display(self) -> str:
        return _label(InboxItem.Kind, self.kind)

    def get_status_display(self) -> str:
        return _label(InboxItem.Status, self.status)

    def get_priority_display(self) -> str:
        return _label(InboxItem.Priority, self.priority)

    def serializable_value(self, name: str) -> object:
        """A foreign key's id, as ``Model.serializable_value`` gives it (REST framework's
        primary-key fields ask for it)."""
        return getattr(self, f"{name}_id")

    @classmethod
    def from_columns(cls, values: tuple[Any, ...]) -> InboxRow:
        """A row from the statement's columns (``ROW_COLUMNS``, then the flags if selected)."""
        assignee = values[_ASSIGNEE]
        team = values[_TEAM]
        row = cls(
            **dict(zip(ITEM_COLUMNS, values, strict=False)),
            author=AuthorRow(*values[_AUTHOR]),
            assignee=PersonRow(*assignee) if assignee[0] is not None else None,
            team=TeamRow(*team) if team[0] is not None else None,
        )
        if len(values) > len(ROW_COLUMNS):
            row.flag_rows = values[len(ROW_COLUMNS)]
        return row


def flags_loaded(item: object) -> bool:
    """Whether the item came with its flags (``flag_rows``), so none need to be asked for."""
    return getattr(item, "flag_rows", _NOT_LOADED) is not _NOT_LOADED
