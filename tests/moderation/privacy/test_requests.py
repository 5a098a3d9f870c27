# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Recording a data-subject request: audited, with the one-month deadline for the answer
(Art. 12 (3) GDPR) counted from the day it was received."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from moderation.models import DataSubjectRequest
from moderation.models import answer_due_on
from moderation.privacy.selectors import requests_for_units
from moderation.privacy.services import data_subject_export_record
from moderation.privacy.services import data_subject_request_create
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ACCESS = DataSubjectRequest.Kind.ACCESS


def _create(org, people, trail, **extra):  # type: ignore[no-untyped-def]
    return data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=ACCESS,
        authors=[trail.author],
        reference="DS-7",
        **extra,
    )


def test_recording_a_request_is_audited(org, people, trail) -> None:
    subject_request = _create(org, people, trail)
    entry = AuditEntry.objects.get(action="moderation.privacy.request_recorded")
    assert (entry.actor, entry.target_id) == (people.community_manager, str(subject_request.pk))
    assert entry.data["authors"] == [trail.author.pk]


def test_the_audit_entry_names_no_citizen(org, people, trail) -> None:
    _create(org, people, trail)
    entry = AuditEntry.objects.get(action="moderation.privacy.request_recorded")
    assert "erika" not in repr(entry.data).lower()


def test_the_answer_is_due_a_month_after_receipt(org, people, trail) -> None:
    subject_request = _create(org, people, trail, received_on=date(2026, 11, 10))
    assert subject_request.due_on == date(2026, 12, 10)


def test_a_month_after_the_31st_ends_on_the_last_day_of_a_shorter_month() -> None:
    assert answer_due_on(date(2027, 1, 31)) == date(2027, 2, 28)


def test_received_today_unless_said_otherwise(org, people, trail) -> None:
    assert _create(org, people, trail).received_on == timezone.localdate()


def test_a_request_cannot_be_received_in_the_future(org, people, trail) -> None:
    with pytest.raises(ValidationError):
        _create(org, people, trail, received_on=timezone.localdate() + timedelta(days=1))


def test_an_open_request_past_its_due_date_is_overdue(org, people, trail) -> None:
    _create(org, people, trail, received_on=date(2026, 10, 1))
    with time_machine.travel(date(2026, 11, 2)):
        assert requests_for_units({org.press.pk}).get().overdue is True


def test_a_completed_request_is_not_overdue(org, people, trail) -> None:
    subject_request = _create(org, people, trail, received_on=date(2026, 10, 1))
    data_subject_export_record(actor=people.community_manager, subject_request=subject_request)
    with time_machine.travel(date(2026, 11, 2)):
        assert requests_for_units({org.press.pk}).get().overdue is False
