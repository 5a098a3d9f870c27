# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import worker_heartbeat_record
from editorial.models import PostVariant
from editorial.models import PublishAttempt
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def late_variant(org: Org, people: People) -> PostVariant:
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Spät",
        text="Text",
        channels=[org.press_channel],
        planned_at=timezone.now() + timedelta(hours=1),
    )
    post_submit(actor=people.editor, post=post)
    post_approve(actor=people.approver, post=post)
    variant = post.variants.get()
    PostVariant.objects.filter(pk=variant.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=5)
    )
    return variant


@pytest.fixture
def page(people: People, late_variant: PostVariant):  # type: ignore[no-untyped-def]
    """The operations page with a late variant, two attempts (one failed) and a live worker."""
    PublishAttempt.objects.create(variant=late_variant, platform="sandbox", outcome="transient")
    PublishAttempt.objects.create(variant=late_variant, platform="sandbox", outcome="published")
    worker_heartbeat_record(hostname="worker-1")
    return login(Client(), people.system_admin).get("/editorial/publishing/")


def test_operations_page_opens_for_system_admins(page) -> None:  # type: ignore[no-untyped-def]
    assert page.status_code == 200


def test_operations_page_counts_the_due_variants(page) -> None:  # type: ignore[no-untyped-def]
    assert page.context["counts"]["due"] == 1


def test_operations_page_lists_late_variants(page, late_variant: PostVariant) -> None:  # type: ignore[no-untyped-def]
    assert [v.pk for v in page.context["late"]] == [late_variant.pk]


def test_operations_page_shows_error_rates_per_platform(page) -> None:  # type: ignore[no-untyped-def]
    rate = page.context["rates"][0]
    assert (rate.platform, rate.attempts, rate.failures) == ("sandbox", 2, 1)


def test_operations_page_shows_live_workers(page) -> None:  # type: ignore[no-untyped-def]
    assert page.context["workers"][0][1] is True
    assert "worker-1" in page.content.decode()


@pytest.mark.parametrize("user", ["editor", "approver", "channel_admin", "auditor"])
def test_operations_page_is_for_system_admins_only(people: People, user: str) -> None:
    assert login(Client(), getattr(people, user)).get("/editorial/publishing/").status_code == 403
