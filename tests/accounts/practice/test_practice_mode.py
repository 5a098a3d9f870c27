# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Practice mode: the practice space made on first use, the switch, the scoping of roles and
channels, the banner (issue 15)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_home_unit
from accounts.selectors import user_is_root_level
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.selectors import channels_for_user
from channels_app.services import channel_create
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _fresh(user):  # type: ignore[no-untyped-def]
    """The user as the next request loads it (no memo)."""
    return type(user).objects.get(pk=user.pk)


def test_first_switch_on_makes_a_practice_unit_of_its_own(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    unit = practice_unit_for(_fresh(people.editor))
    assert unit is not None
    assert unit.parent_id is None
    assert unit.path == f"/{unit.pk}/"
    assert unit.practice_of_id == people.editor.pk
    assert not OrgUnit.objects.filter(path__startswith=org.city.path, pk=unit.pk).exists()


def test_everyone_practises_editor_approver_and_community_manager(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    unit = practice_unit_for(_fresh(people.editor))
    roles = set(
        RoleAssignment.objects.filter(user=people.editor, unit=unit).values_list("role", flat=True)
    )
    assert roles == {Role.EDITOR, Role.APPROVER, Role.COMMUNITY_MANAGER}


def test_channel_admins_also_practise_their_own_role(org: Org, people: People) -> None:
    practice_mode_set(user=people.channel_admin, active=True)
    unit = practice_unit_for(_fresh(people.channel_admin))
    assert RoleAssignment.objects.filter(
        user=people.channel_admin, unit=unit, role=Role.CHANNEL_ADMIN
    ).exists()


def test_the_practice_space_has_a_connected_sandbox_channel_per_platform_used(
    org: Org, people: People
) -> None:
    practice_mode_set(user=people.editor, active=True)
    unit = practice_unit_for(_fresh(people.editor))
    channels = list(Channel.objects.filter(unit=unit))
    assert channels
    assert {c.platform for c in channels} == {Platform.SANDBOX}
    assert all(c.status == Channel.Status.ACTIVE for c in channels)
    # The fixture's channels are all Mastodon: one practice channel for it.
    assert len(channels) == len(
        set(
            Channel.objects.filter(unit__path__startswith=org.city.path).values_list(
                "platform", flat=True
            )
        )
    )


def test_a_practice_space_takes_no_channel_of_a_real_platform(org: Org, people: People) -> None:
    practice_mode_set(user=people.channel_admin, active=True)
    unit = practice_unit_for(_fresh(people.channel_admin))
    with pytest.raises(ValidationError):
        channel_create(
            actor=people.channel_admin,
            unit=unit,
            platform=Platform.MASTODON,
            name="Echt",
            base_url="https://social.example",
        )


def test_a_simulated_colleague_reviews_in_the_practice_space(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    colleague = practice_colleague_for(people.editor)
    assert colleague is not None
    assert not colleague.has_usable_password()
    unit = practice_unit_for(_fresh(people.editor))
    assert set(RoleAssignment.objects.filter(user=colleague).values_list("unit", "role")) == {
        (unit.pk, Role.EDITOR),
        (unit.pk, Role.APPROVER),
    }


def test_switching_is_audited_and_read_back_from_the_audit_log(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    assert practice_mode_on(_fresh(people.editor))
    practice_mode_set(user=people.editor, active=False)
    assert not practice_mode_on(_fresh(people.editor))
    actions = list(
        AuditEntry.objects.filter(actor=people.editor, action__startswith="accounts.practice.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "accounts.practice.provisioned",
        "accounts.practice.started",
        "accounts.practice.ended",
    ]


def test_switching_to_the_same_state_writes_nothing(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    before = AuditEntry.objects.count()
    practice_mode_set(user=_fresh(people.editor), active=True)
    assert AuditEntry.objects.count() == before


def test_in_practice_mode_only_the_practice_unit_counts(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    editor = _fresh(people.editor)
    unit = practice_unit_for(editor)
    assert unit_ids_for_roles(editor, [Role.EDITOR]) == {unit.pk}
    assert {c.unit_id for c in channels_for_user(editor)} == {unit.pk}


def test_out_of_practice_mode_the_practice_unit_does_not_count(org: Org, people: People) -> None:
    practice_mode_set(user=people.editor, active=True)
    practice_mode_set(user=_fresh(people.editor), active=False)
    editor = _fresh(people.editor)
    unit = practice_unit_for(editor)
    assert unit.pk not in unit_ids_for_roles(editor, Role.values)
    assert not channels_for_user(editor).filter(unit=unit).exists()
    assert channels_for_user(editor).filter(unit=org.press).exists()


def test_the_practice_unit_is_never_the_home_unit_nor_a_root_level_role(
    org: Org, people: People
) -> None:
    practice_mode_set(user=people.editor, active=True)
    editor = _fresh(people.editor)
    assert user_home_unit(editor) == org.press
    assert not user_is_root_level(editor, [Role.EDITOR])


def test_the_banner_shows_on_every_page_while_practice_mode_is_on(
    org: Org, people: People, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.editor)
    assert b"data-practice-banner" not in client.get("/channels/").content
    response = client.post("/accounts/practice/", {"active": "1"})
    assert response.status_code == 302
    assert b"data-practice-banner" in client.get("/channels/").content
    assert b"data-practice-banner" in client.get("/accounts/practice/").content
    client.post("/accounts/practice/", {"active": "0"})
    assert b"data-practice-banner" not in client.get("/channels/").content


def test_the_practice_page_lists_the_practice_channels(
    org: Org, people: People, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.editor)
    client.post("/accounts/practice/", {"active": "1"})
    response = client.get("/accounts/practice/")
    assert response.status_code == 200
    unit = practice_unit_for(_fresh(people.editor))
    for channel in Channel.objects.filter(unit=unit):
        assert f'data-practice-channel="{channel.pk}"'.encode() in response.content


def test_the_api_reads_and_switches_practice_mode(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.editor)
    assert client.get("/api/v1/practice/").json()["active"] is False
    response = client.put("/api/v1/practice/", {"active": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["active"] is True
    assert body["unit"] == practice_unit_for(_fresh(people.editor)).pk
    assert client.get("/api/v1/practice/").json()["active"] is True


def test_the_api_refuses_a_state_that_is_not_a_truth_value(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.editor).put("/api/v1/practice/", {"active": 3}, format="json")
    assert response.status_code == 400


def test_practice_posts_are_marked_as_practice(org: Org, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    from editorial.models import Post

    client = client_for(people.editor)
    client.post("/accounts/practice/", {"active": "1"})
    post = Post.objects.get(unit=practice_unit_for(_fresh(people.editor)))
    assert b"data-practice-badge" in client.get(f"/editorial/posts/{post.pk}/").content


def test_real_posts_are_not_marked_as_practice(org: Org, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    from editorial.posts.services import post_create

    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Echt",
        text="Text.",
        channels=[org.press_channel],
    )
    page = client_for(people.editor).get(f"/editorial/posts/{post.pk}/")
    assert page.status_code == 200
    assert b"data-practice-badge" not in page.content
