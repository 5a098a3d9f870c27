"""Shared helpers and fixtures of the crisis-mode tests: posts at every stage, pauses, audit
trails and an emergency template with its designated approver."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils import translation

from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from editorial.crisis.services import emergency_post_create
from editorial.crisis.services import pause_start
from editorial.models import EditorialPolicy
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import PostVariant
from editorial.models import PublishingPause
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory

S = Post.Status
V = PostVariant.Status

REASON = "Amoklage in der Innenstadt"


def de(text: str) -> str:
    """``text`` as the German interface shows it (the users here read German)."""
    with translation.override("de"):
        return translation.gettext(text)


def make_post(
    org: Org,
    people: People,
    stage: str = "scheduled",
    *,
    planned_at: datetime | None = None,
    channels: list | None = None,
    title: str = "Bürgerbüro Öffnungszeiten",
) -> Post:
    """A post at ``stage``: draft, in_review, approved, scheduled or claimed (a worker has
    claimed its variant as the publishing engine will: status PUBLISHING with claimed_at)."""
    if planned_at is None and stage != "approved":
        planned_at = timezone.now() + timedelta(hours=1)
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title=title,
        text="Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet.",
        planned_at=planned_at,
        channels=channels or [org.press_channel],
    )
    if stage == "draft":
        return post
    post = post_submit(actor=people.editor, post=post)
    if stage == "in_review":
        return post
    post = post_approve(actor=people.approver, post=post)
    if stage == "claimed":
        post.variants.update(status=V.PUBLISHING, claimed_at=timezone.now(), claimed_by="w-1")
        Post.objects.filter(pk=post.pk).update(status=S.PUBLISHING)
    post.refresh_from_db()
    return post


def variant_of(post: Post) -> PostVariant:
    return post.variants.get()


def start_pause(org: Org, people: People, **scope) -> PublishingPause:  # type: ignore[no-untyped-def]
    """The approver of the Presseamt pauses it (or ``scope``) because of an Amoklage."""
    scope = scope or {"unit": org.press}
    return pause_start(actor=people.approver, reason=REASON, **scope)


def audit_actions(target: Post | PublishingPause) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk))
        .filter(target_type__model=target._meta.model_name)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def operator_of_everything(org: Org) -> User:
    """A system admin of both authorities: the only one who may pause the installation."""
    return UserFactory(roles=[(org.city, Role.SYSTEM_ADMIN), (org.police, Role.SYSTEM_ADMIN)])


@pytest.fixture
def emergency(org: Org, people: People) -> tuple[PostTemplate, User]:
    """An emergency template of the Presseamt and a designated emergency approver; the
    unit normally needs two approvals."""
    designated = UserFactory(email="krisenstab@stadt.example", roles=[(org.press, Role.APPROVER)])
    policy = EditorialPolicy.objects.create(unit=org.press, required_approvals=2)
    policy.emergency_approvers.add(designated)
    template = PostTemplate.objects.create(
        unit=org.press,
        name="Warnung",
        kind=PostTemplate.Kind.WARNING,
        title="Warnung {ort}",
        text="Achtung in {ort}: {massnahme}. Weitere Informationen folgen.",
        is_emergency=True,
    )
    template.channels.set([org.press_channel, org.social_channel])
    return template, designated


def make_emergency_post(
    org: Org, people: People, template: PostTemplate, *, ort: str = "Innenstadt"
) -> Post:
    return emergency_post_create(
        actor=people.editor,
        template=template,
        values={"ort": ort, "massnahme": "Bereich meiden"},
        channels=[org.press_channel, org.social_channel],
    )
