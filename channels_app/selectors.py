"""Read-side queries on channels, always scoped by the user's object permissions."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user
from guardian.shortcuts import get_users_with_perms

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.permissions import MANAGE_CHANNEL
from accounts.permissions import VIEW_CHANNEL
from accounts.practice.selectors import practice_filter
from accounts.selectors import unit_ids_for_roles
from channels_app.models import Channel

# Refresh six hours before expiry: beat checks every 30 minutes, so even X's two-hour tokens
# are renewed in time, a 60-day Meta token is not renewed daily, and a platform outage of
# a few hours does not cost the channel its access. ``services.channel_credentials_refresh``
# uses the same window.
REFRESH_AHEAD = timedelta(hours=6)


def channels_for_user(user: User, permission: str = VIEW_CHANNEL) -> QuerySet[Channel]:
    """Channels on which the user holds ``permission`` through the roles of their units."""
    if not user.is_authenticated or not user.is_active:
        return Channel.objects.none()
    # Practice mode scopes the channels like the roles: the practice unit's only while on,
    # none of them while off (accounts.practice.selectors).
    return (
        get_objects_for_user(user, permission, klass=Channel, accept_global_perms=False)
        .filter(practice_filter(user))
        .select_related("unit")
    )


def user_may_see_channels(user: User) -> bool:
    return channels_for_user(user).exists() or bool(units_for_new_channels(user).exists())


def units_for_new_channels(user: User) -> QuerySet[OrgUnit]:
    """Units in which the user may connect new channels: where they are channel admin."""
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, [Role.CHANNEL_ADMIN]))


def channel_admins(channel: Channel) -> list[User]:
    """Everyone who may manage the channel (channel admins of its unit and above)."""
    holders: QuerySet[User] = get_users_with_perms(  # type: ignore[assignment]
        channel, only_with_perms_in=["manage_channel"], with_group_users=True
    )
    return list(holders.filter(is_active=True))


def channels_expiring() -> QuerySet[Channel]:
    """Connected channels someone has to reconnect within the warning period (access that
    renews itself does not count until the refresh token runs out)."""
    limit = timezone.now() + timedelta(days=settings.CHANNEL_EXPIRY_WARNING_DAYS)
    return (
        Channel.objects.filter(reconnect_by__isnull=False, reconnect_by__lte=limit)
        .exclude(status=Channel.Status.DISCONNECTED)
        .select_related("unit")
    )


def channels_due_for_refresh() -> QuerySet[Channel]:
    return Channel.objects.filter(
        access_expires_at__isnull=False,
        access_expires_at__lte=timezone.now() + REFRESH_AHEAD,
        status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED, Channel.Status.ERROR],
    )


def user_may_manage_channel(user: User, channel: Channel) -> bool:
    return user.has_perm(MANAGE_CHANNEL, channel)


def channels_expiring_for_user(user: User) -> QuerySet[Channel]:
    """The expiring channels (``channels_expiring``) the user manages, soonest first."""
    return (
        channels_expiring()
        .filter(id__in=channels_for_user(user, MANAGE_CHANNEL).values("id"))
        .order_by("reconnect_by", "id")
    )
