"""Connecting channels through the UI, with the platforms faked at the HTTP boundary using
the documented payload fixtures of the adapter tests."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.test import Client

from accounts.models import AuditEntry
from channels_app.credentials import credentials_read
from channels_app.models import Channel, OAuthApp, Platform
from channels_app.services import channel_create
from tests.channels_app.adapters.conftest import load_fixture
from tests.conftest import Org, People, login

pytestmark = pytest.mark.django_db

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
