"""Read-side queries for accounts, units, roles, the audit log and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django_otp import user_has_device

from accounts.models import ApiToken
from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import NotificationPreference
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import scoped_assignments

AUDIT_VIEW_ROLES = (Role.AUDITOR, Role.SYSTEM_ADMIN)


def _cache(user: User) -> dict[str, object]:
    # Per-request memo: the same user object lives for one request only.
    cache = getattr(user, "_sprachrohr_scope_cache", None)
    if cache is None:
        cache = {}
        user._sprachrohr_scope_cache = cache  # type: ignore[attr-defined]
    return cache


def user_role_assignments(user: User) -> list[RoleAssignment]:
    if not user.is_authenticated or not user.is_active:
        return []
    cache = _cache(user)
    if "assignments" not in cache:
        cache["assignments"] = scoped_assignments(
            user,
            RoleAssignment.objects.filter(user=user)
            .select_related("unit")
            .order_by("unit__path", "role"),
        )
    return cache["assignments"]  # type: ignore[return-value]


def user_home_unit(user: User) -> OrgUnit | None:
    """The unit an audit entry about the user (or their tokens and feeds) is filed under, so
    that the auditors of that unit see it: the top one of the user's role units. Also for a
    deactivated user, whose roles are no longer in force but whose history stays filed."""
    # Never the user's practice unit: what is filed about the user belongs to a real unit.
    assignment = (
        RoleAssignment.objects.filter(user=user, unit__practice_of__isnull=True)
        .select_related("unit")
        .order_by("unit__path", "role")
        .first()
    )
    return assignment.unit if assignment else None


def user_roles(user: User) -> set[str]:
    return {assignment.role for assignment in user_role_assignments(user)}


def user_has_role(user: User, *roles: str, practice: bool = True) -> bool:
    """``practice=False``: only roles in real units (see ``unit_ids_for_roles``)."""
    if not practice:
        return any(
            a.role in roles and a.unit.practice_of_id is None for a in user_role_assignments(user)
        )
    return bool(user_roles(user) & set(roles))


def unit_ids_for_roles(user: User, roles: Iterable[str], *, practice: bool = True) -> set[int]:
    """Units where the user holds one of ``roles``, with every unit below them.

    ``practice=False``: without practice units (accounts.practice), for what must never
    count practice: analytics, reports, records exports."""
    wanted = set(roles)
    key = "units:" + ",".join(sorted(wanted)) + ("" if practice else ":real")
    cache = _cache(user)
    if key not in cache:
        paths = {
            a.unit.path
            for a in user_role_assignments(user)
            if a.role in wanted and (practice or a.unit.practice_of_id is None)
        }
        if not paths:
            cache[key] = set()
        else:
            condition = Q()
            for path in paths:
                condition |= Q(path__startswith=path)
            cache[key] = set(OrgUnit.objects.filter(condition).values_list("id", flat=True))
    return cache[key]  # type: ignore[return-value]


def user_is_root_level(user: User, roles: Iterable[str]) -> bool:
    """Holds one of ``roles`` on a top-level unit (an authority as a whole)."""
    wanted = set(roles)
    return any(
        a.role in wanted and a.unit.parent_id is None and a.unit.practice_of_id is None
        for a in user_role_assignments(user)
    )


def user_requires_two_factor(user: User) -> bool:
    return (
        user.is_superuser
        or user.two_factor_required
        or user_has_role(user, *settings.TWO_FACTOR_REQUIRED_ROLES)
    )


def user_two_factor_pending(user: User) -> bool:
    """Logged in with the password, but the second factor is still owed: the user has a
    device and has not used it in this session, or must set one up first."""
    if not user.is_authenticated:
        return False
    # django-otp's middleware gives session users ``is_verified``; a user authenticated by
    # an API token (set by DRF after the middleware ran) has none: a token is a credential
    # of its own, only created in a session that passed the second factor.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or is_verified():
        return False
    # Every context processor of a page asks; the devices are read once per request (the
    # user object lives for one). Verifying clears the question above, so the memo cannot
    # keep a verified user out.
    owed = getattr(user, "_sprachrohr_second_factor_owed", None)
    if owed is None:
        owed = user_has_device(user, confirmed=True) or user_requires_two_factor(user)
        user._sprachrohr_second_factor_owed = owed  # type: ignore[attr-defined]
    return bool(owed)


def user_may_administer(user: User) -> bool:
    return user_has_role(user, Role.SYSTEM_ADMIN)


def user_may_view_audit(user: User) -> bool:
    return user_has_role(user, *AUDIT_VIEW_ROLES)


def units_visible_to(user: User) -> QuerySet[OrgUnit]:
    unit_ids = unit_ids_for_roles(user, Role.values)
    return OrgUnit.objects.filter(id__in=unit_ids).select_related("parent")


def units_administered_by(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, [Role.SYSTEM_ADMIN]))


def users_administered_by(admin: User) -> QuerySet[User]:
    """Users with a role in the admin's units, and users who hold no role at all yet.

    In practice mode the admin's unit is their practice space: the people there only (them,
    the colleague, whom they invited there), never a real person without a role."""
    unit_ids = unit_ids_for_roles(admin, [Role.SYSTEM_ADMIN])
    in_scope = RoleAssignment.objects.filter(user=OuterRef("pk"), unit_id__in=unit_ids)
    if practice_mode_on(admin):
        return User.objects.filter(Exists(in_scope)).order_by("email")
    any_role = RoleAssignment.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(Q(Exists(in_scope)) | ~Q(Exists(any_role))).order_by("email")


def user_list_for_admin(
    admin: User,
    *,
    query: str = "",
    unit_id: int | None = None,
    role: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    users = users_administered_by(admin)
    if query:
        users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    if unit_id:
        users = users.filter(role_assignments__unit_id=unit_id)
    if role:
        users = users.filter(role_assignments__role=role)
    if active is not None:
        users = users.filter(is_active=active)
    return users.distinct().prefetch_related("role_assignments__unit")


def audit_entries_for_user(
    user: User,
    *,
    actor_id: int | None = None,
    action: str = "",
    unit_id: int | None = None,
    target_type: str = "",
    target_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Entries of the units the user audits; entries without a unit (logins, security)
    only for auditors and system admins of a whole authority."""
    unit_ids = unit_ids_for_roles(user, AUDIT_VIEW_ROLES)
    visible = Q(unit_id__in=unit_ids)
    if user_is_root_level(user, AUDIT_VIEW_ROLES):
        visible |= Q(unit__isnull=True)
    # Each filter given narrows the entries; one left empty (or 0) does not filter.
    lookups: dict[str, object] = {
        "actor_id": actor_id,
        "action__startswith": action,
        "unit_id": unit_id,
        "target_id": target_id,
        "created_at__gte": since,
        "created_at__lt": until,
    }
    entries = AuditEntry.objects.filter(visible).filter(
        **{lookup: value for lookup, value in lookups.items() if value}
    )
    if target_type:
        app_label, _dot, model = target_type.partition(".")
        entries = entries.filter(target_type__app_label=app_label, target_type__model=model)
    return entries.select_related("actor", "actor_token", "unit", "target_type").order_by(
        "-sequence"
    )


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def notifications_for_user(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_notification_count(user: User) -> int:
    return unread_notifications_for(user).count()


def notification_email_preferences(user: User) -> dict[str, bool]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))


# The queues whose consumers prove by a heartbeat that they run (beat sends one into each
# every 30 s): "default" is consumed by the background service, which also hands due posts
# over, "publishing" by the publishing service, which sends them. Either one silent and
# nothing goes out.
SERVICE_QUEUES = ("default", "publishing")


def service_heartbeat_key(queue: str) -> str:
    return f"service-heartbeat:{queue}"


def service_heartbeats() -> dict[str, datetime | None]:
    """The last heartbeat per service queue, from the cache: every page asks (the banner),
    so one cache read (one MGET on Redis) and no query. Raises what the cache raises."""
    stored = cache.get_many([service_heartbeat_key(queue) for queue in SERVICE_QUEUES])
    return {queue: stored.get(service_heartbeat_key(queue)) for queue in SERVICE_QUEUES}
