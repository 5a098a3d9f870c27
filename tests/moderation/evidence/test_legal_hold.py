# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The legal hold of a criminally relevant record and its release: after a recorded complaint
the record is kept whatever its date says, until a community manager of the channel's unit
or of the handling (criminal) unit releases the hold with a reason (audited); from then on
the normal retention applies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import Role
from moderation.evidence.services import EvidenceStateError
from moderation.evidence.services import evidence_complaint_filed
from moderation.evidence.services import evidence_mark_criminal
from moderation.evidence.services import evidence_release_legal_hold
from moderation.evidence.services import evidence_remind_prosecution_deadlines
from moderation.models import EvidenceRecord
from moderation.models import ModerationSettings
from moderation.privacy.services import retention_apply
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

REASON = "Die Staatsanwaltschaft hat das Verfahren eingestellt (Az. 12 Js 345/26)."


@pytest.fixture
def filed(record: EvidenceRecord, people: People) -> EvidenceRecord:
    """A record with a recorded complaint, its own date passed."""
    evidence_mark_criminal(actor=people.community_manager, record=record)
    evidence_complaint_filed(actor=people.community_manager, record=record)
    EvidenceRecord.objects.filter(pk=record.pk).update(
        retain_until=timezone.localdate() - timedelta(days=1)
    )
    return EvidenceRecord.objects.get(pk=record.pk)


def _release(record: EvidenceRecord, actor, reason: str = REASON) -> EvidenceRecord:  # type: ignore[no-untyped-def]
    return evidence_release_legal_hold(actor=actor, record=record, reason=reason)


def test_a_record_with_a_filed_complaint_is_kept_past_its_date(filed: EvidenceRecord) -> None:
    retention_apply()
    assert EvidenceRecord.objects.filter(pk=filed.pk).exists()


def test_after_the_release_the_normal_retention_deletes_the_record(
    filed: EvidenceRecord, people: People
) -> None:
    _release(filed, people.community_manager)
    retention_apply()
    assert not EvidenceRecord.objects.filter(pk=filed.pk).exists()


def test_a_released_record_stays_until_its_own_date(filed: EvidenceRecord, people: People) -> None:
    EvidenceRecord.objects.filter(pk=filed.pk).update(
        retain_until=timezone.localdate() + timedelta(days=10)
    )
    _release(EvidenceRecord.objects.get(pk=filed.pk), people.community_manager)
    retention_apply()
    assert EvidenceRecord.objects.filter(pk=filed.pk).exists()


def test_the_release_records_who_when_and_why(filed: EvidenceRecord, people: People) -> None:
    released = _release(filed, people.community_manager)
    assert released.legal_hold_released_by == people.community_manager
    assert released.legal_hold_released_at is not None
    assert released.legal_hold_release_reason == REASON


def test_the_release_is_audited_with_its_reason(filed: EvidenceRecord, people: People) -> None:
    _release(filed, people.community_manager)
    entry = AuditEntry.objects.get(action="moderation.evidence.legal_hold_released")
    assert entry.actor == people.community_manager
    assert entry.data["reason"] == REASON
    assert entry.target_id == str(filed.pk)


@pytest.mark.parametrize("reason", ["", "  \n"])
def test_a_release_needs_a_reason(filed: EvidenceRecord, people: People, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _release(filed, people.community_manager, reason)
    assert "reason" in refused.value.message_dict
    assert EvidenceRecord.objects.get(pk=filed.pk).legal_hold_released_at is None


def test_a_community_manager_of_the_criminal_unit_may_release(
    record: EvidenceRecord, people: People, org: Org
) -> None:
    ModerationSettings.objects.create(unit=org.city, criminal_unit=org.social)
    evidence_mark_criminal(actor=people.community_manager, record=record)
    evidence_complaint_filed(actor=people.community_manager, record=record)
    criminal_desk = UserFactory(roles=[(org.social, Role.COMMUNITY_MANAGER)])
    released = _release(record, criminal_desk)
    assert released.legal_hold_released_by == criminal_desk


def test_an_auditor_may_not_release(filed: EvidenceRecord, people: People) -> None:
    with pytest.raises(PermissionDenied):
        _release(filed, people.auditor)
    assert not AuditEntry.objects.filter(action="moderation.evidence.legal_hold_released").exists()


def test_a_record_not_on_hold_cannot_be_released(record: EvidenceRecord, people: People) -> None:
    with pytest.raises(EvidenceStateError):
        _release(record, people.community_manager)


def test_a_hold_cannot_be_released_twice(filed: EvidenceRecord, people: People) -> None:
    _release(filed, people.community_manager)
    with pytest.raises(EvidenceStateError):
        _release(EvidenceRecord.objects.get(pk=filed.pk), people.community_manager)


def test_no_deadline_reminder_after_the_release(record: EvidenceRecord, people: People) -> None:
    evidence_mark_criminal(actor=people.community_manager, record=record)
    _release(EvidenceRecord.objects.get(pk=record.pk), people.community_manager)
    record.refresh_from_db()
    assert record.prosecution_deadline is not None
    evidence_remind_prosecution_deadlines(today=record.prosecution_deadline - timedelta(days=14))
    assert not Notification.objects.filter(kind="moderation.prosecution_deadline").exists()


# --- API and page ---------------------------------------------------------------------------


def test_the_api_releases_the_hold(api_client_for, people: People, filed: EvidenceRecord) -> None:  # type: ignore[no-untyped-def]
    response = api_client_for(people.community_manager).post(
        f"/api/v1/evidence-records/{filed.pk}/release-hold/", {"reason": REASON}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["legal_hold"], body["legal_hold_release_reason"]) == (False, REASON)
    assert body["legal_hold_released_at"]


def test_the_api_shows_a_record_on_hold(
    api_client_for, people: People, filed: EvidenceRecord
) -> None:  # type: ignore[no-untyped-def]
    body = api_client_for(people.auditor).get(f"/api/v1/evidence-records/{filed.pk}/").json()
    assert body["legal_hold"] is True


def test_the_api_refuses_an_auditor_and_hides_the_record_from_another_authority(
    api_client_for, people: People, filed: EvidenceRecord
) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/v1/evidence-records/{filed.pk}/release-hold/"
    auditor = api_client_for(people.auditor).post(path, {"reason": REASON}, format="json")
    outsider = api_client_for(people.outsider).post(path, {"reason": REASON}, format="json")
    assert (auditor.status_code, outsider.status_code) == (403, 404)
    assert EvidenceRecord.objects.get(pk=filed.pk).legal_hold_released_at is None


def test_the_page_releases_the_hold(client_for, people: People, filed: EvidenceRecord) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.community_manager)
    page = client.get(f"/moderation/evidence/{filed.pk}/").content.decode()
    assert f'action="/moderation/evidence/{filed.pk}/release-hold/"' in page
    response = client.post(f"/moderation/evidence/{filed.pk}/release-hold/", {"reason": REASON})
    assert response.status_code == 302
    assert EvidenceRecord.objects.get(pk=filed.pk).legal_hold_release_reason == REASON


def test_the_page_refuses_an_auditor(client_for, people: People, filed: EvidenceRecord) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.auditor)
    page = client.get(f"/moderation/evidence/{filed.pk}/").content.decode()
    assert "release-hold" not in page
    response = client.post(f"/moderation/evidence/{filed.pk}/release-hold/", {"reason": REASON})
    assert response.status_code == 403
