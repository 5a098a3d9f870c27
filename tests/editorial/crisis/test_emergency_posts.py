# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Emergency posts (editorial.crisis.services.emergency_post_create/emergency_post_approve):
filled from an emergency template, approved once by a designated approver, published at once
despite a pause."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import User
from editorial.common.placeholders import template_fill
from editorial.crisis.selectors import missed_posts
from editorial.crisis.selectors import pauses_active_for_variant
from editorial.crisis.selectors import variant_is_paused
from editorial.crisis.selectors import variant_may_publish_now
from editorial.crisis.selectors import variant_missed_its_time
from editorial.crisis.services import emergency_post_approve
from editorial.crisis.services import emergency_post_create
from editorial.crisis.services import pause_end
from editorial.crisis.services import pause_start
from editorial.models import Approval
from editorial.models import EditorialPolicy
from editorial.models import PostTemplate
from editorial.models import PublishingPause
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.crisis.conftest import S
from tests.editorial.crisis.conftest import V
from tests.editorial.crisis.conftest import audit_actions
from tests.editorial.crisis.conftest import make_emergency_post
from tests.editorial.crisis.conftest import make_post
from tests.editorial.crisis.conftest import start_pause
from tests.editorial.crisis.conftest import variant_of
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Placeholders ---------------------------------------------------------------------------


def test_placeholders_are_filled_from_the_values(emergency: tuple[PostTemplate, User]) -> None:
    template, _designated = emergency
    assert template_fill(template, {"ort": "Markt", "massnahme": "meiden"}) == (
        "Warnung Markt",
        "Achtung in Markt: meiden. Weitere Informationen folgen.",
    )


def test_a_blank_placeholder_value_is_refused(emergency: tuple[PostTemplate, User]) -> None:
    template, _designated = emergency
    with pytest.raises(ValidationError, match="massnahme"):
        template_fill(template, {"ort": "Markt", "massnahme": " "})


def test_placeholders_allow_no_attribute_access_and_nothing_positional(
    emergency: tuple[PostTemplate, User],
) -> None:
    template, _designated = emergency
    template.text = "{ort.__class__} {0}"
    assert template_fill(template, {"ort": "Markt"})[1] == "{ort.__class__} {0}"


# --- Creating -------------------------------------------------------------------------------


