"""The one OAuth 2 layer of the platforms that connect with OAuth (X, LinkedIn, YouTube,
Mastodon, Threads, Facebook and Instagram).

It speaks the authorization code grant (RFC 6749 §4.1) with PKCE S256 (RFC 7636) where the
adapter sets ``oauth_uses_pkce``, the refresh grant (§6), token revocation (RFC 7009) and
reads the expiry from a token answer's ``expires_in`` (§5.1). Adapters write none of it: they
describe their platform in an ``OAuth2Config`` (``PlatformAdapter.oauth_config``), and
``PlatformAdapter.oauth_authorize_url`` / ``oauth_exchange_code`` / ``refresh_credentials``
run the flow here. After the code exchange an adapter only says which accounts the new token
reaches (``PlatformAdapter.oauth_accounts``).

Every call to a token endpoint is sent by the adapter's own ``request``, so it has the
adapter's timeouts, User-Agent and error mapping. On top of that a refused refresh becomes the
reconnect error (``AuthenticationError``): the stored grant is dead and retrying cannot help.
The secrets a call carries (client secret, code, verifier, tokens) are scrubbed from the
message of any error it raises.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any
from urllib.parse import quote
from urllib.parse import urlencode

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import redact

if TYPE_CHECKING:
    from requests import Response
    from requests import Session

    from channels_app.adapters.base import AccountChoice
    from channels_app.adapters.base import PlatformAdapter

# Form fields whose values are secrets, never echoed into an error message; fb_exchange_token
# is Meta's name for the short-lived token it trades for a long-lived one.
_SECRET_FIELDS = frozenset(
    (
        "client_secret",
        "code",
        "code_verifier",
        "refresh_token",
        "access_token",
        "token",
        "fb_exchange_token",
    )
)

NO_TOKEN_MESSAGE = gettext_lazy("The platform returned no access token.")
REFUSED_MESSAGE = gettext_lazy("The platform no longer accepts the access: reconnect the channel.")


@dataclass(frozen=True)
class OAuthClient:
    """The app registration Sprachrohr uses at the platform. From the environment for
    Meta, X, LinkedIn and Google; registered per instance for Mastodon."""

    client_id: str
    client_secret: str
    # The scopes to ask for with this registration; empty: the adapter's ``oauth_scopes``.
    # A Mastodon-API server that refuses the granular scopes is asked for the broad ones
    # (``oauth_fallback_scopes``), and the app registered there carries exactly those.
    scopes: tuple[str, ...] = ()


def requested_scopes(adapter_class: type[PlatformAdapter], client: OAuthClient) -> tuple[str, ...]:
    """The scopes an authorization with ``client`` asks for (and repeats in the exchange)."""
    return client.scopes or adapter_class.oauth_scopes


@dataclass(frozen=True)
class AppSettings:
    """The server settings that hold the app registration, and what the operator is told
    when they are empty (naming both settings and where to register)."""

    id_setting: str
    secret_setting: str
    missing_message: str | Promise
    secret_required: bool = True  # False: a public client, which proves itself by PKCE


class ClientAuth(StrEnum):
    """How the app proves who it is at the token and revocation endpoints (RFC 6749 §2.3.1)."""

    BODY = "body"  # client_id and client_secret as form fields
    BASIC = "basic"  # HTTP Basic with id and secret; X wants client_id in the form as well


@dataclass(frozen=True)
class OAuth2Config:
    """What differs between the platforms' OAuth 2 endpoints. The scopes and whether PKCE is
    used stay the adapter's ``oauth_scopes`` and ``oauth_uses_pkce`` (read before connecting).
    An endpoint given as a path ("/oauth/token") is on the adapter's ``oauth_server`` (the
    Mastodon instance)."""

    authorize_url: str
    token_url: str
    revoke_url: str = ""
    # Where ``PlatformAdapter.oauth_client`` finds the app registration; None where the
    # adapter finds it itself (Mastodon registers per instance, Meta shares one app).
    app: AppSettings | None = None
    scope_separator: str = " "  # Meta joins scopes with commas
    client_auth: ClientAuth = ClientAuth.BODY
    # Fixed parameters of the authorization request (Google: offline access, consent).
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    # Mastodon repeats the scopes in the code exchange; they must match the registration.
    scope_in_code_exchange: bool = False
    # Facebook documents the code exchange as a GET with the parameters in the query and no
    # grant_type ("Manually Build a Login Flow").
    code_exchange_by_get: bool = False
    # The platform renews access with the refresh_token grant.
    refresh_grant: bool = False
    # The lifetime a token answer without a usable ``expires_in`` stands for; None: unknown,
    # no expiry is stored (the token lives until it is revoked).
    default_lifetime: timedelta | None = None
    # What staff read: given per platform, because each platform's wording is translated.
    no_token_message: str | Promise = NO_TOKEN_MESSAGE
    refused_message: str | Promise = REFUSED_MESSAGE


def configuration(adapter_class: type[PlatformAdapter]) -> OAuth2Config:
    """The adapter's ``oauth_config``; ``NotSupportedError`` for platforms without OAuth 2."""
    config = adapter_class.oauth_config
    if config is None:
        raise NotSupportedError(_("This platform is not connected with OAuth."))
    return config


