from __future__ import annotations

from typing import Any
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    CHANNEL_ADMIN = "channel_admin", _("Channel admin")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System admin")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class FederalState(models.TextChoices):
    """German federal states; an authority's public holidays depend on its state."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class OrgUnit(models.Model):
    """A node of the authority tree: authority → department → office.

    ``path`` is a materialised path of primary keys ("/3/7/12/") so that a whole subtree is
    one indexed ``startswith`` query; it is maintained by ``accounts.services``.
    """

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Authority")
        DEPARTMENT = "department", _("Department")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    federal_state = models.CharField(
        _("federal state"), max_length=2, choices=FederalState.choices, blank=True
    )
    # Inhabitants of the area the unit serves: the dashboard then also shows followers per
    # 1,000 inhabitants. Empty: not set (no such figure), never zero.
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_(
            "Inhabitants of the area the unit serves. Optional: the analytics then also show"
            " followers per 1,000 inhabitants."
        ),
    )
    # A personal practice space (Übungsmodus): the unit of one user's practice, with sandbox
    # channels only. Nothing in such a unit reaches a real platform or counts in analytics,
    # exports or the records export; every list marks it as practice.
    practice_of = models.OneToOneField(
        "accounts.User",
        verbose_name=_("practice space of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practice_unit",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_unit_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_practice(self) -> bool:
        return self.practice_of_id is not None

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to and including this unit."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    two_factor_required = models.BooleanField(
        _("two-factor authentication required"),
        default=False,
        help_text=_("System and channel admins always need it; this adds it for anyone else."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RoleAssignment(models.Model):
    """A role held by a user in a unit; it applies to the unit and every unit below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model.__name__} rows are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    """Rows are inserted, never changed or deleted through the ORM (a trigger refuses it in
    the database too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{type(self).__name__} rows are append-only.")


class AuditEntry(AppendOnlyModel):
    """One append-only, hash-chained record of an action that matters.

    Written only by ``accounts.audit.audit_log`` in the same transaction as the change it
    records. ``entry_hash`` covers every field and the previous entry's hash, so an altered,
    removed or reordered row breaks the chain (``manage.py audit_verify``); it is an HMAC
    under the key ``key_id`` names (empty: a plain SHA-256 of an entry written before keyed
    hashes). On PostgreSQL a trigger also refuses UPDATE, DELETE and TRUNCATE.
    """

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    actor_token = models.ForeignKey(
        ApiToken,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(max_length=255, blank=True, editable=False)
    action = models.CharField(max_length=100, db_index=True, editable=False)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, editable=False
    )
    target_id = models.CharField(max_length=64, blank=True, editable=False)
    target_repr = models.CharField(max_length=255, blank=True, editable=False)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    data = models.JSONField(default=dict, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)
    key_id = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AuditChainHead(models.Model):
    """The newest link of the audit chain: row lock serialises appends, and a removed tail
    entry is detected because the head no longer matches the last row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.sequence}"


class AuditCheckpoint(AppendOnlyModel):
    """The chain head at a moment, signed with a key the database does not hold
    (``accounts.audit_checkpoints``). The same text is e-mailed to the auditors: that copy,
    out of the database administrator's reach, is the anchor ``audit_verify --anchor`` checks
    the chain against; the stored row is for convenience and the records export."""

    sequence = models.PositiveBigIntegerField(_("entry number"), editable=False)
    entry_hash = models.CharField(_("hash of the entry"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("signed at"), editable=False, db_index=True)
    key_id = models.CharField(_("signing key"), max_length=40, editable=False)
    signature = models.CharField(_("signature"), max_length=100, editable=False)

    class Meta:
        ordering = ["-created_at", "-sequence"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.created_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app notification; title and body are rendered from ``kind``'s templates in the
    reader's language, so ``context`` holds only JSON data."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=100)
    context = models.JSONField(default=dict)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=100)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'e-mail' if self.email else 'in-app only'}"


class WorkerHeartbeat(models.Model):
    """Written by a periodic task that a Celery worker executes: proves beat and worker run."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return self.hostname


class TrainingCompletion(models.Model):
    """One onboarding checklist item a person completed (``accounts.guidance.checklists``):
    the training record, the authority's proof of instruction.

    Written when the audit entry that ticks the item is appended, and kept on its own: the
    record outlives the audit log's retention and a practice space being cleared. ``item``
    is the checklist item's stable key; ``audit_sequence`` the entry that ticked it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_completions")
    item = models.CharField(_("checklist item"), max_length=60)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    completed_at = models.DateTimeField(_("completed"))
    audit_sequence = models.PositiveBigIntegerField(_("audit entry"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user_id", "completed_at"]
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="unique_completion_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.item}"
