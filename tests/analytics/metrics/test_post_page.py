# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The post's page shows its figures once it went out: the newest reading per channel in a
table with one sentence above it, "not provided" in words, nothing before any reading."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import published
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import PostFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _page(client: Any, post: Any) -> str:
    response = client.get(f"/editorial/posts/{post.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_newest_reading_per_channel_is_shown(client_for: Any, org: Org, people: People) -> None:
    post = published(
        [org.press_channel], IN_MARCH, readings={org.press_channel.pk: {"likes": 1234}}
    )
    page = _page(client_for(people.editor), post)
    section = page[page.index("data-post-metrics") :]
    assert "1.234" in section  # likes, German grouping
    assert 'class="not-provided"' in section  # reach: not provided, in words
    assert "<caption" in section and 'scope="col"' in section


def test_nothing_before_the_post_went_out(client_for: Any, org: Org, people: People) -> None:
    post = PostFactory(unit=org.press, channels=[org.press_channel])
    assert "data-post-metrics" not in _page(client_for(people.editor), post)


def test_a_channel_not_read_yet_has_no_row(client_for: Any, org: Org, people: People) -> None:
    post = published([org.press_channel], IN_MARCH)
    page = _page(client_for(people.editor), post)
    section = page[page.index("data-post-metrics") :]
    assert "not-provided" not in section.split("</section>")[0]


def test_only_the_channels_the_reader_reads(client_for: Any, org: Org) -> None:
    team = UserFactory(email="team@stadt.example", roles=[(org.social, Role.EDITOR)])
    post = published(
        [org.press_channel, org.social_channel],
        IN_MARCH,
        readings={org.press_channel.pk: {"likes": 1111}, org.social_channel.pk: {"likes": 2222}},
    )
    post.unit = org.social
    post.save()
    section = _page(client_for(team), post).split("data-post-metrics")[1].split("</section>")[0]
    assert "2.222" in section and "1.111" not in section
