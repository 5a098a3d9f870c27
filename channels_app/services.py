"""Write-side operations on channels: create, connect, test, refresh, disconnect.

Credentials pass through here encrypted (``channels_app.credentials``); audit entries record
that credentials changed and who changed them, never their values.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.models import OrgUnit
from accounts.models import User
from accounts.notifications import notify
from accounts.permissions import channel_permissions_sync
from accounts.updates import editable_fields_check
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import ConnectMethod
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import ScopeRefusedError
from channels_app.adapters.mastodon import MastodonAdapter
from channels_app.adapters.oauth2 import requested_scopes
from channels_app.adapters.registry import adapter_class
from channels_app.credentials import credentials_read
from channels_app.credentials import credentials_write
from channels_app.credentials import decrypt_json
from channels_app.credentials import decrypt_text
from channels_app.credentials import encrypt_json
from channels_app.credentials import encrypt_text
from channels_app.models import Channel
from channels_app.models import ChannelCredential
from channels_app.models import OAuthApp
from channels_app.models import Platform
from channels_app.selectors import REFRESH_AHEAD
from channels_app.selectors import channel_admins
from channels_app.selectors import channels_expiring

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("name", "base_url", "impressum_url", "privacy_url", "legal_note")
CONTACT_PRECISION = timedelta(minutes=1)


def _snapshot(channel: Channel) -> dict[str, Any]:
    return audit_snapshot(
        channel,
        "name",
        "platform",
        "unit",
        "status",
        "base_url",
        "impressum_url",
        "privacy_url",
        "legal_note",
        "account_id",
        "handle",
        "granted_scopes",
    )


def _audit(
    action: str,
    channel: Channel,
    *,
    actor: User | None,
    request: HttpRequest | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=channel,
        unit=channel.unit,
        before=before,
        after=after,
        data=data,
        # Without a person or a request it is the system's doing (a practice space's channels,
        # a worker's status change or token renewal), labelled as other system entries are.
        actor_label="" if actor is not None or request is not None else "system",
    )


# --- Create and edit ------------------------------------------------------------------------


@transaction.atomic
def channel_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    platform: str,
    name: str,
    base_url: str = "",
    impressum_url: str = "",
    privacy_url: str = "",
    legal_note: str = "",
    request: HttpRequest | None = None,
) -> Channel:
    channel = Channel(
        unit=unit,
        platform=platform,
        name=name,
        base_url=base_url.rstrip("/"),
        impressum_url=impressum_url,
        privacy_url=privacy_url,
        legal_note=legal_note,
    )
    if platform == Platform.SANDBOX and not settings.SANDBOX_ENABLED:
        raise ValidationError({"platform": _("The sandbox platform is switched off here.")})
    if unit.is_practice and platform != Platform.SANDBOX:
        raise ValidationError({"platform": _("A practice space has sandbox channels only.")})
    if adapter_class(platform).needs_base_url and not channel.base_url:
        raise ValidationError({"base_url": _("This platform needs the server address.")})
    channel.full_clean()
    channel.save()
    channel_permissions_sync(channel)
    _audit(
        "channels.channel.created", channel, actor=actor, request=request, after=_snapshot(channel)
    )
    return channel


@transaction.atomic
def channel_update(
    *, actor: User, channel: Channel, request: HttpRequest | None = None, **fields: Any
) -> Channel:
    """Change the profile data (name, Impressum, privacy notice, legal note, server)."""
    editable_fields_check(fields, PROFILE_FIELDS)
    before = _snapshot(channel)
    for name, value in fields.items():
        setattr(channel, name, value.rstrip("/") if name == "base_url" else value)
    channel.full_clean()
    channel.save()
    after = _snapshot(channel)
    if before != after:
        _audit(
            "channels.channel.updated",
            channel,
            actor=actor,
            request=request,
            before=before,
            after=after,
        )
    return channel


# --- Talking to the platform ----------------------------------------------------------------


def channel_context(channel: Channel) -> ChannelContext:
    return ChannelContext(
        platform=channel.platform,
        account_id=channel.account_id,
        handle=channel.handle,
        base_url=channel.base_url,
        settings=channel.platform_settings,
    )


def _store_refreshed_credentials(channel_id: int, data: dict[str, Any]) -> None:
    """Called by an adapter that renewed its access during a call (Bluesky session,
    rotated OAuth tokens): persisted at once, so a crash cannot lose the new token."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel_id)
        credentials_write(channel, data, renewable=_renews_access(channel, data))
        _audit(
            "channels.credentials.refreshed",
            channel,
            actor=None,
            request=None,
            data={"fields": sorted(data)},
        )


