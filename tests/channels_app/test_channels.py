# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from channels_app.credentials import CredentialsUnreadableError
from channels_app.credentials import credentials_read
from channels_app.credentials import credentials_write
from channels_app.models import Channel
from channels_app.models import ChannelCredential
from channels_app.models import Platform
from channels_app.services import channel_create
from channels_app.services import channels_warn_expiring
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

SECRET = "app-password-kzv7-9x2q-tt3p"


def test_credentials_are_encrypted_at_rest(org: Org) -> None:
    credentials_write(org.press_channel, {"access_token": SECRET, "expires_at": None})
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM channels_app_channelcredential")
        (stored,) = cursor.fetchone()
    assert SECRET not in stored
    assert credentials_read(org.press_channel)["access_token"] == SECRET


def test_expiry_is_tracked_from_the_credentials(org: Org) -> None:
    expires = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    credentials_write(org.press_channel, {"access_token": "x", "expires_at": expires.isoformat()})
    org.press_channel.refresh_from_db()
    assert org.press_channel.access_expires_at == expires


def _two_channels_with_credentials(org: Org) -> None:
    credentials_write(org.press_channel, {"access_token": SECRET})
    credentials_write(org.police_channel, {"bot_token": "123:abc"})


def _rotate(settings, new_key: str) -> None:  # type: ignore[no-untyped-def]
    old_key = settings.CREDENTIALS_KEYS[0]
    settings.CREDENTIALS_KEYS = [new_key, old_key]
    call_command("rotate_credentials_key")
    settings.CREDENTIALS_KEYS = [new_key]


