"""Carrying a decision out at the platform (the sandbox API, faked at the HTTP boundary):
evidence committed before the call, success marks the item, a failure leaves item and
evidence consistent and can be retried without a second evidence record."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import requests
import responses
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEntry
from moderation.actions import services as action_services
from moderation.actions.services import action_carry_out
from moderation.actions.services import action_retry
from moderation.actions.services import action_take
from moderation.actions.tasks import carry_out_action
from moderation.actions.tasks import retry_pending_actions
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction
from tests.conftest import People
from tests.moderation.actions.conftest import sandbox_url

K = ModerationAction.Kind
S = ModerationAction.Status
WHY = "Der Kommentar droht Gewalt an; verborgen bliebe er für seinen Verfasser sichtbar."


def _hide(people: People, item, rule) -> ModerationAction:
    return action_take(
        actor=people.community_manager,
        item=item,
        kind=K.HIDE,
        rule=rule,
        justification="Beleidigung aller Mitlesenden.",
    )


def _hide_url(item: InboxItem) -> str:
    return sandbox_url(f"/comments/{item.remote_id}/hide")


def _comment_body(item: InboxItem, hidden: bool) -> dict:
    return {"id": item.remote_id, "post_id": "p-1", "text": item.text, "hidden": hidden}


def _committed_elsewhere(evidence_id: int) -> bool:
    """Whether another database connection (another thread) sees the evidence row: only
    what is committed is visible there."""
    seen: list[bool] = []

    def look() -> None:
        from django.db import connection as own

        try:
            seen.append(EvidenceRecord.objects.filter(pk=evidence_id).exists())
        finally:
            own.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen == [True]


@pytest.mark.django_db(transaction=True)
def test_evidence_is_committed_before_the_platform_call(people: People, item, rule) -> None:
    observed: list[bool] = []

    def platform(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        action = ModerationAction.objects.get(item=item)
        observed.append(_committed_elsewhere(action.evidence_id))
        return 200, {}, '{"id": "c-42", "hidden": true}'

    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, _hide_url(item), callback=platform)
        assert action_carry_out(action.pk) == "done"
    assert observed == [True]
    assert not connection.in_atomic_block


def test_a_done_hide_marks_the_item_hidden(people: People, item, rule) -> None:
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), json=_comment_body(item, True))
        assert carry_out_action.apply(args=[action.pk]).get() == "done"
    item.refresh_from_db()
    action.refresh_from_db()
    assert item.remote_hidden and action.status == S.DONE and action.finished_at
    assert AuditEntry.objects.filter(action="moderation.actions.done").count() == 1


def test_a_finished_action_is_never_called_twice(people: People, item, rule) -> None:
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), json=_comment_body(item, True))
        action_carry_out(action.pk)
        assert action_carry_out(action.pk) == "skipped"
        assert len(mock.calls) == 1


def test_a_refused_hide_fails_with_reason_and_keeps_the_evidence(
    people: People, item, rule
) -> None:
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(
            responses.POST,
            _hide_url(item),
            status=404,
            json={"error": "not_found", "error_description": "No such comment."},
        )
        assert action_carry_out(action.pk) == "failed"
    action.refresh_from_db()
    item.refresh_from_db()
    assert action.status == S.FAILED and action.last_error
    assert not item.remote_hidden
    assert EvidenceRecord.objects.filter(pk=action.evidence_id).exists()
    assert AuditEntry.objects.filter(action="moderation.actions.failed").exists()


def test_a_failed_hide_can_be_retried_without_new_evidence(people: People, item, rule) -> None:
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), status=404, json={"error": "not_found"})
        action_carry_out(action.pk)
    action_retry(actor=people.community_manager, action=action)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), json=_comment_body(item, True))
        assert action_carry_out(action.pk) == "done"
    item.refresh_from_db()
    assert item.remote_hidden
    assert EvidenceRecord.objects.count() == 1
    assert AuditEntry.objects.filter(action="moderation.actions.retried").exists()


def test_a_server_error_is_retried_later_by_the_sweeper(people: People, item, rule) -> None:
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), status=500, json={"error": "server_error"})
        assert action_carry_out(action.pk) == "retry"
    action.refresh_from_db()
    item.refresh_from_db()
    assert action.status == S.PENDING and action.last_error and not item.remote_hidden
    assert action.next_attempt_at > timezone.now()
    ModerationAction.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now())
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), json=_comment_body(item, True))
        assert action_carry_out(action.pk) == "done"
    assert EvidenceRecord.objects.count() == 1
    assert ModerationAction.objects.get(pk=action.pk).attempts == 2


def test_a_timeout_is_transient(people: People, item, rule) -> None:
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), body=requests.ReadTimeout())
        assert action_carry_out(action.pk) == "retry"
    assert not InboxItem.objects.get(pk=item.pk).remote_hidden


def test_transient_failures_end_in_failed_after_the_bound(
    people: People, item, rule, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action_services, "MAX_ATTEMPTS", 2)
    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), status=503, json={"error": "unavailable"})
        assert action_carry_out(action.pk) == "retry"
        ModerationAction.objects.filter(pk=action.pk).update(next_attempt_at=timezone.now())
        assert action_carry_out(action.pk) == "failed"
    action.refresh_from_db()
    assert action.status == S.FAILED and action.last_error
    assert not InboxItem.objects.get(pk=item.pk).remote_hidden
    assert EvidenceRecord.objects.filter(pk=action.evidence_id).exists()
    action_retry(actor=people.community_manager, action=action)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), json=_comment_body(item, True))
        assert action_carry_out(action.pk) == "done"
    assert EvidenceRecord.objects.count() == 1


def test_the_sweeper_queues_due_actions_only(people: People, item, rule) -> None:
    action = _hide(people, item, rule)
    assert retry_pending_actions.apply().get() == 0
    ModerationAction.objects.filter(pk=action.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert retry_pending_actions.apply().get() == 1


def test_a_delete_of_a_comment_already_gone_is_done(people: People, item, rule) -> None:
    action = action_take(
        actor=people.community_manager,
        item=item,
        kind=K.DELETE,
        rule=rule,
        justification="Drohung.",
        why_not_milder=WHY,
    )
    with responses.RequestsMock() as mock:
        mock.add(responses.DELETE, sandbox_url(f"/comments/{item.remote_id}"), status=404)
        assert action_carry_out(action.pk) == "done"
    assert InboxItem.objects.get(pk=item.pk).remote_deleted_at is not None


def test_show_again_after_a_hide(people: People, item, rule) -> None:
    hide = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), json=_comment_body(item, True))
        action_carry_out(hide.pk)
    unhide = action_take(
        actor=people.community_manager,
        item=item,
        kind=K.UNHIDE,
        rule=None,
        justification="Widerspruch berechtigt.",
    )
    assert unhide.rule == rule  # cites the rule of the hide it undoes
    with responses.RequestsMock() as mock:
        mock.add(
            responses.POST,
            sandbox_url(f"/comments/{item.remote_id}/unhide"),
            json=_comment_body(item, False),
        )
        assert action_carry_out(unhide.pk) == "done"
    assert not InboxItem.objects.get(pk=item.pk).remote_hidden


def test_the_decider_learns_of_a_failure(people: People, item, rule) -> None:
    from accounts.models import Notification
    from accounts.notifications import notification_render

    action = _hide(people, item, rule)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, _hide_url(item), status=404, json={"error": "not_found"})
        action_carry_out(action.pk)
    note = Notification.objects.get(kind="moderation.action_failed")
    assert note.recipient == people.community_manager
    assert note.link == f"/moderation/actions/items/{item.pk}/"
    assert notification_render(note).text
