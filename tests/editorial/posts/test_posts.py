from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Notification, Role
from editorial.common.content import post_content_hash
from editorial.common.timeutil import berlin_to_aware
from editorial.models import EditorialPolicy, MediaAsset, Post, PostVariant
from editorial.posts.services import (
    approvals_expire,
    post_approve,
    post_create,
    post_reject,
    post_reschedule,
    post_submit,
    post_update,
    variant_update,
)
from editorial.posts.status import TransitionError
from tests.conftest import Org, People, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOMORROW = timezone.now() + timedelta(days=1)


def _draft(org: Org, people: People, **kwargs) -> Post:  # type: ignore[no-untyped-def]
    values = {
        "title": "Bürgerbüro Öffnungszeiten",
        "text": "Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet.",
        "channels": [org.press_channel],
        "planned_at": TOMORROW,
        **kwargs,
    }
    return post_create(actor=people.editor, unit=org.press, **values)


def _image(org: Org, alt_text: str = "") -> MediaAsset:
    return MediaAsset.objects.create(
        unit=org.press,
        file="media/rathaus.jpg",
        original_name="rathaus.jpg",
        kind="image",
        mime_type="image/jpeg",
        size=1000,
        sha256="a" * 64,
        width=10,
        height=10,
        alt_text=alt_text,
    )


def _in_review(org: Org, people: People, **kwargs) -> Post:  # type: ignore[no-untyped-def]
    post = _draft(org, people, **kwargs)
    return post_submit(actor=people.editor, post=post)


def test_the_author_can_never_approve_their_own_post(org: Org, people: People) -> None:
    both = UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.APPROVER)])
    post = post_create(
        actor=both, unit=org.press, title="Eigen", text="Text", channels=[org.press_channel]
    )
    post_submit(actor=both, post=post)
    with pytest.raises(PermissionDenied):
        post_approve(actor=both, post=post)
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW
    client = login(Client(), both)
    client.post(f"/editorial/posts/{post.pk}/approve/")
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW


def test_approval_schedules_the_post_and_pins_the_content(org: Org, people: People) -> None:
    post = _in_review(org, people)
    post_approve(actor=people.approver, post=post, comment="Passt.")
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert post.approved_hash == post_content_hash(post)
    variant = post.variants.get()
    assert variant.status == PostVariant.Status.SCHEDULED
    assert variant.scheduled_at == post.planned_at
    assert AuditEntry.objects.filter(
        action="editorial.post.approved", actor=people.approver
    ).exists()
    assert Notification.objects.filter(
        recipient=people.editor, kind="editorial.post_approved"
    ).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"text": "Das Bürgerbüro hat am Freitag bis 17 Uhr geöffnet."},
        {"website_link": "https://www.musterstadt.example/buergerbuero"},
        {"channels": "both"},
    ],
)
def test_an_edit_after_approval_returns_to_review(org: Org, people: People, change) -> None:  # type: ignore[no-untyped-def]
    post = _in_review(org, people)
    post_approve(actor=people.approver, post=post)
    if change.get("channels") == "both":
        change = {"channels": [org.press_channel, org.social_channel]}
    post_update(actor=people.editor, post=Post.objects.get(pk=post.pk), **change)
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert post.approved_hash == ""
    assert not post.approvals.filter(is_current=True).exists()
    assert not post.variants.filter(status=PostVariant.Status.SCHEDULED).exists()
    assert AuditEntry.objects.filter(action="editorial.post.returned_to_review").exists()


def test_a_changed_alt_text_or_channel_text_returns_to_review(org: Org, people: People) -> None:
    image = _image(org, alt_text="Das Rathaus von Musterstadt im Sonnenschein")
    post = _in_review(org, people, media_ids=[image.pk])
    post_approve(actor=people.approver, post=post)
    MediaAsset.objects.filter(pk=image.pk).update(alt_text="Ein anderes Bild")
    # The hash covers alt text: the approved content no longer matches.
    assert post_content_hash(post) != Post.objects.get(pk=post.pk).approved_hash
    post = Post.objects.get(pk=post.pk)
    variant_update(
        actor=people.editor,
        variant=post.variants.get(),
        text_override="Nur für Mastodon: Freitag bis 18 Uhr!",
        media_override=False,
    )
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW


def test_moving_an_approved_post_keeps_the_approval_and_is_audited(
    org: Org, people: People
) -> None:
    post = _in_review(org, people)
    post_approve(actor=people.approver, post=post)
    later = TOMORROW + timedelta(hours=3)
    post_reschedule(actor=people.editor, post=post, planned_at=later)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert post.approvals.filter(is_current=True).count() == 1
    assert post.variants.get().scheduled_at == later
    entry = AuditEntry.objects.filter(action="editorial.post.rescheduled").latest("sequence")
    assert entry.data["kept_approval"] is True
    # The internal title is not published either: renaming keeps the approval.
    post_update(actor=people.editor, post=post, title="Neuer interner Titel")
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED


