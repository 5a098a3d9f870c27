from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_DOMAIN
from accounts.demo import DEMO_TOTP_KEYS


class Command(BaseCommand):
    help = "Print the current 2FA code of a demo account (development only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("account", help="e.g. admin or kanaladmin")

    def handle(self, *args: Any, account: str, **options: Any) -> None:
        email = account if "@" in account else f"{account}@{DEMO_DOMAIN}"
        if not settings.DEBUG or email not in DEMO_TOTP_KEYS:
            raise CommandError("Only for demo accounts with DEBUG=1.")
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
        if device is None or device.key != DEMO_TOTP_KEYS[email]:
            raise CommandError("This account does not use the demo key (any more).")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
