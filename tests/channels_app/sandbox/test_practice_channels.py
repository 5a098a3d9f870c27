# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The practice space's sandbox channels (issue 15): they carry example Impressum and privacy
addresses on the sandbox's own pages, so that the seeded saved replies render complete, and
the audit log shows them made and connected by the system."""

from __future__ import annotations

from django.conf import settings

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from channels_app.models import Channel
from channels_app.services import channel_create
from moderation.models import SavedReply
from moderation.replies.texts import text_fill
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _practice_unit(user: User) -> OrgUnit:
    practice_mode_set(user=user, active=True)
    unit = practice_unit_for(User.objects.get(pk=user.pk))
    assert unit is not None
    return unit


def test_a_practice_channel_has_impressum_and_privacy_addresses_on_the_sandbox(
    people: People,
) -> None:
    unit = _practice_unit(people.community_manager)
    channels = list(Channel.objects.filter(unit=unit))
    assert channels
    sandbox_pages = f"{settings.SITE_URL}/sandbox/@"
    for channel in channels:
        assert channel.impressum_url.startswith(sandbox_pages)
        assert channel.privacy_url.startswith(sandbox_pages)
        assert channel.impressum_url != channel.privacy_url
        # On the practice account's own page, the one the channel is connected to.
        assert channel.privacy_url.startswith(channel.profile_url)


def test_the_practice_saved_reply_on_data_protection_renders_complete(people: People) -> None:
    unit = _practice_unit(people.community_manager)
    channel = Channel.objects.filter(unit=unit).first()
    item = InboxItemFactory(channel=channel, text="Was speichern Sie über mich?")
    saved = SavedReply.objects.get(unit=unit, text__contains="{privacy_url}")
    text = text_fill(saved.text, item)
    assert channel.privacy_url in text
    assert "[privacy_url]" not in text
    assert "{" not in text


def test_setting_up_the_practice_channels_is_audited_as_the_system(people: People) -> None:
    unit = _practice_unit(people.editor)
    entries = AuditEntry.objects.filter(unit=unit, action__startswith="channels.")
    assert {entry.action for entry in entries} >= {
        "channels.channel.created",
        "channels.channel.connected",
        "channels.credentials.changed",
    }
    assert set(entries.values_list("actor_id", "actor_label")) == {(None, "system")}


def test_a_channel_a_person_makes_keeps_their_address_as_its_label(
    org: Org, people: People
) -> None:
    channel = channel_create(
        actor=people.channel_admin, unit=org.press, platform="sandbox", name="Presse"
    )
    entry = AuditEntry.objects.get(action="channels.channel.created", target_id=str(channel.pk))
    assert entry.actor_label == people.channel_admin.email
