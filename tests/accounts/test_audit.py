from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db import transaction
from django.db.utils import DatabaseError

from accounts.audit import MASK
from accounts.audit import audit_log
from accounts.audit import verify_audit_chain
from accounts.audited import audited_change
from accounts.models import AuditChainHead
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from tests.factories import UnitFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(count: int) -> list[AuditEntry]:
    actor = UserFactory()
    return [
        audit_log(action="accounts.user.updated", actor=actor, target=actor, after={"n": i})
        for i in range(count)
    ]


def _tamper(sql: str, params: list[object]) -> None:
    """What an attacker with database access does: switch the guard off, rewrite, switch on."""
    with connection.cursor() as cursor:
        # The test runs in one transaction; deferred foreign-key checks would block ALTER.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE accounts_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE accounts_auditentry ENABLE TRIGGER USER")


def test_entries_link_to_their_predecessor_and_verify() -> None:
    entries = _entries(3)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert entries[2].previous_hash == entries[1].entry_hash
    assert list(verify_audit_chain()) == []
    call_command("audit_verify")


def test_altered_row_is_detected_by_audit_verify() -> None:
    entries = _entries(3)
    _tamper(
        "UPDATE accounts_auditentry SET data = %s WHERE sequence = %s",
        ['{"after": {"n": 99}}', entries[1].sequence],
    )
    problems = list(verify_audit_chain())
    assert [(p.sequence, "altered" in p.message) for p in problems] == [(2, True)]
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit_verify")


def test_altered_actor_is_detected() -> None:
    entries = _entries(2)
    other = UserFactory()
    _tamper(
        "UPDATE accounts_auditentry SET actor_id = %s WHERE sequence = %s",
        [other.pk, entries[0].sequence],
    )
    assert any(p.sequence == 1 for p in verify_audit_chain())


def test_removed_row_is_detected() -> None:
    _entries(3)
    _tamper("DELETE FROM accounts_auditentry WHERE sequence = %s", [2])
    messages = [p.message for p in verify_audit_chain()]
    assert any("removed or reordered" in m for m in messages)


def test_removed_tail_is_detected_through_the_chain_head() -> None:
    _entries(3)
    _tamper("DELETE FROM accounts_auditentry WHERE sequence = %s", [3])
    problems = list(verify_audit_chain())
    assert len(problems) == 1
    assert problems[0].sequence is None
    assert "removed from the end" in problems[0].message


def test_reordered_rows_are_detected() -> None:
    _entries(3)
    _tamper("UPDATE accounts_auditentry SET sequence = sequence + 100 WHERE sequence = 1", [])
    _tamper("UPDATE accounts_auditentry SET sequence = 1 WHERE sequence = 2", [])
    _tamper("UPDATE accounts_auditentry SET sequence = 2 WHERE sequence = 101", [])
    assert list(verify_audit_chain())


def test_the_application_cannot_change_or_delete_an_entry() -> None:
    entry = _entries(1)[0]
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_raw_updates_and_deletes() -> None:
    entry = _entries(1)[0]
    for sql in (
        "UPDATE accounts_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "accounts.user.updated"


def test_secrets_are_masked_at_any_depth() -> None:
    entry = audit_log(
        action="accounts.user.updated",
        before={"password": "hunter2", "nested": {"access_token": "abc", "name": "ok"}},
        after={"credentials": [{"app_password": "xyz"}], "client_secret": "s"},
    )
    stored = AuditEntry.objects.get(pk=entry.pk).data
    assert stored["before"] == {"password": MASK, "nested": {"access_token": MASK, "name": "ok"}}
    assert stored["after"] == {"credentials": MASK, "client_secret": MASK}
    assert "hunter2" not in str(stored)


def test_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_log(action="accounts.typo")
    assert not AuditEntry.objects.exists()


def test_entry_rolls_back_with_the_change() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(action="accounts.user.updated")
        raise RuntimeError
    assert not AuditEntry.objects.exists()
    assert AuditChainHead.objects.filter(sequence__gt=0).count() == 0
    assert list(verify_audit_chain()) == []


def test_django_admin_offers_no_way_to_change_entries(client_for) -> None:  # type: ignore[no-untyped-def]
    superuser = UserFactory(is_superuser=True, is_staff=True)
    entry = _entries(1)[0]
    client = client_for(superuser)
    assert client.get(f"/django-admin/accounts/auditentry/{entry.pk}/change/").status_code in (
        200,
        403,
    )
    response = client.post(
        f"/django-admin/accounts/auditentry/{entry.pk}/change/", {"action": "changed"}
    )
    assert response.status_code == 403
    response = client.post(f"/django-admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "accounts.user.updated"


def test_client_address_behind_the_proxy_is_the_rightmost_forwarded_entry(settings) -> None:  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    from accounts.audit import client_ip

    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2"
    )
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.9"  # the client-supplied 6.6.6.6 is ignored


def _name_snapshot(unit: OrgUnit) -> dict[str, object]:
    return {"name": unit.name}


def test_audited_change_records_the_instance_before_and_after_the_block() -> None:
    actor, unit = UserFactory(), UnitFactory(name="Amt alt")
    audit = audited_change(
        unit, "accounts.unit.updated", _name_snapshot, actor=actor, request=None, unit=unit
    )
    with audit:
        unit.name = "Amt neu"
        unit.save()
    entry = AuditEntry.objects.get(action="accounts.unit.updated")
    assert (entry.actor, entry.unit) == (actor, unit)
    assert entry.data == {"before": {"name": "Amt alt"}, "after": {"name": "Amt neu"}}


def test_audited_change_writes_no_entry_when_the_block_fails() -> None:
    unit = UnitFactory()
    with (
        pytest.raises(ValueError, match="refused"),
        audited_change(unit, "accounts.unit.updated", _name_snapshot, actor=None, request=None),
    ):
        raise ValueError("refused")
    assert not AuditEntry.objects.filter(action="accounts.unit.updated").exists()
