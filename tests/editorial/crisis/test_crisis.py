"""Crisis mode: pausing publishing at every stage, missed posts after a pause, emergency posts,
the banner, the pages and the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from accounts.models import AuditEntry, Notification, Role, User
from editorial.common.placeholders import template_fill
from editorial.common.timeutil import BERLIN
from editorial.crisis.context_processors import crisis
from editorial.crisis.selectors import (
    MISSED_GRACE,
    active_pauses_for_user,
    missed_posts,
    pauses_active_for_variant,
    pauses_may_hold,
    variant_is_paused,
    variant_may_publish_now,
    variant_missed_its_time,
)
from editorial.crisis.services import (
    emergency_post_approve,
    emergency_post_create,
    missed_post_discard,
    missed_post_reschedule,
    pause_end,
    pause_start,
)
from editorial.models import (
    Approval,
    EditorialPolicy,
    Post,
    PostTemplate,
    PostVariant,
    PublishingPause,
)
from editorial.posts.services import post_approve, post_create, post_submit
from tests.conftest import Org, People
from tests.factories import ChannelFactory, UserFactory


def _de(text: str) -> str:
    """``text`` as the German interface shows it (the users here read German)."""
    with translation.override("de"):
        return translation.gettext(text)


pytestmark = pytest.mark.django_db

S = Post.Status
V = PostVariant.Status


# --- Helpers --------------------------------------------------------------------------------


def _post(
    org: Org,
    people: People,
    stage: str = "scheduled",
    *,
    planned_at: datetime | None = None,
    channels: list | None = None,
    title: str = "Bürgerbüro Öffnungszeiten",
) -> Post:
    """A post at ``stage``: draft, in_review, approved, scheduled or claimed (a worker has
    claimed its variant as the publishing engine will: status PUBLISHING with claimed_at)."""
    if planned_at is None and stage != "approved":
        planned_at = timezone.now() + timedelta(hours=1)
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title=title,
        text="Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet.",
        planned_at=planned_at,
        channels=channels or [org.press_channel],
    )
    if stage == "draft":
        return post
    post = post_submit(actor=people.editor, post=post)
    if stage == "in_review":
        return post
    post = post_approve(actor=people.approver, post=post)
    if stage == "claimed":
        post.variants.update(status=V.PUBLISHING, claimed_at=timezone.now(), claimed_by="w-1")
        Post.objects.filter(pk=post.pk).update(status=S.PUBLISHING)
    post.refresh_from_db()
    return post


def _variant(post: Post) -> PostVariant:
    return post.variants.get()


def _pause(org: Org, people: People, **scope) -> PublishingPause:  # type: ignore[no-untyped-def]
    scope = scope or {"unit": org.press}
    return pause_start(actor=people.approver, reason="Amoklage in der Innenstadt", **scope)


def _actions(target: Post | PublishingPause) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk))
        .filter(target_type__model=target._meta.model_name)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


@pytest.fixture
def emergency(org: Org, people: People) -> tuple[PostTemplate, User]:
    """An emergency template of the Presseamt and a designated emergency approver; the
    unit normally needs two approvals."""
    designated = UserFactory(email="krisenstab@stadt.example", roles=[(org.press, Role.APPROVER)])
    policy = EditorialPolicy.objects.create(unit=org.press, required_approvals=2)
    policy.emergency_approvers.add(designated)
    template = PostTemplate.objects.create(
        unit=org.press,
        name="Warnung",
        kind=PostTemplate.Kind.WARNING,
        title="Warnung {ort}",
        text="Achtung in {ort}: {massnahme}. Weitere Informationen folgen.",
        is_emergency=True,
    )
    template.channels.set([org.press_channel, org.social_channel])
    return template, designated


def _emergency_post(org: Org, people: People, template: PostTemplate) -> Post:
    return emergency_post_create(
        actor=people.editor,
        template=template,
        values={"ort": "Innenstadt", "massnahme": "Bereich meiden"},
        channels=[org.press_channel, org.social_channel],
    )


# --- Pause at every stage -------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["draft", "in_review", "approved", "scheduled", "claimed"])
def test_a_pause_stops_a_post_at_every_stage(org: Org, people: People, stage: str) -> None:
    post = _post(org, people, stage)
    variant = _variant(post)
    assert variant_may_publish_now(variant.pk) == (True, "")
    assert not variant_is_paused(variant.pk)

    pause = _pause(org, people)

    allowed, reason = variant_may_publish_now(variant.pk)
    assert allowed is False
    assert "Amoklage" in reason
    assert variant_is_paused(variant.pk)
    assert pauses_active_for_variant(variant) == [pause]


def test_a_pause_started_after_the_claim_stops_the_platform_call(org: Org, people: People) -> None:
    """The engine asks right after claiming and again just before calling the platform. A
    pause committed in between is seen: nothing is cached between the two calls."""
    post = _post(org, people, "claimed")
    variant = _variant(post)
    assert variant.status == V.PUBLISHING and variant.claimed_at is not None

    first = variant_may_publish_now(variant.pk)  # right after the claim
    _pause(org, people, channel=org.press_channel)
    second = variant_may_publish_now(variant.pk)  # immediately before the platform call

    assert first == (True, "")
    assert second[0] is False


def test_the_guard_reads_the_database_every_time(
    org: Org, people: People, django_assert_num_queries: Callable
) -> None:
    variant = _variant(_post(org, people))
    with django_assert_num_queries(2):
        variant_may_publish_now(variant.pk)
    with django_assert_num_queries(2):
        variant_may_publish_now(variant.pk)
    with django_assert_num_queries(2):
        variant_is_paused(variant.pk)


def test_a_vanished_variant_is_not_published(org: Org, people: People) -> None:
    allowed, reason = variant_may_publish_now(987654)
    assert allowed is False and reason


def test_a_pause_on_a_parent_unit_covers_the_channels_below(org: Org, people: People) -> None:
    social = _variant(_post(org, people, channels=[org.social_channel]))
    # A variant on another authority's channel (drafting rules aside: only coverage counts).
    police = PostVariant.objects.create(
        post=_post(org, people, title="Andere"), channel=org.police_channel
    )
    pause_start(actor=people.system_admin, reason="Stromausfall", unit=org.city)
    assert variant_is_paused(social.pk)  # city → press → social
    assert not variant_is_paused(police.pk)  # another authority


def test_a_channel_pause_covers_only_that_channel(org: Org, people: People) -> None:
    post = _post(org, people, channels=[org.press_channel, org.social_channel])
    _pause(org, people, channel=org.social_channel)
    assert variant_is_paused(post.variants.get(channel=org.social_channel).pk)
    assert not variant_is_paused(post.variants.get(channel=org.press_channel).pk)


def test_a_pause_on_a_child_unit_does_not_cover_its_parent(org: Org, people: People) -> None:
    press = _variant(_post(org, people))
    _pause(org, people, unit=org.social)
    assert not variant_is_paused(press.pk)


def test_an_ended_pause_no_longer_holds_future_posts(org: Org, people: People) -> None:
    variant = _variant(_post(org, people, planned_at=timezone.now() + timedelta(days=2)))
    pause = _pause(org, people)
    pause_end(actor=people.approver, pause=pause)
    assert variant_may_publish_now(variant.pk) == (True, "")


@pytest.mark.parametrize(
    ("scope", "refused", "may_hold"),
    [
        ("no pause", False, False),
        ("channel", True, True),
        ("other channel", False, True),
        ("unit", True, True),
        ("parent unit", True, True),
        ("child unit", False, True),
        ("everything", True, True),
        ("ended before the post was due", False, False),
        ("ended after the post was due", True, True),  # the post missed its time during it
    ],
)
def test_the_engines_cheap_pause_check_holds_whenever_the_guard_refuses(
    org: Org, people: People, scope: str, refused: bool, may_hold: bool
) -> None:
    """The engine asks the guard only when ``pauses_may_hold``: it must be true whenever the
    guard refuses, and false without pauses (no guard queries outside a crisis)."""
    past_due = scope == "ended after the post was due"
    due = timezone.now() + (timedelta(minutes=-10) if past_due else timedelta(days=2))
    variant = _variant(_post(org, people, planned_at=due))
    operator = UserFactory(roles=[(org.city, Role.SYSTEM_ADMIN), (org.police, Role.SYSTEM_ADMIN)])
    where = {
        "channel": {"channel": org.press_channel},
        "other channel": {"channel": org.social_channel},
        "unit": {"unit": org.press},
        "parent unit": {"unit": org.city},
        "child unit": {"unit": org.social},
        "everything": {},
    }.get(scope, {"unit": org.press})
    if scope != "no pause":
        pause = pause_start(actor=operator, reason="Lage", **where)
    if scope.startswith("ended"):
        PublishingPause.objects.filter(pk=pause.pk).update(
            started_at=timezone.now() - timedelta(minutes=20)
        )
        pause_end(actor=operator, pause=PublishingPause.objects.get(pk=pause.pk))

    assert variant_may_publish_now(variant.pk)[0] is not refused
    assert pauses_may_hold(due) is may_hold


def test_an_installation_wide_pause_needs_the_operator(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        pause_start(actor=people.system_admin, reason="Alles anhalten")
    operator = UserFactory(roles=[(org.city, Role.SYSTEM_ADMIN), (org.police, Role.SYSTEM_ADMIN)])
    pause = pause_start(actor=operator, reason="Alles anhalten")
    assert variant_is_paused(_variant(_post(org, people)).pk)
    assert pause.unit is None and pause.channel is None


def test_pause_validation(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        pause_start(actor=people.approver, reason="  ", unit=org.press)
    with pytest.raises(ValidationError):
        pause_start(actor=people.approver, reason="x", unit=org.press, channel=org.press_channel)
    _pause(org, people)
    with pytest.raises(ValidationError):  # a double click does not pause twice
        _pause(org, people)
    with pytest.raises(PermissionDenied):  # the approver of the Presseamt is not the city's
        pause_start(actor=people.approver, reason="x", unit=org.city)


def test_pause_start_and_end_are_audited_and_alert_the_responsible(
    org: Org, people: People
) -> None:
    pause = _pause(org, people)
    pause_end(actor=people.channel_admin, pause=pause)
    entries = AuditEntry.objects.filter(target_id=str(pause.pk)).order_by("sequence")
    assert [e.action for e in entries] == ["editorial.pause.started", "editorial.pause.ended"]
    assert entries[0].actor == people.approver and entries[0].unit == org.press
    assert entries[0].data["after"]["reason"] == "Amoklage in der Innenstadt"
    assert entries[1].actor == people.channel_admin
    assert entries[1].data["before"]["ended_at"] is None and entries[1].data["after"]["ended_at"]
    alerted = set(
        Notification.objects.filter(kind="editorial.pause_started").values_list(
            "recipient__email", flat=True
        )
    )
    assert alerted == {people.channel_admin.email}  # not the approver who paused, not editors
    with pytest.raises(ValidationError):
        pause_end(actor=people.approver, pause=pause)


# --- Resume: missed posts -------------------------------------------------------------------


def test_resume_lists_missed_posts_which_are_never_published_late(org: Org, people: People) -> None:
    start = timezone.now()
    due_during = _post(org, people, planned_at=start + timedelta(minutes=10), title="Mitten")
    claimed = _post(org, people, "claimed", planned_at=start + timedelta(minutes=1), title="Lief")
    due_after = _post(org, people, planned_at=start + timedelta(days=1), title="Danach")
    other_channel = _post(
        org, people, planned_at=start + timedelta(minutes=10), title="Polizei"
    )  # will move to another authority's channel below
    other_channel.variants.update(channel=org.police_channel)
    draft = _post(org, people, "draft", planned_at=start + timedelta(minutes=10), title="Roh")

    with time_machine.travel(start, tick=False):
        pause = _pause(org, people)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert set(missed_posts(pause)) == {due_during, claimed}  # so far, while paused
        pause_end(actor=people.approver, pause=pause)
    # The engine put the claimed variant back after the guard refused it.
    claimed.variants.update(status=V.SCHEDULED)
    Post.objects.filter(pk=claimed.pk).update(status=S.SCHEDULED)

    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert list(missed_posts(pause)) == [claimed, due_during]
        assert draft not in missed_posts(pause) and due_after not in missed_posts(pause)
        for post in (due_during, claimed):
            variant = _variant(post)
            with translation.override("en"):
                allowed, reason = variant_may_publish_now(variant.pk)
            assert allowed is False and "Reschedule" in reason
            assert variant_missed_its_time(variant)
            assert not variant_is_paused(variant.pk)
        assert variant_may_publish_now(_variant(due_after).pk) == (True, "")
    # Still not publishable a day later: nobody has decided yet.
    with time_machine.travel(start + timedelta(days=1, hours=1), tick=False):
        assert variant_may_publish_now(_variant(due_during).pk)[0] is False
        assert set(missed_posts(pause)) == {due_during, claimed}


def test_missed_posts_are_rescheduled_or_discarded_one_by_one(org: Org, people: People) -> None:
    start = timezone.now()
    first = _post(org, people, planned_at=start + timedelta(minutes=5), title="Erster")
    second = _post(org, people, planned_at=start + timedelta(minutes=6), title="Zweiter")
    with time_machine.travel(start, tick=False):
        pause = _pause(org, people)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        pause_end(actor=people.approver, pause=pause)
        new_time = timezone.now() + timedelta(hours=2)
        with pytest.raises(ValidationError):  # not into the past
            missed_post_reschedule(
                actor=people.approver, post=first, planned_at=start + timedelta(minutes=1)
            )
        missed_post_reschedule(actor=people.approver, post=first, planned_at=new_time)
        assert list(missed_posts(pause)) == [second]
        variant = _variant(first)
        assert (variant.status, variant.scheduled_at) == (V.SCHEDULED, new_time)
        assert variant_may_publish_now(variant.pk) == (True, "")

        with pytest.raises(ValidationError):
            missed_post_discard(actor=people.approver, post=second, reason=" ")
        missed_post_discard(actor=people.approver, post=second, reason="Überholt")
        assert list(missed_posts(pause)) == []
        second.refresh_from_db()
        assert second.status == S.WITHDRAWN and _variant(second).status == V.SKIPPED

    assert "editorial.pause.missed_post_rescheduled" in _actions(first)
    assert "editorial.post.rescheduled" in _actions(first)
    assert "editorial.pause.missed_post_discarded" in _actions(second)
    assert "editorial.post.withdrawn" in _actions(second)
    with pytest.raises(PermissionDenied):
        missed_post_discard(actor=people.outsider, post=first, reason="x")


def test_a_post_due_just_before_the_pause_and_still_in_flight_is_missed_too(
    org: Org, people: People
) -> None:
    start = timezone.now()
    late = _post(org, people, planned_at=start + timedelta(minutes=1))
    early = _post(org, people, planned_at=start + timedelta(minutes=1), title="Alt")
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        pause = _pause(org, people)  # the worker had not sent ``late`` yet
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        pause_end(actor=people.approver, pause=pause)
        assert late in missed_posts(pause)
        assert variant_may_publish_now(_variant(late).pk)[0] is False
    # Published before the pause: not missed.
    early.variants.update(status=V.PUBLISHED, published_at=start + timedelta(minutes=1))
    assert early not in missed_posts(pause)
    assert timedelta(minutes=1) <= MISSED_GRACE


# --- Emergency posts ------------------------------------------------------------------------


def test_placeholders_are_filled_and_missing_values_refused(
    emergency: tuple[PostTemplate, User],
) -> None:
    template, _designated = emergency
    assert template_fill(template, {"ort": "Markt", "massnahme": "meiden"}) == (
        "Warnung Markt",
        "Achtung in Markt: meiden. Weitere Informationen folgen.",
    )
    with pytest.raises(ValidationError, match="massnahme"):
        template_fill(template, {"ort": "Markt", "massnahme": " "})
    template.text = "{ort.__class__} {0}"  # no attribute access, nothing positional
    assert template_fill(template, {"ort": "Markt"})[1] == "{ort.__class__} {0}"


def test_one_designated_approval_schedules_an_emergency_post_now_despite_a_pause(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, designated = emergency
    pause = pause_start(actor=people.system_admin, reason="Krise", unit=org.city)
    ordinary = _variant(_post(org, people, "in_review"))
    post = _emergency_post(org, people, template)
    assert (post.status, post.is_emergency, post.template) == (S.IN_REVIEW, True, template)
    assert post.title == "Warnung Innenstadt"
    assert Notification.objects.filter(
        recipient=designated, kind="editorial.emergency_approval_requested"
    ).exists()
    # Not before its emergency approval: an unapproved emergency post is held like any other.
    assert variant_is_paused(post.variants.first().pk)  # type: ignore[union-attr]

    before = timezone.now()
    emergency_post_approve(actor=designated, post=post)
    post.refresh_from_db()
    assert post.status == S.SCHEDULED  # one approval although the unit requires two
    assert before <= post.planned_at <= timezone.now()  # type: ignore[operator]
    assert post.approvals.get().is_emergency
    for variant in post.variants.all():
        assert variant.status == V.SCHEDULED and variant.scheduled_at == post.planned_at
        assert variant_may_publish_now(variant.pk) == (True, "")
        assert pauses_active_for_variant(variant) == []
        assert not variant_missed_its_time(variant)
    assert variant_is_paused(ordinary.pk)  # the pause still holds everything else
    entry = AuditEntry.objects.get(action="editorial.post.emergency_approved")
    assert entry.actor == designated
    assert entry.data["emergency"] is True and entry.data["overrides_pauses"] is True
    assert entry.data["active_pauses_overridden"] == [pause.pk]
    assert "editorial.post.emergency_created" in _actions(post)
    pause_end(actor=people.system_admin, pause=pause)
    assert post not in missed_posts(pause)


def test_emergency_approval_refused_for_others_and_the_author(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    post = _emergency_post(org, people, template)
    with pytest.raises(PermissionDenied):  # an approver, but not designated
        emergency_post_approve(actor=people.approver, post=post)
    EditorialPolicy.objects.get(unit=org.press).emergency_approvers.add(people.editor)
    with pytest.raises(PermissionDenied):  # designated, but the author
        emergency_post_approve(actor=people.editor, post=post)
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW and not post.approvals.exists()


def test_an_emergency_post_changed_after_its_approval_loses_the_bypass(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, designated = emergency
    _pause(org, people)
    post = _emergency_post(org, people, template)
    emergency_post_approve(actor=designated, post=post)
    Approval.objects.filter(post=post).update(is_current=False)  # as an edit does
    assert all(variant_is_paused(v.pk) for v in post.variants.all())


def test_emergency_posts_need_an_emergency_template_of_the_users_units(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    with pytest.raises(ValidationError):
        emergency_post_create(actor=people.editor, template=template, values={}, channels=[])
    template.is_emergency = False
    template.save()
    with pytest.raises(PermissionDenied):
        _emergency_post(org, people, template)
    police_template = PostTemplate.objects.create(
        unit=org.police, name="Polizei", title="T", text="Text", is_emergency=True
    )
    with pytest.raises(PermissionDenied):
        _emergency_post(org, people, police_template)


# --- Banner ---------------------------------------------------------------------------------


def _request(user: User):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/editorial/posts/?page=2")
    request.user = user
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return request


def test_the_banner_shows_active_pauses_to_the_affected_only(
    org: Org, people: People, django_assert_max_num_queries: Callable
) -> None:
    _pause(org, people)
    pause_start(actor=people.outsider, reason="Polizeilage", unit=org.police)
    for user in (people.editor, people.auditor):  # below and above the paused unit
        request = _request(User.objects.get(pk=user.pk))
        with django_assert_max_num_queries(2):
            context = crisis(request)
        html = render_to_string("editorial/crisis/_banner.html", context, request=request)
        assert 'role="alert"' in html
        assert "Amoklage in der Innenstadt" in html and "Polizeilage" not in html
        assert "/editorial/crisis/" in html
    outsider = crisis(_request(people.outsider))
    assert [p.reason for p in outsider["active_pauses"]] == ["Polizeilage"]
    nobody = UserFactory()
    assert crisis(_request(nobody)) == {"active_pauses": [], "may_pause": False}


def test_the_banner_offers_the_pause_button_to_those_who_may(org: Org, people: People) -> None:
    request = _request(User.objects.get(pk=people.approver.pk))
    context = crisis(request)
    assert context == {"active_pauses": [], "may_pause": True}
    html = render_to_string("editorial/crisis/_banner.html", context, request=request)
    assert "/editorial/crisis/new/?next=/editorial/posts/%3Fpage%3D2" in html
    assert 'role="alert"' not in html
    editor = crisis(_request(User.objects.get(pk=people.editor.pk)))
    assert editor["may_pause"] is False
    assert "Pause publishing" not in render_to_string("editorial/crisis/_banner.html", editor)


def test_anonymous_users_cost_no_query(django_assert_num_queries: Callable) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert crisis(request) == {"active_pauses": [], "may_pause": False}


_BANNER_IN_BASE = "editorial/crisis/_banner.html" in (
    Path(settings.BASE_DIR) / "templates" / "base.html"
).read_text(encoding="utf-8")


@pytest.mark.skipif(not _BANNER_IN_BASE, reason="base.html does not include the banner yet")
def test_the_banner_is_on_every_page(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    _pause(org, people)
    assert "Amoklage" in client_for(people.editor).get("/").content.decode()
    assert "Amoklage" not in client_for(people.outsider).get("/").content.decode()


# --- Pages ----------------------------------------------------------------------------------


def test_approver_pauses_in_one_step_from_any_page(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.approver)
    page = client.get("/editorial/crisis/new/?next=/channels/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="unit:{org.press.pk}" selected' in html  # scope preselected
    assert 'value="/channels/"' in html
    response = client.post(
        "/editorial/crisis/new/",
        {"scope": f"unit:{org.press.pk}", "reason": "Amoklage", "next": "/channels/"},
    )
    assert response.status_code == 302 and response["Location"] == "/channels/"
    pause = PublishingPause.objects.get()
    assert (pause.unit, pause.started_by, pause.reason) == (org.press, people.approver, "Amoklage")
    # An outside "next" is not followed.
    client.post(
        "/editorial/crisis/new/",
        {
            "scope": f"channel:{org.social_channel.pk}",
            "reason": "x",
            "next": "https://evil.example/",
        },
    )
    assert PublishingPause.objects.count() == 2


def test_pause_form_refuses_empty_reason_and_foreign_scope(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.channel_admin)
    response = client.post("/editorial/crisis/new/", {"scope": f"unit:{org.press.pk}"})
    assert response.status_code == 200 and not PublishingPause.objects.exists()
    response = client.post(
        "/editorial/crisis/new/", {"scope": f"unit:{org.police.pk}", "reason": "x"}
    )
    assert response.status_code == 200 and not PublishingPause.objects.exists()
    client.post("/editorial/crisis/new/", {"scope": f"unit:{org.press.pk}", "reason": "Lage"})
    assert PublishingPause.objects.get().started_by == people.channel_admin


def test_editor_may_not_pause(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    assert client.get("/editorial/crisis/new/").status_code == 403
    response = client.post(
        "/editorial/crisis/new/", {"scope": f"unit:{org.press.pk}", "reason": "x"}
    )
    assert response.status_code == 403
    pause = _pause(org, people)
    assert client.get("/editorial/crisis/").status_code == 200  # sees it
    assert client.post(f"/editorial/crisis/{pause.pk}/resume/").status_code == 403
    assert PublishingPause.objects.get().ended_at is None


def test_pauses_of_other_authorities_answer_404(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    pause = _pause(org, people)
    client = client_for(people.outsider)
    assert client.get(f"/editorial/crisis/{pause.pk}/missed/").status_code == 404
    assert client.post(f"/editorial/crisis/{pause.pk}/resume/").status_code == 404
    assert "Amoklage" not in client.get("/editorial/crisis/").content.decode()
    assert client_for(people.approver).get("/").status_code == 200
    anonymous = Client().get("/editorial/crisis/")
    assert anonymous.status_code == 302


def test_resume_page_flow_reschedule_and_discard(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start = timezone.now()
    first = _post(org, people, planned_at=start + timedelta(minutes=5), title="Erster")
    second = _post(org, people, planned_at=start + timedelta(minutes=6), title="Zweiter")
    client = client_for(people.approver)
    with time_machine.travel(start, tick=False):
        pause = _pause(org, people)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        held = client.get(f"/editorial/crisis/{pause.pk}/missed/").content.decode()
        assert "Erster" in held and "Zweiter" in held
        response = client.post(f"/editorial/crisis/{pause.pk}/resume/")
        assert response["Location"] == f"/editorial/crisis/{pause.pk}/missed/"
        page = client.get(response["Location"]).content.decode()
        assert "Erster" in page and "Zweiter" in page and _de("Set new time") in page
        tomorrow = timezone.localtime(timezone.now() + timedelta(days=1), BERLIN)
        response = client.post(
            f"/editorial/crisis/{pause.pk}/missed/{first.pk}/reschedule/",
            {
                f"r{first.pk}-planned_date": tomorrow.date().isoformat(),
                f"r{first.pk}-planned_time": "09:30",
            },
        )
        assert response.status_code == 302
        first.refresh_from_db()
        assert timezone.localtime(first.planned_at, BERLIN).strftime("%H:%M") == "09:30"
        response = client.post(
            f"/editorial/crisis/{pause.pk}/missed/{second.pk}/discard/",
            {f"d{second.pk}-reason": ""},
        )
        assert response.status_code == 400  # a reason is required
        response = client.post(
            f"/editorial/crisis/{pause.pk}/missed/{second.pk}/discard/",
            {f"d{second.pk}-reason": "Überholt"},
        )
        assert response.status_code == 302
        assert Post.objects.get(pk=second.pk).status == S.WITHDRAWN
        # Gone from the list: a second attempt finds nothing to act on.
        response = client.post(
            f"/editorial/crisis/{pause.pk}/missed/{second.pk}/discard/",
            {f"d{second.pk}-reason": "nochmal"},
        )
        assert response.status_code == 404


def test_reschedule_refuses_the_nonexistent_spring_hour(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    start = datetime(2027, 3, 20, 10, 0, tzinfo=BERLIN)
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        post = _post(org, people, planned_at=start + timedelta(minutes=5))
    with time_machine.travel(start, tick=False):
        pause = _pause(org, people)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        pause_end(actor=people.approver, pause=pause)
        response = client_for(people.approver).post(
            f"/editorial/crisis/{pause.pk}/missed/{post.pk}/reschedule/",
            {f"r{post.pk}-planned_date": "2027-03-28", f"r{post.pk}-planned_time": "02:30"},
        )
    assert response.status_code == 400
    assert "does not exist" in response.content.decode() or "gibt es" in (response.content.decode())


def test_pause_list_uses_constant_queries(
    org: Org,
    people: People,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Callable,
) -> None:
    client = client_for(people.system_admin)

    def make(n: int) -> None:
        for i in range(n):
            pause = pause_start(actor=people.system_admin, reason=f"Lage {i}", unit=org.press)
            pause_end(actor=people.system_admin, pause=pause)
        pause_start(actor=people.system_admin, reason="aktiv", channel=org.press_channel)

    make(1)
    client.get("/editorial/crisis/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/editorial/crisis/").status_code == 200
    PublishingPause.objects.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    make(8)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/editorial/crisis/").status_code == 200


def test_missed_list_uses_constant_queries(
    org: Org,
    people: People,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Callable,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = timezone.now()
    _post(org, people, planned_at=start + timedelta(minutes=5))
    with time_machine.travel(start, tick=False):
        pause = _pause(org, people)
    client = client_for(people.approver)
    url = f"/editorial/crisis/{pause.pk}/missed/"
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        CaptureQueriesContext(connection) as few,
    ):
        client.get(url)
    for i in range(6):
        _post(
            org,
            people,
            planned_at=start + timedelta(minutes=6 + i),
            channels=[org.press_channel, org.social_channel],
        )
    with (
        time_machine.travel(start + timedelta(minutes=30), tick=False),
        django_assert_max_num_queries(len(few)),
    ):
        html = client.get(url).content.decode()
    assert html.count('class="card missed-post"') == 7


def test_emergency_pages(
    org: Org,
    people: People,
    emergency: tuple[PostTemplate, User],
    client_for: Callable[[User], Client],
) -> None:
    template, designated = emergency
    _pause(org, people)
    editor = client_for(people.editor)
    assert "Warnung" in editor.get("/editorial/crisis/emergency/").content.decode()
    form = editor.get(f"/editorial/crisis/emergency/?template={template.pk}").content.decode()
    assert 'name="value_ort"' in form and 'name="value_massnahme"' in form
    response = editor.post(
        "/editorial/crisis/emergency/",
        {"template": template.pk, "value_ort": "Markt", "channels": [org.press_channel.pk]},
    )
    assert response.status_code == 400 and not Post.objects.exists()
    response = editor.post(
        "/editorial/crisis/emergency/",
        {
            "template": template.pk,
            "value_ort": "Markt",
            "value_massnahme": "Bereich meiden",
            "channels": [org.press_channel.pk, org.social_channel.pk],
        },
    )
    post = Post.objects.get()
    assert response["Location"] == f"/editorial/crisis/emergency/{post.pk}/approve/"
    assert post.is_emergency and post.variants.count() == 2

    url = f"/editorial/crisis/emergency/{post.pk}/approve/"
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.approver).post(url).status_code == 403
    assert editor.post(url).status_code == 403
    approver_page = client_for(designated)
    assert _de("Approve and publish now") in approver_page.get(url).content.decode()
    assert "Warnung Markt" in approver_page.get("/editorial/crisis/").content.decode()
    assert approver_page.post(url).status_code == 302
    assert Post.objects.get().status == S.SCHEDULED
    foreign = client_for(people.outsider).get(
        f"/editorial/crisis/emergency/?template={template.pk}"
    )
    assert foreign.status_code == 404


# --- API ------------------------------------------------------------------------------------


def test_api_pause_lifecycle(
    org: Org, people: People, api_client_for: Callable[[User], object]
) -> None:
    start = timezone.now()
    missed = _post(org, people, planned_at=start + timedelta(minutes=5), title="Verpasst")
    gone = _post(org, people, planned_at=start + timedelta(minutes=6), title="Weg")
    client = api_client_for(people.channel_admin)
    with time_machine.travel(start, tick=False):
        response = client.post(  # type: ignore[attr-defined]
            "/api/v1/pauses/", {"unit": org.press.pk, "reason": "Lage"}, format="json"
        )
    assert response.status_code == 201, response.content
    pause_id = response.json()["id"]
    assert response.json()["active"] is True and "Presseamt" in response.json()["scope"]
    listed = client.get("/api/v1/pauses/").json()  # type: ignore[attr-defined]
    assert [p["id"] for p in listed["results"]] == [pause_id]
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        response = client.post(f"/api/v1/pauses/{pause_id}/resume/")  # type: ignore[attr-defined]
        assert response.status_code == 200 and response.json()["active"] is False
        again = client.post(f"/api/v1/pauses/{pause_id}/resume/")  # type: ignore[attr-defined]
        assert again.status_code == 400
        rows = client.get(f"/api/v1/pauses/{pause_id}/missed/").json()["results"]  # type: ignore[attr-defined]
        assert [r["id"] for r in rows] == [missed.pk, gone.pk]
        approver = api_client_for(people.approver)
        new_time = (timezone.now() + timedelta(hours=3)).isoformat()
        response = approver.post(  # type: ignore[attr-defined]
            f"/api/v1/pauses/{pause_id}/missed/{missed.pk}/reschedule/",
            {"planned_at": new_time},
            format="json",
        )
        assert response.status_code == 200, response.content
        response = approver.post(  # type: ignore[attr-defined]
            f"/api/v1/pauses/{pause_id}/missed/{gone.pk}/discard/",
            {"reason": ""},
            format="json",
        )
        assert response.status_code == 400
        response = approver.post(  # type: ignore[attr-defined]
            f"/api/v1/pauses/{pause_id}/missed/{gone.pk}/discard/",
            {"reason": "Überholt"},
            format="json",
        )
        assert response.status_code == 200 and response.json()["status"] == S.WITHDRAWN
        assert client.get(f"/api/v1/pauses/{pause_id}/missed/").json()["results"] == []  # type: ignore[attr-defined]


def test_api_pause_permissions(
    org: Org, people: People, api_client_for: Callable[[User], object]
) -> None:
    editor = api_client_for(people.editor)
    response = editor.post(  # type: ignore[attr-defined]
        "/api/v1/pauses/", {"unit": org.press.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 403
    approver = api_client_for(people.approver)
    response = approver.post(  # type: ignore[attr-defined]
        "/api/v1/pauses/", {"channel": org.social_channel.pk, "reason": ""}, format="json"
    )
    assert response.status_code == 400  # reason required
    response = approver.post(  # type: ignore[attr-defined]
        "/api/v1/pauses/", {"unit": org.police.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "unit" in response.json()  # unknown to them
    response = approver.post(  # type: ignore[attr-defined]
        "/api/v1/pauses/", {"reason": "alles"}, format="json"
    )
    assert response.status_code == 403  # installation-wide: operators only
    pause = _pause(org, people)
    outsider = api_client_for(people.outsider)
    assert outsider.get(f"/api/v1/pauses/{pause.pk}/").status_code == 404  # type: ignore[attr-defined]
    assert outsider.post(f"/api/v1/pauses/{pause.pk}/resume/").status_code == 404  # type: ignore[attr-defined]
    assert outsider.get(f"/api/v1/pauses/{pause.pk}/missed/").status_code == 404  # type: ignore[attr-defined]
    assert editor.post(f"/api/v1/pauses/{pause.pk}/resume/").status_code == 403  # type: ignore[attr-defined]


def test_api_emergency_posts(
    org: Org,
    people: People,
    emergency: tuple[PostTemplate, User],
    api_client_for: Callable[[User], object],
) -> None:
    template, designated = emergency
    editor = api_client_for(people.editor)
    payload = {
        "template": template.pk,
        "values": {"ort": "Markt"},
        "channels": [org.press_channel.pk],
    }
    response = editor.post("/api/v1/emergency-posts/", payload, format="json")  # type: ignore[attr-defined]
    assert response.status_code == 400 and "values" in response.json()
    payload["values"] = {"ort": "Markt", "massnahme": "meiden"}
    response = editor.post("/api/v1/emergency-posts/", payload, format="json")  # type: ignore[attr-defined]
    assert response.status_code == 201, response.content
    post_id = response.json()["id"]
    assert response.json()["is_emergency"] is True and response.json()["status"] == S.IN_REVIEW
    url = f"/api/v1/emergency-posts/{post_id}/approve/"
    assert api_client_for(people.approver).post(url).status_code == 403  # type: ignore[attr-defined]
    assert api_client_for(people.outsider).post(url).status_code == 404  # type: ignore[attr-defined]
    response = api_client_for(designated).post(url)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.json()["status"] == S.SCHEDULED
    outsider = api_client_for(people.outsider)
    response = outsider.post("/api/v1/emergency-posts/", payload, format="json")  # type: ignore[attr-defined]
    assert response.status_code == 400 and "template" in response.json()


def test_crisis_endpoints_are_in_the_openapi_schema(
    people: People, client_for: Callable[[User], Client]
) -> None:
    response = client_for(people.approver).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    for path in (
        "/api/v1/pauses/",
        "/api/v1/pauses/{id}/",
        "/api/v1/pauses/{id}/resume/",
        "/api/v1/pauses/{id}/missed/",
        "/api/v1/pauses/{id}/missed/{post_pk}/reschedule/",
        "/api/v1/pauses/{id}/missed/{post_pk}/discard/",
        "/api/v1/emergency-posts/",
        "/api/v1/emergency-posts/{id}/approve/",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/pauses/"] and "get" in paths["/api/v1/pauses/"]


def test_active_pauses_for_user_helper(org: Org, people: People) -> None:
    pause = _pause(org, people, channel=ChannelFactory(unit=org.social))
    assert active_pauses_for_user(people.editor) == [pause]
    assert active_pauses_for_user(people.outsider) == []
