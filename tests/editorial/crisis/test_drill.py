# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Crisis drill (issue 15): publishing paused in the participants' practice spaces only, the
checklist ticked with times, the end with its result; audited; the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import User
from accounts.practice.selectors import practice_unit_for
from channels_app.models import Channel
from editorial.crisis.drill.selectors import drill_timings
from editorial.crisis.drill.services import drill_end
from editorial.crisis.drill.services import drill_start
from editorial.crisis.drill.services import drill_step_done
from editorial.crisis.selectors import variant_is_paused
from editorial.models import CrisisDrill
from editorial.models import PostVariant
from editorial.posts.services import post_create
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _drill(org: Org, people: People) -> CrisisDrill:
    return drill_start(
        actor=people.system_admin,
        unit=org.city,
        participants=[people.editor, people.community_manager],
        title="Hochwasser-Übung",
    )


def _variant(actor: User, unit, channel: Channel) -> PostVariant:  # type: ignore[no-untyped-def]
    post = post_create(
        actor=actor,
        unit=unit,
        title="Beitrag",
        text="Text.",
        planned_at=timezone.now() + timedelta(hours=1),
        channels=[channel],
    )
    return post.variants.get()


def test_a_drill_pauses_publishing_in_the_participants_practice_spaces(
    org: Org, people: People
) -> None:
    drill = _drill(org, people)
    editor = User.objects.get(pk=people.editor.pk)
    space = practice_unit_for(editor)
    assert {p.unit_id for p in drill.pauses.all()} == {
        space.pk,
        practice_unit_for(people.community_manager).pk,
    }
    from accounts.practice.services import practice_mode_set

    practice_mode_set(user=editor, active=True)
    editor = User.objects.get(pk=people.editor.pk)
    practice = _variant(editor, space, Channel.objects.filter(unit=space).first())
    assert variant_is_paused(practice.pk)


def test_a_drill_leaves_real_publishing_untouched(org: Org, people: People) -> None:
    _drill(org, people)
    real = _variant(people.editor, org.press, org.press_channel)
    assert not variant_is_paused(real.pk)


def test_the_checklist_becomes_the_steps_and_ticks_are_timed(org: Org, people: People) -> None:
    drill = _drill(org, people)
    steps = list(drill.steps.all())
    assert steps
    drill_step_done(actor=people.editor, step=steps[0])
    timing = drill_timings(drill)[0]
    assert timing.step.done_by == people.editor
    assert timing.since_start is not None
    assert timing.since_start >= timedelta(0)
    assert drill_timings(drill)[1].since_start is None


def test_only_participants_and_the_admins_tick(org: Org, people: People) -> None:
    drill = _drill(org, people)
    with pytest.raises(PermissionDenied):
        drill_step_done(actor=people.approver, step=drill.steps.first())


def test_only_system_admins_start_a_drill(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        drill_start(actor=people.approver, unit=org.city, participants=[people.editor])


def test_another_authoritys_people_take_no_part(org: Org, people: People) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        drill_start(actor=people.system_admin, unit=org.city, participants=[people.outsider])


def test_ending_the_drill_ends_its_pauses_and_is_audited(org: Org, people: People) -> None:
    drill = _drill(org, people)
    drill_step_done(actor=people.system_admin, step=drill.steps.first())
    drill = drill_end(actor=people.system_admin, drill=drill)
    assert drill.ended_at is not None
    assert not drill.pauses.filter(ended_at__isnull=True).exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="editorial.drill.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "editorial.drill.started",
        "editorial.drill.step_done",
        "editorial.drill.ended",
    ]
    ended = AuditEntry.objects.get(action="editorial.drill.ended")
    assert ended.data["steps_done"] == 1
    assert ended.unit_id == org.city.pk


def test_the_result_page_shows_the_steps(org: Org, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    drill = _drill(org, people)
    drill_end(actor=people.system_admin, drill=drill)
    response = client_for(people.system_admin).get(f"/editorial/crisis/drills/{drill.pk}/")
    assert response.status_code == 200
    for step in drill.steps.all():
        assert f'data-drill-step="{step.pk}"'.encode() in response.content


def test_the_api_starts_ticks_and_ends_a_drill(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(people.system_admin)
    response = client.post(
        "/api/v1/crisis-drills/",
        {"unit": org.city.pk, "participants": [people.editor.pk], "title": "Übung"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    step = body["steps"][0]["id"]
    done = client.post(f"/api/v1/crisis-drills/{body['id']}/steps/{step}/done/")
    assert done.status_code == 200
    assert done.json()["steps"][0]["done_at"] is not None
    ended = client.post(f"/api/v1/crisis-drills/{body['id']}/end/")
    assert ended.json()["running"] is False


def test_the_api_refuses_drills_to_others(org: Org, people: People, api_client_for) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.approver).post(
        "/api/v1/crisis-drills/",
        {"unit": org.city.pk, "participants": [people.editor.pk]},
        format="json",
    )
    assert response.status_code == 403
    drill = _drill(org, people)
    assert (
        api_client_for(people.outsider).get(f"/api/v1/crisis-drills/{drill.pk}/").status_code == 404
    )
