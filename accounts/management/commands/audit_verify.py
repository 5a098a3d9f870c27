from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_audit_chain
from accounts.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: exits non-zero on any altered, removed or"
        " reordered entry."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(verify_audit_chain())
        if problems:
            for problem in problems:
                where = f"entry #{problem.sequence}" if problem.sequence is not None else "chain"
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(f"Audit log is NOT intact: {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {AuditEntry.objects.count()} entries verified.")
        )
