# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Post templates and posts made from them (editorial/post_templates/services.py,
permissions.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.services import post_from_template
from editorial.post_templates.services import post_template_create
from editorial.post_templates.services import post_template_update
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.post_templates.conftest import VALUES
from tests.editorial.post_templates.conftest import actions
from tests.editorial.post_templates.conftest import berlin
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Posts from templates ------------------------------------------------------------------


@pytest.fixture
def post(people: People, template: PostTemplate) -> Post:
    return post_from_template(
        actor=people.editor, template=template, values=VALUES, planned_at=berlin(2026, 3, 3, 8)
    )


def test_post_from_template_is_a_draft_on_the_templates_channels(
    org: Org, post: Post, template: PostTemplate
) -> None:
    assert post.status == Post.Status.DRAFT
    assert post.template == template
    assert [v.channel for v in post.variants.all()] == [org.press_channel]


def test_a_post_from_a_template_has_the_values_filled_in(
    post: Post, template: PostTemplate
) -> None:
    assert post.title == "Sperrung Hauptstraße"
    assert post.text == "Am 3. März ab 9 Uhr ist die Hauptstraße gesperrt. Umleitung über Ring."
    assert post.website_link == template.website_link


def test_a_post_from_a_template_is_audited_with_the_values(
    post: Post, template: PostTemplate
) -> None:
    assert actions(post) == ["editorial.post.created", "editorial.post.created_from_template"]
    entry = AuditEntry.objects.get(action="editorial.post.created_from_template")
    assert entry.data["values"]["ort"] == "Hauptstraße"
    assert actions(template) == ["editorial.template.created"]


def test_post_from_template_refuses_missing_values(people: People, template: PostTemplate) -> None:
    with pytest.raises(ValidationError, match="umleitung"):
        post_from_template(actor=people.editor, template=template, values={"ort": "A"})
    assert not Post.objects.exists()


def test_template_channels_must_be_draftable(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        post_template_create(
            actor=people.editor,
            unit=org.press,
            name="x",
            title="x",
            text="x",
            channels=[org.police_channel],
        )


# --- Emergency templates -------------------------------------------------------------------


@pytest.fixture
def emergency_template(people: People, template: PostTemplate) -> PostTemplate:
    """The template, marked as an emergency template by a channel admin who is no editor."""
    post_template_update(actor=people.channel_admin, template=template, is_emergency=True)
    template.refresh_from_db()
    return template


@pytest.fixture
def editor_and_admin(org: Org) -> User:
    return UserFactory(  # type: ignore[no-any-return]
        roles=[(org.press, Role.EDITOR), (org.press, Role.CHANNEL_ADMIN)]
    )


def test_an_editor_may_not_mark_a_template_as_emergency(
    people: People, template: PostTemplate
) -> None:
    with pytest.raises(PermissionDenied):
        post_template_update(actor=people.editor, template=template, is_emergency=True)


def test_a_channel_admin_may_mark_a_template_as_emergency(
    emergency_template: PostTemplate,
) -> None:
    assert emergency_template.is_emergency


def test_a_channel_admin_may_not_change_the_text(
    people: People, emergency_template: PostTemplate
) -> None:
    with pytest.raises(PermissionDenied):
        post_template_update(actor=people.channel_admin, template=emergency_template, text="Neu")


def test_an_editor_may_not_change_an_emergency_templates_text(
    people: People, emergency_template: PostTemplate
) -> None:
    # The mark vouches for the content: an editor without the admin right may not change it.
    with pytest.raises(PermissionDenied):
        post_template_update(actor=people.editor, template=emergency_template, text="Anders")


def test_an_editor_who_is_also_admin_may_change_an_emergency_templates_text(
    emergency_template: PostTemplate, editor_and_admin: User
) -> None:
    post_template_update(actor=editor_and_admin, template=emergency_template, text="Anders {ort}")
    emergency_template.refresh_from_db()
    assert emergency_template.text == "Anders {ort}"


def test_posts_from_an_emergency_template_are_emergency_posts(
    people: People, emergency_template: PostTemplate
) -> None:
    post = post_from_template(actor=people.editor, template=emergency_template, values=VALUES)
    assert post.is_emergency


def test_updates_of_an_emergency_template_are_audited_with_the_mark(
    emergency_template: PostTemplate, editor_and_admin: User
) -> None:
    post_template_update(actor=editor_and_admin, template=emergency_template, text="Anders {ort}")
    updates = AuditEntry.objects.filter(action="editorial.template.updated").order_by("sequence")
    assert [e.data["after"]["is_emergency"] for e in updates] == [True, True]
