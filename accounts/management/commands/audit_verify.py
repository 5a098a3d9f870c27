from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser

from accounts.audit_checkpoints.services import AuditVerification
from accounts.audit_checkpoints.services import CheckpointTextError
from accounts.audit_checkpoints.services import audit_verify
from accounts.audit_checkpoints.services import checkpoint_public_key


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and that it still matches a signed checkpoint:"
        " exits non-zero on any altered, removed or reordered entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            metavar="FILE_OR_TEXT",
            help=(
                "A checkpoint as e-mailed to the auditors (the file it is saved in, its text,"
                " or - to read it from standard input); a file may hold several. Without it"
                " the newest stored checkpoint is used, which a database administrator could"
                " have altered."
            ),
        )
        parser.add_argument(
            "--public-key",
            action="store_true",
            help="Print the public key that checks the checkpoints' signatures, and exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["public_key"]:
            self.stdout.write(checkpoint_public_key())
            return
        try:
            result = audit_verify(anchor_text=_anchor_text(options["anchor"]))
        except CheckpointTextError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_anchor_note(result))
        if result.problems:
            for problem in result.problems:
                where = f"entry #{problem.sequence}" if problem.sequence is not None else "chain"
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(f"Audit log is NOT intact: {len(result.problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {result.entries} entries verified.")
        )


def _anchor_text(value: str | None) -> str | None:
    if value is None:
        return None
    if value == "-":
        return sys.stdin.read()
    path = Path(value)
    if "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8")
    return value


def _anchor_note(result: AuditVerification) -> str:
    if result.anchored_by == "none":
        return "No checkpoint stored yet: only the chain itself was checked."
    newest = max(result.anchors, key=lambda anchor: anchor.sequence)
    if result.anchored_by == "stored":
        return (
            f"Checked against the newest stored checkpoint (entry #{newest.sequence},"
            f" {newest.created_at:%Y-%m-%d %H:%M} UTC). A database administrator could have"
            " altered it: to rule that out, pass the e-mailed copy with --anchor."
        )
    return (
        f"Checked against {len(result.anchors)} given checkpoint(s), the newest up to entry"
        f" #{newest.sequence}."
    )
