"""Sandbox channels connected in-process: the sandbox account is signed up (or signed in)
directly through the sandbox's services, without the web server, then the channel is
connected through the normal ``channel_connect``. Used by the demo data and by practice mode
(each practice space gets its own sandbox accounts)."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.sandbox import SandboxAdapter
from channels_app.models import Channel
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.services import token_grant_password
from channels_app.services import channel_connect


def sandbox_profile_url(handle: str) -> str:
    """The public page of the sandbox account ``handle`` on this site."""
    return f"{settings.SITE_URL}/sandbox/@{handle}/"


def sandbox_channel_connect(
    channel: Channel, *, handle: str, password: str, actor: User | None = None
) -> Channel:
    tokens = token_grant_password(username=handle, password=password)
    account = SandboxAccount.objects.get(handle=handle)
    return channel_connect(
        actor=actor,
        channel=channel,
        choice=AccountChoice(
            account_id=str(account.pk),
            name=account.display_name,
            handle=handle,
            url=sandbox_profile_url(handle),
            credentials=SandboxAdapter.credentials_from_token_response(tokens),
        ),
    )
