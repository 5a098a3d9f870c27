# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Connecting channels through the UI, with the platforms faked at the HTTP boundary using
the documented payload fixtures of the adapter tests."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import responses
from django.test import Client

from accounts.models import AuditEntry
from channels_app.adapters.mastodon import MastodonAdapter
from channels_app.credentials import credentials_read
from channels_app.models import Channel
from channels_app.models import OAuthApp
from channels_app.models import Platform
from channels_app.services import channel_create
from tests.channels_app.adapters.conftest import load_fixture
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

MASTODON = "https://social.bund.de"
GRAPH = "https://graph.facebook.com/v25.0"


def _mastodon_channel(org: Org, people: People) -> Channel:
    return channel_create(
        actor=people.channel_admin,
        unit=org.press,
        platform=Platform.MASTODON,
        name="Stadt auf social.bund.de",
        base_url=MASTODON,
    )


def _fake_mastodon() -> None:
    responses.post(f"{MASTODON}/api/v1/apps", json=load_fixture("mastodon", "app.json"))
    responses.post(f"{MASTODON}/oauth/token", json=load_fixture("mastodon", "token.json"))
    responses.get(
        f"{MASTODON}/api/v1/accounts/verify_credentials",
        json=load_fixture("mastodon", "verify_credentials.json"),
    )


@responses.activate
def test_mastodon_connects_with_dynamic_registration_and_pkce(
    org: Org, people: People, caplog, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    _fake_mastodon()
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)

    response = browser.post(f"/channels/{channel.pk}/connect/")
    authorize = urlsplit(response["Location"])
    assert (
        f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{MASTODON}/oauth/authorize"
    )
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert params["redirect_uri"] == "http://localhost:8000/channels/oauth/callback/"
    assert params["code_challenge_method"] == "S256"
    app = OAuthApp.objects.get(base_url=MASTODON)
    client_secret = load_fixture("mastodon", "app.json")["client_secret"]
    assert client_secret not in app.client_secret_ciphertext  # stored encrypted

    with django_capture_on_commit_callbacks(execute=False):
        response = browser.get(
            "/channels/oauth/callback/", {"code": "qDFUEaYrRK5c", "state": params["state"]}
        )
    assert response["Location"] == f"/channels/{channel.pk}/"
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    account = load_fixture("mastodon", "verify_credentials.json")
    assert channel.account_id == str(account["id"])
    token = load_fixture("mastodon", "token.json")["access_token"]
    assert credentials_read(channel)["access_token"] == token
    token_request = next(
        c.request for c in responses.calls if c.request.url.endswith("/oauth/token")
    )
    assert "code_verifier=" in token_request.body

    # The secrets appear nowhere a person or a log could see them.
    page = browser.get(f"/channels/{channel.pk}/").content.decode()
    entries = str(list(AuditEntry.objects.values_list("data", flat=True)))
    for secret in (token, client_secret):
        assert secret not in page
        assert secret not in entries
        assert secret not in caplog.text
    assert AuditEntry.objects.filter(action="channels.credentials.changed").count() == 1

    # A second channel on the same instance reuses the registration.
    second = channel_create(
        actor=people.channel_admin,
        unit=org.press,
        platform=Platform.MASTODON,
        name="Zweiter Kanal",
        base_url=MASTODON,
    )
    browser.post(f"/channels/{second.pk}/connect/")
    assert len([c for c in responses.calls if c.request.url.endswith("/api/v1/apps")]) == 1


@responses.activate
def test_a_forged_state_connects_nothing(org: Org, people: People) -> None:
    _fake_mastodon()
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)
    browser.post(f"/channels/{channel.pk}/connect/")
    response = browser.get(
        "/channels/oauth/callback/", {"code": "x", "state": "forged"}, follow=True
    )
    assert any(m.level_tag == "error" for m in response.context["messages"])
    channel.refresh_from_db()
    assert channel.status == Channel.Status.DISCONNECTED
    assert not any(c.request.url.endswith("/oauth/token") for c in responses.calls)


def test_a_callback_without_a_started_flow_is_refused(people: People) -> None:
    browser = login(Client(), people.channel_admin)
    response = browser.get("/channels/oauth/callback/", {"code": "x", "state": "y"})
    assert response["Location"] == "/channels/"


