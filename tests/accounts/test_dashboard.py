# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The dashboard ("my work"): each role gets its panels, and the page costs a bounded number
of queries whatever the amount of data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.dashboard import dashboard_panels_for
from accounts.models import Role
from accounts.models import User
from accounts.services import role_assign
from editorial.models import Post
from editorial.models import PostVariant
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import PostFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# Every panel of every role at once (one person holding all roles), session and
# second-factor checks and the navigation included.
MAX_QUERIES = 36

ClientFor = Callable[[User], Client]

EVERYONE = ["notifications", "roles"]
# A new person of any role: the onboarding checklist comes first, until it is done.
CHECKLIST = ["checklist"]
PANELS = {
    "editor": [*CHECKLIST, "my_posts", "schedule", "publishing_problems", *EVERYONE],
    "approver": [*CHECKLIST, "approvals", *EVERYONE],
    "community_manager": [*CHECKLIST, "inbox", *EVERYONE],
    "channel_admin": [*CHECKLIST, "channels_expiring", *EVERYONE],
    "auditor": [*CHECKLIST, "audit", *EVERYONE],
    "system_admin": [*CHECKLIST, "audit", *EVERYONE],
}


@pytest.mark.parametrize("role", sorted(PANELS))
def test_each_role_gets_its_panels(role: str, people: People) -> None:
    assert [panel.name for panel in dashboard_panels_for(getattr(people, role))] == PANELS[role]


@pytest.mark.parametrize("role", sorted(PANELS))
def test_the_dashboard_shows_the_panels(role: str, people: People, client_for: ClientFor) -> None:
    html = client_for(getattr(people, role)).get("/").content.decode()
    for name in PANELS[role]:
        assert f'aria-labelledby="panel-{name}-heading"' in html


def _everyone(org: Org) -> User:
    """One person with every role in the Presseamt: every panel, each with data."""
    from tests.factories import UserFactory

    user = UserFactory(email="alle@stadt.example")
    for role in Role.values:
        role_assign(actor=None, user=user, unit=org.press, role=role, notify_user=False)
    return user


def _work(org: Org, people: People, user: User, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        PostFactory(unit=org.press, author=user, status=Post.Status.DRAFT)
        PostFactory(unit=org.press, author=user, status=Post.Status.REJECTED)
        PostFactory(
            unit=org.press,
            author=people.editor,
            status=Post.Status.IN_REVIEW,
            channels=[org.press_channel],
        )
        PostFactory(
            unit=org.press,
            author=people.editor,
            status=Post.Status.SCHEDULED,
            planned_at=now + timedelta(minutes=5 + i),
            channels=[org.press_channel],
            channels__status=PostVariant.Status.SCHEDULED,
        )
        PostFactory(
            unit=org.press,
            author=people.editor,
            status=Post.Status.FAILED,
            planned_at=now - timedelta(hours=1),
            channels=[org.press_channel],
            channels__status=PostVariant.Status.FAILED,
        )
        InboxItemFactory(channel=org.press_channel, response_due_at=now - timedelta(hours=1))
    org.press_channel.access_expires_at = now + timedelta(days=2)
    org.press_channel.status = org.press_channel.Status.ACTIVE
    org.press_channel.save()


def _queries_of_dashboard(user: User, client_for: ClientFor) -> list[str]:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return [q["sql"] for q in queries]


def test_the_dashboard_costs_the_same_whatever_the_data(
    org: Org, people: People, client_for: ClientFor
) -> None:
    user = _everyone(org)
    _work(org, people, user, 1)
    _queries_of_dashboard(user, client_for)  # process-wide caches (content types) filled
    few = _queries_of_dashboard(user, client_for)
    _work(org, people, user, 6)
    assert InboxItem.objects.count() == 7
    many = _queries_of_dashboard(user, client_for)
    assert len(many) == len(few)
    assert len(few) <= MAX_QUERIES