def test_credentials_are_unreadable_once_their_key_is_removed(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    _two_channels_with_credentials(org)
    settings.CREDENTIALS_KEYS = [Fernet.generate_key().decode()]  # the old key removed too early
    with pytest.raises(CredentialsUnreadableError):
        credentials_read(org.press_channel)


def test_key_rotation_keeps_every_channel_readable(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    _two_channels_with_credentials(org)
    _rotate(settings, Fernet.generate_key().decode())
    assert credentials_read(org.press_channel)["access_token"] == SECRET
    assert credentials_read(org.police_channel)["bot_token"] == "123:abc"


def test_key_rotation_is_audited_with_its_count(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    _two_channels_with_credentials(org)
    _rotate(settings, Fernet.generate_key().decode())
    entry = AuditEntry.objects.get(action="channels.credentials.key_rotated")
    assert entry.data == {"reencrypted_count": 2}


@pytest.fixture
def created(org: Org, people: People):  # type: ignore[no-untyped-def]
    """A Mastodon channel of the Social-Media-Team, made on the page by its channel admin:
    the answer and the channel."""
    client = login(Client(), people.channel_admin)
    response = client.post(
        "/channels/new/",
        {
            "unit": org.social.pk,
            "platform": Platform.MASTODON,
            "name": "Bürgerservice auf Mastodon",
            "base_url": "https://social.bund.de/",
            "impressum_url": "https://www.musterstadt.example/impressum",
            "privacy_url": "",
            "legal_note": "",
        },
    )
    return response, Channel.objects.get(name="Bürgerservice auf Mastodon")


def test_channel_admin_creates_a_channel_in_their_unit(created) -> None:  # type: ignore[no-untyped-def]
    response, channel = created
    assert response["Location"] == f"/channels/{channel.pk}/"


def test_a_new_channel_keeps_its_server_address_without_the_slash(created) -> None:  # type: ignore[no-untyped-def]
    _response, channel = created
    assert channel.base_url == "https://social.bund.de"


def test_a_new_channel_starts_disconnected(created) -> None:  # type: ignore[no-untyped-def]
    _response, channel = created
    assert channel.status == Channel.Status.DISCONNECTED


def test_the_units_editors_may_draft_on_a_new_channel(created, people: People) -> None:  # type: ignore[no-untyped-def]
    _response, channel = created
    assert people.editor.has_perm("channels_app.draft_on_channel", channel)


def test_a_new_channel_is_audited(created, org: Org) -> None:  # type: ignore[no-untyped-def]
    assert AuditEntry.objects.filter(action="channels.channel.created", unit=org.social).exists()


def test_mastodon_needs_a_server_address(org: Org, people: People) -> None:
    client = login(Client(), people.channel_admin)
    response = client.post(
        "/channels/new/",
        {"unit": org.press.pk, "platform": Platform.MASTODON, "name": "Ohne Server"},
    )
    assert response.status_code == 200
    assert not Channel.objects.filter(name="Ohne Server").exists()


def test_an_editor_may_not_create_channels(people: People) -> None:
    assert login(Client(), people.editor).get("/channels/new/").status_code == 403


def test_a_channel_admin_cannot_create_a_channel_for_another_authority(
    org: Org, people: People
) -> None:
    client = login(Client(), people.channel_admin)
    response = client.post(
        "/channels/new/",
        {"unit": org.police_press.pk, "platform": Platform.SANDBOX, "name": "Fremd"},
    )
    assert response.status_code == 200  # the police unit is not offered
    assert not Channel.objects.filter(name="Fremd").exists()


@pytest.mark.parametrize(
    ("role", "own", "foreign"),
    [
        ("editor", 200, 404),
        ("approver", 200, 404),
        ("community_manager", 200, 404),
        ("channel_admin", 200, 404),
        ("auditor", 200, 404),
        ("outsider", 404, 200),
    ],
)
def test_channel_pages_are_scoped_to_the_units(
    org: Org, people: People, role: str, own: int, foreign: int
) -> None:
    client = login(Client(), getattr(people, role))
    assert client.get(f"/channels/{org.press_channel.pk}/").status_code == own
    assert client.get(f"/channels/{org.police_channel.pk}/").status_code == foreign


def test_managing_needs_the_channel_admin_role(org: Org, people: People) -> None:
    editor = login(Client(), people.editor)
    assert editor.get(f"/channels/{org.press_channel.pk}/edit/").status_code == 403
    assert editor.post(f"/channels/{org.press_channel.pk}/disconnect/").status_code == 403


def test_another_authority_does_not_see_the_channel_to_manage(org: Org, people: People) -> None:
    outsider = login(Client(), people.outsider)
    assert outsider.get(f"/channels/{org.press_channel.pk}/edit/").status_code == 404


def test_a_channel_admin_edits_a_channel_and_it_is_audited(org: Org, people: People) -> None:
    admin = login(Client(), people.channel_admin)
    response = admin.post(
        f"/channels/{org.press_channel.pk}/edit/",
        {
            "name": "Stadt Mastodon",
            "impressum_url": "https://www.musterstadt.example/impressum",
            "privacy_url": "https://www.musterstadt.example/datenschutz",
            "base_url": "",
            "legal_note": "Gemeinsame Verantwortlichkeit geprüft.",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="channels.channel.updated")
    assert entry.data["after"]["legal_note"] == "Gemeinsame Verantwortlichkeit geprüft."


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("editor", {"Stadt Mastodon", "Bürgerservice"}),
        ("outsider", {"Polizei Mastodon"}),
    ],
)
def test_channel_list_shows_only_granted_channels(
    org: Org, people: People, role: str, names: set[str]
) -> None:
    page = login(Client(), getattr(people, role)).get("/channels/")
    assert {c.name for c in page.context["channels"]} == names


def test_a_user_without_a_role_may_not_list_channels(org: Org) -> None:
    assert login(Client(), UserFactory()).get("/channels/").status_code == 403


def test_api_lists_channels_without_credentials(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    credentials_write(org.press_channel, {"access_token": SECRET, "refresh_token": SECRET + "r"})
    api = api_client_for(people.editor)
    body = api.get("/api/v1/channels/").content.decode()
    assert SECRET not in body


def test_api_lists_only_the_users_channels(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    results = api_client_for(people.editor).get("/api/v1/channels/").json()["results"]
    assert {r["name"] for r in results} == {"Stadt Mastodon", "Bürgerservice"}


def test_api_detail_shows_capabilities_and_no_credentials(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    detail = api_client_for(people.editor).get(f"/api/v1/channels/{org.press_channel.pk}/").json()
    assert detail["capabilities"]["publish_text"] is True
    assert "credential" not in str(detail.keys())


def test_api_hides_another_authoritys_channel(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    assert api.get(f"/api/v1/channels/{org.police_channel.pk}/").status_code == 404


def test_api_refuses_an_editors_change_to_a_channel(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    assert (
        api.patch(
            f"/api/v1/channels/{org.press_channel.pk}/", {"name": "x"}, format="json"
        ).status_code
        == 403
    )


def _api_create(api, org: Org):  # type: ignore[no-untyped-def]
    return api.post(
        "/api/v1/channels/",
        {"unit": org.press.pk, "platform": "sandbox", "name": "Testkanal"},
        format="json",
    )


def test_api_create_by_channel_admin(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = _api_create(api_client_for(people.channel_admin), org)
    assert response.status_code == 201, response.json()


def test_api_update_by_channel_admin(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.channel_admin)
    channel_id = _api_create(api, org).json()["id"]
    response = api.patch(
        f"/api/v1/channels/{channel_id}/",
        {"privacy_url": "https://www.musterstadt.example/datenschutz"},
        format="json",
    )
    assert response.json()["privacy_url"] == "https://www.musterstadt.example/datenschutz"


def test_api_refuses_a_channel_for_another_authority(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    foreign = api_client_for(people.channel_admin).post(
        "/api/v1/channels/",
        {"unit": org.police_press.pk, "platform": "sandbox", "name": "Fremd"},
        format="json",
    )
    assert foreign.status_code == 400


def test_api_credentials_are_write_only(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.channel_admin)
    channel_id = _api_create(api, org).json()["id"]
    assert api.get(f"/api/v1/channels/{channel_id}/credentials/").status_code == 405


def test_credentials_api_checks_the_fields(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.channel_admin)
    response = api.put(
        f"/api/v1/channels/{org.press_channel.pk}/credentials/",
        {"values": {"unexpected": "x"}},
        format="json",
    )
    assert response.status_code == 400


def test_credentials_api_refuses_an_editor(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    editor = api_client_for(people.editor)
    assert (
        editor.put(
            f"/api/v1/channels/{org.press_channel.pk}/credentials/", {"values": {}}, format="json"
        ).status_code
        == 403
    )


@pytest.fixture
def expiring(org: Org) -> None:
    """The Presseamt's access runs out in five days, the police's in forty."""
    soon = timezone.now() + timedelta(days=5)
    later = timezone.now() + timedelta(days=40)
    credentials_write(org.press_channel, {"access_token": "a", "expires_at": soon.isoformat()})
    credentials_write(org.police_channel, {"access_token": "b", "expires_at": later.isoformat()})
    Channel.objects.filter(pk__in=[org.press_channel.pk, org.police_channel.pk]).update(
        status=Channel.Status.ACTIVE
    )


@pytest.mark.usefixtures("expiring")
def test_expiring_channels_are_flagged_once(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        assert channels_warn_expiring() == 1
        assert channels_warn_expiring() == 0


@pytest.mark.usefixtures("expiring")
def test_the_expiry_warning_goes_to_the_units_channel_admins(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        channels_warn_expiring()
    notified = set(
        Notification.objects.filter(kind="channels.access_expiring").values_list(
            "recipient__email", flat=True
        )
    )
    assert notified == {people.channel_admin.email}


@pytest.mark.usefixtures("expiring")
def test_the_expiry_warning_is_mailed_by_the_worker_not_at_once(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        channels_warn_expiring()
    assert mail.outbox == []  # e-mail goes through the worker (see test_notifications)


@pytest.mark.usefixtures("expiring")
def test_an_expiring_channel_still_opens_in_the_api(org: Org, people: People) -> None:
    admin = login(Client(), people.channel_admin)
    detail = admin.get(f"/api/v1/channels/{org.press_channel.pk}/", HTTP_ACCEPT="application/json")
    assert detail.status_code == 200


def test_secrets_never_reach_pages_or_the_audit_log(org: Org, people: People) -> None:
    channel = channel_create(
        actor=people.channel_admin, unit=org.press, platform="sandbox", name="Geheim"
    )
    credentials_write(channel, {"access_token": SECRET})
    client = login(Client(), people.channel_admin)
    for url in ("/channels/", f"/channels/{channel.pk}/", f"/channels/{channel.pk}/edit/"):
        assert SECRET not in client.get(url).content.decode(), url
    auditor = login(Client(), people.auditor)
    assert SECRET not in auditor.get("/audit/").content.decode()
    assert SECRET not in str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert ChannelCredential.objects.filter(channel=channel).exists()


@pytest.fixture
def running_out(org: Org) -> None:
    """The Presseamt's access runs out in three days; the Social-Media-Team's ran out."""
    credentials_write(
        org.press_channel,
        {"access_token": "a", "expires_at": (timezone.now() + timedelta(days=3)).isoformat()},
    )
    credentials_write(
        org.social_channel,
        {"access_token": "b", "expires_at": (timezone.now() - timedelta(hours=1)).isoformat()},
    )
    Channel.objects.filter(pk__in=[org.press_channel.pk, org.social_channel.pk]).update(
        status=Channel.Status.ACTIVE
    )


@pytest.mark.usefixtures("running_out")
def test_access_is_expiring_or_expired_by_its_date(org: Org) -> None:
    assert Channel.objects.get(pk=org.press_channel.pk).access_state == "expiring"
    assert Channel.objects.get(pk=org.social_channel.pk).access_state == "expired"


@pytest.mark.usefixtures("running_out")
def test_the_channel_list_warns_of_running_out_access(people: People) -> None:
    listing = login(Client(), people.channel_admin).get("/channels/").content.decode()
    assert "warning-text" in listing


@pytest.mark.usefixtures("running_out")
def test_an_expired_channel_offers_a_reconnect_button(org: Org, people: People) -> None:
    client = login(Client(), people.channel_admin)
    detail = client.get(f"/channels/{org.social_channel.pk}/").content.decode()
    assert f"/channels/{org.social_channel.pk}/connect/" in detail