def test_an_emergency_post_is_created_in_review_from_its_template(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    post = make_emergency_post(org, people, template)
    assert (post.status, post.is_emergency, post.template) == (S.IN_REVIEW, True, template)
    assert post.title == "Warnung Innenstadt"
    assert "editorial.post.emergency_created" in audit_actions(post)


def test_an_emergency_post_asks_the_designated_approver_at_once(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, designated = emergency
    make_emergency_post(org, people, template)
    assert Notification.objects.filter(
        recipient=designated, kind="editorial.emergency_approval_requested"
    ).exists()


def test_an_emergency_post_needs_values_and_channels(
    people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    with pytest.raises(ValidationError):
        emergency_post_create(actor=people.editor, template=template, values={}, channels=[])


def test_an_emergency_post_needs_an_emergency_template(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    template.is_emergency = False
    template.save()
    with pytest.raises(PermissionDenied):
        make_emergency_post(org, people, template)


def test_an_emergency_post_needs_a_template_of_the_users_units(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    police_template = PostTemplate.objects.create(
        unit=org.police, name="Polizei", title="T", text="Text", is_emergency=True
    )
    with pytest.raises(PermissionDenied):
        make_emergency_post(org, people, police_template)


# --- Approving during a pause ---------------------------------------------------------------


@pytest.fixture
def city_pause(org: Org, people: People) -> PublishingPause:
    return pause_start(actor=people.system_admin, reason="Krise", unit=org.city)


def test_an_unapproved_emergency_post_is_held_by_a_pause(
    org: Org, people: People, emergency: tuple[PostTemplate, User], city_pause: PublishingPause
) -> None:
    template, _designated = emergency
    post = make_emergency_post(org, people, template)
    # Not before its emergency approval: an unapproved emergency post is held like any other.
    assert variant_is_paused(post.variants.first().pk)  # type: ignore[union-attr]


def test_one_designated_approval_schedules_an_emergency_post_for_now(
    org: Org, people: People, emergency: tuple[PostTemplate, User], city_pause: PublishingPause
) -> None:
    template, designated = emergency
    post = make_emergency_post(org, people, template)
    before = timezone.now()
    emergency_post_approve(actor=designated, post=post)
    post.refresh_from_db()
    assert post.status == S.SCHEDULED  # one approval although the unit requires two
    assert before <= post.planned_at <= timezone.now()  # type: ignore[operator]
    assert post.approvals.get().is_emergency


def test_an_approved_emergency_post_publishes_on_every_channel_despite_the_pause(
    org: Org, people: People, emergency: tuple[PostTemplate, User], city_pause: PublishingPause
) -> None:
    template, designated = emergency
    post = make_emergency_post(org, people, template)
    emergency_post_approve(actor=designated, post=post)
    post.refresh_from_db()
    assert post.variants.count() == 2
    for variant in post.variants.all():
        assert variant.status == V.SCHEDULED and variant.scheduled_at == post.planned_at
        assert variant_may_publish_now(variant.pk) == (True, "")
        assert pauses_active_for_variant(variant) == []
        assert not variant_missed_its_time(variant)


def test_an_emergency_approval_leaves_the_pause_on_every_other_post(
    org: Org, people: People, emergency: tuple[PostTemplate, User], city_pause: PublishingPause
) -> None:
    template, designated = emergency
    ordinary = variant_of(make_post(org, people, "in_review"))
    emergency_post_approve(actor=designated, post=make_emergency_post(org, people, template))
    assert variant_is_paused(ordinary.pk)


def test_an_emergency_approval_is_audited_with_the_pauses_it_overrides(
    org: Org, people: People, emergency: tuple[PostTemplate, User], city_pause: PublishingPause
) -> None:
    template, designated = emergency
    emergency_post_approve(actor=designated, post=make_emergency_post(org, people, template))
    entry = AuditEntry.objects.get(action="editorial.post.emergency_approved")
    assert entry.actor == designated
    assert entry.data["emergency"] is True and entry.data["overrides_pauses"] is True
    assert entry.data["active_pauses_overridden"] == [city_pause.pk]


def test_an_emergency_post_sent_during_a_pause_is_not_missed_after_it(
    org: Org, people: People, emergency: tuple[PostTemplate, User], city_pause: PublishingPause
) -> None:
    template, designated = emergency
    post = make_emergency_post(org, people, template)
    emergency_post_approve(actor=designated, post=post)
    pause_end(actor=people.system_admin, pause=city_pause)
    assert post not in missed_posts(city_pause)


def test_an_approver_who_is_not_designated_cannot_approve_an_emergency_post(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    post = make_emergency_post(org, people, template)
    with pytest.raises(PermissionDenied):
        emergency_post_approve(actor=people.approver, post=post)
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW and not post.approvals.exists()


def test_a_designated_approver_cannot_approve_their_own_emergency_post(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, _designated = emergency
    post = make_emergency_post(org, people, template)
    EditorialPolicy.objects.get(unit=org.press).emergency_approvers.add(people.editor)
    with pytest.raises(PermissionDenied):
        emergency_post_approve(actor=people.editor, post=post)
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW and not post.approvals.exists()


def test_an_emergency_post_changed_after_its_approval_loses_the_bypass(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, designated = emergency
    start_pause(org, people)
    post = make_emergency_post(org, people, template)
    emergency_post_approve(actor=designated, post=post)
    Approval.objects.filter(post=post).update(is_current=False)  # as an edit does
    assert all(variant_is_paused(v.pk) for v in post.variants.all())


def test_emergency_approval_resolves_the_other_approvers_requests(
    org: Org, people: People, emergency: tuple[PostTemplate, User]
) -> None:
    template, designated = emergency
    post = make_emergency_post(org, people, template)
    asked = Notification.objects.filter(
        kind__in=["editorial.emergency_approval_requested", "editorial.review_requested"],
        read_at__isnull=True,
    )
    assert asked.filter(kind="editorial.emergency_approval_requested").exists()
    emergency_post_approve(actor=designated, post=post)
    assert not asked.exists()
