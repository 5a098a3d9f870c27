"""Demo units and users (one per role) for ``manage.py load_demo``. Idempotent.

Every installed app may have a ``demo`` module with ``load(units)``; the command runs them in
the order of INSTALLED_APPS, so an app's demo data can build on the apps below it while no
app below imports one above it."""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.services import role_assign
from accounts.services import unit_create

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


def _unit(name: str, kind: str, parent: OrgUnit | None, state: str = "") -> OrgUnit:
    existing = OrgUnit.objects.filter(name=name, parent=parent).first()
    if existing:
        return existing
    return unit_create(actor=None, name=name, kind=kind, parent=parent, federal_state=state)


def demo_units() -> dict[str, OrgUnit]:
    city = _unit("Stadt Musterstadt", OrgUnit.Kind.AUTHORITY, None, "NW")
    press = _unit("Presseamt", OrgUnit.Kind.DEPARTMENT, city)
    social = _unit("Social-Media-Team", OrgUnit.Kind.OFFICE, press)
    police = _unit("Polizeipräsidium Musterstadt", OrgUnit.Kind.AUTHORITY, None, "NW")
    police_press = _unit("Pressestelle", OrgUnit.Kind.DEPARTMENT, police)
    return {u.name: u for u in (city, press, social, police, police_press)}


def load(units: dict[str, OrgUnit]) -> None:
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