def test_units_can_require_several_approvals(org: Org, people: People) -> None:
    EditorialPolicy.objects.create(unit=org.city, required_approvals=2)
    second = UserFactory(roles=[(org.press, Role.APPROVER)])
    post = _in_review(org, people)
    post_approve(actor=people.approver, post=post)
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW
    with pytest.raises(ValidationError):
        post_approve(actor=people.approver, post=post)  # the same person twice counts once
    post_approve(actor=second, post=post)
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED


def test_approvers_of_other_channels_cannot_approve(org: Org, people: People) -> None:
    police_approver = UserFactory(roles=[(org.police, Role.APPROVER)])
    post = _in_review(org, people)
    with pytest.raises(PermissionDenied):
        post_approve(actor=police_approver, post=post)
    with pytest.raises(PermissionDenied):
        post_approve(actor=people.community_manager, post=post)


def test_rejection_needs_a_reason_and_goes_back_to_the_author(org: Org, people: People) -> None:
    post = _in_review(org, people)
    with pytest.raises(ValidationError):
        post_reject(actor=people.approver, post=post, reason="  ")
    post_reject(actor=people.approver, post=post, reason="Bitte Uhrzeit prüfen.")
    post.refresh_from_db()
    assert post.status == Post.Status.REJECTED
    assert post.rejection_reason == "Bitte Uhrzeit prüfen."
    assert Notification.objects.filter(
        recipient=people.editor, kind="editorial.post_rejected"
    ).exists()
    post_submit(actor=people.editor, post=post)  # reworked and sent again
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW


def test_an_image_without_alt_text_cannot_go_to_review(org: Org, people: People) -> None:
    post = _draft(org, people, media_ids=[_image(org).pk])
    with pytest.raises(ValidationError) as error:
        post_submit(actor=people.editor, post=post)
    assert any(
        "alt" in message.lower() or "alternativ" in message.lower()
        for message in error.value.messages
    )
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT


def test_text_over_the_platform_limit_blocks_review(org: Org, people: People) -> None:
    post = _draft(org, people, text="x" * 1001)  # the sandbox allows 1,000 graphemes
    with pytest.raises(ValidationError):
        post_submit(actor=people.editor, post=post)


def test_a_unit_can_require_a_website_link(org: Org, people: People) -> None:
    EditorialPolicy.objects.create(unit=org.press, require_website_link=True)
    post = _draft(org, people)
    with pytest.raises(ValidationError):
        post_submit(actor=people.editor, post=post)
    post_update(actor=people.editor, post=post, website_link="https://www.musterstadt.example/a")
    post_submit(actor=people.editor, post=Post.objects.get(pk=post.pk))


def test_approvals_expire_after_the_units_period(org: Org, people: People) -> None:
    EditorialPolicy.objects.create(unit=org.press, approval_valid_days=7)
    post = _in_review(org, people, planned_at=timezone.now() + timedelta(days=30))
    post_approve(actor=people.approver, post=post)
    assert approvals_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert approvals_expire() == 1
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert AuditEntry.objects.filter(action="editorial.post.approval_expired").exists()


def test_published_posts_cannot_be_edited(org: Org, people: People) -> None:
    post = _in_review(org, people)
    post_approve(actor=people.approver, post=post)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    with pytest.raises(TransitionError):
        post_update(actor=people.editor, post=post, text="Zu spät")


def test_spring_forward_0230_gets_a_clear_message() -> None:
    with pytest.raises(ValidationError) as error:
        berlin_to_aware(datetime(2027, 3, 28, 2, 30))  # noqa: DTZ001
    assert error.value.code == "nonexistent_time"