@responses.activate
def test_facebook_login_offers_the_pages_to_choose_from(org: Org, people: People, settings) -> None:  # type: ignore[no-untyped-def]
    settings.META_APP_ID = "1234567890"
    settings.META_APP_SECRET = "meta-app-secret"
    channel = channel_create(
        actor=people.channel_admin,
        unit=org.press,
        platform=Platform.FACEBOOK,
        name="Stadt auf Facebook",
    )
    responses.get(
        f"{GRAPH}/oauth/access_token", json=load_fixture("facebook", "oauth_access_token.json")
    )
    responses.get(f"{GRAPH}/me/accounts", json=load_fixture("facebook", "me_accounts.json"))
    browser = login(Client(), people.channel_admin)
    start = browser.post(f"/channels/{channel.pk}/connect/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = browser.get("/channels/oauth/callback/", {"code": "AQD", "state": state})
    assert response["Location"] == f"/channels/{channel.pk}/choose-account/"
    form = browser.get(response["Location"]).context["form"]
    pages = load_fixture("facebook", "me_accounts.json")["data"]
    assert [c[0] for c in form.fields["account"].choices] == [p["id"] for p in pages]
    page_body = browser.get(response["Location"]).content.decode()
    assert all(p["access_token"] not in page_body for p in pages)
    browser.post(response["Location"], {"account": pages[-1]["id"]})
    channel.refresh_from_db()
    assert channel.account_id == pages[-1]["id"]
    assert channel.status == Channel.Status.ACTIVE


def test_missing_platform_app_gives_a_clear_message(org: Org, people: People, settings) -> None:  # type: ignore[no-untyped-def]
    settings.X_CLIENT_ID = ""
    channel = channel_create(
        actor=people.channel_admin, unit=org.press, platform=Platform.X, name="Stadt auf X"
    )
    response = login(Client(), people.channel_admin).post(
        f"/channels/{channel.pk}/connect/", follow=True
    )
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors and "X_CLIENT_ID" in errors[0]


# --- Servers that refuse the granular scopes (Takahē and others) -----------------------------

GRANULAR = " ".join(MastodonAdapter.oauth_scopes)
GRANULAR_TOKEN = "takahe-granular-token-0123456789"
BROAD_TOKEN = "takahe-broad-token-0123456789ab"
BROAD_APP = {"client_id": "broad-client-id", "client_secret": "broad-client-secret-abcdef"}


def _form(request: Any) -> dict[str, str]:
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    return dict(parse_qsl(body))


def _register(request: Any) -> tuple[int, dict[str, str], str]:
    scopes = _form(request)["scopes"]
    app = load_fixture("mastodon", "app.json")
    if scopes != GRANULAR:
        app |= BROAD_APP | {"scopes": scopes.split()}
    return 200, {}, json.dumps(app)


def _token(request: Any) -> tuple[int, dict[str, str], str]:
    # Takahē answers with the scopes asked for.
    scope = _form(request)["scope"]
    token = GRANULAR_TOKEN if scope == GRANULAR else BROAD_TOKEN
    body = {"access_token": token, "token_type": "Bearer", "scope": scope, "created_at": 1}
    return 200, {}, json.dumps(body)


def _verify_credentials(request: Any) -> tuple[int, dict[str, str], str]:
    # Takahē (api/decorators.py, scope_required): the granular scopes do not cover its check.
    if request.headers["Authorization"] == f"Bearer {GRANULAR_TOKEN}":
        return 403, {}, json.dumps({"error": "out_of_scope_for_token"})
    return 200, {}, json.dumps(load_fixture("mastodon", "verify_credentials.json"))


def _fake_takahe(*, register: Any = _register) -> None:
    responses.add_callback(responses.POST, f"{MASTODON}/api/v1/apps", callback=register)
    responses.add_callback(responses.POST, f"{MASTODON}/oauth/token", callback=_token)
    responses.add_callback(
        responses.GET,
        f"{MASTODON}/api/v1/accounts/verify_credentials",
        callback=_verify_credentials,
    )


def _authorize_params(response: Any) -> dict[str, str]:
    authorize = urlsplit(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == (
        f"{MASTODON}/oauth/authorize"
    )
    return {k: v[0] for k, v in parse_qs(authorize.query).items()}


@responses.activate
def test_a_server_refusing_the_granular_scopes_at_first_use_is_asked_for_read_write(
    org: Org, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _fake_takahe()
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)
    first = _authorize_params(browser.post(f"/channels/{channel.pk}/connect/"))
    assert first["scope"] == GRANULAR

    # The token works, but verify_credentials answers 403 out_of_scope_for_token: back to the
    # server's authorization, now for "read write", with an app registered for them.
    again = browser.get("/channels/oauth/callback/", {"code": "c1", "state": first["state"]})
    second = _authorize_params(again)
    assert second["scope"] == "read write"
    assert second["client_id"] == BROAD_APP["client_id"]
    assert second["state"] != first["state"]
    assert OAuthApp.objects.get(base_url=MASTODON).scopes == "read write"

    with django_capture_on_commit_callbacks(execute=False):
        done = browser.get("/channels/oauth/callback/", {"code": "c2", "state": second["state"]})
    assert done["Location"] == f"/channels/{channel.pk}/"
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    assert channel.granted_scopes == "read write"
    assert credentials_read(channel)["access_token"] == BROAD_TOKEN
    exchanges = [_form(c.request) for c in responses.calls if c.request.url.endswith("/token")]
    assert [e["scope"] for e in exchanges] == [GRANULAR, "read write"]
    assert exchanges[1]["client_id"] == BROAD_APP["client_id"]


@responses.activate
def test_the_granted_scopes_show_on_the_channel_page_and_in_the_api(
    org: Org, people: People, api_client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _fake_mastodon()
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)
    state = _authorize_params(browser.post(f"/channels/{channel.pk}/connect/"))["state"]
    with django_capture_on_commit_callbacks(execute=False):
        browser.get("/channels/oauth/callback/", {"code": "c", "state": state})
    granted = load_fixture("mastodon", "token.json")["scope"]
    page = browser.get(f"/channels/{channel.pk}/").content.decode()
    assert f"<code data-granted-scopes>{granted}</code>" in page
    body = api_client_for(people.channel_admin).get(f"/api/v1/channels/{channel.pk}/").json()
    assert body["granted_scopes"] == granted


@responses.activate
def test_a_registration_refusing_the_granular_scopes_asks_for_read_write_at_once(
    org: Org, people: People
) -> None:
    def register(request: Any) -> tuple[int, dict[str, str], str]:
        if _form(request)["scopes"] == GRANULAR:
            refused = {"error": "Validation failed: Scopes doesn't match configured on the server."}
            return 422, {}, json.dumps(refused)
        return _register(request)

    _fake_takahe(register=register)
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)
    params = _authorize_params(browser.post(f"/channels/{channel.pk}/connect/"))
    assert params["scope"] == "read write"
    assert OAuthApp.objects.get(base_url=MASTODON).scopes == "read write"
    # The next channel on this server asks for the broad scopes straight away.
    second = channel_create(
        actor=people.channel_admin,
        unit=org.press,
        platform=Platform.MASTODON,
        name="Zweiter Kanal",
        base_url=MASTODON,
    )
    assert _authorize_params(browser.post(f"/channels/{second.pk}/connect/"))["scope"] == (
        "read write"
    )
    assert len([c for c in responses.calls if c.request.url.endswith("/api/v1/apps")]) == 2


@responses.activate
def test_an_authorization_refusing_the_scopes_is_asked_once_more_then_given_up(
    org: Org, people: People
) -> None:
    _fake_takahe()
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)
    first = _authorize_params(browser.post(f"/channels/{channel.pk}/connect/"))
    refused = {"error": "invalid_scope", "error_description": "The requested scope is invalid."}
    second = _authorize_params(
        browser.get("/channels/oauth/callback/", {**refused, "state": first["state"]})
    )
    assert second["scope"] == "read write"
    # Refused again with the broad scopes: no third try, the person is told why.
    response = browser.get(
        "/channels/oauth/callback/", {**refused, "state": second["state"]}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/channels/"
    assert any(m.level_tag == "error" for m in response.context["messages"])
    channel.refresh_from_db()
    assert channel.status == Channel.Status.DISCONNECTED


@responses.activate
def test_a_refusal_for_a_forged_state_starts_nothing(org: Org, people: People) -> None:
    _fake_takahe()
    channel = _mastodon_channel(org, people)
    browser = login(Client(), people.channel_admin)
    browser.post(f"/channels/{channel.pk}/connect/")
    response = browser.get(
        "/channels/oauth/callback/", {"error": "invalid_scope", "state": "forged"}
    )
    assert response["Location"] == "/channels/"
    assert len([c for c in responses.calls if c.request.url.endswith("/api/v1/apps")]) == 1
