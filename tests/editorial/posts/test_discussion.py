# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The discussion of a post: mentions notify only people who can see the post; auditors read
along but do not write."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Notification
from editorial.models import Post
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def draft(make_draft: Callable[..., Post]) -> Post:
    return make_draft()


@pytest.fixture
def mentioning_comment(people: People, draft: Post) -> None:
    """The editor mentions the approver (who can see the post) and an outsider (who cannot)."""
    login(Client(), people.editor).post(
        f"/editorial/posts/{draft.pk}/comments/",
        {"text": f"@{people.approver.email} bitte ansehen, auch @{people.outsider.email}"},
    )


@pytest.mark.usefixtures("mentioning_comment")
def test_a_mention_notifies_somebody_who_can_see_the_post(people: People) -> None:
    assert Notification.objects.filter(
        recipient=people.approver, kind="editorial.mentioned"
    ).exists()


@pytest.mark.usefixtures("mentioning_comment")
def test_a_mention_does_not_notify_somebody_who_cannot_see_the_post(people: People) -> None:
    assert not Notification.objects.filter(recipient=people.outsider).exists()


def test_auditors_read_the_discussion(people: People, draft: Post) -> None:
    assert login(Client(), people.auditor).get(f"/editorial/posts/{draft.pk}/").status_code == 200


def test_auditors_cannot_comment_on_the_page(people: People, draft: Post) -> None:
    response = login(Client(), people.auditor).post(
        f"/editorial/posts/{draft.pk}/comments/", {"text": "Hallo"}
    )
    assert response.status_code == 403
    assert not draft.comments.exists()


def test_auditors_cannot_comment_through_the_api(
    people: People, draft: Post, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.auditor)
    response = api.post(f"/api/v1/posts/{draft.pk}/comments/", {"text": "Hallo"}, format="json")
    assert response.status_code == 403
    assert not draft.comments.exists()
