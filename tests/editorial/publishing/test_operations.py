from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import worker_heartbeat_record
from editorial.models import PostVariant, PublishAttempt
from editorial.posts.services import post_approve, post_create, post_submit
from tests.conftest import Org, People, login

pytestmark = pytest.mark.django_db


def _late_variant(org: Org, people: People) -> PostVariant:
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


def test_operations_page_shows_queue_late_posts_workers_and_error_rates(
    org: Org, people: People
) -> None:
    variant = _late_variant(org, people)
    PublishAttempt.objects.create(variant=variant, platform="sandbox", outcome="transient")
    PublishAttempt.objects.create(variant=variant, platform="sandbox", outcome="published")
    worker_heartbeat_record(hostname="worker-1")
    page = login(Client(), people.system_admin).get("/editorial/publishing/")
    assert page.status_code == 200
    assert page.context["counts"]["due"] == 1
    assert [v.pk for v in page.context["late"]] == [variant.pk]
    rate = page.context["rates"][0]
    assert (rate.platform, rate.attempts, rate.failures) == ("sandbox", 2, 1)
    assert page.context["workers"][0][1] is True
    assert "worker-1" in page.content.decode()


def test_operations_page_is_for_system_admins_only(people: People) -> None:
    for user in (people.editor, people.approver, people.channel_admin, people.auditor):
        assert login(Client(), user).get("/editorial/publishing/").status_code == 403