def _renews_access(channel: Channel, credentials: dict[str, Any]) -> bool:
    return adapter_class(channel.platform).renews_access(credentials)


def adapter_for(
    channel: Channel,
    *,
    session: requests.Session | None = None,
    credential_preloaded: bool = False,
) -> PlatformAdapter:
    """``credential_preloaded``: see ``credentials_read``."""
    if (
        channel.platform != Platform.SANDBOX
        and OrgUnit.objects.filter(pk=channel.unit_id, practice_of__isnull=False).exists()
    ):
        # Belt and braces: a practice space has sandbox channels only (channel_create).
        raise PermissionDenied("Practice spaces never reach a real platform.")
    return adapter_class(channel.platform)(
        channel_context(channel),
        credentials_read(channel, preloaded=credential_preloaded),
        session=session,
        on_credentials_changed=lambda data: _store_refreshed_credentials(channel.pk, data),
    )


@transaction.atomic
def channel_status_set(
    channel: Channel,
    status: str,
    message: str = "",
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Channel:
    """Change the status; audited only when it actually changes."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    if channel.status == status and channel.status_message == message:
        return channel
    before = {"status": channel.status, "status_message": channel.status_message}
    channel.status, channel.status_message = status, message[:2000]
    channel.save(update_fields=["status", "status_message"])
    _audit(
        "channels.channel.status_changed",
        channel,
        actor=actor,
        request=request,
        before=before,
        after={"status": status, "status_message": channel.status_message},
    )
    if status == Channel.Status.NEEDS_RECONNECT:
        notify(
            recipients=channel_admins(channel),
            kind="channels.needs_reconnect",
            context={"channel": channel.name, "reason": channel.status_message},
            link=f"/channels/{channel.pk}/",
            unit=channel.unit,
        )
    return channel


def channel_record_error(channel: Channel, error: PlatformError) -> Channel:
    """What a failed platform call means for the channel's status."""
    if isinstance(error, AuthenticationError):
        return channel_status_set(channel, Channel.Status.NEEDS_RECONNECT, error.message)
    return channel_status_set(channel, Channel.Status.ERROR, error.message)


def channel_fetch_stream(
    channel: Channel,
    stream: str,
    cursor: str | None,
    *,
    session: requests.Session | None = None,
) -> CommentPage:
    """One page of a channel's incoming stream (``comments``, ``mentions`` or ``messages``)
    after ``cursor``. As for publishing, an authentication error marks the channel for
    reconnection and a success records contact; every error is raised on to the caller
    (``NotSupportedError``: the platform does not offer the stream)."""
    adapter = adapter_for(channel, session=session)
    fetch = {
        "comments": adapter.fetch_comments,
        "mentions": adapter.fetch_mentions,
        "messages": adapter.fetch_messages,
    }[stream]
    try:
        page = fetch(cursor)
    except AuthenticationError as error:
        channel_record_error(channel, error)
        raise
    channel_record_contact(channel)
    return page


def channel_fetch_post_metrics(
    channel: Channel,
    remote_ids: list[str],
    *,
    insights: bool = True,
    session: requests.Session | None = None,
) -> list[PostMetrics]:
    """The platform's figures for these posts of the channel (``insights=False``: none
    from Facebook's or Instagram's Insights). As ``channel_fetch_stream``: an
    authentication error marks the channel for reconnection, a success records contact,
    every error is raised on (``RateLimitedError`` with the platform's retry-after)."""
    adapter = adapter_for(channel, session=session)
    try:
        metrics = adapter.fetch_post_metrics(remote_ids, insights=insights)
    except AuthenticationError as error:
        channel_record_error(channel, error)
        raise
    channel_record_contact(channel)
    return metrics


def channel_fetch_account_metrics(
    channel: Channel, *, session: requests.Session | None = None
) -> AccountMetrics:
    """The account's figures today (followers, posts …), as ``channel_fetch_post_metrics``."""
    adapter = adapter_for(channel, session=session)
    try:
        metrics = adapter.fetch_account_metrics()
    except AuthenticationError as error:
        channel_record_error(channel, error)
        raise
    channel_record_contact(channel)
    return metrics


def channel_record_contact(channel: Channel) -> None:
    """A successful call: the channel works (again), unless staff paused it. The time is
    kept to the minute: a channel publishing many posts at once is not written per post."""
    now = timezone.now()
    if channel.last_contact_at is None or now - channel.last_contact_at >= CONTACT_PRECISION:
        Channel.objects.filter(pk=channel.pk).update(last_contact_at=now)
    if channel.status in (Channel.Status.ERROR, Channel.Status.NEEDS_RECONNECT):
        channel_status_set(channel, Channel.Status.ACTIVE)


def channel_test_connection(
    *, actor: User, channel: Channel, request: HttpRequest | None = None
) -> str:
    """Ask the platform who the credentials belong to; returns the account's name."""
    if not ChannelCredential.objects.filter(channel=channel).exists():
        raise ValidationError(_("The channel is not connected."))
    try:
        info = adapter_for(channel).test_connection()
    except PlatformError as error:
        channel_record_error(channel, error)
        raise
    channel_record_contact(channel)
    name = info.display_name or info.handle
    # Audited: checking a channel's access is part of the channel admin's training record.
    _audit(
        "channels.channel.connection_tested",
        channel,
        actor=actor,
        request=request,
        data={"account": name},
    )
    return name


# --- Connecting -----------------------------------------------------------------------------


@transaction.atomic
def channel_connect(
    *,
    actor: User | None,
    channel: Channel,
    choice: AccountChoice,
    request: HttpRequest | None = None,
) -> Channel:
    """Store the credentials of the chosen account and mark the channel active."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    before = _snapshot(channel)
    credentials_write(
        channel, choice.credentials, renewable=_renews_access(channel, choice.credentials)
    )
    channel.account_id = choice.account_id
    channel.handle = choice.handle or choice.name
    channel.profile_url = choice.url or channel.profile_url
    channel.granted_scopes = str(choice.credentials.get("scope") or "")[:1000]
    channel.status = Channel.Status.ACTIVE
    channel.status_message = ""
    channel.last_contact_at = timezone.now()
    channel.save()
    _audit(
        "channels.channel.connected",
        channel,
        actor=actor,
        request=request,
        before=before,
        after=_snapshot(channel),
    )
    _audit(
        "channels.credentials.changed",
        channel,
        actor=actor,
        request=request,
        data={"fields": sorted(choice.credentials)},
    )
    transaction.on_commit(lambda: _refresh_platform_settings(channel.pk))
    return channel


def _refresh_platform_settings(channel_id: int) -> None:
    """Platform facts a channel's validation depends on (a Mastodon instance's limits)."""
    from channels_app.tasks import refresh_channel_platform_settings

    refresh_channel_platform_settings.delay(channel_id)


def channel_platform_settings_refresh(channel_id: int) -> None:
    channel = Channel.objects.get(pk=channel_id)
    adapter = adapter_for(channel)
    fetch = getattr(adapter, "fetch_instance_limits", None)
    if fetch is None:
        return
    try:
        limits = fetch()
    except PlatformError as error:
        logger.warning("Instance limits of channel %s unavailable: %s", channel_id, error.message)
        return
    Channel.objects.filter(pk=channel_id).update(
        platform_settings={**channel.platform_settings, **limits}
    )


def channel_connect_with_form(
    *, actor: User, channel: Channel, values: dict[str, str], request: HttpRequest | None = None
) -> Channel:
    adapter = adapter_class(channel.platform)
    if adapter.connect_method != ConnectMethod.FORM:
        raise ValidationError(_("This platform is connected with the platform's own login."))
    choice = adapter.connect_with_form(
        base_url=channel.base_url, values=values, session=requests.Session()
    )
    return channel_connect(actor=actor, channel=channel, choice=choice, request=request)


@dataclass(frozen=True)
class OAuthStart:
    authorize_url: str
    state: str
    # Kept in the user's session until the callback; encrypted because it holds the PKCE
    # verifier.
    session_payload: str


def _oauth_client(channel: Channel, redirect_uri: str, *, broad: bool = False) -> OAuthClient:
    """The app registration to connect ``channel`` with. Mastodon: one app per instance,
    registered on first use and kept, with the scopes it was registered with; ``broad`` needs
    one registered with the broad fallback scopes, which then replaces the stored one (this
    server refused the granular scopes, so every later connect asks for the broad ones)."""
    adapter = adapter_class(channel.platform)
    if not issubclass(adapter, MastodonAdapter):
        return adapter.oauth_client(
            base_url=channel.base_url, redirect_uri=redirect_uri, session=requests.Session()
        )
    app = OAuthApp.objects.filter(platform=channel.platform, base_url=channel.base_url).first()
    if app is not None:
        registered = tuple(app.scopes.split()) or adapter.oauth_scopes
        if not broad or registered == adapter.oauth_fallback_scopes:
            return OAuthClient(
                app.client_id, decrypt_text(app.client_secret_ciphertext), scopes=registered
            )
    client = adapter.oauth_client(
        base_url=channel.base_url,
        redirect_uri=redirect_uri,
        session=requests.Session(),
        scopes=adapter.oauth_fallback_scopes if broad else (),
    )
    OAuthApp.objects.update_or_create(
        platform=channel.platform,
        base_url=channel.base_url,
        defaults={
            "client_id": client.client_id,
            "client_secret_ciphertext": encrypt_text(client.client_secret),
            "scopes": " ".join(client.scopes),
        },
    )
    return client


def channel_oauth_start(*, channel: Channel, redirect_uri: str, broad: bool = False) -> OAuthStart:
    """Where to send the browser to grant access. ``broad``: the second try with the broad
    scopes after the server refused the granular ones (``channel_oauth_retry_broad``)."""
    adapter = adapter_class(channel.platform)
    client = _oauth_client(channel, redirect_uri, broad=broad)
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64) if adapter.oauth_uses_pkce else None
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if verifier
        else None
    )
    url = adapter.oauth_authorize_url(
        client=client,
        base_url=channel.base_url,
        redirect_uri=redirect_uri,
        state=state,
        code_challenge=challenge,
    )
    payload = encrypt_json(
        {
            "channel": channel.pk,
            "state": state,
            "verifier": verifier,
            "scopes": list(requested_scopes(adapter, client)),
        }
    )
    return OAuthStart(authorize_url=url, state=state, session_payload=payload)


class OAuthScopesRefusedError(Exception):
    """The server refused the scopes asked for; ``channel_oauth_retry_broad`` starts over."""


def channel_oauth_retry_broad(
    *, session_payload: str, state: str, redirect_uri: str
) -> OAuthStart | None:
    """After the server refused the granular scopes (at authorization, ``invalid_scope``, or
    at the first call with the token, Takahē's ``out_of_scope_for_token``): the flow once more
    with the platform's broad fallback scopes. None where there is nothing broader to ask for
    (the refused flow asked for them already, or the platform has none)."""
    payload = decrypt_json(session_payload)
    if not secrets.compare_digest(payload["state"], state):
        return None  # not the answer to this flow: nothing to retry
    channel = Channel.objects.get(pk=payload["channel"])
    fallback = adapter_class(channel.platform).oauth_fallback_scopes
    if not fallback or tuple(payload.get("scopes") or ()) == fallback:
        return None
    logger.info(
        "Channel %s: the server refused the granular scopes, asking for %s", channel.pk, fallback
    )
    return channel_oauth_start(channel=channel, redirect_uri=redirect_uri, broad=True)


def channel_oauth_finish(
    *, session_payload: str, state: str, code: str, redirect_uri: str
) -> tuple[int, list[AccountChoice]]:
    """Exchange the code after the platform redirected back; returns the channel id and
    the accounts the person may choose from."""
    payload = decrypt_json(session_payload)
    if not secrets.compare_digest(payload["state"], state):
        raise ValidationError(_("The login at the platform could not be matched. Start again."))
    channel = Channel.objects.get(pk=payload["channel"])
    client = _oauth_client(channel, redirect_uri)
    try:
        choices = adapter_class(channel.platform).oauth_exchange_code(
            client=client,
            base_url=channel.base_url,
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=payload["verifier"],
            session=requests.Session(),
        )
    except ScopeRefusedError as error:
        raise OAuthScopesRefusedError(error.message) from error
    if not choices:
        raise ValidationError(_("The platform gave access to no account that can be used."))
    return channel.pk, choices


def account_choices_seal(choices: list[AccountChoice]) -> str:
    """Several accounts to choose from (Facebook pages): kept encrypted in the session,
    because each carries its access token."""
    return encrypt_json({"choices": [choice.__dict__ for choice in choices]})


def account_choices_open(sealed: str) -> list[AccountChoice]:
    return [AccountChoice(**item) for item in decrypt_json(sealed)["choices"]]


# --- Disconnect, pause ----------------------------------------------------------------------


@transaction.atomic
def channel_disconnect(
    *, actor: User, channel: Channel, request: HttpRequest | None = None
) -> Channel:
    """Revoke at the platform where possible, then forget the credentials."""
    revoked = False
    if ChannelCredential.objects.filter(channel=channel).exists():
        try:
            adapter_for(channel).revoke()
            revoked = True
        except PlatformError as error:
            logger.info("Revoking channel %s at the platform failed: %s", channel.pk, error.message)
    ChannelCredential.objects.filter(channel=channel).delete()
    before = _snapshot(channel)
    channel.status = Channel.Status.DISCONNECTED
    channel.status_message = ""
    channel.access_expires_at = channel.reconnect_by = None
    channel.save(update_fields=["status", "status_message", "access_expires_at", "reconnect_by"])
    _audit(
        "channels.channel.disconnected",
        channel,
        actor=actor,
        request=request,
        before=before,
        after=_snapshot(channel),
        data={"revoked_at_platform": revoked},
    )
    _audit(
        "channels.credentials.changed",
        channel,
        actor=actor,
        request=request,
        data={"fields": [], "removed": True},
    )
    return channel


def channel_pause(*, actor: User, channel: Channel, request: HttpRequest | None = None) -> Channel:
    if channel.status != Channel.Status.ACTIVE:
        raise ValidationError(_("Only an active channel can be paused."))
    return channel_status_set(channel, Channel.Status.PAUSED, actor=actor, request=request)


def channel_resume(*, actor: User, channel: Channel, request: HttpRequest | None = None) -> Channel:
    if channel.status != Channel.Status.PAUSED:
        raise ValidationError(_("The channel is not paused."))
    return channel_status_set(channel, Channel.Status.ACTIVE, actor=actor, request=request)


# --- Token lifetimes ------------------------------------------------------------------------
# How far ahead of expiry access is renewed (``REFRESH_AHEAD``) lives with the read side, which
# also lists the channels due for renewal.


def channel_credentials_refresh(channel_id: int) -> bool:
    """Refresh the channel's access if it expires soon; returns whether it was renewed."""
    channel = Channel.objects.select_related("unit").get(pk=channel_id)
    if channel.status in (Channel.Status.DISCONNECTED, Channel.Status.NEEDS_RECONNECT):
        return False
    if (
        channel.access_expires_at is None
        or channel.access_expires_at > timezone.now() + REFRESH_AHEAD
    ):
        return False
    try:
        renewed = adapter_for(channel).refresh_credentials()
    except AuthenticationError as error:
        channel_record_error(channel, error)
        return False
    except PlatformError as error:
        logger.warning("Refreshing channel %s failed, will retry: %s", channel_id, error.message)
        return False
    if renewed is None:
        return False
    _store_refreshed_credentials(channel.pk, renewed)
    channel_record_contact(channel)
    return True


def channels_warn_expiring() -> int:
    """E-mail the admins of channels whose access runs out soon (once per expiry)."""
    warned = 0
    for channel in channels_expiring().filter(expiry_warning_sent_at__isnull=True):
        with transaction.atomic():
            claimed = Channel.objects.filter(
                pk=channel.pk, expiry_warning_sent_at__isnull=True
            ).update(expiry_warning_sent_at=timezone.now())
            if not claimed:
                continue  # another worker sent it
            notify(
                recipients=channel_admins(channel),
                kind="channels.access_expiring",
                context={
                    "channel": channel.name,
                    "expires_at": channel.reconnect_by.isoformat() if channel.reconnect_by else "",
                },
                link=f"/channels/{channel.pk}/",
                unit=channel.unit,
            )
            warned += 1
    return warned


def channel_permissions_sync_below(sender: Any, unit: OrgUnit, **kwargs: Any) -> None:
    """Receiver of ``accounts.events.unit_moved``: the channels of the moved unit and of the
    units below it get the permissions their new ancestry grants, and lose the old ones."""
    for channel in Channel.objects.filter(unit__path__startswith=unit.path):
        channel_permissions_sync(channel)


def adapter_offline(channel: Channel) -> PlatformAdapter:
    """The channel's adapter without credentials, for checks that need no network: counting
    and validating a text, media limits. The apps above reach adapters only through here."""
    return adapter_class(channel.platform)(channel_context(channel), {})


def platform_capabilities(platform: str) -> Capabilities:
    """What a platform's adapter can do (text length, media, deleting, …)."""
    return adapter_class(platform).capabilities


# --- Blocking authors (the moderation block register) ----------------------------------------


@dataclass(frozen=True)
class AuthorBlocking:
    """Whether the platform's API can block an author from the account, and lift it."""

    block: bool
    unblock: bool


def platform_author_blocking(platform: str) -> AuthorBlocking:
    adapter = adapter_class(platform)
    return AuthorBlocking(block=adapter.can_block_authors, unblock=adapter.can_unblock_authors)


def _author_blocking_call(channel: Channel, call: str, *args: Any, **kwargs: Any) -> None:
    try:
        getattr(adapter_for(channel), call)(*args, **kwargs)
    except PlatformError as error:
        # Only lost access (401) says something about the channel. A 403 is a permission the
        # token lacks for blocking (a scope, a page task) while publishing may work on: it
        # stays the block's failure and does not mark the channel for reconnection.
        if isinstance(error, AuthenticationError) and error.status == 401:
            channel_record_error(channel, error)
        raise
    channel_record_contact(channel)


def channel_block_author(
    channel: Channel, author_remote_id: str, *, comment_remote_id: str = ""
) -> None:
    """Block the author at the platform (idempotent there); raises the adapter's
    ``PlatformError``. ``comment_remote_id``: the comment that led to the block (YouTube
    bans through it)."""
    _author_blocking_call(
        channel, "block_author", author_remote_id, comment_remote_id=comment_remote_id
    )


def channel_unblock_author(channel: Channel, author_remote_id: str) -> None:
    """Lift the block at the platform (idempotent there); raises the adapter's error."""
    _author_blocking_call(channel, "unblock_author", author_remote_id)


# --- Moderating comments (the moderation actions) --------------------------------------------


@dataclass(frozen=True)
class CommentModeration:
    """Which moderation calls the platform's API offers on comments under the account's
    posts, so that the action form says "not possible on this platform" up front."""

    hide: bool
    unhide: bool
    delete: bool
    disable_comments: bool


def platform_comment_moderation(platform: str) -> CommentModeration:
    adapter = adapter_class(platform)
    return CommentModeration(
        hide=adapter.capabilities.hide_comments,
        unhide=adapter.can_unhide_comments,
        delete=adapter.capabilities.delete_comments,
        disable_comments=adapter.can_disable_comments,
    )


COMMENT_OPERATIONS = ("hide_comment", "unhide_comment", "delete_comment")


def channel_moderate_comment(channel: Channel, operation: str, comment: RemoteComment) -> None:
    """Hide, show again or delete a comment at the platform (``operation`` is one of
    ``COMMENT_OPERATIONS``); raises the adapter's ``PlatformError``. Lost access marks the
    channel for reconnection; a refused call is the action's business, not the channel's."""
    if operation not in COMMENT_OPERATIONS:
        raise ValueError(f"Unknown comment operation {operation!r}")
    _moderation_call(channel, operation, comment)


def channel_disable_comments(channel: Channel, post_remote_id: str) -> None:
    """Switch the comments under one of the account's posts off; raises the adapter's error."""
    _moderation_call(channel, "disable_comments", post_remote_id)


def _moderation_call(channel: Channel, call: str, *args: Any) -> None:
    try:
        getattr(adapter_for(channel), call)(*args)
    except PlatformError as error:
        if isinstance(error, AuthenticationError):
            channel_record_error(channel, error)
        raise
    channel_record_contact(channel)
