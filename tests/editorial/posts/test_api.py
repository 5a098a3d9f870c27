from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from editorial.models import Post
from tests.conftest import Org, People

pytestmark = pytest.mark.django_db


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


def test_the_whole_review_through_the_api(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    editor, approver = api_client_for(people.editor), api_client_for(people.approver)
    response = _create(editor, org)
    assert response.status_code == 201, response.json()
    post_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert editor.get(f"/api/v1/posts/{post_id}/problems/").json() == []
    assert editor.post(f"/api/v1/posts/{post_id}/submit/").json()["status"] == "in_review"
    assert [p["id"] for p in approver.get("/api/v1/approvals/").json()["results"]] == [post_id]
    # Four eyes: the author's own token cannot approve.
    assert editor.post(f"/api/v1/posts/{post_id}/approve/").status_code == 403
    body = approver.post(
        f"/api/v1/posts/{post_id}/approve/", {"comment": "ok"}, format="json"
    ).json()
    assert body["status"] == "scheduled"
    assert body["approvals"][0]["is_current"] is True
    entry = AuditEntry.objects.get(action="editorial.post.approved")
    assert entry.actor_token is not None  # the API token is recorded as the actor


def test_times_without_offset_are_refused(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    response = _create(api, org, planned_at="2030-10-27T02:30:00")
    assert response.status_code == 400
    assert "planned_at" in response.json()
    assert not Post.objects.exists()


def test_channels_and_units_of_others_are_refused(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    assert _create(api, org, channels=[org.police_channel.pk]).status_code == 400
    assert _create(api, org, unit=org.police.pk).status_code == 400
    assert _create(api_client_for(people.auditor), org).status_code == 400  # no editor role


def test_other_units_posts_are_404_and_edits_checked(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    post_id = _create(api_client_for(people.editor), org).json()["id"]
    outsider = api_client_for(people.outsider)
    assert outsider.get(f"/api/v1/posts/{post_id}/").status_code == 404
    assert (
        outsider.patch(f"/api/v1/posts/{post_id}/", {"text": "x"}, format="json").status_code == 404
    )
    assert all(p["id"] != post_id for p in outsider.get("/api/v1/posts/").json()["results"])
    auditor = api_client_for(people.auditor)
    assert auditor.get(f"/api/v1/posts/{post_id}/").status_code == 200
    assert (
        auditor.patch(f"/api/v1/posts/{post_id}/", {"text": "x"}, format="json").status_code == 403
    )


def test_reschedule_and_variant_override(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    post = _create(api, org, channels=[org.press_channel.pk, org.social_channel.pk]).json()
    variant = next(v for v in post["variants"] if v["channel"] == org.social_channel.pk)
    response = api.patch(
        f"/api/v1/posts/{post['id']}/variants/{variant['id']}/",
        {"text_override": "Kurzfassung für den Bürgerservice", "media_override": False},
        format="json",
    )
    assert response.status_code == 200
    changed = next(v for v in response.json()["variants"] if v["id"] == variant["id"])
    assert changed["text_override"] == "Kurzfassung für den Bürgerservice"
    bad = api.post(
        f"/api/v1/posts/{post['id']}/reschedule/",
        {"planned_at": "2030-07-02T10:00:00"},
        format="json",
    )
    assert bad.status_code == 400
    moved = api.post(
        f"/api/v1/posts/{post['id']}/reschedule/",
        {"planned_at": "2030-07-02T10:00:00+02:00"},
        format="json",
    )
    assert moved.json()["planned_at"].startswith("2030-07-02T10:00:00+02:00")


def test_discussion_through_the_api(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    api = api_client_for(people.editor)
    post_id = _create(api, org).json()["id"]
    response = api.post(
        f"/api/v1/posts/{post_id}/comments/",
        {"text": f"@{people.approver.email} Bitte bis 12 Uhr"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["mentions"] == [people.approver.pk]
    assert (
        api.post(f"/api/v1/posts/{post_id}/comments/", {"text": " "}, format="json").status_code
        == 400
    )