def test_the_autumn_ambiguous_hour_is_stored_unambiguously() -> None:
    naive = datetime(2026, 10, 25, 2, 30)  # noqa: DTZ001
    with pytest.raises(ValidationError) as error:
        berlin_to_aware(naive)
    assert error.value.code == "ambiguous_time"
    first = berlin_to_aware(naive, second_occurrence=False)
    second = berlin_to_aware(naive, second_occurrence=True)
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_editor_form_handles_both_dst_cases(org: Org, people: People) -> None:
    client = login(Client(), people.editor)
    base = {
        "unit": org.press.pk,
        "title": "Zeitumstellung",
        "text": "Test",
        "channels": [org.press_channel.pk],
    }
    response = client.post(
        "/editorial/posts/new/", {**base, "planned_date": "2027-03-28", "planned_time": "02:30"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["planned_time"]
    response = client.post(
        "/editorial/posts/new/", {**base, "planned_date": "2026-10-25", "planned_time": "02:30"}
    )
    assert response.context["form"].errors["dst_choice"]
    response = client.post(
        "/editorial/posts/new/",
        {**base, "planned_date": "2026-10-25", "planned_time": "02:30", "dst_choice": "second"},
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Zeitumstellung")
    assert post.planned_at.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_pages_and_denials(org: Org, people: People) -> None:
    post = _in_review(org, people)
    assert login(Client(), people.editor).get(f"/editorial/posts/{post.pk}/").status_code == 200
    assert login(Client(), people.auditor).get(f"/editorial/posts/{post.pk}/").status_code == 200
    assert login(Client(), people.outsider).get(f"/editorial/posts/{post.pk}/").status_code == 404
    assert (
        login(Client(), people.auditor).get(f"/editorial/posts/{post.pk}/edit/").status_code == 403
    )
    assert login(Client(), people.auditor).get("/editorial/posts/new/").status_code == 403
    queue = login(Client(), people.approver).get("/editorial/approvals/")
    assert [p.pk for p in queue.context["page"]] == [post.pk]
    assert login(Client(), people.editor).get("/editorial/approvals/").status_code == 403
    approver = login(Client(), people.approver)
    approver.post(f"/editorial/posts/{post.pk}/approve/", {"comment": "Gut"})
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED
    assert not login(Client(), people.approver).get("/editorial/approvals/").context["page"]


def test_live_preview_counts_and_problems(org: Org, people: People) -> None:
    client = login(Client(), people.editor)
    response = client.post(
        "/editorial/posts/preview/",
        {
            "unit": org.press.pk,
            "text": "Wir 🎉 feiern #stadtfestmusterstadt " + "a" * 990,
            "channels": [org.press_channel.pk],
        },
    )
    data = response.json()
    assert data["channels"][0]["limit"] == 1000
    codes = {p["code"] for p in data["problems"]}
    assert {"text_too_long", "hashtag_camelcase", "emoji_mid_sentence"} <= codes
    foreign = client.post("/editorial/posts/preview/", {"unit": org.police.pk, "text": "x"})
    assert foreign.json() == {"channels": [], "problems": []}


def test_discussion_mentions_notify_only_people_who_can_see_the_post(
    org: Org, people: People
) -> None:
    post = _draft(org, people)
    client = login(Client(), people.editor)
    client.post(
        f"/editorial/posts/{post.pk}/comments/",
        {"text": f"@{people.approver.email} bitte ansehen, auch @{people.outsider.email}"},
    )
    assert Notification.objects.filter(
        recipient=people.approver, kind="editorial.mentioned"
    ).exists()
    assert not Notification.objects.filter(recipient=people.outsider).exists()


def test_lists_use_a_constant_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), people.approver)
    for i in range(3):
        _in_review(org, people, title=f"Beitrag {i}")
    with django_assert_max_num_queries(40) as few:
        client.get("/editorial/posts/")
        client.get("/editorial/approvals/")
    for i in range(25):
        _in_review(org, people, title=f"Mehr {i}", channels=[org.press_channel, org.social_channel])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/editorial/posts/")
        client.get("/editorial/approvals/")
    assert len(page.context["page"]) == 28


def test_auditors_read_the_discussion_but_cannot_write(
    org: Org, people: People, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    post = _draft(org, people)
    auditor = login(Client(), people.auditor)
    assert auditor.get(f"/editorial/posts/{post.pk}/").status_code == 200
    assert (
        auditor.post(f"/editorial/posts/{post.pk}/comments/", {"text": "Hallo"}).status_code == 403
    )
    api = api_client_for(people.auditor)
    assert (
        api.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "Hallo"}, format="json").status_code
        == 403
    )
    assert not post.comments.exists()


def test_the_content_hash_from_the_engines_reads_equals_the_one_read_afresh(
    org: Org, people: People
) -> None:
    """The publishing engine hashes from what it read with the claimed variant; it must pin
    exactly what the approver approved, media, alt text and channel texts included."""
    from editorial.publishing.engine import _claimed

    image = _image(org, alt_text="Das Rathaus von Musterstadt im Sonnenschein")
    post = _in_review(org, people, media_ids=[image.pk])
    post_update(
        actor=people.editor,
        post=Post.objects.get(pk=post.pk),
        channels=[org.press_channel, org.social_channel],
    )
    PostVariant.objects.filter(post=post, channel=org.social_channel).update(
        text_override="Nur hier: Freitag bis 18 Uhr!"
    )
    fresh = post_content_hash(Post.objects.get(pk=post.pk))
    claimed = _claimed(PostVariant.objects.get(post=post, channel=org.social_channel).pk)
    assert [pm.asset_id for pm in claimed.post_media] == [image.pk]
    assert len(claimed.variants) == 2

    def engine_hash() -> str:
        return post_content_hash(
            claimed.variant.post, post_media=claimed.post_media, variants=claimed.variants
        )

    assert engine_hash() == fresh
    # Changed after the engine's read: only a fresh read sees it (why the rows are passed).
    MediaAsset.objects.filter(pk=image.pk).update(alt_text="Ein anderes Bild")
    assert engine_hash() == fresh
    assert post_content_hash(Post.objects.get(pk=post.pk)) != fresh
