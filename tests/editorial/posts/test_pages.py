# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The post pages: who may open which, the approval queue, the live preview, and lists whose
number of queries does not grow with the posts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.mark.parametrize(
    ("user", "page", "status"),
    [
        ("editor", "/editorial/posts/{pk}/", 200),
        ("auditor", "/editorial/posts/{pk}/", 200),
        ("outsider", "/editorial/posts/{pk}/", 404),
        ("auditor", "/editorial/posts/{pk}/edit/", 403),
        ("auditor", "/editorial/posts/new/", 403),
        ("editor", "/editorial/approvals/", 403),
    ],
    ids=[
        "editor_reads_the_post",
        "auditor_reads_the_post",
        "outsider_does_not_see_the_post",
        "auditor_cannot_edit",
        "auditor_cannot_create",
        "editor_has_no_approval_queue",
    ],
)
def test_who_may_open_which_post_page(
    people: People, in_review: Post, user: str, page: str, status: int
) -> None:
    client = login(Client(), getattr(people, user))
    assert client.get(page.format(pk=in_review.pk)).status_code == status


def test_the_approval_queue_lists_the_posts_in_review(people: People, in_review: Post) -> None:
    queue = login(Client(), people.approver).get("/editorial/approvals/")
    assert [p.pk for p in queue.context["page"]] == [in_review.pk]


def test_approving_on_the_page_schedules_the_post(people: People, in_review: Post) -> None:
    login(Client(), people.approver).post(
        f"/editorial/posts/{in_review.pk}/approve/", {"comment": "Gut"}
    )
    assert Post.objects.get(pk=in_review.pk).status == Post.Status.SCHEDULED


def test_an_approved_post_leaves_the_approval_queue(people: People, approved: Post) -> None:
    assert not login(Client(), people.approver).get("/editorial/approvals/").context["page"]


# --- Live preview ---------------------------------------------------------------------------


@pytest.fixture
def preview(org: Org, people: People) -> dict:
    response = login(Client(), people.editor).post(
        "/editorial/posts/preview/",
        {
            "unit": org.press.pk,
            "text": "Wir 🎉 feiern #stadtfestmusterstadt " + "a" * 990,
            "channels": [org.press_channel.pk],
        },
    )
    return response.json()


def test_the_live_preview_shows_the_channels_limit(preview: dict) -> None:
    assert preview["channels"][0]["limit"] == 1000


def test_the_live_preview_lists_the_problems(preview: dict) -> None:
    codes = {p["code"] for p in preview["problems"]}
    assert {"text_too_long", "hashtag_camelcase", "emoji_mid_sentence"} <= codes


def test_the_live_preview_shows_nothing_for_another_authoritys_unit(
    org: Org, people: People
) -> None:
    foreign = login(Client(), people.editor).post(
        "/editorial/posts/preview/", {"unit": org.police.pk, "text": "x"}
    )
    assert foreign.json() == {"channels": [], "problems": []}


# --- Lists ----------------------------------------------------------------------------------


def _open_the_lists(client: Client) -> Client:
    client.get("/editorial/posts/")
    client.get("/editorial/approvals/")
    return client


def test_lists_take_a_bounded_number_of_queries(
    people: People, make_in_review: Callable[..., Post], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), people.approver)
    for i in range(3):
        make_in_review(title=f"Beitrag {i}")
    with django_assert_max_num_queries(40):
        _open_the_lists(client)


def test_lists_use_a_constant_number_of_queries(
    org: Org, people: People, make_in_review: Callable[..., Post], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), people.approver)
    for i in range(3):
        make_in_review(title=f"Beitrag {i}")
    with CaptureQueriesContext(connection) as few:
        _open_the_lists(client)
    for i in range(25):
        make_in_review(title=f"Mehr {i}", channels=[org.press_channel, org.social_channel])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/editorial/posts/")
        client.get("/editorial/approvals/")
    assert len(page.context["page"]) == 28
