"""Signed daily checkpoints of the audit chain's head, e-mailed to the auditors, and
``audit_verify`` checking the chain against them (issue 16)."""

from __future__ import annotations

import base64
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import translation

from accounts.audit import verify_audit_chain
from accounts.audit_checkpoints.selectors import latest_checkpoints
from accounts.audit_checkpoints.services import audit_checkpoint_write
from accounts.audit_checkpoints.services import checkpoint_public_key
from accounts.audit_checkpoints.services import checkpoint_text
from accounts.audit_checkpoints.tasks import audit_checkpoint
from accounts.models import AuditChainHead
from accounts.models import AuditCheckpoint
from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import NotificationPreference
from accounts.notifications import notification_render
from accounts.services import notification_preferences_update
from accounts.tasks import send_notification_email
from tests.accounts.test_audit import _entries
from tests.accounts.test_audit import _tamper
from tests.accounts.test_audit_tamper_evidence import _rewrite_from
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OTHER_SIGNING_KEY = base64.b64encode(b"another-anchor-signing-key-32byt").decode()


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit_verify", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_checkpoint_signs_the_chain_head_and_is_itself_audited() -> None:
    _entries(2)
    checkpoint = audit_checkpoint_write()
    head_entry = AuditEntry.objects.get(sequence=2)
    assert (checkpoint.sequence, checkpoint.entry_hash) == (2, head_entry.entry_hash)
    logged = AuditEntry.objects.get(sequence=3)
    assert logged.action == "accounts.audit_checkpoint.written"
    assert logged.target_id == str(checkpoint.pk)
    assert logged.data == {
        "sequence": 2,
        "entry_hash": head_entry.entry_hash,
        "key_id": checkpoint.key_id,
    }
    assert list(verify_audit_chain()) == []


def test_checkpoint_is_sent_to_every_auditor_of_every_authority(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        checkpoint = audit_checkpoint_write()
    notifications = Notification.objects.filter(kind="accounts.audit_checkpoint")
    assert {n.recipient for n in notifications} == {people.auditor, people.outsider}
    send_notification_email(notifications.get(recipient=people.auditor).pk)
    assert mail.outbox[0].to == [people.auditor.email]
    assert checkpoint_text(checkpoint) in mail.outbox[0].body
    assert "<pre>" in mail.outbox[0].alternatives[0][0]


def test_the_emailed_text_is_read_by_audit_verify(tmp_path: Path) -> None:
    _entries(2)
    recipient = _entries(1)[0].actor
    checkpoint = audit_checkpoint_write()
    notification = Notification.objects.create(
        recipient=recipient,
        kind="accounts.audit_checkpoint",
        context={"checkpoint": checkpoint_text(checkpoint), "sequence": checkpoint.sequence},
    )
    with translation.override("en"):
        emailed = notification_render(notification).text
    anchor = tmp_path / "checkpoint.txt"
    anchor.write_text(emailed, encoding="utf-8")
    assert "1 given checkpoint(s), the newest up to entry #3" in _verify("--anchor", str(anchor))
    quoted = "\n".join(f"> {line}" for line in emailed.splitlines())  # as in a reply
    assert "given checkpoint" in _verify("--anchor", quoted)


def test_without_an_anchor_the_newest_stored_checkpoint_is_used_and_named() -> None:
    _entries(1)
    assert "No checkpoint stored yet" in _verify()
    audit_checkpoint_write()
    output = _verify()
    assert "newest stored checkpoint (entry #1," in output
    assert "pass the e-mailed copy with --anchor" in output


def test_a_rewrite_of_the_chain_and_the_stored_checkpoint_is_caught_by_the_emailed_anchor() -> None:
    """The worst case: the attacker even holds the HMAC key, so the chain verifies by itself,
    and alters the stored checkpoint to match. The e-mailed copy is out of their reach."""
    _entries(3)
    emailed = checkpoint_text(audit_checkpoint_write())
    keys = {key_id: secret.encode() for key_id, secret in django_settings.AUDIT_HMAC_KEYS.items()}
    _rewrite_from(2, key_id=next(iter(keys)), keys=keys)
    assert list(verify_audit_chain()) == []  # consistent again, as far as the chain goes
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_auditcheckpoint DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE accounts_auditcheckpoint SET entry_hash = %s",
            [AuditEntry.objects.get(sequence=3).entry_hash],
        )
        cursor.execute("ALTER TABLE accounts_auditcheckpoint ENABLE TRIGGER USER")
    assert "signature invalid (altered or forged)" in _verify_fails()
    assert "does not have the hash the checkpoint" in _verify_fails("--anchor", emailed)


