"""The sandbox platform's OAuth endpoints: the password grant that signs an account up, the
refresh rotation, expiry and revocation, and how the API refuses a missing or bad token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from channels_app.sandbox.models import SandboxAccount
from tests.channels_app.sandbox.support import API
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import control
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


def test_password_grant_answers_a_bearer_token_with_expiry_and_scope(client: Client) -> None:
    tokens = token_for(client, "Polizei-Musterstadt")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] > 0 and tokens["scope"]


def test_password_grant_signs_an_account_up_once_under_its_lowercase_handle(
    client: Client,
) -> None:
    token_for(client, "Polizei-Musterstadt")
    token_for(client, "polizei-musterstadt")
    assert SandboxAccount.objects.count() == 1
    account = SandboxAccount.objects.get()
    assert account.handle == "polizei-musterstadt" == account.display_name


def test_tokens_are_stored_only_as_digests(client: Client) -> None:
    tokens = token_for(client, "Polizei-Musterstadt")
    again = token_for(client, "polizei-musterstadt")
    account = SandboxAccount.objects.get()
    stored = {account.token_digest, account.refresh_token_digest, account.previous_token_digest}
    for token in (tokens["access_token"], again["access_token"], again["refresh_token"]):
        assert token not in stored


def test_me_describes_the_account_of_the_token(client: Client) -> None:
    token_for(client, "Polizei-Musterstadt")
    again = token_for(client, "polizei-musterstadt")
    me = Api(client, again["access_token"]).get("/me")
    assert me[0] == 200
    assert me[1]["handle"] == "polizei-musterstadt"
    assert me[1]["url"].endswith("/sandbox/@polizei-musterstadt/")
    assert me[1]["followers_count"] >= 1000


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"grant_type": "password", "username": "stadt", "password": ""}, "invalid_grant"),
        ({"grant_type": "password", "username": "<b>", "password": "x"}, "invalid_request"),
        ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
    ],
)
def test_token_endpoint_refuses_clearly(client: Client, data: dict[str, str], error: str) -> None:
    response = client.post(f"{API}/oauth/token", data)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert response.json()["error_description"]


def test_refresh_rotation_keeps_the_used_token_until_its_successor_is_used(
    client: Client,
) -> None:
    first = token_for(client)
    second = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    ).json()
    assert second["refresh_token"] != first["refresh_token"]
    # The answer got lost: the client retries with the old refresh token, which still works.
    third = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    ).json()
    assert third["access_token"]
    # Using the newest one retires the old one.
    fourth = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": third["refresh_token"]},
    )
    assert fourth.status_code == 200
    stale = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert stale.status_code == 400
    assert stale.json()["error"] == "invalid_grant"
    # The access token replaced by the last grant stays valid until its own expiry.
    assert Api(client, third["access_token"]).get("/me")[0] == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong", "Basic abc"])
def test_missing_or_invalid_token_is_401_json(client: Client, header: str | None) -> None:
    token_for(client)
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(f"{API}/me", **extra)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_access_token_is_401_saying_so(client: Client) -> None:
    api = Api(client, token_for(client)["access_token"])
    assert control(client, "stadt", expire_token=True).status_code == 200
    status, body = api.get("/me")
    assert status == 401
    assert body == {"error": "invalid_token", "error_description": "The access token expired"}


def _renewed_after_expiry(client: Client) -> Api:
    tokens = token_for(client)
    control(client, "stadt", expire_token=True)
    renewed = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    ).json()
    return Api(client, renewed["access_token"])


def test_a_refresh_after_expiry_gives_a_working_access_token(client: Client) -> None:
    assert _renewed_after_expiry(client).get("/me")[0] == 200


def test_a_revoked_access_token_is_refused(client: Client) -> None:
    api = _renewed_after_expiry(client)
    token = api.auth["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    assert client.post(f"{API}/oauth/revoke", {"token": token}).status_code == 200
    assert api.get("/me")[0] == 401


def test_revoking_an_unknown_token_is_no_error(client: Client) -> None:
    # RFC 7009.
    assert client.post(f"{API}/oauth/revoke", {"token": "unknown"}).status_code == 200


def test_the_api_is_csrf_exempt(client: Client) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        f"{API}/oauth/token", {"grant_type": "password", "username": "csrf", "password": "x"}
    )
    assert response.status_code == 200


def test_a_method_an_endpoint_does_not_serve_is_405_with_allow(api: Api) -> None:
    response = api.client.put(f"{API}/posts", **api.auth)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
