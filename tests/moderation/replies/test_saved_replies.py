# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Saved replies (Textbausteine): private or shared with the unit and below; placeholders
filled from the item, unknown ones refused; the standard answer to a formal request offered
first; every change audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import SavedReply
from moderation.replies.selectors import saved_replies_for_item
from moderation.replies.selectors import saved_replies_for_user
from moderation.replies.selectors import standard_replies_for
from moderation.replies.services import saved_reply_create
from moderation.replies.services import saved_reply_delete
from moderation.replies.services import saved_reply_update
from moderation.replies.texts import text_fill
from moderation.replies.texts import unknown_placeholders
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _shared(org: Org, people: People, text: str = "Hallo {name}!", **kwargs: object) -> SavedReply:
    return saved_reply_create(
        actor=people.community_manager,
        unit=kwargs.pop("unit", org.press),  # type: ignore[arg-type]
        title=str(kwargs.pop("title", "Gruß")),
        text=text,
        shared=bool(kwargs.pop("shared", True)),
        purpose=str(kwargs.pop("purpose", "")),
    )


def test_placeholders_are_filled_from_the_item(org: Org) -> None:
    author = AuthorFactory(channel=org.press_channel, display_name="Erika", handle="erika")
    item = InboxItemFactory(channel=org.press_channel, author=author)
    filled = text_fill("Hallo {name} ({handle}), {channel} von {unit}: {netiquette_url}", item)
    assert filled.startswith("Hallo Erika (@erika), Stadt Mastodon von Presseamt: ")
    assert filled.endswith(f"/netiquette/{org.press.pk}/")


def test_an_empty_value_shows_what_to_fill_in(item: InboxItem) -> None:
    assert text_fill("Impressum: {impressum_url}", item) == "Impressum: [impressum_url]"


def test_literal_braces_stay(item: InboxItem) -> None:
    assert text_fill("{{name}}", item) == "{name}"


def test_an_unknown_placeholder_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        _shared(org, people, text="Hallo {nmae}!")
    message = caught.value.message_dict["text"][0]
    assert "{nmae}" in message and "{name}" in message
    assert not SavedReply.objects.exists()


def test_creating_is_audited(org: Org, people: People) -> None:
    saved = _shared(org, people)
    entry = AuditEntry.objects.get(action="moderation.replies.saved_reply_created")
    assert entry.target_id == str(saved.pk) and entry.unit == org.press


def test_changing_is_audited_with_before_and_after(org: Org, people: People) -> None:
    saved = _shared(org, people)
    saved_reply_update(actor=people.community_manager, saved=saved, text="Guten Tag {name}!")
    entry = AuditEntry.objects.get(action="moderation.replies.saved_reply_updated")
    assert entry.data["before"]["text"] == "Hallo {name}!"
    assert entry.data["after"]["text"] == "Guten Tag {name}!"


def test_deleting_is_audited(org: Org, people: People) -> None:
    saved = _shared(org, people)
    saved_reply_delete(actor=people.community_manager, saved=saved)
    assert not SavedReply.objects.exists()
    assert AuditEntry.objects.filter(action="moderation.replies.saved_reply_deleted").exists()


def test_a_shared_reply_reaches_the_units_below(org: Org, people: People) -> None:
    saved = _shared(org, people)
    below = UserFactory(roles=[(org.social, Role.COMMUNITY_MANAGER)])
    assert saved in saved_replies_for_user(below)
    item = InboxItemFactory(channel=org.social_channel)
    assert saved in saved_replies_for_item(below, item)


def test_a_private_reply_is_its_owners_only(org: Org, people: People, second_manager: User) -> None:
    saved = _shared(org, people, shared=False)
    assert saved.owner == people.community_manager
    assert saved not in saved_replies_for_user(second_manager)


def test_another_authority_does_not_see_shared_replies(org: Org, people: People) -> None:
    saved = _shared(org, people)
    assert saved not in saved_replies_for_user(people.outsider)


def test_an_auditor_cannot_create(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        saved_reply_create(actor=people.auditor, unit=org.press, title="x", text="y", shared=True)


def test_someone_elses_private_reply_cannot_be_changed(
    org: Org, people: People, second_manager: User
) -> None:
    saved = _shared(org, people, shared=False)
    with pytest.raises(PermissionDenied):
        saved_reply_update(actor=second_manager, saved=saved, title="Meins")


# --- Formal requests ---------------------------------------------------------------------


def _flag(item: InboxItem, code: str) -> Flag:
    return Flag.objects.create(
        item=item, kind=Flag.Kind.FORMAL_REQUEST, code=code, explanation="Widerspruch erkannt"
    )


def test_a_formal_request_gets_the_built_in_standard_reply(item: InboxItem) -> None:
    _flag(item, "objection")
    (standard,) = standard_replies_for(item)
    assert standard.code == "objection" and standard.saved_reply_id is None
    assert "Widerspruch" in standard.text and "{name}" not in standard.text


def test_a_unit_overrides_the_standard_reply(org: Org, people: People, item: InboxItem) -> None:
    _flag(item, "objection")
    own = _shared(
        org, people, text="Bitte schriftlich, {name}.", purpose="formal_request:objection"
    )
    (standard,) = standard_replies_for(item)
    assert standard.saved_reply_id == own.pk
    assert standard.text == f"Bitte schriftlich, {item.author.display_name}."


def test_a_dismissed_flag_offers_nothing(item: InboxItem, people: People) -> None:
    flag = _flag(item, "application")
    flag.dismissed_by = people.community_manager
    from django.utils import timezone

    flag.dismissed_at = timezone.now()
    flag.save()
    assert standard_replies_for(item) == []


def test_a_private_standard_reply_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        _shared(org, people, shared=False, purpose="formal_request:objection")


def test_an_unknown_purpose_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        _shared(org, people, purpose="formal_request:petition")


def test_the_demo_loads_shared_saved_replies_once(org: Org) -> None:
    from moderation.replies import demo

    demo.load({"Presseamt": org.press})
    demo.load({"Presseamt": org.press})
    assert SavedReply.objects.filter(unit=org.press, owner__isnull=True).count() == len(
        demo.SAVED_REPLIES
    )
    for saved in SavedReply.objects.all():
        assert not unknown_placeholders(saved.text)