def test_an_emptied_log_is_caught_by_the_anchor() -> None:
    _entries(2)
    emailed = checkpoint_text(audit_checkpoint_write())
    _tamper("DELETE FROM accounts_auditentry", [])
    AuditChainHead.objects.filter(pk=1).update(sequence=0, entry_hash="0" * 64)
    assert list(verify_audit_chain()) == []  # an empty log is consistent in itself
    assert "the log has no entry #2" in _verify_fails("--anchor", emailed)


def test_an_altered_anchor_fails_its_signature() -> None:
    _entries(1)
    emailed = checkpoint_text(audit_checkpoint_write())
    head_hash = AuditEntry.objects.get(sequence=1).entry_hash
    forged = emailed.replace(head_hash, "f" * 64)
    assert "signature invalid" in _verify_fails("--anchor", forged)


def test_checkpoints_of_a_retired_signing_key_verify_while_it_is_listed(settings) -> None:  # type: ignore[no-untyped-def]
    _entries(1)
    old_public_key = checkpoint_public_key()
    emailed = checkpoint_text(audit_checkpoint_write())
    settings.AUDIT_ANCHOR_SIGNING_KEY = OTHER_SIGNING_KEY
    assert "neither the signing key nor in AUDIT_ANCHOR_RETIRED_KEYS" in _verify_fails(
        "--anchor", emailed
    )
    settings.AUDIT_ANCHOR_RETIRED_KEYS = [old_public_key]
    assert "given checkpoint" in _verify("--anchor", emailed)


def test_text_without_a_checkpoint_is_refused() -> None:
    with pytest.raises(CommandError, match="No checkpoint found"):
        call_command("audit_verify", "--anchor", "Hash: 123", stdout=StringIO())


def test_the_public_key_is_printed_for_publishing() -> None:
    assert _verify("--public-key").strip() == checkpoint_public_key()


def test_the_daily_task_writes_a_checkpoint_on_the_default_queue() -> None:
    checkpoint = AuditCheckpoint.objects.get(pk=audit_checkpoint())
    assert checkpoint.sequence == 0  # an empty log is anchored too
    schedule = django_settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert schedule["task"] == "accounts.audit_checkpoints.tasks.audit_checkpoint"
    route = django_settings.CELERY_TASK_ROUTES[schedule["task"]]
    assert route == {"queue": "default"}


def test_stored_checkpoints_cannot_be_changed_by_the_application() -> None:
    checkpoint = audit_checkpoint_write()
    with pytest.raises(PermissionError):
        checkpoint.save()
    with pytest.raises(PermissionError):
        AuditCheckpoint.objects.all().delete()


def test_latest_checkpoints_for_the_records_export_take_one_query(
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        audit_checkpoint_write()
    with django_assert_num_queries(1):
        checkpoints = list(latest_checkpoints(2))
    assert [c.sequence for c in checkpoints] == [2, 1]


def test_an_auditor_who_chose_in_app_only_still_gets_the_checkpoint_by_email(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    NotificationPreference.objects.create(
        user=people.auditor, kind="accounts.audit_checkpoint", email=False
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        audit_checkpoint_write()
    notification = Notification.objects.get(
        kind="accounts.audit_checkpoint", recipient=people.auditor
    )
    assert notification.pk in {callback.args[0] for callback in queued if callback.args}


def test_the_checkpoint_email_cannot_be_switched_off() -> None:
    auditor = UserFactory()
    with translation.override("en"), pytest.raises(ValidationError, match="always sent by e-mail"):
        notification_preferences_update(
            user=auditor, email_by_kind={"accounts.audit_checkpoint": False}
        )
    assert not NotificationPreference.objects.filter(user=auditor).exists()


def test_the_profile_shows_the_checkpoint_email_as_fixed(people: People) -> None:
    client = login(Client(), people.auditor)
    client.post("/accounts/profile/", {"save_preferences": "1"})
    field = (
        client.get("/accounts/profile/")
        .context["preferences_form"]
        .fields["accounts.audit_checkpoint"]
    )
    assert (field.disabled, field.initial) == (True, True)
    assert not NotificationPreference.objects.filter(
        user=people.auditor, kind="accounts.audit_checkpoint", email=False
    ).exists()
