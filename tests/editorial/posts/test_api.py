# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

from typing import Any

import pytest

from accounts.models import AuditEntry
from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _create(api, org: Org, **overrides):  # type: ignore[no-untyped-def]
    payload = {
        "unit": org.press.pk,
        "title": "Hitzewarnung",
        "text": "Heute bis 36 Grad: Bitte viel trinken und Schatten suchen.",
        "channels": [org.press_channel.pk],
        "planned_at": "2030-07-01T09:00:00+02:00",
        **overrides,
    }
    return api.post("/api/v1/posts/", payload, format="json")


@pytest.fixture
def editor(people: People, api_client_for) -> Any:  # type: ignore[no-untyped-def]
    return api_client_for(people.editor)


@pytest.fixture
def approver(people: People, api_client_for) -> Any:  # type: ignore[no-untyped-def]
    return api_client_for(people.approver)


@pytest.fixture
def draft_id(org: Org, editor: Any) -> int:
    return _create(editor, org).json()["id"]


@pytest.fixture
def in_review_id(editor: Any, draft_id: int) -> int:
    editor.post(f"/api/v1/posts/{draft_id}/submit/")
    return draft_id


# --- The review through the API -------------------------------------------------------------


def test_the_api_creates_a_draft(org: Org, editor: Any) -> None:
    response = _create(editor, org)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"


def test_the_api_lists_no_problems_of_a_good_post(editor: Any, draft_id: int) -> None:
    assert editor.get(f"/api/v1/posts/{draft_id}/problems/").json() == []


def test_the_api_submits_for_review(editor: Any, draft_id: int) -> None:
    assert editor.post(f"/api/v1/posts/{draft_id}/submit/").json()["status"] == "in_review"


def test_the_api_lists_the_posts_awaiting_approval(approver: Any, in_review_id: int) -> None:
    assert [p["id"] for p in approver.get("/api/v1/approvals/").json()["results"]] == [in_review_id]


def test_the_authors_own_token_cannot_approve(editor: Any, in_review_id: int) -> None:
    # Four eyes: the author's own token cannot approve.
    assert editor.post(f"/api/v1/posts/{in_review_id}/approve/").status_code == 403


def test_the_api_approves_and_schedules(approver: Any, in_review_id: int) -> None:
    body = approver.post(
        f"/api/v1/posts/{in_review_id}/approve/", {"comment": "ok"}, format="json"
    ).json()
    assert body["status"] == "scheduled"
    assert body["approvals"][0]["is_current"] is True


def test_an_approval_through_the_api_records_the_token_as_actor(
    approver: Any, in_review_id: int
) -> None:
    approver.post(f"/api/v1/posts/{in_review_id}/approve/", {"comment": "ok"}, format="json")
    entry = AuditEntry.objects.get(action="editorial.post.approved")
    assert entry.actor_token is not None  # the API token is recorded as the actor


# --- Refusals -------------------------------------------------------------------------------


def test_times_without_offset_are_refused(org: Org, editor: Any) -> None:
    response = _create(editor, org, planned_at="2030-10-27T02:30:00")
    assert response.status_code == 400
    assert "planned_at" in response.json()
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("user", "overrides"),
    [
        ("editor", lambda org: {"channels": [org.police_channel.pk]}),
        ("editor", lambda org: {"unit": org.police.pk}),
    ],
    ids=["another_authoritys_channel", "another_authoritys_unit"],
)
def test_channels_and_units_of_others_are_refused(
    org: Org, people: People, api_client_for, user: str, overrides
) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(getattr(people, user))
    assert _create(api, org, **overrides(org)).status_code == 400


def test_a_unit_of_another_authority_answers_as_one_that_does_not_exist(
    org: Org, editor: Any
) -> None:
    unknown = _create(editor, org, unit=org.police.pk).json()
    missing = _create(editor, org, unit=999_999).json()
    assert unknown == missing == {"unit": ["Unbekannte Organisationseinheit."]}


def test_a_visible_unit_without_the_editor_role_is_forbidden(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = _create(api_client_for(people.auditor), org)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("user", "method", "status"),
    [
        ("outsider", "get", 404),
        ("outsider", "patch", 404),
        ("auditor", "get", 200),
        ("auditor", "patch", 403),
    ],
    ids=[
        "outsider_does_not_see_it",
        "outsider_cannot_edit_it",
        "auditor_reads_it",
        "auditor_cannot_edit_it",
    ],
)
def test_other_peoples_access_to_a_post(
    people: People, api_client_for, draft_id: int, user: str, method: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(getattr(people, user))
    if method == "get":
        response = api.get(f"/api/v1/posts/{draft_id}/")
    else:
        response = api.patch(f"/api/v1/posts/{draft_id}/", {"text": "x"}, format="json")
    assert response.status_code == status


def test_other_units_posts_are_not_listed(people: People, api_client_for, draft_id: int) -> None:  # type: ignore[no-untyped-def]
    outsider = api_client_for(people.outsider)
    assert all(p["id"] != draft_id for p in outsider.get("/api/v1/posts/").json()["results"])


# --- Variants and moves ---------------------------------------------------------------------


@pytest.fixture
def on_two_channels(org: Org, editor: Any) -> dict:
    return _create(editor, org, channels=[org.press_channel.pk, org.social_channel.pk]).json()


def test_the_api_stores_a_channels_own_text(org: Org, editor: Any, on_two_channels: dict) -> None:
    variant = next(v for v in on_two_channels["variants"] if v["channel"] == org.social_channel.pk)
    response = editor.patch(
        f"/api/v1/posts/{on_two_channels['id']}/variants/{variant['id']}/",
        {"text_override": "Kurzfassung für den Bürgerservice", "media_override": False},
        format="json",
    )
    assert response.status_code == 200
    changed = next(v for v in response.json()["variants"] if v["id"] == variant["id"])
    assert changed["text_override"] == "Kurzfassung für den Bürgerservice"


def test_rescheduling_without_offset_is_refused(editor: Any, on_two_channels: dict) -> None:
    bad = editor.post(
        f"/api/v1/posts/{on_two_channels['id']}/reschedule/",
        {"planned_at": "2030-07-02T10:00:00"},
        format="json",
    )
    assert bad.status_code == 400


def test_rescheduling_moves_the_post(editor: Any, on_two_channels: dict) -> None:
    moved = editor.post(
        f"/api/v1/posts/{on_two_channels['id']}/reschedule/",
        {"planned_at": "2030-07-02T10:00:00+02:00"},
        format="json",
    )
    assert moved.json()["planned_at"].startswith("2030-07-02T10:00:00+02:00")


# --- Discussion -----------------------------------------------------------------------------


def test_a_comment_through_the_api_records_its_mentions(
    people: People, editor: Any, draft_id: int
) -> None:
    response = editor.post(
        f"/api/v1/posts/{draft_id}/comments/",
        {"text": f"@{people.approver.email} Bitte bis 12 Uhr"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["mentions"] == [people.approver.pk]


def test_an_empty_comment_through_the_api_is_refused(editor: Any, draft_id: int) -> None:
    response = editor.post(f"/api/v1/posts/{draft_id}/comments/", {"text": " "}, format="json")
    assert response.status_code == 400
