"""Practice spaces get sandbox channels: one per platform the user works with on real
channels (at least one), each connected to a sandbox account of its own whose audience is
the practice audience (``simulation.PRACTICE_HANDLE_PREFIX``): every post is answered at once
with a friendly question, criticism, an insult, personal data and a formal request.

Connected to ``accounts.practice.events.practice_space_provisioned`` in ``apps.py``."""

from __future__ import annotations

import secrets
from typing import Any
from typing import TypedDict

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.sandbox.connect import sandbox_channel_connect
from channels_app.sandbox.connect import sandbox_profile_url
from channels_app.sandbox.simulation import PRACTICE_HANDLE_PREFIX
from channels_app.selectors import channels_for_user
from channels_app.services import channel_create


def practised_platforms(user: User) -> list[str]:
    """The platforms of the real channels the user sees, in the platforms' order; the
    sandbox alone for someone who sees none."""
    used = set(
        channels_for_user(user)
        .filter(unit__practice_of__isnull=True)
        .values_list("platform", flat=True)
    )
    platforms = [p for p in Platform.values if p in used and p != Platform.SANDBOX]
    return platforms or [Platform.SANDBOX]


def practice_handle(user: User, platform: str) -> str:
    return f"{PRACTICE_HANDLE_PREFIX}{user.pk}-{platform}"


class LegalUrls(TypedDict):
    """The ``Channel`` fields the saved replies name as ``{impressum_url}``/``{privacy_url}``."""

    impressum_url: str
    privacy_url: str


def practice_legal_urls(handle: str) -> LegalUrls:
    """The Impressum and privacy notice addresses of a practice channel: on the practice
    account's own sandbox page, so that the saved replies that name them render complete
    without pointing anyone at a real authority's site."""
    profile = sandbox_profile_url(handle)
    return {"impressum_url": f"{profile}#impressum", "privacy_url": f"{profile}#datenschutz"}


def practice_channels_create(
    sender: Any, unit: OrgUnit, user: User, **kwargs: Any
) -> list[Channel]:
    """The practice space's sandbox channels, connected (nothing when the sandbox is off)."""
    if not settings.SANDBOX_ENABLED:
        return []
    channels = []
    for platform in practised_platforms(user):
        if platform == Platform.SANDBOX:
            name = _("Practice channel")
        else:
            name = _("Practice %(platform)s") % {"platform": Platform(platform).label}
        # Made and connected by the system, not by the user: a channel admin's "connect a
        # sandbox channel" is ticked by their own connecting, never by the space being made.
        handle = practice_handle(user, platform)
        channel = channel_create(
            actor=None,
            unit=unit,
            platform=Platform.SANDBOX,
            name=name,
            **practice_legal_urls(handle),
        )
        channels.append(
            sandbox_channel_connect(channel, handle=handle, password=secrets.token_urlsafe(16))
        )
    return channels