def client_from_settings(app: AppSettings) -> OAuthClient:
    """The app registration the operator put into the server settings."""
    client_id = getattr(settings, app.id_setting, "") or ""
    client_secret = getattr(settings, app.secret_setting, "") or ""
    if not client_id or (app.secret_required and not client_secret):
        raise PlatformError(str(app.missing_message))
    return OAuthClient(client_id=client_id, client_secret=client_secret)


def registered_client(
    adapter_class: type[PlatformAdapter], *, base_url: str, redirect_uri: str, session: Session
) -> OAuthClient:
    """The app registration to use (``PlatformAdapter.oauth_client``). Raises
    ``PlatformError`` with a clear message when the operator has not configured one."""
    app = configuration(adapter_class).app
    if app is None:
        raise NotSupportedError(_("This platform is not connected with OAuth."))
    return client_from_settings(app)


# --- Expiry ---------------------------------------------------------------------------------


def expires_at(expires_in: Any, default: timedelta | None = None) -> str | None:
    """When a token that lives ``expires_in`` seconds from now runs out (ISO 8601, UTC). A
    missing, unreadable or non-positive value stands for ``default``; None if that is None."""
    try:
        lifetime: timedelta | None = timedelta(seconds=int(expires_in))
    except (TypeError, ValueError, OverflowError):
        lifetime = None
    if lifetime is None or lifetime <= timedelta(0):
        lifetime = default
    if lifetime is None:
        return None
    return (datetime.now(UTC) + lifetime).isoformat()


