"""Signed checkpoints of the audit chain's head, and the verification against them.

The entries' HMAC keys protect the chain against someone who can only write to the database.
Someone who also holds those keys (or who rewrites the whole log as unkeyed entries) could
still recompute a consistent chain; a checkpoint e-mailed to the auditors is out of their
reach. ``audit_verify --anchor`` checks that the chain still has, at the checkpoint's entry,
the hash that was signed then. The signing key is Ed25519: only its private half signs, and
the public half (``checkpoint_public_key``) can be published for anyone to check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import ChainProblem
from accounts.audit import audit_log
from accounts.audit import verify_audit_chain
from accounts.audit_checkpoints.selectors import checkpoint_recipients
from accounts.audit_checkpoints.selectors import latest_checkpoints
from accounts.models import AuditChainHead
from accounts.models import AuditCheckpoint
from accounts.models import AuditEntry
from accounts.notifications import notify

HEADER = "Sprachrohr audit checkpoint"
_FIELDS = ("Entry", "Hash", "Time", "Key", "Signature")
# A line of the text, also when a mail program quoted it ("> Hash: …").
_FIELD_LINE = re.compile(r"^[ \t>]*(Entry|Hash|Time|Key|Signature):[ \t]*(\S+)[ \t]*$", re.M)
_HASH = re.compile(r"^[0-9a-f]{64}$")


class CheckpointTextError(ValueError):
    """The text given as an anchor holds no readable checkpoint."""


def _decode_key(value: str, name: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{name}: {value[:8]}… is not base64 of 32 bytes.")
    return raw


def _signing_key() -> Ed25519PrivateKey:
    if not settings.AUDIT_ANCHOR_SIGNING_KEY:
        raise ImproperlyConfigured("AUDIT_ANCHOR_SIGNING_KEY is not set: no checkpoint signed.")
    seed = _decode_key(settings.AUDIT_ANCHOR_SIGNING_KEY, "AUDIT_ANCHOR_SIGNING_KEY")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint naming the key in each checkpoint, so rotation needs no guessing."""
    return hashlib.sha256(_public_bytes(key)).hexdigest()[:16]


def checkpoint_public_key() -> str:
    """The current signing key's public half (base64): publishable, e.g. in the auditors'
    records, and what ``AUDIT_ANCHOR_RETIRED_KEYS`` takes once the key is replaced."""
    return base64.b64encode(_public_bytes(_signing_key().public_key())).decode()


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """Keys a checkpoint may be signed with, by fingerprint: the current and the retired ones.
    Never a key stored in the database: whoever rewrites the log could store their own."""
    keys = [_signing_key().public_key()] if settings.AUDIT_ANCHOR_SIGNING_KEY else []
    for value in settings.AUDIT_ANCHOR_RETIRED_KEYS:
        raw = _decode_key(value, "AUDIT_ANCHOR_RETIRED_KEYS")
        keys.append(Ed25519PublicKey.from_public_bytes(raw))
    return {public_key_id(key): key for key in keys}


def _time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _signed_message(checkpoint: AuditCheckpoint) -> bytes:
    return (
        "sprachrohr-audit-checkpoint/1\n"
        f"{checkpoint.sequence}\n{checkpoint.entry_hash}\n"
        f"{_time_text(checkpoint.created_at)}\n{checkpoint.key_id}\n"
    ).encode()


def checkpoint_text(checkpoint: AuditCheckpoint) -> str:
    """The signed checkpoint as text: what the auditors receive and keep, and what
    ``audit_verify --anchor`` reads back. Field names stay English in every language."""
    values = (
        checkpoint.sequence,
        checkpoint.entry_hash,
        _time_text(checkpoint.created_at),
        checkpoint.key_id,
        checkpoint.signature,
    )
    return "\n".join(
        [HEADER, *(f"{name}: {value}" for name, value in zip(_FIELDS, values, strict=True))]
    )


def checkpoints_from_text(text: str) -> list[AuditCheckpoint]:
    """Every checkpoint in ``text`` (one e-mail, or a file of several), unsaved."""
    blocks = text.split(HEADER)[1:]
    if not blocks:
        raise CheckpointTextError(f"No checkpoint found: the text lacks the line {HEADER!r}.")
    checkpoints = []
    for number, block in enumerate(blocks, start=1):
        fields: dict[str, str] = {}
        for name, value in _FIELD_LINE.findall(block):
            fields.setdefault(name, value)
        missing = [name for name in _FIELDS if name not in fields]
        if missing:
            raise CheckpointTextError(f"Checkpoint {number} lacks {', '.join(missing)}.")
        try:
            sequence = int(fields["Entry"])
            created_at = datetime.fromisoformat(fields["Time"])
        except ValueError:
            raise CheckpointTextError(f"Checkpoint {number}: unreadable Entry or Time.") from None
        if created_at.tzinfo is None or sequence < 0 or not _HASH.match(fields["Hash"]):
            raise CheckpointTextError(f"Checkpoint {number}: malformed Entry, Hash or Time.")
        checkpoints.append(
            AuditCheckpoint(
                sequence=sequence,
                entry_hash=fields["Hash"],
                created_at=created_at,
                key_id=fields["Key"],
                signature=fields["Signature"],
            )
        )
    return checkpoints


