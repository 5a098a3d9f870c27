"""Writes of a channel's profile notes (audited): adopt the starter text, change it, and
record that a channel admin checked it is on the platform profile."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.audit import audit_log
from accounts.audited import audited_change
from accounts.errors import ConflictError
from accounts.models import User
from accounts.permissions import MANAGE_CHANNEL
from channels_app.models import Channel
from channels_app.profile_notes.selectors import profile_notes_starter
from channels_app.profile_notes.selectors import profile_notes_suggestion


class ProfileNotesExistError(ConflictError):
    default_message = gettext_lazy(
        "The channel has profile notes already; the starter text never overwrites them."
    )


def _check(actor: User, channel: Channel) -> Channel:
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    if not actor.has_perm(MANAGE_CHANNEL, channel):
        raise PermissionDenied
    return channel


def _snapshot(channel: Channel) -> dict[str, object]:
    checked = channel.profile_notes_checked_at
    return {"text": channel.profile_notes, "checked_at": checked.isoformat() if checked else None}


@transaction.atomic
def profile_notes_adopt(
    *, actor: User, channel: Channel, request: HttpRequest | None = None
) -> Channel:
    """Fill the channel's empty profile notes with the library's text for its platform."""
    channel = _check(actor, channel)
    if channel.profile_notes.strip():
        raise ProfileNotesExistError
    channel.profile_notes = profile_notes_suggestion(channel, settings.SITE_URL)
    channel.save(update_fields=["profile_notes"])
    starter = profile_notes_starter()
    audit_log(
        action="channels.profile_notes.adopted",
        actor=actor,
        request=request,
        target=channel,
        unit=channel.unit,
        after=_snapshot(channel),
        data={"starter": starter.key, "starter_version": starter.version},
    )
    return channel


@transaction.atomic
def profile_notes_update(
    *, actor: User, channel: Channel, text: str, request: HttpRequest | None = None
) -> Channel:
    """Change the text; a changed text is no longer checked on the profile."""
    channel = _check(actor, channel)
    text = text.strip()
    if text == channel.profile_notes:
        return channel
    action = "channels.profile_notes.updated"
    with audited_change(channel, action, _snapshot, actor=actor, request=request):
        channel.profile_notes = text
        channel.profile_notes_checked_at = None
        channel.profile_notes_checked_by = None
        channel.save(
            update_fields=["profile_notes", "profile_notes_checked_at", "profile_notes_checked_by"]
        )
    return channel


@transaction.atomic
def profile_notes_check(
    *, actor: User, channel: Channel, present: bool, request: HttpRequest | None = None
) -> Channel:
    """A channel admin confirms (or withdraws) that the notes are on the platform profile."""
    channel = _check(actor, channel)
    if present == (channel.profile_notes_checked_at is not None):
        return channel
    action = "channels.profile_notes.checked"
    with audited_change(channel, action, _snapshot, actor=actor, request=request):
        channel.profile_notes_checked_at = timezone.now() if present else None
        channel.profile_notes_checked_by = actor if present else None
        channel.save(update_fields=["profile_notes_checked_at", "profile_notes_checked_by"])
    return channel
