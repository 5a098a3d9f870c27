"""``manage.py load_demo`` (run by ``make run``): each app's ``demo`` module contributes its
part, bottom layer first, and running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from channels_app.models import Channel
from editorial.models import Post

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def test_demo_data_has_users_connected_sandbox_channels_and_posts() -> None:
    output = _load()
    assert "Demo data loaded." in output
    assert User.objects.filter(email__endswith="@demo.sprachrohr.de").count() == 7
    channels = Channel.objects.filter(name__endswith="(Sandbox)")
    assert channels.count() == 3
    assert {c.status for c in channels} == {Channel.Status.ACTIVE}
    assert set(Post.objects.values_list("status", flat=True)) == {
        Post.Status.DRAFT,
        Post.Status.IN_REVIEW,
        Post.Status.SCHEDULED,
        Post.Status.PUBLISHED,  # past posts with figures (analytics)
    }


def test_loading_the_demo_twice_creates_nothing_new() -> None:
    _load()
    counts = (User.objects.count(), Channel.objects.count(), Post.objects.count())
    _load()
    assert (User.objects.count(), Channel.objects.count(), Post.objects.count()) == counts
