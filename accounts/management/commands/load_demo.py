"""Demo data for a first look: units, one user per role, sandbox channels. Idempotent."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OrgUnit, Role, User
from accounts.permissions import channel_permissions_sync
from accounts.services import role_assign, unit_create
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.sandbox import SandboxAdapter
from channels_app.models import Channel, Platform
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.services import token_grant_password
from channels_app.services import channel_connect
from editorial.models import Post, Topic
from editorial.posts.services import post_approve, post_create, post_submit

DEMO_DOMAIN = "demo.sprachrohr.de"
DEMO_PASSWORD = "Demo-Sprachrohr-2026"  # noqa: S105  (documented demo login)
# Fixed, publicly known TOTP keys: demo accounts only, never in production.
DEMO_TOTP_KEYS = {
    f"admin@{DEMO_DOMAIN}": "3132333435363738393031323334353637383930",
    f"kanaladmin@{DEMO_DOMAIN}": "3039383736353433323130393837363534333231",
}
DEMO_USERS = [
    ("admin", "Alex Admin", Role.SYSTEM_ADMIN, "Stadt Musterstadt"),
    ("redaktion", "Rita Redaktion", Role.EDITOR, "Presseamt"),
    ("freigabe", "Frank Freigabe", Role.APPROVER, "Presseamt"),
    ("community", "Clara Community", Role.COMMUNITY_MANAGER, "Presseamt"),
    ("kanaladmin", "Kai Kanaladmin", Role.CHANNEL_ADMIN, "Presseamt"),
    ("pruefung", "Paula Prüfung", Role.AUDITOR, "Stadt Musterstadt"),
    ("polizei", "Paul Polizei", Role.EDITOR, "Polizeipräsidium Musterstadt"),
]


def demo_totp_secret(key_hex: str) -> str:
    return base64.b32encode(bytes.fromhex(key_hex)).decode()


class Command(BaseCommand):
    help = "Load demo units, users (one per role) and sandbox channels. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options.get("force"):
            raise CommandError("Demo data has publicly known passwords: only with DEBUG=1.")
        with transaction.atomic():
            units = self._units()
            self._users(units)
            self._channels(units)
            self._posts(units)
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

    def _unit(self, name: str, kind: str, parent: OrgUnit | None, state: str = "") -> OrgUnit:
        existing = OrgUnit.objects.filter(name=name, parent=parent).first()
        if existing:
            return existing
        return unit_create(actor=None, name=name, kind=kind, parent=parent, federal_state=state)

    def _units(self) -> dict[str, OrgUnit]:
        city = self._unit("Stadt Musterstadt", OrgUnit.Kind.AUTHORITY, None, "NW")
        press = self._unit("Presseamt", OrgUnit.Kind.DEPARTMENT, city)
        social = self._unit("Social-Media-Team", OrgUnit.Kind.OFFICE, press)
        police = self._unit("Polizeipräsidium Musterstadt", OrgUnit.Kind.AUTHORITY, None, "NW")
        police_press = self._unit("Pressestelle", OrgUnit.Kind.DEPARTMENT, police)
        return {u.name: u for u in (city, press, social, police, police_press)}

    def _users(self, units: dict[str, OrgUnit]) -> None:
        for local, name, role, unit_name in DEMO_USERS:
            email = f"{local}@{DEMO_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            role_assign(actor=None, user=user, unit=units[unit_name], role=role, notify_user=False)
            if email in DEMO_TOTP_KEYS and not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(
                    user=user, name="Demo", key=DEMO_TOTP_KEYS[email], confirmed=True
                )

    def _posts(self, units: dict[str, OrgUnit]) -> None:
        """A draft, one waiting for approval and one scheduled for tomorrow morning."""
        editor = User.objects.get(email=f"redaktion@{DEMO_DOMAIN}")
        approver = User.objects.get(email=f"freigabe@{DEMO_DOMAIN}")
        city = Channel.objects.get(name="Stadt Musterstadt (Sandbox)")
        service = Channel.objects.get(name="Bürgerservice Musterstadt (Sandbox)")
        topic, _created = Topic.objects.get_or_create(
            unit=units["Presseamt"], name="Stadtfest 2026"
        )
        tomorrow_9 = (timezone.localtime() + timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        # Approved and due two minutes after loading: `make run` shows the worker publish it.
        soon = timezone.now() + timedelta(minutes=2)
        demo = [
            (
                "Willkommen im Sprachrohr-Sandbox-Kanal",
                "scheduled_soon",
                [city],
                None,
                "Hallo aus dem Presseamt! Dieser Beitrag wurde in Sprachrohr geplant, freigegeben"
                " und vom Worker pünktlich veröffentlicht.",
                soon,
            ),
            (
                "Stadtfest: Programm",
                "draft",
                [city],
                topic,
                "Das Programm für das #stadtfestmusterstadt steht! 🎉 Drei Tage Musik, Theater"
                " und Mitmachaktionen auf dem Marktplatz.",
                tomorrow_9,
            ),
            (
                "Vollsperrung Marktplatz",
                "in_review",
                [city, service],
                None,
                "Ab Montag, 7 Uhr, ist der Marktplatz wegen Bauarbeiten voll gesperrt. Die Busse"
                " der Linien 3 und 5 fahren eine Umleitung über die Bahnhofstraße.",
                tomorrow_9,
            ),
            (
                "Bürgerbüro: neue Öffnungszeiten",
                "scheduled",
                [service],
                None,
                "Ab Dezember hat das Bürgerbüro donnerstags bis 19 Uhr geöffnet. Termine gibt es"
                " online und telefonisch unter 0123 456-0.",
                tomorrow_9,
            ),
        ]
        for title, state, channels, post_topic, text, planned_at in demo:
            if Post.objects.filter(title=title, unit=units["Presseamt"]).exists():
                continue
            post = post_create(
                actor=editor,
                unit=units["Presseamt"],
                title=title,
                text=text,
                topic=post_topic,
                website_link="https://www.musterstadt.example/aktuelles",
                planned_at=planned_at,
                channels=channels,
            )
            if state != "draft":
                post_submit(actor=editor, post=post)
            if state.startswith("scheduled"):
                post_approve(actor=approver, post=post, comment="Freigegeben.")

    def _channels(self, units: dict[str, OrgUnit]) -> None:
        """Sandbox channels, connected: the sandbox account is signed up in-process (the
        web server is not running yet), then connected through the normal service."""
        for name, handle, unit_name in [
            ("Stadt Musterstadt (Sandbox)", "stadt-musterstadt", "Presseamt"),
            ("Bürgerservice Musterstadt (Sandbox)", "buergerservice", "Social-Media-Team"),
            ("Polizei Musterstadt (Sandbox)", "polizei-musterstadt", "Pressestelle"),
        ]:
            channel, created = Channel.objects.get_or_create(
                name=name,
                defaults={
                    "unit": units[unit_name],
                    "platform": Platform.SANDBOX,
                    "impressum_url": "https://www.musterstadt.example/impressum",
                    "privacy_url": "https://www.musterstadt.example/datenschutz/social-media",
                },
            )
            if created:
                channel_permissions_sync(channel)
            if channel.status == Channel.Status.DISCONNECTED:
                tokens = token_grant_password(username=handle, password=DEMO_PASSWORD)
                account = SandboxAccount.objects.get(handle=handle)
                channel_connect(
                    actor=None,
                    channel=channel,
                    choice=AccountChoice(
                        account_id=str(account.pk),
                        name=account.display_name,
                        handle=handle,
                        url=f"{settings.SITE_URL}/sandbox/@{handle}/",
                        credentials=SandboxAdapter.credentials_from_token_response(tokens),
                    ),
                )