def checkpoint_problems(checkpoint: AuditCheckpoint) -> list[ChainProblem]:
    """Whether ``checkpoint`` is genuine and the chain still has the signed hash at its entry
    (the chain's own links vouch for every entry before it)."""
    label = f"checkpoint of {_time_text(checkpoint.created_at)}"
    key = trusted_public_keys().get(checkpoint.key_id)
    if key is None:
        return [
            ChainProblem(
                checkpoint.sequence,
                f"{label} is signed with key {checkpoint.key_id!r}, which is neither the"
                " signing key nor in AUDIT_ANCHOR_RETIRED_KEYS",
            )
        ]
    try:
        key.verify(
            base64.b64decode(checkpoint.signature, validate=True), _signed_message(checkpoint)
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return [
            ChainProblem(checkpoint.sequence, f"{label}: signature invalid (altered or forged)")
        ]
    if checkpoint.sequence == 0:
        return []  # the log was empty then: nothing to compare
    entry = AuditEntry.objects.filter(sequence=checkpoint.sequence).only("entry_hash").first()
    if entry is None:
        return [
            ChainProblem(
                checkpoint.sequence,
                f"the log has no entry #{checkpoint.sequence}, which the {label} vouches for"
                " (entries removed)",
            )
        ]
    if entry.entry_hash != checkpoint.entry_hash:
        return [
            ChainProblem(
                checkpoint.sequence,
                f"entry #{checkpoint.sequence} does not have the hash the {label} records"
                " (chain rewritten)",
            )
        ]
    return []


@dataclass(frozen=True)
class AuditVerification:
    problems: list[ChainProblem]
    anchors: list[AuditCheckpoint]
    # "given": checkpoints passed in (the e-mailed copies); "stored": the newest stored one,
    # which a database administrator could have altered; "none": no checkpoint yet.
    anchored_by: Literal["given", "stored", "none"]
    entries: int


def audit_verify(*, anchor_text: str | None = None) -> AuditVerification:
    """The chain checked entry by entry, then against the checkpoints in ``anchor_text`` or,
    without it, against the newest stored checkpoint. Raises ``CheckpointTextError``."""
    anchors: list[AuditCheckpoint]
    if anchor_text is not None:
        anchors = checkpoints_from_text(anchor_text)
        anchored_by: Literal["given", "stored", "none"] = "given"
    else:
        anchors = list(latest_checkpoints(1))
        anchored_by = "stored" if anchors else "none"
    problems = list(verify_audit_chain())
    for anchor in anchors:
        problems += checkpoint_problems(anchor)
    return AuditVerification(
        problems=problems,
        anchors=anchors,
        anchored_by=anchored_by,
        entries=AuditEntry.objects.count(),
    )


@transaction.atomic
def audit_checkpoint_write() -> AuditCheckpoint:
    """Sign the chain head, store the checkpoint, record that in the log and e-mail the
    signed text to every auditor (the copy out of the database's reach)."""
    # The head's row lock: no entry is appended between reading the head and signing it.
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    signing_key = _signing_key()
    checkpoint = AuditCheckpoint(
        sequence=head.sequence,
        entry_hash=head.entry_hash,
        created_at=timezone.now().replace(microsecond=0),
        key_id=public_key_id(signing_key.public_key()),
    )
    checkpoint.signature = base64.b64encode(signing_key.sign(_signed_message(checkpoint))).decode()
    checkpoint.full_clean()
    checkpoint.save()
    audit_log(
        action="accounts.audit_checkpoint.written",
        target=checkpoint,
        data={
            "sequence": checkpoint.sequence,
            "entry_hash": checkpoint.entry_hash,
            "key_id": checkpoint.key_id,
        },
    )
    notify(
        recipients=checkpoint_recipients(),
        kind="accounts.audit_checkpoint",
        context={"checkpoint": checkpoint_text(checkpoint), "sequence": checkpoint.sequence},
        link=reverse("audit"),
    )
    return checkpoint
