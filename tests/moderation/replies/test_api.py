# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The replies API: community managers write, auditors read, another authority's items and
replies answer 404, anonymous callers are refused; four eyes, retry and saved replies."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.services import reply_create
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

R = Reply.Status


def _replies_url(item: InboxItem) -> str:
    return reverse("replies_api:item-replies", args=[item.pk])


def test_a_community_manager_writes_a_reply(
    item: InboxItem, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        _replies_url(item), {"text": "Ja, auch dann."}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == R.QUEUED
    assert response.json()["idempotency_key"] == str(Reply.objects.get().idempotency_key)


def test_a_too_long_reply_is_a_400_with_the_reason(
    item: InboxItem, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        _replies_url(item), {"text": "a" * 1001}, format="json"
    )
    assert response.status_code == 400
    assert "1000" in response.json()["text"][0]


def test_an_auditor_reads(item: InboxItem, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    reply_create(actor=people.community_manager, item=item, text="Ja.")
    response = api_client_for(people.auditor).get(_replies_url(item))
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Ja."]


def test_an_auditor_cannot_write(item: InboxItem, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.auditor).post(
        _replies_url(item), {"text": "Ja."}, format="json"
    )
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_another_authority_gets_404(item: InboxItem, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    client = api_client_for(people.outsider)
    assert client.get(_replies_url(item)).status_code == 404
    assert client.post(_replies_url(item), {"text": "x"}, format="json").status_code == 404
    assert client.get(reverse("replies_api:reply-detail", args=[reply.pk])).status_code == 404
    approve = reverse("replies_api:reply-approve", args=[reply.pk])
    assert client.post(approve).status_code == 404


def test_anonymous_is_refused(item: InboxItem) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get(_replies_url(item)).status_code in (401, 403)


def test_the_author_cannot_approve_through_the_api(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    api_client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:reply-approve", args=[reply.pk])
    )
    assert response.status_code == 403
    assert Reply.objects.get(pk=reply.pk).status == R.AWAITING_APPROVAL


def test_another_manager_rejects_through_the_api(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    second_manager: User,
    api_client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    response = api_client_for(second_manager).post(
        reverse("replies_api:reply-reject", args=[reply.pk]),
        {"reason": "Zu knapp."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == R.REJECTED
    assert response.json()["text"] == "Ja." and response.json()["rejection_reason"] == "Zu knapp."


def test_retry_is_for_failed_replies_only(item: InboxItem, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    url = reverse("replies_api:reply-retry", args=[reply.pk])
    client = api_client_for(people.community_manager)
    assert client.post(url).status_code == 400
    Reply.objects.filter(pk=reply.pk).update(status=R.FAILED, attempts=8, last_error="HTTP 500")
    response = client.post(url)
    assert response.status_code == 200
    retried = Reply.objects.get(pk=reply.pk)
    assert retried.status == R.QUEUED and retried.attempts == 0
    assert retried.idempotency_key == reply.idempotency_key


def test_an_auditor_cannot_retry(item: InboxItem, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    Reply.objects.filter(pk=reply.pk).update(status=R.FAILED)
    url = reverse("replies_api:reply-retry", args=[reply.pk])
    assert api_client_for(people.auditor).post(url).status_code == 403


def test_a_checked_reply_is_marked_sent(item: InboxItem, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    reply = reply_create(actor=people.community_manager, item=item, text="Ja.")
    Reply.objects.filter(pk=reply.pk).update(status=R.NEEDS_CHECK)
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:reply-resolve", args=[reply.pk]),
        {"found": True, "remote_url": "https://sandbox.example/r/1"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == R.SENT
    assert InboxItem.objects.get(pk=item.pk).status == InboxItem.Status.ANSWERED


# --- Saved replies --------------------------------------------------------------------------


def test_saved_reply_crud(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.community_manager)
    url = reverse("replies_api:saved-reply-list")
    created = client.post(
        url,
        {"unit": org.press.pk, "title": "Gruß", "text": "Hallo {name}!", "shared": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    detail = reverse("replies_api:saved-reply-detail", args=[created.json()["id"]])
    assert client.patch(detail, {"title": "Gruß 2"}, format="json").json()["title"] == "Gruß 2"
    assert [s["title"] for s in client.get(url).json()["results"]] == ["Gruß 2"]
    assert client.delete(detail).status_code == 204
    assert not SavedReply.objects.exists()


def test_a_saved_reply_of_whitespace_alone_is_refused(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:saved-reply-list"),
        {"unit": org.press.pk, "title": "Leer", "text": " \n\u001d"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"text"}


def test_a_saved_replys_text_keeps_its_leading_whitespace(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:saved-reply-list"),
        {"unit": org.press.pk, "title": "Eingerückt", "text": "\n  Hallo!"},
        format="json",
    )
    assert response.json()["text"] == "\n  Hallo!"


def test_an_unknown_placeholder_is_a_400(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:saved-reply-list"),
        {"unit": org.press.pk, "title": "Gruß", "text": "Hallo {vorname}!"},
        format="json",
    )
    assert response.status_code == 400
    assert "{vorname}" in response.json()["text"][0]


def test_an_auditor_reads_but_does_not_write_saved_replies(
    org: Org,
    people: People,
    api_client_for,  # type: ignore[no-untyped-def]
) -> None:
    SavedReply.objects.create(unit=org.press, title="Gruß", text="Hallo!")
    client = api_client_for(people.auditor)
    url = reverse("replies_api:saved-reply-list")
    assert [s["title"] for s in client.get(url).json()["results"]] == ["Gruß"]
    response = client.post(url, {"unit": org.press.pk, "title": "x", "text": "y"}, format="json")
    assert response.status_code == 403


def test_another_authoritys_saved_reply_is_404(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    saved = SavedReply.objects.create(unit=org.press, title="Gruß", text="Hallo!")
    detail = reverse("replies_api:saved-reply-detail", args=[saved.pk])
    assert api_client_for(people.outsider).get(detail).status_code == 404


def test_the_endpoints_are_in_the_schema(people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    schema = api_client_for(people.community_manager).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/inbox-items/{item_pk}/replies/",
        "/api/v1/replies/{id}/",
        "/api/v1/replies/{id}/approve/",
        "/api/v1/replies/{id}/reject/",
        "/api/v1/replies/{id}/retry/",
        "/api/v1/replies/{id}/resolve/",
        "/api/v1/saved-replies/",
        "/api/v1/saved-replies/{id}/",
    ):
        assert path in schema["paths"], path


def test_the_reply_list_stays_o_page(
    item: InboxItem,
    people: People,
    api_client_for,  # type: ignore[no-untyped-def]
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = api_client_for(people.auditor)
    reply_create(actor=people.community_manager, item=item, text="Eins")
    client.get(_replies_url(item))
    with django_assert_max_num_queries(30) as few:
        client.get(_replies_url(item))
    for number in range(10):
        reply_create(actor=people.community_manager, item=item, text=f"Mehr {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_replies_url(item))
    assert response.json()["count"] == 11


def test_someone_elses_private_saved_reply_cannot_be_used(
    org: Org,
    item: InboxItem,
    people: People,
    second_manager: User,
    api_client_for,  # type: ignore[no-untyped-def]
) -> None:
    private = SavedReply.objects.create(
        unit=org.press, owner=second_manager, title="Meins", text="Hallo!"
    )
    response = api_client_for(people.community_manager).post(
        _replies_url(item), {"text": "Hallo!", "saved_reply": private.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Reply.objects.exists()


def test_text_for_a_boolean_in_json_is_refused(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:saved-reply-list"),
        {"unit": org.press.pk, "title": "Gruß", "text": "Hallo!", "shared": "true"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"shared"}


def test_a_form_still_sends_a_boolean_as_text(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        reverse("replies_api:saved-reply-list"),
        {"unit": org.press.pk, "title": "Gruß", "text": "Hallo!", "shared": "false"},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["shared"] is False
