# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Checklist items are ticked by audit entries of the person in their own practice space,
and the tick is kept (the training record) once earned."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.audit import AUDIT_ACTIONS
from accounts.audit import audit_log
from accounts.guidance.checklists import CHECKLISTS
from accounts.guidance.checklists import ITEMS
from accounts.guidance.checklists import items_for_roles
from accounts.guidance.selectors import checklist_for
from accounts.guidance.selectors import training_record_of
from accounts.guidance.services import training_record_sync
from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import TrainingCompletion
from tests.accounts.guidance.conftest import practice_space
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_every_role_has_a_checklist() -> None:
    assert set(CHECKLISTS) == set(Role.values)
    assert all(CHECKLISTS[role] for role in Role.values)


def test_every_action_of_an_item_is_a_registered_audit_action() -> None:
    unknown = {a for item in ITEMS.values() for a in item.actions if a not in AUDIT_ACTIONS}
    assert unknown == set()


def test_items_are_given_in_role_order_each_once() -> None:
    keys = [item.key for item in items_for_roles({Role.APPROVER, Role.EDITOR})]
    assert keys == [
        "editor.first_draft",
        "editor.submit_for_review",
        "editor.use_template",
        "approver.review_with_comment",
        "approver.reject_with_reason",
    ]


def test_a_new_editor_has_nothing_done(people: People) -> None:
    checklist = checklist_for(people.editor)
    assert (checklist.done, checklist.total) == (0, 3)


def test_an_action_in_the_practice_space_ticks_the_item(people: People) -> None:
    unit = practice_space(people.editor, Role.EDITOR)
    entry = audit_log(action="editorial.post.created", actor=people.editor, unit=unit)
    completion = TrainingCompletion.objects.get(user=people.editor)
    assert completion.item == "editor.first_draft"
    assert completion.role == Role.EDITOR
    assert completion.audit_sequence == entry.sequence
    assert completion.completed_at == entry.created_at
    assert checklist_for(people.editor).done == 1


def test_an_action_in_a_real_unit_ticks_nothing(org: Org, people: People) -> None:
    practice_space(people.editor, Role.EDITOR)
    audit_log(action="editorial.post.created", actor=people.editor, unit=org.press)
    assert not TrainingCompletion.objects.exists()


def test_an_action_in_someone_elses_practice_space_ticks_nothing(people: People) -> None:
    unit = practice_space(people.approver, Role.APPROVER)
    audit_log(action="editorial.post.created", actor=people.editor, unit=unit)
    assert not TrainingCompletion.objects.exists()


def test_an_action_without_the_data_the_item_asks_for_ticks_nothing(people: People) -> None:
    unit = practice_space(people.approver, Role.APPROVER)
    audit_log(
        action="editorial.post.approval_given",
        actor=people.approver,
        unit=unit,
        data={"comment": ""},
    )
    assert not TrainingCompletion.objects.exists()
    audit_log(
        action="editorial.post.approval_given",
        actor=people.approver,
        unit=unit,
        data={"comment": "Bitte Quelle nennen."},
    )
    assert TrainingCompletion.objects.get().item == "approver.review_with_comment"


def test_nested_data_is_looked_up(people: People) -> None:
    unit = practice_space(people.community_manager, Role.COMMUNITY_MANAGER)
    audit_log(
        action="moderation.replies.created",
        actor=people.community_manager,
        unit=unit,
        after={"saved_reply": None},
    )
    assert not TrainingCompletion.objects.exists()
    audit_log(
        action="moderation.replies.created",
        actor=people.community_manager,
        unit=unit,
        after={"saved_reply": 7},
    )
    assert TrainingCompletion.objects.get().item == "community_manager.reply_with_saved_reply"


def test_one_entry_may_tick_two_items(people: People) -> None:
    unit = practice_space(people.editor, Role.EDITOR)
    audit_log(action="editorial.post.created_from_template", actor=people.editor, unit=unit)
    assert set(TrainingCompletion.objects.values_list("item", flat=True)) == {
        "editor.first_draft",
        "editor.use_template",
    }


def test_the_first_completion_is_kept(people: People) -> None:
    unit = practice_space(people.editor, Role.EDITOR)
    first = audit_log(action="editorial.post.submitted", actor=people.editor, unit=unit)
    audit_log(action="editorial.post.submitted", actor=people.editor, unit=unit)
    completion = TrainingCompletion.objects.get()
    assert completion.audit_sequence == first.sequence


def test_the_record_survives_without_the_audit_entry(people: People) -> None:
    """Stored, not derived: the record stands even when the log has nothing (retention)."""
    TrainingCompletion.objects.create(
        user=people.editor,
        item="editor.first_draft",
        role=Role.EDITOR,
        completed_at=timezone.now() - timedelta(days=400),
    )
    assert not AuditEntry.objects.filter(actor=people.editor).exists()
    assert training_record_of(people.editor).done == 1


def test_sync_ticks_what_earlier_entries_earned(people: People) -> None:
    unit = practice_space(people.editor, Role.EDITOR)
    audit_log(action="editorial.post.created", actor=people.editor, unit=unit)
    TrainingCompletion.objects.all().delete()
    assert training_record_sync(people.editor) == 1
    assert training_record_sync(people.editor) == 0


def test_the_record_lists_the_items_of_the_real_roles(people: People) -> None:
    """The practice space mirrors the roles; the record follows the real ones."""
    practice_space(people.editor, Role.EDITOR, Role.APPROVER)
    assert training_record_of(people.editor).total == 3


def test_an_item_not_practised_is_ticked_where_it_is_first_done(org: Org, people: People) -> None:
    """Administration is not practised in the practice space: a real invitation counts."""
    audit_log(action="accounts.user.invited", actor=people.system_admin, unit=org.press)
    assert TrainingCompletion.objects.get().item == "system_admin.invite_user"


def test_a_practised_item_is_still_not_ticked_outside_the_practice_space(
    org: Org, people: People
) -> None:
    audit_log(action="editorial.post.submitted", actor=people.editor, unit=None)
    assert not TrainingCompletion.objects.exists()


def test_in_practice_mode_the_checklist_stays_that_of_the_real_roles(people: People) -> None:
    from accounts.practice.services import practice_mode_set

    practice_mode_set(user=people.editor, active=True)
    assert [e.item.role for e in checklist_for(people.editor).entries] == [Role.EDITOR] * 3
