from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.audit import audit_log
from channels_app.credentials import credentials_rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt all channel credentials with the first key in CREDENTIALS_KEYS. Run after"
        " putting a new key in front; remove the old key only afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = credentials_rotate_all()
        audit_log(
            action="channels.credentials.key_rotated",
            actor_label="manage.py rotate_credentials_key",
            data={"reencrypted_count": count},
        )
        self.stdout.write(self.style.SUCCESS(f"{count} secrets re-encrypted with the newest key."))
