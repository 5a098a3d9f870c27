"""The audit chain resists someone with database access: TRUNCATE is refused, and entry
hashes are HMACs under a key the database does not hold (issue 16)."""

from __future__ import annotations

import json
from importlib import import_module

import pytest
from django.db import connection
from django.db import transaction
from django.db.utils import DatabaseError

from accounts.audit import audit_log
from accounts.audit import compute_entry_hash
from accounts.audit import verify_audit_chain
from accounts.models import AuditChainHead
from accounts.models import AuditEntry
from tests.accounts.test_audit import _entries
from tests.accounts.test_audit import _tamper

pytestmark = pytest.mark.django_db

KEY_A = {"key-a": "first-audit-hmac-key-for-the-tests-0123456789"}
KEY_B = {"key-b": "second-audit-hmac-key-for-the-tests-987654321"}


def _rewrite_from(sequence: int, *, key_id: str, keys: dict[str, bytes]) -> None:
    """What an attacker with database access does: alter entry ``sequence``, recompute every
    hash from there to the end (with the keys they have) and move the chain head along."""
    entries = list(AuditEntry.objects.order_by("sequence").select_related("target_type"))
    previous_hash = entries[sequence - 2].entry_hash if sequence > 1 else "0" * 64
    for entry in entries[sequence - 1 :]:
        if entry.sequence == sequence:
            entry.data = {"after": {"n": 99}}
        entry.previous_hash = previous_hash
        entry.key_id = key_id
        entry.entry_hash = compute_entry_hash(entry, keys=keys)
        _tamper(
            "UPDATE accounts_auditentry SET data = %s, previous_hash = %s, key_id = %s,"
            " entry_hash = %s WHERE sequence = %s",
            [
                json.dumps(entry.data),
                entry.previous_hash,
                entry.key_id,
                entry.entry_hash,
                entry.sequence,
            ],
        )
        previous_hash = entry.entry_hash
    AuditChainHead.objects.filter(pk=1).update(entry_hash=previous_hash)


@pytest.mark.parametrize(
    "tables",
    [
        "accounts_auditentry",
        "accounts_auditchainhead",
        "accounts_auditcheckpoint",
        "accounts_auditentry, accounts_auditchainhead",
    ],
)
def test_the_database_refuses_truncate(tables: str) -> None:
    _entries(2)
    # The guards as the migration creates them (the test database drops them, tests/conftest.py).
    migration = import_module("accounts.migrations.0003_audit_tamper_evidence")
    with connection.cursor() as cursor:
        cursor.execute(migration.FORBID_TRUNCATE)
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test runs in one transaction: its deferred foreign-key checks would block it.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables}")
    assert AuditEntry.objects.count() == 2
    assert list(verify_audit_chain()) == []


def test_new_entries_are_keyed_with_the_newest_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_HMAC_KEYS = {**KEY_B, **KEY_A}
    entry = _entries(1)[0]
    assert entry.key_id == "key-b"
    assert AuditEntry.objects.get(pk=entry.pk).entry_hash == compute_entry_hash(entry)
    assert list(verify_audit_chain()) == []


def test_rewrite_with_plain_sha256_from_an_altered_entry_fails() -> None:
    """The attack of issue 16: recompute the chain from the altered entry to the end and move
    the head. Without the key only plain SHA-256 (an unkeyed entry) is possible."""
    _entries(4)
    _rewrite_from(2, key_id="", keys={})
    problems = list(verify_audit_chain())
    assert [p.sequence for p in problems if "no keyed hash" in p.message][:3] == [2, 3, 4]


def test_rewriting_the_whole_log_as_unkeyed_entries_fails() -> None:
    _entries(3)
    _rewrite_from(1, key_id="", keys={})
    messages = [p.message for p in verify_audit_chain()]
    assert any("newest entry has no keyed hash" in message for message in messages)


def test_rewrite_with_a_guessed_key_fails() -> None:
    entries = _entries(3)
    _rewrite_from(2, key_id=entries[0].key_id, keys={entries[0].key_id: b"guessed"})
    problems = list(verify_audit_chain())
    assert [(p.sequence, "altered" in p.message) for p in problems] == [(2, True), (3, True)]


def test_entries_before_keyed_hashes_stay_verifiable(settings) -> None:  # type: ignore[no-untyped-def]
    """Entries written before the switch ("version 1", plain SHA-256) verify as before;
    they are only as strong as before."""
    entries = _entries(2)
    _rewrite_from(1, key_id="", keys={})  # now as the old code wrote them
    audit_log(action="accounts.user.updated", actor=entries[0].actor)  # keyed again
    assert list(verify_audit_chain()) == []


def test_entries_of_a_rotated_key_verify_while_it_is_configured(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_HMAC_KEYS = KEY_A
    _entries(2)
    settings.AUDIT_HMAC_KEYS = {**KEY_B, **KEY_A}  # rotation: the new key first
    _entries(2)
    assert list(AuditEntry.objects.order_by("sequence").values_list("key_id", flat=True)) == [
        "key-a",
        "key-a",
        "key-b",
        "key-b",
    ]
    assert list(verify_audit_chain()) == []


def test_entries_of_a_missing_key_are_reported_once(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AUDIT_HMAC_KEYS = KEY_A
    _entries(2)
    settings.AUDIT_HMAC_KEYS = KEY_B  # key A dropped too early
    _entries(1)
    problems = list(verify_audit_chain())
    assert [(p.sequence, p.message) for p in problems] == [
        (
            1,
            "cannot verify entries of key 'key-a': the key is not configured in AUDIT_HMAC_KEYS",
        )
    ]
