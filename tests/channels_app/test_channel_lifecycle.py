"""A channel's life against the sandbox platform over real HTTP (pytest-django's live
server): connect, test, key rotation, expiry, automatic refresh by a real Celery worker,
reconnection. No secret may appear in any log record on the way."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
import requests
from celery.contrib.testing.worker import start_worker
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from channels_app.credentials import credentials_read
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.services import channel_create
from channels_app.services import channel_test_connection
from channels_app.tasks import refresh_expiring_credentials
from config.celery import app as celery_app
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "sandbox-passwort-1"


@pytest.fixture
def sandbox(live_server, settings):  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    return settings.SANDBOX_BASE_URL


def _control(base: str, handle: str, settings_: dict[str, object], secret: str) -> None:
    response = requests.post(
        f"{base}/_control/{handle}",
        json=settings_,
        headers={"X-Sandbox-Control": secret},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def _connected_channel(org: Org, people: People, handle: str = "presseamt") -> Channel:
    channel = channel_create(
        actor=people.channel_admin,
        unit=org.press,
        platform=Platform.SANDBOX,
        name=f"Sandbox {handle}",
    )
    browser = login(Client(), people.channel_admin)
    response = browser.post(
        f"/channels/{channel.pk}/connect/", {"handle": handle, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    return channel


def _secrets(channel: Channel) -> list[str]:
    data = credentials_read(channel)
    return [str(v) for k, v in data.items() if "token" in k and v] + [PASSWORD]


def test_connect_test_and_rotate_keys(sandbox, org: Org, people: People, settings, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    channel = _connected_channel(org, people)
    assert channel.handle == "presseamt"
    browser = login(Client(), people.channel_admin)
    response = browser.post(f"/channels/{channel.pk}/test/", follow=True)
    assert any(m.level_tag == "success" for m in response.context["messages"])

    old_key = settings.CREDENTIALS_KEYS[0]
    settings.CREDENTIALS_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_credentials_key")
    settings.CREDENTIALS_KEYS = settings.CREDENTIALS_KEYS[:1]
    assert channel_test_connection(actor=people.channel_admin, channel=channel) == "presseamt"

    for secret in _secrets(channel):
        assert secret not in caplog.text
        assert secret not in browser.get(f"/channels/{channel.pk}/").content.decode()
        assert secret not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_expired_token_marks_the_channel_and_tells_its_admins(
    sandbox, org: Org, people: People, settings
) -> None:  # type: ignore[no-untyped-def]
    channel = _connected_channel(org, people, "ordnungsamt")
    _control(sandbox, "ordnungsamt", {"expire_token": True}, settings.SANDBOX_CONTROL_SECRET)
    browser = login(Client(), people.channel_admin)
    response = browser.post(f"/channels/{channel.pk}/test/", follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    assert Notification.objects.filter(
        kind="channels.needs_reconnect", recipient=people.channel_admin
    ).exists()
    page = browser.get(f"/channels/{channel.pk}/").content.decode()
    assert f"/channels/{channel.pk}/connect/" in page  # the reconnect button
    # Reconnecting makes it active again.
    browser.post(
        f"/channels/{channel.pk}/connect/", {"handle": "ordnungsamt", "password": PASSWORD}
    )
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE


def test_a_real_worker_refreshes_tokens_before_they_expire(
    sandbox, org: Org, people: People, caplog
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    channel = _connected_channel(org, people, "buergerbuero")
    before = credentials_read(channel)
    # Pretend the access runs out in an hour: inside the refresh window.
    Channel.objects.filter(pk=channel.pk).update(
        access_expires_at=timezone.now() + timedelta(hours=1)
    )
    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=["default"]):
        refresh_expiring_credentials.delay()
        deadline = time.monotonic() + 20
        while credentials_read(channel)["access_token"] == before["access_token"]:
            assert time.monotonic() < deadline, "the worker did not refresh the token"
            time.sleep(0.2)
    after = credentials_read(channel)
    assert after["refresh_token"]  # never thrown away
    channel.refresh_from_db()
    assert channel.access_expires_at > timezone.now() + timedelta(hours=20)
    assert channel_test_connection(actor=people.channel_admin, channel=channel) == "buergerbuero"
    assert AuditEntry.objects.filter(action="channels.credentials.refreshed").exists()
    for secret in (before["access_token"], after["access_token"], after["refresh_token"]):
        assert secret not in caplog.text


def test_disconnect_revokes_and_forgets(sandbox, org: Org, people: People) -> None:  # type: ignore[no-untyped-def]
    channel = _connected_channel(org, people, "kulturamt")
    token = credentials_read(channel)["access_token"]
    login(Client(), people.channel_admin).post(f"/channels/{channel.pk}/disconnect/")
    channel.refresh_from_db()
    assert channel.status == Channel.Status.DISCONNECTED
    assert credentials_read(channel) == {}
    me = requests.get(f"{sandbox}/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 401  # revoked at the platform
    entry = AuditEntry.objects.get(action="channels.channel.disconnected")
    assert entry.data["revoked_at_platform"] is True


def test_a_freshly_connected_channel_raises_no_expiry_alarm(
    sandbox, org: Org, people: People
) -> None:  # type: ignore[no-untyped-def]
    """The sandbox's access token lasts a day and renews itself: nobody has to act."""
    channel = _connected_channel(org, people, "kulturamt")
    assert channel.access_expires_at is not None
    assert channel.access_expires_at < timezone.now() + timedelta(days=2)
    assert channel.reconnect_by is None
    assert channel.access_state == ""
    page = login(Client(), people.channel_admin).get("/channels/").content.decode()
    assert "warning-text" not in page