def token_credentials(
    token: Mapping[str, Any], config: OAuth2Config, previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The credentials to store from a token answer. What the answer does not renew stays as
    in ``previous``: above all a still-valid refresh token the platform did not rotate."""
    credentials = dict(previous or {})
    credentials["access_token"] = str(token["access_token"])
    expiry = expires_at(token.get("expires_in"), config.default_lifetime)
    if expiry:
        credentials["expires_at"] = expiry
    if token.get("refresh_token"):
        credentials["refresh_token"] = str(token["refresh_token"])
        if token.get("refresh_token_expires_in") is not None:
            # LinkedIn (and Google for time-limited access) say when the refresh token ends.
            credentials["refresh_expires_at"] = expires_at(
                token["refresh_token_expires_in"], timedelta(0)
            )
    if token.get("scope"):
        credentials["scope"] = str(token["scope"])
    return credentials


# --- The flow -------------------------------------------------------------------------------


def authorize_url(
    adapter_class: type[PlatformAdapter],
    *,
    client: OAuthClient,
    base_url: str,
    redirect_uri: str,
    state: str,
    code_challenge: str | None,
) -> str:
    """Where to send the browser (``PlatformAdapter.oauth_authorize_url``). ``state`` comes
    back with the code and ties the callback to this start; ``code_challenge`` (S256, required
    where ``oauth_uses_pkce``) makes the code worthless without its verifier."""
    config = configuration(adapter_class)
    params = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": redirect_uri,
        "scope": config.scope_separator.join(requested_scopes(adapter_class, client)),
        "state": state,
        **config.authorize_params,
    }
    if adapter_class.oauth_uses_pkce:
        if not code_challenge:
            raise PlatformError(_("This platform requires PKCE: a code challenge is missing."))
        params["code_challenge"] = code_challenge
        params["code_challenge_method"] = "S256"
    # %20 rather than "+" between scopes: X documents it, and every server decodes it.
    query = urlencode(params, quote_via=quote)
    return f"{_endpoint(adapter_class, config.authorize_url, base_url)}?{query}"


def exchange_code(
    adapter_class: type[PlatformAdapter],
    *,
    client: OAuthClient,
    base_url: str,
    redirect_uri: str,
    code: str,
    code_verifier: str | None,
    session: Session,
) -> list[AccountChoice]:
    """Exchange the authorization code (``PlatformAdapter.oauth_exchange_code``) and return
    the account(s) the token gives access to: one for personal accounts, several for
    page-based platforms. Which ones the adapter says (``oauth_accounts``, with the new token
    in its ``credentials``)."""
    config = configuration(adapter_class)
    connector = adapter_class.without_channel(session, base_url)
    form = {"code": code, "redirect_uri": redirect_uri}
    if not config.code_exchange_by_get:
        form["grant_type"] = "authorization_code"
    if config.scope_in_code_exchange:
        form["scope"] = config.scope_separator.join(requested_scopes(adapter_class, client))
    if code_verifier:
        form["code_verifier"] = code_verifier
    token = token_call(
        connector,
        config.token_url,
        form,
        client=client,
        method="GET" if config.code_exchange_by_get else "POST",
    )
    connector.credentials = token_credentials(token, config)
    return connector.oauth_accounts(client)


def refresh(adapter: PlatformAdapter) -> dict[str, Any] | None:
    """Renew the access with the refresh token (and hand the result to
    ``credentials_changed``); None where the platform or the channel has no refresh token."""
    config = adapter.oauth_config
    refresh_token = adapter.credentials.get("refresh_token")
    if config is None or not config.refresh_grant or not refresh_token:
        return None
    client = type(adapter).oauth_client(
        base_url=adapter.context.base_url, redirect_uri="", session=adapter.session
    )
    form = {"grant_type": "refresh_token", "refresh_token": str(refresh_token)}
    try:
        token = token_call(adapter, config.token_url, form, client=client)
    except ContentRejectedError as refused:
        # invalid_grant and its kin: the refresh token was revoked, has expired or was used.
        raise AuthenticationError(
            str(config.refused_message), status=refused.status, code=refused.code
        ) from None
    renewed = token_credentials(token, config, previous=adapter.credentials)
    adapter.credentials_changed(renewed)
    return renewed


def revoke_token(
    adapter: PlatformAdapter, token: str, *, hint: str = "", client: OAuthClient | None = None
) -> None:
    """Revoke one token at ``revoke_url`` (RFC 7009); ``client`` where the platform wants the
    app to authenticate."""
    form = {"token": token}
    if hint:
        form["token_type_hint"] = hint
    _send(adapter, "POST", configuration(type(adapter)).revoke_url, form, client)


def token_call(
    adapter: PlatformAdapter,
    url: str,
    form: Mapping[str, str],
    *,
    client: OAuthClient | None = None,
    method: str = "POST",
) -> dict[str, Any]:
    """One call to a token endpoint, answered by a token (an object with ``access_token``).
    Also for a platform's own grants (Meta's long-lived token exchange)."""
    response = _send(adapter, method, url, form, client)
    token = adapter.json(response)
    if not isinstance(token, dict) or not token.get("access_token"):
        raise MalformedResponseError(str(configuration(type(adapter)).no_token_message))
    return token


# --- Plumbing -------------------------------------------------------------------------------


def _endpoint(adapter_class: type[PlatformAdapter], url: str, base_url: str) -> str:
    return f"{adapter_class.oauth_server(base_url)}{url}" if url.startswith("/") else url


def _client_authentication(
    config: OAuth2Config, client: OAuthClient
) -> tuple[dict[str, str], dict[str, str]]:
    """(form fields, headers) that authenticate the app."""
    if config.client_auth is ClientAuth.BODY:
        return {"client_id": client.client_id, "client_secret": client.client_secret}, {}
    if not client.client_secret:
        return {"client_id": client.client_id}, {}  # a public client: PKCE is its proof
    raw = f"{client.client_id}:{client.client_secret}".encode()
    basic = "Basic " + base64.b64encode(raw).decode("ascii")
    return {"client_id": client.client_id}, {"Authorization": basic}


def _send(
    adapter: PlatformAdapter,
    method: str,
    url: str,
    form: Mapping[str, str],
    client: OAuthClient | None,
) -> Response:
    config = configuration(type(adapter))
    fields, headers = _client_authentication(config, client) if client else ({}, {})
    payload = {**form, **fields}
    # A GET (Facebook's code exchange, Meta's own grants) carries the parameters in the
    # query, secrets included: request() never logs a URL.
    query, body = (payload, None) if method == "GET" else (None, payload)
    try:
        return adapter.request(
            method,
            _endpoint(type(adapter), url, adapter.context.base_url),
            headers=headers,
            params=query,
            data=body,
        )
    except PlatformError as error:
        secrets = [value for name, value in payload.items() if name in _SECRET_FIELDS]
        error.message = redact(error.message, secrets)
        error.args = (error.message,)
        raise
