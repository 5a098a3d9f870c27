"""Demo data for a first look: units, one user per role, sandbox channels, posts. Idempotent."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import transaction

from accounts.demo import DEMO_DOMAIN
from accounts.demo import DEMO_PASSWORD
from accounts.demo import DEMO_TOTP_KEYS
from accounts.demo import DEMO_USERS
from accounts.demo import demo_totp_secret
from accounts.demo import demo_units
from accounts.models import Role


class Command(BaseCommand):
    help = "Load demo units, users (one per role), sandbox channels and posts. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options.get("force"):
            raise CommandError("Demo data has publicly known passwords: only with DEBUG=1.")
        with transaction.atomic():
            units = demo_units()
            # Each app's own ``demo`` module, bottom layer first; found by name, so accounts
            # imports none of the apps above it.
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.demo") is not None:
                    import_module(f"{config.name}.demo").load(units)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for local, _name, role, unit in DEMO_USERS:
            email = f"{local}@{DEMO_DOMAIN}"
            self.stdout.write(f"  {email:<32} {Role(role).label} · {unit}")
        for email, key in DEMO_TOTP_KEYS.items():
            self.stdout.write(
                f"  2FA for {email}: key {demo_totp_secret(key)}"
                f"  (current code: .venv/bin/python manage.py demo_totp {email.split('@')[0]})"
            )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Also without DEBUG (tests).")
