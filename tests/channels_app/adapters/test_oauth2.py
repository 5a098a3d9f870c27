"""The shared OAuth 2 layer, run by a made-up platform and faked at the HTTP boundary.

``ExampleAdapter`` configures the layer the way the real adapters do (``oauth_config``,
``oauth_scopes``, ``oauth_uses_pkce``); variants differ from it only in the setting a test is
about."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import ClassVar
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses
import time_machine

from channels_app.adapters import oauth2
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.errors import NOT_SENT
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.oauth2 import AppSettings
from channels_app.adapters.oauth2 import ClientAuth
from channels_app.adapters.oauth2 import OAuth2Config
from channels_app.adapters.oauth2 import OAuthClient
from channels_app.adapters.oauth2 import expires_at

AUTHORIZE = "https://auth.example.org/oauth/authorize"
TOKEN = "https://auth.example.org/oauth/token"
REVOKE = "https://auth.example.org/oauth/revoke"
ME = "https://api.example.org/me"
REDIRECT = "https://sprachrohr.example/channels/oauth/callback/"
CLIENT = OAuthClient("example-client", "example-client-secret-4711")
CODE = "auth-code-0815-SECRET"
VERIFIER = "pkce-verifier-SECRET-abcdefghijklmnopqrstuvwxyz0123456789"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
ACCESS = "access-token-SECRET-1234567890"
REFRESH = "refresh-token-SECRET-0987654321"
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)

TOKEN_ANSWER = {
    "access_token": "new-access-token-0001",
    "token_type": "bearer",
    "expires_in": 3600,
    "refresh_token": "new-refresh-token-0001",
    "scope": "read write",
}
REFUSED = {"error": "invalid_grant", "error_description": "The grant is invalid or expired."}
EXAMPLE_APP = AppSettings(
    "EXAMPLE_CLIENT_ID", "EXAMPLE_CLIENT_SECRET", "Set EXAMPLE_CLIENT_ID and EXAMPLE_CLIENT_SECRET."
)


class ExampleAdapter(PlatformAdapter):
    platform: ClassVar[str] = "example"
    oauth_scopes: ClassVar[tuple[str, ...]] = ("read", "write")
    oauth_uses_pkce: ClassVar[bool] = True
    oauth_config: ClassVar[OAuth2Config] = OAuth2Config(
        authorize_url=AUTHORIZE,
        token_url=TOKEN,
        revoke_url=REVOKE,
        app=EXAMPLE_APP,
        refresh_grant=True,
        default_lifetime=timedelta(hours=2),
        no_token_message="Example sent no access token.",
        refused_message="Example no longer accepts the access: reconnect the channel.",
    )

    def validate(self, content: PostContent) -> list[Problem]:
        return []

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        raise self.unsupported("publish")

    def test_connection(self) -> AccountInfo:
        headers = {"Authorization": f"Bearer {self.credentials['access_token']}"}
        body = self.json(self.request("GET", ME, headers=headers))
        return AccountInfo(account_id=body["id"], handle=body["handle"], display_name=body["name"])


class WithoutPkce(ExampleAdapter):
    oauth_uses_pkce = False


def configured(**changes: Any) -> type[ExampleAdapter]:
    """``ExampleAdapter`` with some of its ``oauth_config`` changed."""
    config = replace(ExampleAdapter.oauth_config, **changes)
    return type("Variant", (ExampleAdapter,), {"oauth_config": config})


@pytest.fixture(autouse=True)
def example_app(settings: Any) -> None:
    settings.EXAMPLE_CLIENT_ID = CLIENT.client_id
    settings.EXAMPLE_CLIENT_SECRET = CLIENT.client_secret


@pytest.fixture
def changed() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def adapter(changed: list[dict[str, Any]]) -> ExampleAdapter:
    return ExampleAdapter(
        ChannelContext(platform="example", account_id="42"),
        {"access_token": ACCESS, "refresh_token": REFRESH, "page": "kept"},
        on_credentials_changed=changed.append,
    )


def authorize(adapter_class: type[PlatformAdapter], challenge: str | None = CHALLENGE) -> str:
    return adapter_class.oauth_authorize_url(
        client=CLIENT, base_url="", redirect_uri=REDIRECT, state="st4te", code_challenge=challenge
    )


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def form_of(call: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


def exchange(adapter_class: type[PlatformAdapter], verifier: str | None = VERIFIER) -> Any:
    return adapter_class.oauth_exchange_code(
        client=CLIENT,
        base_url="",
        redirect_uri=REDIRECT,
        code=CODE,
        code_verifier=verifier,
        session=requests.Session(),
    )


def fake_login(answer: dict[str, Any] = TOKEN_ANSWER) -> None:
    responses.post(TOKEN, json=answer)
    responses.get(ME, json={"id": "42", "handle": "stadt", "name": "Stadt Musterstadt"})


# --- The authorization URL -----------------------------------------------------------------


def test_authorize_url_names_client_redirect_scopes_and_state() -> None:
    url = authorize(WithoutPkce)
    assert url.startswith(AUTHORIZE + "?")
    assert query_of(url) == {
        "response_type": "code",
        "client_id": CLIENT.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read write",
        "state": "st4te",
    }


def test_authorize_url_carries_the_s256_challenge_with_pkce() -> None:
    params = query_of(authorize(ExampleAdapter))
    assert (params["code_challenge"], params["code_challenge_method"]) == (CHALLENGE, "S256")


def test_pkce_platform_will_not_start_without_a_challenge() -> None:
    with pytest.raises(PlatformError, match="PKCE"):
        authorize(ExampleAdapter, challenge=None)


def test_platform_without_pkce_sends_no_challenge() -> None:
    assert "code_challenge" not in query_of(authorize(WithoutPkce, challenge=CHALLENGE))


def test_authorize_url_never_carries_the_client_secret() -> None:
    assert CLIENT.client_secret not in authorize(ExampleAdapter)


def test_scopes_are_separated_by_spaces_written_as_percent_20() -> None:
    assert "scope=read%20write" in authorize(ExampleAdapter)


def test_scope_separator_is_configurable() -> None:
    assert query_of(authorize(configured(scope_separator=",")))["scope"] == "read,write"


def test_authorize_params_of_the_platform_are_added() -> None:
    variant = configured(authorize_params={"access_type": "offline", "prompt": "consent"})
    params = query_of(authorize(variant))
    assert (params["access_type"], params["prompt"]) == ("offline", "consent")


def test_endpoint_paths_are_on_the_server_the_adapter_names() -> None:
    class OnInstance(ExampleAdapter):
        oauth_config = replace(ExampleAdapter.oauth_config, authorize_url="/oauth/authorize")

        @classmethod
        def oauth_server(cls, base_url: str) -> str:
            return f"https://{base_url}"

    url = OnInstance.oauth_authorize_url(
        client=CLIENT,
        base_url="social.example",
        redirect_uri=REDIRECT,
        state="s",
        code_challenge=CHALLENGE,
    )
    assert url.startswith("https://social.example/oauth/authorize?")


def test_platform_without_oauth_config_is_not_connected_with_oauth() -> None:
    form_only = type("FormOnly", (ExampleAdapter,), {"oauth_config": None})
    with pytest.raises(NotSupportedError):
        authorize(form_only)


# --- The code exchange ---------------------------------------------------------------------


@responses.activate
def test_code_exchange_sends_code_redirect_verifier_and_client() -> None:
    fake_login()
    exchange(ExampleAdapter)
    assert form_of(responses.calls[0]) == {
        "grant_type": "authorization_code",
        "code": CODE,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        "client_id": CLIENT.client_id,
        "client_secret": CLIENT.client_secret,
    }


@responses.activate
def test_code_exchange_without_verifier_sends_no_verifier_field() -> None:
    fake_login()
    exchange(WithoutPkce, verifier=None)
    assert "code_verifier" not in form_of(responses.calls[0])


@responses.activate
def test_code_exchange_repeats_the_scopes_where_the_platform_wants_them() -> None:
    fake_login()
    exchange(configured(scope_in_code_exchange=True))
    assert form_of(responses.calls[0])["scope"] == "read write"


@responses.activate
def test_basic_client_auth_puts_the_secret_in_the_header_only() -> None:
    fake_login()
    exchange(configured(client_auth=ClientAuth.BASIC))
    request = responses.calls[0].request
    raw = f"{CLIENT.client_id}:{CLIENT.client_secret}".encode()
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(raw).decode()
    sent = form_of(responses.calls[0])
    assert sent["client_id"] == CLIENT.client_id
    assert CLIENT.client_secret not in sent.values()


@responses.activate
def test_public_client_with_basic_auth_sends_no_authorization_header() -> None:
    fake_login()
    variant = configured(client_auth=ClientAuth.BASIC)
    variant.oauth_exchange_code(
        client=OAuthClient(CLIENT.client_id, ""),
        base_url="",
        redirect_uri=REDIRECT,
        code=CODE,
        code_verifier=VERIFIER,
        session=requests.Session(),
    )
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_code_exchange_by_get_sends_the_query_without_grant_type() -> None:
    responses.get(TOKEN, json=TOKEN_ANSWER)
    responses.get(ME, json={"id": "42", "handle": "stadt", "name": "Stadt"})
    exchange(configured(code_exchange_by_get=True), verifier=None)
    call = responses.calls[0]
    assert call.request.method == "GET" and call.request.body is None
    assert query_of(str(call.request.url)) == {
        "code": CODE,
        "redirect_uri": REDIRECT,
        "client_id": CLIENT.client_id,
        "client_secret": CLIENT.client_secret,
    }


@responses.activate
def test_accounts_are_read_with_the_new_access_token() -> None:
    fake_login()
    exchange(ExampleAdapter)
    assert responses.calls[1].request.headers["Authorization"] == "Bearer new-access-token-0001"


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_code_exchange_returns_the_account_with_the_new_credentials() -> None:
    fake_login()
    [choice] = exchange(ExampleAdapter)
    assert (choice.account_id, choice.name, choice.handle) == ("42", "Stadt Musterstadt", "stadt")
    assert choice.credentials == {
        "access_token": "new-access-token-0001",
        "expires_at": "2026-01-10T13:00:00+00:00",
        "refresh_token": "new-refresh-token-0001",
        "scope": "read write",
    }


@responses.activate
def test_refused_code_keeps_the_adapters_own_error() -> None:
    # A wrong or reused code is no broken channel: the person starts the login again.
    responses.post(TOKEN, json=REFUSED, status=400)
    with pytest.raises(ContentRejectedError) as info:
        exchange(ExampleAdapter)
    assert info.value.code == "invalid_grant"


@responses.activate
def test_timeout_of_the_code_exchange_is_transient() -> None:
    responses.post(TOKEN, body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError) as info:
        exchange(ExampleAdapter)
    assert info.value.code == NOT_SENT


@responses.activate
def test_token_answer_without_access_token_is_malformed() -> None:
    responses.post(TOKEN, json={"token_type": "bearer"})
    with pytest.raises(MalformedResponseError) as info:
        exchange(ExampleAdapter)
    assert info.value.message == "Example sent no access token."


@responses.activate
def test_secrets_echoed_by_the_token_endpoint_are_scrubbed() -> None:
    echo = f"bad client_secret {CLIENT.client_secret} for code {CODE} ({VERIFIER})"
    responses.post(TOKEN, json={"error": "invalid_client", "error_description": echo}, status=400)
    with pytest.raises(PlatformError) as info:
        exchange(ExampleAdapter)
    for secret in (CLIENT.client_secret, CODE, VERIFIER):
        assert secret not in str(info.value)
        assert secret not in info.value.message


# --- Refresh -------------------------------------------------------------------------------


@responses.activate
def test_refresh_sends_the_refresh_token_and_the_client(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, json=TOKEN_ANSWER)
    adapter.refresh_credentials()
    assert form_of(responses.calls[0]) == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": CLIENT.client_id,
        "client_secret": CLIENT.client_secret,
    }


@responses.activate
def test_refresh_hands_the_renewed_credentials_to_the_caller(
    adapter: ExampleAdapter, changed: list[dict[str, Any]]
) -> None:
    responses.post(TOKEN, json=TOKEN_ANSWER)
    renewed = adapter.refresh_credentials()
    assert renewed is not None and renewed["access_token"] == "new-access-token-0001"
    assert renewed["refresh_token"] == "new-refresh-token-0001"
    assert changed == [renewed]
    assert adapter.credentials == renewed


@responses.activate
def test_refresh_keeps_what_the_answer_does_not_renew(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, json={"access_token": "new-access-token-0002", "expires_in": 3600})
    renewed = adapter.refresh_credentials()
    assert renewed is not None
    assert (renewed["refresh_token"], renewed["page"]) == (REFRESH, "kept")


@responses.activate
def test_refresh_without_refresh_token_asks_nothing() -> None:
    adapter = ExampleAdapter(ChannelContext(platform="example"), {"access_token": ACCESS})
    assert adapter.refresh_credentials() is None
    assert len(responses.calls) == 0


@responses.activate
def test_platform_without_refresh_grant_does_not_refresh() -> None:
    variant = configured(refresh_grant=False)
    adapter = variant(ChannelContext(platform="example"), {"refresh_token": REFRESH})
    assert adapter.refresh_credentials() is None
    assert len(responses.calls) == 0


@responses.activate
def test_refused_refresh_needs_reconnection(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, json=REFUSED, status=400)
    with pytest.raises(AuthenticationError) as info:
        adapter.refresh_credentials()
    assert (info.value.status, info.value.code) == (400, "invalid_grant")
    assert info.value.message == "Example no longer accepts the access: reconnect the channel."


@responses.activate
def test_server_error_during_refresh_is_transient(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, json={"error": "server_error"}, status=503)
    with pytest.raises(TransientError) as info:
        adapter.refresh_credentials()
    assert info.value.status == 503


@responses.activate
def test_timeout_during_refresh_is_transient(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, body=requests.exceptions.ReadTimeout())
    with pytest.raises(TransientError):
        adapter.refresh_credentials()


@responses.activate
def test_refresh_token_is_scrubbed_from_a_refused_refresh(adapter: ExampleAdapter) -> None:
    echo = {"error": "invalid_request", "error_description": f"unknown token {REFRESH}"}
    responses.post(TOKEN, json=echo, status=422)
    with pytest.raises(PlatformError) as info:
        adapter.refresh_credentials()
    assert REFRESH not in str(info.value)


def test_app_registration_missing_names_the_settings(settings: Any) -> None:
    settings.EXAMPLE_CLIENT_SECRET = ""
    with pytest.raises(PlatformError, match="EXAMPLE_CLIENT_ID and EXAMPLE_CLIENT_SECRET"):
        ExampleAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())


def test_public_client_needs_no_secret(settings: Any) -> None:
    settings.EXAMPLE_CLIENT_SECRET = ""
    variant = configured(app=replace(EXAMPLE_APP, secret_required=False))
    client = variant.oauth_client(base_url="", redirect_uri="", session=requests.Session())
    assert client == OAuthClient(CLIENT.client_id, "")


# --- Revocation ----------------------------------------------------------------------------


@responses.activate
def test_revoke_token_sends_token_hint_and_client(adapter: ExampleAdapter) -> None:
    responses.post(REVOKE, json={})
    oauth2.revoke_token(adapter, REFRESH, hint="refresh_token", client=CLIENT)
    assert form_of(responses.calls[0]) == {
        "token": REFRESH,
        "token_type_hint": "refresh_token",
        "client_id": CLIENT.client_id,
        "client_secret": CLIENT.client_secret,
    }


# --- Expiry --------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_expiry_is_now_plus_expires_in() -> None:
    assert expires_at(5400) == "2026-01-10T13:30:00+00:00"


@time_machine.travel(NOW, tick=False)
def test_expiry_of_a_numeric_string() -> None:
    assert expires_at("60") == "2026-01-10T12:01:00+00:00"


@time_machine.travel(NOW, tick=False)
def test_missing_expires_in_means_the_default_lifetime() -> None:
    assert expires_at(None, timedelta(hours=2)) == "2026-01-10T14:00:00+00:00"


@time_machine.travel(NOW, tick=False)
def test_unusable_expires_in_means_the_default_lifetime() -> None:
    assert expires_at(0, timedelta(days=60)) == "2026-03-11T12:00:00+00:00"


def test_without_expires_in_or_default_the_expiry_is_unknown() -> None:
    assert expires_at("soon") is None


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_refresh_token_lifetime_is_stored(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, json={**TOKEN_ANSWER, "refresh_token_expires_in": 86400})
    renewed = adapter.refresh_credentials()
    assert renewed is not None and renewed["refresh_expires_at"] == "2026-01-11T12:00:00+00:00"


@responses.activate
@time_machine.travel(NOW, tick=False)
def test_answer_without_expires_in_gets_the_default_lifetime(adapter: ExampleAdapter) -> None:
    responses.post(TOKEN, json={"access_token": "new-access-token-0003"})
    renewed = adapter.refresh_credentials()
    assert renewed is not None and renewed["expires_at"] == "2026-01-10T14:00:00+00:00"
