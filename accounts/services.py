"""Write-side operations for accounts, units, roles, tokens, 2FA and login security.

Every change that matters writes an audit entry in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import audited_change
from accounts.audited import revoke_audited
from accounts.audited import save_audited
from accounts.events import unit_moved
from accounts.models import ApiToken
from accounts.models import Language
from accounts.models import Notification
from accounts.models import NotificationPreference
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.models import WorkerHeartbeat
from accounts.notifications import NOTIFICATION_KINDS
from accounts.notifications import notify
from accounts.permissions import role_group
from accounts.practice.selectors import is_practice_space_colleague
from accounts.practice.selectors import practice_person_email
from accounts.selectors import service_heartbeat_key
from accounts.selectors import user_home_unit
from accounts.selectors import user_requires_two_factor

API_TOKEN_PREFIX = "spr_"  # noqa: S105  (a marker for secret scanners, not a secret)
BACKUP_CODE_COUNT = 10


# --- Organisational units -------------------------------------------------------------------


def _unit_snapshot(unit: OrgUnit) -> dict[str, Any]:
    return audit_snapshot(unit, "name", "kind", "parent", "federal_state", "population")


def _admin_snapshot(user: User) -> dict[str, Any]:
    return audit_snapshot(user, "full_name", "two_factor_required")


def _language_snapshot(user: User) -> dict[str, Any]:
    return audit_snapshot(user, "language")


def _audit_on_user(
    action: str, *, actor: User, user: User, request: HttpRequest | None, **entry: Any
) -> None:
    """An entry about a person's own account, filed under their home unit."""
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=user,
        unit=user_home_unit(user),
        **entry,
    )


def _unit_path_refresh(unit: OrgUnit) -> None:
    """Recompute the materialised path of ``unit`` and of its whole subtree."""
    old_path = unit.path
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
    if old_path and old_path != unit.path:
        for descendant in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            descendant.path = unit.path + descendant.path[len(old_path) :]
            descendant.save(update_fields=["path"])


def _refuse_below_practice(parent: OrgUnit | None) -> None:
    # A practice space is one person's root of its own (``OrgUnit.practice_of``); a unit
    # below it would not be marked practice and would count as real work.
    if parent is not None and parent.is_practice:
        raise ValidationError({"parent": _("A practice space has no units below it.")})


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    federal_state: str = "",
    population: int | None = None,
    request: HttpRequest | None = None,
) -> OrgUnit:
    _refuse_below_practice(parent)
    unit = OrgUnit(
        name=name, kind=kind, parent=parent, federal_state=federal_state, population=population
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    _unit_path_refresh(unit)
    audit_log(
        action="accounts.unit.created",
        actor=actor,
        request=request,
        target=unit,
        unit=unit,
        after=_unit_snapshot(unit),
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: User | None,
    unit: OrgUnit,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    federal_state: str = "",
    population: int | None = None,
    request: HttpRequest | None = None,
) -> OrgUnit:
    if parent is not None and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
    _refuse_below_practice(parent)
    if unit.is_practice and parent is not None:
        raise ValidationError({"parent": _("A practice space stays a unit of its own.")})
    moved = parent != unit.parent
    action = "accounts.unit.updated"
    with audited_change(unit, action, _unit_snapshot, actor=actor, request=request, unit=unit):
        unit.name, unit.kind, unit.parent, unit.federal_state = name, kind, parent, federal_state
        unit.population = population
        unit.full_clean(exclude=["path"])
        unit.save()
        if moved:
            _unit_path_refresh(unit)
            unit_moved.send(sender=OrgUnit, unit=unit)
    return unit


# --- Users and roles ------------------------------------------------------------------------


@transaction.atomic
def user_invite(
    *,
    actor: User,
    email: str,
    full_name: str,
    language: str,
    unit: OrgUnit,
    role: str,
    request: HttpRequest | None = None,
) -> User:
    """Create an account without a password and e-mail a link to set one.

    Into a practice space (a system admin practising): a simulated person, as the practice
    colleague is, under an address of the practice domain made from the one given; nobody
    is e-mailed and no real address is taken, so the real invitation stays possible."""
    from accounts.tasks import send_invitation_email

    email = User.objects.normalize_email(email).lower()
    if unit.practice_of_id is not None:
        email = practice_person_email(unit.practice_of_id, email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User.objects.create_user(email=email, full_name=full_name, language=language)
    audit_log(
        action="accounts.user.invited",
        actor=actor,
        request=request,
        target=user,
        unit=unit,
        after={"email": user.email, "full_name": user.full_name, "language": user.language},
    )
    role_assign(actor=actor, user=user, unit=unit, role=role, request=request, notify_user=False)
    if not unit.is_practice:
        transaction.on_commit(lambda: send_invitation_email.delay(user.pk))
    return user


@transaction.atomic
def user_update_profile(
    *, user: User, full_name: str, language: str, request: HttpRequest | None = None
) -> User:
    before = {"full_name": user.full_name, "language": user.language}
    user.full_name, user.language = full_name, language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "language"])
    after = {"full_name": user.full_name, "language": user.language}
    if before != after:
        _audit_on_user(
            "accounts.user.updated",
            actor=user,
            user=user,
            request=request,
            before=before,
            after=after,
        )
    return user


