# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A practice space a beginner can start in at once (issue 15): it is seeded from the starter
library with the Netiquette (published), saved replies and a post template, by the system
(nothing ticked on the checklist), idempotently, also for a space made before the seeding
existed (at the next switch on), and never for a real unit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import TrainingCompletion
from accounts.models import User
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from channels_app.models import Channel
from editorial.models import PostTemplate
from editorial.starters.library import post_templates_starter
from editorial.starters.services import post_templates_practice_seed
from moderation.models import Netiquette
from moderation.models import SavedReply
from moderation.netiquette.selectors import netiquette_starter
from moderation.netiquette.services import netiquette_practice_seed
from moderation.replies.selectors import saved_replies_starter
from moderation.replies.services import reply_create
from moderation.replies.services import saved_replies_practice_seed
from tests.accounts.guidance.conftest import practice_space
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

SEEDS = (netiquette_practice_seed, saved_replies_practice_seed, post_templates_practice_seed)


def _practising(user: User) -> OrgUnit:
    practice_mode_set(user=user, active=True)
    unit = practice_unit_for(User.objects.get(pk=user.pk))
    assert unit is not None
    return unit


def _seeded(unit: OrgUnit) -> tuple[int, int, int]:
    """(published Netiquettes, saved replies, post templates) of the unit."""
    return (
        Netiquette.objects.filter(unit=unit, published_at__isnull=False).count(),
        SavedReply.objects.filter(unit=unit).count(),
        PostTemplate.objects.filter(unit=unit).count(),
    )


def test_a_new_practice_space_has_the_starter_netiquette_published(people: People) -> None:
    unit = _practising(people.community_manager)
    netiquette = Netiquette.objects.get(unit=unit)
    assert netiquette.published_at is not None
    starter = netiquette_starter()
    assert netiquette.title == starter.title
    assert netiquette.rules.count() == len(starter.items)


def test_a_new_practice_space_has_the_starter_saved_replies_shared(people: People) -> None:
    unit = _practising(people.community_manager)
    saved = SavedReply.objects.filter(unit=unit)
    assert {s.title for s in saved} == {item["title"] for item in saved_replies_starter().items}
    assert len(saved) == 3
    assert all(s.owner_id is None for s in saved)  # shared: the space's every manager uses them


def test_a_new_practice_space_has_a_starter_post_template(people: People) -> None:
    unit = _practising(people.editor)
    template = PostTemplate.objects.get(unit=unit)
    assert template.name == post_templates_starter().items[0]["name"]
    assert not template.is_emergency


def test_seeding_is_written_by_the_system_and_ticks_nothing(people: People) -> None:
    manager = people.community_manager
    unit = _practising(manager)
    entries = AuditEntry.objects.filter(
        unit=unit,
        action__in=[
            "moderation.netiquette.starter_adopted",
            "moderation.netiquette.published",
            "moderation.replies.saved_reply_created",
            "editorial.template.created",
        ],
    )
    assert entries.count() == 1 + 1 + 3 + 1
    assert set(entries.values_list("actor_id", "actor_label")) == {(None, "system")}
    assert not TrainingCompletion.objects.filter(user=manager).exists()


def test_a_space_made_before_the_seeding_is_topped_up_at_the_next_switch_on(
    people: People,
) -> None:
    editor = people.editor
    unit = practice_space(editor, Role.EDITOR, Role.APPROVER, Role.COMMUNITY_MANAGER)
    assert _seeded(unit) == (0, 0, 0)
    practice_mode_set(user=editor, active=True)
    assert _seeded(unit) == (1, 3, 1)


def test_switching_again_seeds_nothing_twice(people: People) -> None:
    editor = people.editor
    unit = _practising(editor)
    before = AuditEntry.objects.filter(unit=unit).exclude(action__startswith="accounts.").count()
    practice_mode_set(user=User.objects.get(pk=editor.pk), active=False)
    practice_mode_set(user=User.objects.get(pk=editor.pk), active=True)
    assert _seeded(unit) == (1, 3, 1)
    after = AuditEntry.objects.filter(unit=unit).exclude(action__startswith="accounts.").count()
    assert after == before


def test_what_the_person_changed_or_made_themselves_is_left_as_it_is(people: People) -> None:
    editor = people.editor
    unit = practice_space(editor, Role.EDITOR, Role.APPROVER, Role.COMMUNITY_MANAGER)
    own = Netiquette.objects.create(unit=unit, version=1, title="Unsere Regeln")
    first = saved_replies_starter().items[0]["title"]
    SavedReply.objects.create(unit=unit, title=first, text="Mein eigener Text")
    practice_mode_set(user=editor, active=True)
    assert list(Netiquette.objects.filter(unit=unit)) == [own]
    assert own.published_at is None  # a draft of their own stays their draft
    assert SavedReply.objects.get(unit=unit, title=first).text == "Mein eigener Text"
    assert SavedReply.objects.filter(unit=unit).count() == 3


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.__name__)
def test_a_real_unit_is_never_seeded(seed, org: Org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        seed(sender=OrgUnit, unit=org.press)
    assert _seeded(org.press) == (0, 0, 0)


def test_making_a_channel_admins_space_ticks_nothing(people: People) -> None:
    """The practice channels are made and connected by the system: the channel admin's
    "connect a sandbox channel" stays theirs to do."""
    admin = people.channel_admin
    _practising(admin)
    assert not TrainingCompletion.objects.filter(user=admin).exists()


def test_a_beginner_answers_with_a_seeded_saved_reply_at_once(people: People) -> None:
    manager = people.community_manager
    unit = _practising(manager)
    item = InboxItemFactory(channel=Channel.objects.filter(unit=unit).first(), text="Wann?")
    saved = SavedReply.objects.filter(unit=unit).first()
    assert saved is not None
    reply_create(actor=User.objects.get(pk=manager.pk), item=item, text="Danke!", saved_reply=saved)
    assert TrainingCompletion.objects.filter(
        user=manager, item="community_manager.reply_with_saved_reply"
    ).exists()
