# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A channel's profile notes: the starter text with the channel's addresses, changed and
checked on the platform profile by channel admins (audited)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from channels_app.profile_notes.services import ProfileNotesExistError
from channels_app.profile_notes.services import profile_notes_adopt
from channels_app.profile_notes.services import profile_notes_check
from channels_app.profile_notes.services import profile_notes_update
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

IMPRESSUM = "https://www.musterstadt.example/impressum"


@pytest.fixture
def channel(org: Org):  # type: ignore[no-untyped-def]
    org.press_channel.impressum_url = IMPRESSUM
    org.press_channel.save(update_fields=["impressum_url"])
    return org.press_channel


def test_adopting_fills_in_the_channels_impressum(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    channel = profile_notes_adopt(actor=people.channel_admin, channel=channel)
    assert f"Impressum: {IMPRESSUM}" in channel.profile_notes


def test_adopting_links_the_units_public_netiquette(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    channel = profile_notes_adopt(actor=people.channel_admin, channel=channel)
    assert f"/netiquette/{channel.unit_id}/" in channel.profile_notes


def test_adopting_never_overwrites_notes(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    profile_notes_update(actor=people.channel_admin, channel=channel, text="Eigener Text")
    with pytest.raises(ProfileNotesExistError):
        profile_notes_adopt(actor=people.channel_admin, channel=channel)


def test_an_editor_may_not_change_the_notes(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        profile_notes_update(actor=people.editor, channel=channel, text="Text")


def test_the_check_is_audited(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    profile_notes_adopt(actor=people.channel_admin, channel=channel)
    profile_notes_check(actor=people.channel_admin, channel=channel, present=True)
    entry = AuditEntry.objects.get(action="channels.profile_notes.checked")
    assert entry.data["before"]["checked_at"] is None and entry.data["after"]["checked_at"]


def test_changing_the_text_clears_the_check(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    profile_notes_adopt(actor=people.channel_admin, channel=channel)
    profile_notes_check(actor=people.channel_admin, channel=channel, present=True)
    channel = profile_notes_update(actor=people.channel_admin, channel=channel, text="Neu")
    assert channel.profile_notes_checked_at is None


def test_the_channel_page_ticks_the_check(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    profile_notes_adopt(actor=people.channel_admin, channel=channel)
    client = login(Client(), people.channel_admin)
    client.post(f"/channels/{channel.pk}/profile-notes/", {"action": "check", "present": "on"})
    channel.refresh_from_db()
    assert channel.profile_notes_checked_by == people.channel_admin


def test_the_channel_page_shows_the_notes(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    profile_notes_adopt(actor=people.channel_admin, channel=channel)
    response = login(Client(), people.editor).get(f"/channels/{channel.pk}/")
    assert 'data-testid="profile-notes"' in response.content.decode()


def test_an_editor_posting_on_the_page_changes_nothing(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), people.editor)
    response = client.post(f"/channels/{channel.pk}/profile-notes/", {"action": "adopt"})
    assert response.status_code == 403


def test_the_api_adopts_with_201(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    client = login(APIClient(), people.channel_admin)
    response = client.post(f"/api/v1/channels/{channel.pk}/profile-notes/adopt/", format="json")
    assert response.status_code == 201


def test_the_api_sets_the_check(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    profile_notes_adopt(actor=people.channel_admin, channel=channel)
    client = login(APIClient(), people.channel_admin)
    response = client.patch(
        f"/api/v1/channels/{channel.pk}/profile-notes/",
        {"present_on_profile": True},
        format="json",
    )
    assert response.json()["present_on_profile"] is True


def test_another_authority_does_not_see_the_notes(channel, people: People) -> None:  # type: ignore[no-untyped-def]
    client = login(APIClient(), people.outsider)
    response = client.get(f"/api/v1/channels/{channel.pk}/profile-notes/")
    assert response.status_code == 404