@transaction.atomic
def user_admin_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    two_factor_required: bool,
    request: HttpRequest | None = None,
) -> User:
    action, home = "accounts.user.updated", user_home_unit(user)
    with audited_change(user, action, _admin_snapshot, actor=actor, request=request, unit=home):
        user.full_name, user.two_factor_required = full_name, two_factor_required
        user.full_clean(exclude=["password"])
        user.save(update_fields=["full_name", "two_factor_required"])
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    """Deactivate at once: sessions stop authenticating (the auth backend refuses inactive
    users on every request) and every API token is revoked."""
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if is_practice_space_colleague(user):
        # Without the colleague nobody reviews the practice space's posts (four eyes).
        raise ValidationError(
            _("The practice colleague belongs to a practice space and cannot be deactivated.")
        )
    if not user.is_active:
        return user
    now = timezone.now()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    _active_set(
        user, False, actor=actor, request=request, data={"api_tokens_revoked": revoked}, now=now
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    if user.is_active:
        return user
    _active_set(user, True, actor=actor, request=request)
    return user


def _active_set(
    user: User,
    active: bool,
    *,
    actor: User,
    request: HttpRequest | None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Switch the account on or off (``deactivated_at``: when it went off), audited."""
    user.is_active = active
    user.deactivated_at = None if active else (now or timezone.now())
    user.save(update_fields=["is_active", "deactivated_at"])
    _audit_on_user(
        "accounts.user.reactivated" if active else "accounts.user.deactivated",
        actor=actor,
        user=user,
        request=request,
        before={"is_active": not active},
        after={"is_active": active},
        data=data,
    )


def _role_change_record(
    change: Literal["assigned", "removed"],
    *,
    actor: User | None,
    user: User,
    unit: OrgUnit,
    role: str,
    request: HttpRequest | None,
    tell: bool = True,
) -> None:
    """Audit that ``user`` was assigned or lost ``role`` in ``unit`` (the assignment is the
    state after an assignment, the state before a removal) and, with ``tell``, notify them."""
    assignment = {"user": user.email, "unit": unit.name, "role": role}
    audit_log(
        action="accounts.role.assigned" if change == "assigned" else "accounts.role.removed",
        actor=actor,
        request=request,
        target=user,
        unit=unit,
        before=assignment if change == "removed" else None,
        after=assignment if change == "assigned" else None,
    )
    if tell:
        notify(
            recipients=[user],
            kind="accounts.role_changed",
            context={"change": change, "role": role, "unit": unit.name},
            link="/accounts/profile/",
            unit=unit,
        )


@transaction.atomic
def role_assign(
    *,
    actor: User | None,
    user: User,
    unit: OrgUnit,
    role: str,
    request: HttpRequest | None = None,
    notify_user: bool = True,
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"created_by": actor}
    )
    if not created:
        return assignment
    user.groups.add(role_group(unit.pk, role))
    _role_change_record(
        "assigned", actor=actor, user=user, unit=unit, role=role, request=request, tell=notify_user
    )
    return assignment


@transaction.atomic
def role_remove(
    *, actor: User, assignment: RoleAssignment, request: HttpRequest | None = None
) -> None:
    user, unit, role = assignment.user, assignment.unit, assignment.role
    if user.pk == actor.pk and role == Role.SYSTEM_ADMIN:
        raise ValidationError(_("You cannot remove your own system admin role."))
    assignment.delete()
    user.groups.remove(Group.objects.get(name=role_group(unit.pk, role).name))
    _role_change_record("removed", actor=actor, user=user, unit=unit, role=role, request=request)


# --- API tokens -----------------------------------------------------------------------------


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CreatedApiToken:
    token: ApiToken
    key: str  # shown to the user exactly once, never stored


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {"name": token.name, "prefix": token.prefix}


@transaction.atomic
def api_token_create(
    *, user: User, name: str, request: HttpRequest | None = None
) -> CreatedApiToken:
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=key[: len(API_TOKEN_PREFIX) + 6],
        key_digest=api_token_digest(key),
    )
    save_audited(
        token,
        action="accounts.api_token.created",
        actor=user,
        request=request,
        unit=user_home_unit(user),
        after=_token_snapshot,
    )
    notify(
        recipients=[user],
        kind="accounts.api_token_created",
        context={"name": token.name, "prefix": token.prefix},
        link="/accounts/profile/",
    )
    return CreatedApiToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> None:
    revoke_audited(
        token,
        action="accounts.api_token.revoked",
        actor=actor,
        request=request,
        before=_token_snapshot(token),
    )


def api_token_authenticate(key: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_digest=api_token_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every request would turn reads into writes; a minute is precise enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- Login security -------------------------------------------------------------------------


def _lockout_keys(email: str, ip: str | None) -> dict[str, str]:
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    keys = {"account": f"login-failures:account:{email_key}"}
    if ip:
        keys["ip"] = f"login-failures:ip:{ip}"
    return keys


def login_lockout_remaining(*, email: str, ip: str | None) -> int:
    """Seconds until a login for this account or from this address is allowed again."""
    now = time.time()
    remaining = 0
    for key in _lockout_keys(email, ip).values():
        until = cache.get(f"{key}:until")
        if until:
            remaining = max(remaining, int(until - now) + 1)
    return remaining


def login_failure_record(*, email: str, request: HttpRequest) -> bool:
    """Count a failed login; returns True when it locks the account or address now."""
    from accounts.audit import client_ip

    ip = client_ip(request)
    config = settings.LOGIN_LOCKOUT
    limits = {"account": config["ACCOUNT_LIMIT"], "ip": config["IP_LIMIT"]}
    locked_now = []
    for scope, key in _lockout_keys(email, ip).items():
        # add + incr is atomic in Redis; if the key expired in between, start again at 1.
        cache.add(key, 0, timeout=config["SECONDS"])
        try:
            failures = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=config["SECONDS"])
            failures = 1
        if failures >= limits[scope] and not cache.get(f"{key}:until"):
            cache.set(f"{key}:until", time.time() + config["SECONDS"], timeout=config["SECONDS"])
            cache.delete(key)
            locked_now.append(scope)
    user = User.objects.filter(email__iexact=email.strip()).first()
    # The failure and a lockout it causes are entries about the same attempt.
    log_attempt = partial(
        audit_log,
        actor=None,
        request=request,
        target=user,
        unit=user_home_unit(user) if user else None,
        actor_label=email.strip()[:255],
    )
    log_attempt(action="accounts.login.failed")
    if locked_now:
        log_attempt(
            action="accounts.login.locked",
            data={"scopes": locked_now, "minutes": config["SECONDS"] // 60},
        )
    return bool(locked_now)


def login_failures_clear(*, email: str) -> None:
    cache.delete(_lockout_keys(email, None)["account"])


def login_succeeded_record(*, user: User, request: HttpRequest) -> None:
    login_failures_clear(email=user.email)
    audit_log(
        action="accounts.login.succeeded", actor=user, request=request, unit=user_home_unit(user)
    )


@transaction.atomic
def user_language_choose(*, user: User, language: str, request: HttpRequest | None) -> User:
    """The language someone picked before logging in (on the login page) becomes theirs:
    the interface stays in it after the login and e-mails follow it."""
    if language == user.language or language not in Language.values:
        return user
    action, home = "accounts.user.language_chosen", user_home_unit(user)
    with audited_change(user, action, _language_snapshot, actor=user, request=request, unit=home):
        user.language = language
        user.save(update_fields=["language"])
    return user


def logout_record(*, user: User, request: HttpRequest) -> None:
    audit_log(action="accounts.logout", actor=user, request=request, unit=user_home_unit(user))


@transaction.atomic
def password_changed_record(
    *, user: User, request: HttpRequest | None, via_invitation: bool
) -> None:
    action = "accounts.password.set" if via_invitation else "accounts.password.changed"
    _audit_on_user(action, actor=user, user=user, request=request)


# --- Two-factor authentication --------------------------------------------------------------


def two_factor_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def two_factor_setup_begin(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed TOTP device; a half-finished earlier setup is discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def two_factor_setup_confirm(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> list[str]:
    """Confirm the device with a first code; returns one-time backup codes to show once."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError({"token": _("The code is not valid. Check the time on your phone.")})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup_device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup_device, token=code) for code in codes)
    _two_factor_changed("enabled", actor=user, user=user, request=request)
    return codes


def _two_factor_changed(
    change: str, *, actor: User, user: User, request: HttpRequest | None
) -> None:
    """Audit ``accounts.two_factor.<change>`` and tell the person: a change to how their
    account is protected that they did not make themselves must not go unnoticed."""
    _audit_on_user(f"accounts.two_factor.{change}", actor=actor, user=user, request=request)
    notify(recipients=[user], kind="accounts.two_factor_changed", context={"change": change})


def _two_factor_remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(*, user: User, request: HttpRequest | None = None) -> None:
    if user_requires_two_factor(user):
        raise ValidationError(_("Your roles require two-factor authentication."))
    _two_factor_remove_devices(user)
    _two_factor_changed("disabled", actor=user, user=user, request=request)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """For a lost phone: the user sets up a new device at the next login."""
    _two_factor_remove_devices(user)
    _two_factor_changed("reset", actor=actor, user=user, request=request)


def two_factor_failure_record(*, user: User, request: HttpRequest) -> None:
    _audit_on_user("accounts.two_factor.failed", actor=user, user=user, request=request)


# --- Notifications --------------------------------------------------------------------------


def notifications_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(*, user: User, email_by_kind: dict[str, bool]) -> None:
    for kind, email in email_by_kind.items():
        if kind not in NOTIFICATION_KINDS:
            raise ValidationError(_("Unknown notification type."))
        if not email and NOTIFICATION_KINDS[kind].email_required:
            raise ValidationError(
                _("“%(kind)s” is always sent by e-mail."),
                params={"kind": NOTIFICATION_KINDS[kind].label},
            )
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": email}
        )


# --- Operations -----------------------------------------------------------------------------


def worker_heartbeat_record(*, hostname: str, queue: str = "default") -> None:
    """The row per host feeds the operations page; the cache entry per queue feeds the banner
    on every page, which must not query the database for it, and /healthz (the same rule)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"last_seen": now})
    cache.set(service_heartbeat_key(queue), now, timeout=None)
