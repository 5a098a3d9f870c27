"""Who is looking at an item right now, so that two people do not answer the same citizen.

Kept in the shared cache (Redis in production) only: one key per viewer and item that
expires ``PRESENCE_SECONDS`` after the viewer's page last said it is still open, and an
index of the viewers' ids per item. Refreshing re-adds a viewer to the index, so a lost
update of the index (two viewers joining at the same instant) heals on the next poll."""

from __future__ import annotations

from django.core.cache import cache

from accounts.models import User

PRESENCE_SECONDS = 60
# The page asks this often; well below PRESENCE_SECONDS, so one late poll keeps the viewer.
POLL_SECONDS = 20
_INDEX_SECONDS = 3600


def _index_key(item_id: int) -> str:
    return f"moderation:inbox:presence:{item_id}"


def _viewer_key(item_id: int, user_id: int) -> str:
    return f"moderation:inbox:presence:{item_id}:{user_id}"


def presence_name(user: User) -> str:
    return user.get_full_name() or user.email


def presence_touch(*, item_id: int, user: User) -> None:
    """The user has the item open (now and for the next ``PRESENCE_SECONDS``)."""
    cache.set(_viewer_key(item_id, user.pk), presence_name(user), PRESENCE_SECONDS)
    index = cache.get(_index_key(item_id)) or []
    if user.pk not in index:
        cache.set(_index_key(item_id), [*index, user.pk], _INDEX_SECONDS)


def presence_leave(*, item_id: int, user: User) -> None:
    cache.delete(_viewer_key(item_id, user.pk))


def presence_viewers(*, item_id: int, exclude_user_id: int | None = None) -> list[str]:
    """Names of the others who have the item open, sorted."""
    index: list[int] = cache.get(_index_key(item_id)) or []
    others = [uid for uid in index if uid != exclude_user_id]
    if not others:
        return []
    found = cache.get_many([_viewer_key(item_id, uid) for uid in others])
    if len(found) < len(others):
        # Drop viewers whose key expired, so the index does not grow without bound.
        alive = [
            uid for uid in index if _viewer_key(item_id, uid) in found or uid == exclude_user_id
        ]
        cache.set(_index_key(item_id), alive, _INDEX_SECONDS)
    return sorted(str(name) for name in found.values())
