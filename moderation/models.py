"""The inbox: what citizens write to and about the authority, and what staff do about it.

- ``Author``/``InboxItem`` are what ingestion stores (one row per platform item, unique per
  channel and remote id; edits and platform-side deletions are kept as ``ItemRevision``).
- ``Reply`` is an answer sent through the adapter exactly once (its idempotency key).
- ``Netiquette``/``NetiquetteRule`` are the unit's published, versioned rules; every
  ``ModerationAction`` cites one, and a hide or delete has its ``EvidenceRecord`` first.
- ``BlockEntry``/``BlockAppeal`` are the block register.
- ``Flag`` is an automatic finding on ingestion: it explains itself and never removes anything.
- ``ModerationSettings`` holds a unit's service levels, retention periods and switches; a unit
  without its own inherits the nearest ancestor's (as ``EditorialPolicy`` does).

Statuses are ``TextChoices``; the allowed transitions live in the feature's services.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import OrgUnit
from channels_app.models import Channel
from channels_app.models import PlatformSend
from channels_app.models import RetriedPlatformCall


def default_service_hours() -> dict[str, list[list[str]]]:
    """Monday (``"0"``) to Friday 08:00-16:00, Europe/Berlin; weekends closed."""
    return {str(day): [["08:00", "16:00"]] for day in range(5)}


# A retention period: at least a day, at most ten years (the page and the API alike).
RETENTION_LIMITS = [MinValueValidator(1), MaxValueValidator(3650)]


def moderation_settings_defaults() -> dict[str, Any]:
    """What a unit follows when neither it nor any unit above it set a field (a new dict
    each time: ``service_hours`` is mutable)."""
    return {
        "service_hours": default_service_hours(),
        "first_response_minutes": 240,
        "next_response_minutes": 480,
        "storm_threshold": 50,
        "storm_window_minutes": 60,
        "replies_need_approval": False,
        "retention_days": 92,
        "evidence_retention_days": 730,
        "block_retention_days": 730,
        "criminal_unit_id": None,
        "employee_figures": False,
    }


class ModerationSettings(models.Model):
    """Per unit: service levels, reply approval, retention, and the co-determination switch.

    Each field is the unit's own value or empty (``None``): empty follows the nearest unit
    above that set it, else the default (``moderation_settings_defaults``), so a change
    higher up reaches every unit that did not set that field itself. Read the effective
    settings with ``moderation.common.selectors.settings_for_units``, never a row as it is.
    """

    unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="moderation_settings"
    )
    # {"0": [["08:00", "16:00"]], …}: weekday (Monday 0) → opening ranges, local time.
    service_hours = models.JSONField(_("service hours"), null=True, blank=True, default=None)
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (service minutes)"), null=True, blank=True, default=None
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response within (service minutes)"), null=True, blank=True, default=None
    )
    storm_threshold = models.PositiveIntegerField(
        _("storm alert: items on one channel"), null=True, blank=True, default=None
    )
    storm_window_minutes = models.PositiveIntegerField(
        _("storm alert: within (minutes)"), null=True, blank=True, default=None
    )
    replies_need_approval = models.BooleanField(
        _("replies need a second person's approval"), null=True, blank=True, default=None
    )
    retention_days = models.PositiveIntegerField(
        _("keep commenters' personal data (days after closing)"),
        null=True,
        blank=True,
        default=None,
        validators=RETENTION_LIMITS,
    )
    evidence_retention_days = models.PositiveIntegerField(
        _("keep evidence records (days)"),
        null=True,
        blank=True,
        default=None,
        validators=RETENTION_LIMITS,
    )
    block_retention_days = models.PositiveIntegerField(
        _("keep block register entries (days after unblocking)"),
        null=True,
        blank=True,
        default=None,
        validators=RETENTION_LIMITS,
    )
    # Empty: as the unit above; at the top, the item's own unit handles criminal matters.
    criminal_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit handling criminally relevant items"),
    )
    employee_figures = models.BooleanField(
        _("show response figures per employee"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Only with the staff council's consent. Off: figures per unit only."),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"moderation settings of {self.unit_id}"


class IngestCursor(models.Model):
    """Where the next poll of one stream of one channel starts, and how the last one went."""

    class Stream(models.TextChoices):
        COMMENTS = "comments", _("Comments and replies")
        MENTIONS = "mentions", _("Mentions")
        MESSAGES = "messages", _("Direct messages")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="ingest_cursors")
    stream = models.CharField(max_length=20, choices=Stream.choices)
    cursor = models.TextField(blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Set when the platform does not offer this stream for the channel: reported once,
    # not retried as a transient error.
    unavailable = models.BooleanField(default=False)
    unavailable_reason = models.TextField(blank=True)
    not_before = models.DateTimeField(null=True, blank=True)  # Retry-After of a rate limit
    claimed_at = models.DateTimeField(null=True, blank=True)
    items_total = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "stream"], name="unique_ingest_cursor"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}/{self.stream}"


class Author(models.Model):
    """A citizen's account as one channel sees it. Pseudonymised when retention ends."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="authors")
    remote_id = models.CharField(max_length=255)
    handle = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(max_length=255, blank=True)
    profile_url = models.URLField(max_length=1000, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    pseudonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "remote_id"], name="unique_author"),
        ]
        indexes = [models.Index(fields=["handle"], name="moderation_author_handle")]

    def __str__(self) -> str:
        return self.handle or self.display_name or self.remote_id


class InboxItem(models.Model):
    """One comment, reply, mention or direct message, as the platform sent it.

    ``text``, names and ``raw`` are stored intact, whatever they contain, and always rendered
    escaped."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        MENTION = "mention", _("Mention")
        MESSAGE = "message", _("Direct message")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Waiting for someone")
        ANSWERED = "answered", _("Answered")
        NO_ACTION = "no_action", _("No action needed")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 0, _("Low")
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")
        URGENT = 3, _("Urgent")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="inbox_items")
    remote_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    # Thread context: which of our posts (when it is one of ours), which parent item.
    variant = models.ForeignKey(
        "editorial.PostVariant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbox_items",
    )
    post_remote_id = models.CharField(max_length=255, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    parent_remote_id = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="items")
    text = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)  # when the citizen wrote it
    ingested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    remote_deleted_at = models.DateTimeField(null=True, blank=True)
    remote_hidden = models.BooleanField(default=False)
    # Triage.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inbox_items",
    )
    team = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snoozed_until = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Service levels: deadlines in wall-clock time, computed from the unit's service hours.
    response_due_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    last_responded_at = models.DateTimeField(null=True, blank=True)
    first_response_breached = models.BooleanField(null=True, blank=True)
    # Criminal relevance (a request to prosecute is due within three months, § 77b StGB).
    criminal_relevant_at = models.DateTimeField(null=True, blank=True)
    # Data protection: set when the author's personal data was erased from this item.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "remote_id"], name="unique_inbox_item"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="moderation_item_newest"),
            models.Index(fields=["channel", "-created_at", "-id"], name="moderation_item_channel"),
            models.Index(fields=["status", "-created_at", "-id"], name="moderation_item_status"),
            models.Index(
                fields=["assignee", "-created_at", "-id"], name="moderation_item_assignee"
            ),
            models.Index(fields=["author", "-created_at"], name="moderation_item_author"),
            models.Index(fields=["variant"], name="moderation_item_variant"),
            models.Index(fields=["response_due_at"], name="moderation_item_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}/{self.remote_id}"


class ItemRevision(models.Model):
    """An earlier state of an item the platform changed: the text before an edit, or the
    moment the platform reported it deleted or hidden."""

    class Change(models.TextChoices):
        EDITED = "edited", _("Edited by the author")
        DELETED = "deleted", _("Deleted on the platform")
        HIDDEN = "hidden", _("Hidden on the platform")
        UNHIDDEN = "unhidden", _("Shown again on the platform")

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="revisions")
    change = models.CharField(max_length=20, choices=Change.choices)
    previous_text = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.change}"


class InternalNote(models.Model):
    """Staff's note on an item; never sent to the platform."""

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.item_id}"


class SavedReply(models.Model):
    """A Textbaustein: private to its owner, or shared with the unit (and the units below)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="saved_replies")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_replies",
        help_text=_("Empty: shared with the unit."),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Placeholders: {name}, {channel}, {unit}."))
    # Set for the standard answers to formal requests ("formal_request:objection" …).
    purpose = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Reply(PlatformSend):
    """An answer written in the inbox, sent through the adapter exactly once (queued by the
    sweeper again when its message was lost)."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NEEDS_CHECK = "needs_check", _("Unclear whether it was sent: check")
        REJECTED = "rejected", _("Rejected")

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("reply"))
    saved_reply = models.ForeignKey(
        SavedReply, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason of the rejection"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    remote_url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The sweeper and the approval queue look for the few replies in a status.
            models.Index(fields=["status", "created_at"], name="moderation_reply_status"),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} to {self.item_id}"


class Netiquette(models.Model):
    """One published version of a unit's Netiquette. Versions are never changed after
    publication; a change is a new version, and actions keep citing the version they used."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="netiquettes")
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200, default="Netiquette")
    preamble = models.TextField(_("preamble"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="unique_netiquette_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class NetiquetteRule(models.Model):
    netiquette = models.ForeignKey(Netiquette, on_delete=models.PROTECT, related_name="rules")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["netiquette", "number"]
        constraints = [
            models.UniqueConstraint(fields=["netiquette", "number"], name="unique_rule_number"),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"


class EvidenceRecord(models.Model):
    """Everything about an item, frozen before anything is removed: exportable (PDF, JSON)
    for a criminal complaint. ``content`` is self-contained (it outlives the item's erasure);
    ``sha256`` is over its canonical JSON."""

    item = models.ForeignKey(
        InboxItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    author_remote_id = models.CharField(max_length=255, db_index=True)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    retain_until = models.DateField()
    # Criminal relevance: handed to a unit, a reminder before the deadline for a request
    # to prosecute (three months from knowledge of the act and the person).
    criminal_relevant = models.BooleanField(default=False)
    criminal_unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    prosecution_deadline = models.DateField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    complaint_filed_at = models.DateTimeField(null=True, blank=True)
    # The legal hold (criminally relevant: until the deadline, or for good once a complaint
    # is filed) ends when a person releases it, with the reason (e.g. proceedings closed);
    # from then on ``retain_until`` alone decides.
    legal_hold_released_at = models.DateTimeField(null=True, blank=True)
    legal_hold_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_hold_release_reason = models.TextField(_("why the legal hold ends"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"evidence {self.pk}"


class ModerationAction(RetriedPlatformCall):
    """A decision on an item, resting on a Netiquette rule (none needed for "no action"),
    with a justification. Platform actions go PENDING → DONE or FAILED."""

    class Kind(models.TextChoices):
        NO_ACTION = "no_action", _("No action")
        REPLY_CITING_RULE = "reply_citing_rule", _("Reply citing the rule")
        HIDE = "hide", _("Hide")
        UNHIDE = "unhide", _("Show again")
        DELETE = "delete", _("Delete")
        BLOCK = "block", _("Block the author")
        COMMENTS_OFF = "comments_off", _("Switch comments off for the post")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being carried out")
        # "Done" is also the button that closes the new-token page: here it is a state.
        DONE = "done", pgettext_lazy("moderation action status", "Done")
        FAILED = "failed", _("Failed at the platform")

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rule = models.ForeignKey(
        NetiquetteRule, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    justification = models.TextField(_("justification"))
    evidence = models.ForeignKey(
        EvidenceRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    # Proportionality: why the milder actions (hiding) are not enough, for a delete, a block
    # or switching comments off.
    why_not_milder = models.TextField(_("why a milder action is not enough"), blank=True)
    # What the action led to: the reply or block entry it created, the platform's answer.
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="moderation_action_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.item_id}"


class BlockEntry(models.Model):
    """The block register: who is blocked on which channel, by whom, on which rule, and when
    the block is reviewed."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Blocked")
        LIFTED = "lifted", _("Unblocked")

    class PlatformStatus(models.TextChoices):
        """Whether the platform matches the register (blocked while ACTIVE, unblocked once
        LIFTED): the platform call of the last change is waiting, done, failed, or must be
        done by hand because the platform's API offers no block (or no unblock)."""

        PENDING = "pending", _("Waiting for the platform")
        DONE = "done", _("Done on the platform")
        FAILED = "failed", _("Failed at the platform")
        MANUAL = "manual", _("To do by hand on the platform")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="blocks")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="blocks")
    item = models.ForeignKey(
        InboxItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(NetiquetteRule, on_delete=models.PROTECT, related_name="blocks")
    justification = models.TextField(_("justification"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # False where the platform offers no block through its API: staff block by hand.
    blocked_on_platform = models.BooleanField(default=False)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    blocked_at = models.DateTimeField(default=timezone.now)
    review_due_on = models.DateField(_("review due"))
    reviewed_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    evidence = models.ForeignKey(
        EvidenceRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="blocks"
    )
    platform_status = models.CharField(
        max_length=20, choices=PlatformStatus.choices, default=PlatformStatus.PENDING
    )
    platform_error = models.TextField(blank=True)
    platform_attempts = models.PositiveSmallIntegerField(default=0)
    platform_claimed_at = models.DateTimeField(null=True, blank=True)
    # When the pending platform call is due: queued at once, or a retry's time (the backoff
    # or the platform's Retry-After). No claim before it; the sweep counts a call as lost
    # only once it is overdue. Empty when nothing is pending.
    platform_next_attempt_at = models.DateTimeField(null=True, blank=True)
    platform_done_at = models.DateTimeField(null=True, blank=True)
    # Who confirmed a block (or unblock) done by hand on a platform without an API for it.
    platform_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The review date whose reminder went out: one reminder per due review.
    review_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-blocked_at", "-id"]
        indexes = [
            models.Index(fields=["status", "review_due_on"], name="moderation_block_due"),
            # The register's pages: newest first, all entries or one status.
            models.Index(fields=["-blocked_at", "-id"], name="moderation_block_newest"),
            models.Index(fields=["status", "-blocked_at", "-id"], name="moderation_block_status"),
        ]
        constraints = [
            # One active block per author and channel, even under concurrent requests.
            models.UniqueConstraint(
                fields=["channel", "author"],
                condition=models.Q(status="active"),
                name="unique_active_block",
            ),
        ]

    def __str__(self) -> str:
        return f"block {self.pk}"


class BlockReview(models.Model):
    """A review that kept a block: why it is still needed, and until when."""

    block = models.ForeignKey(BlockEntry, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    previous_due_on = models.DateField()
    next_due_on = models.DateField(_("next review due"))
    justification = models.TextField(_("why the block is still needed"))

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"review {self.pk} of block {self.block_id}"


class BlockAppeal(models.Model):
    """The author's objection to a block, recorded by staff and decided by a second person."""

    class Decision(models.TextChoices):
        """Named after what happens to the block: ``upheld``, the block stays (the objection
        is rejected); ``lifted``, the block is lifted (the objection is granted)."""

        OPEN = "open", _("Not yet decided")
        UPHELD = "upheld", _("Block upheld (objection rejected)")
        LIFTED = "lifted", _("Block lifted (objection granted)")

    block = models.ForeignKey(BlockEntry, on_delete=models.CASCADE, related_name="appeals")
    received_at = models.DateTimeField()
    text = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason of the decision"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"appeal {self.pk} on block {self.block_id}"


class Flag(models.Model):
    """An automatic finding on an item. It says why (``explanation``, ``evidence``: the
    matched words or the classifier's score) and never removes anything."""

    class Kind(models.TextChoices):
        KEYWORD = "keyword", _("Keyword alert")
        PERSONAL_DATA = "personal_data", _("Personal data of the commenter")
        SPAM_LINK = "spam_link", _("Spam link")
        INSULT = "insult", _("Possible insult")
        FORMAL_REQUEST = "formal_request", _("Looks like a formal request")

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What exactly: "phone", "iban", "threat", "lexicon", "classifier", "objection" …
    code = models.CharField(max_length=50, blank=True)
    explanation = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["kind", "item"], name="moderation_flag_kind")]
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "code"], name="unique_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.code} on {self.item_id}"


class KeywordAlert(models.Model):
    """A word or phrase a unit wants to hear about at once (threats, emergencies)."""

    class Category(models.TextChoices):
        THREAT = "threat", _("Threat")
        EMERGENCY = "emergency", _("Emergency")
        TOPIC = "topic", _("Topic")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="keyword_alerts")
    phrase = models.CharField(_("word or phrase"), max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.TOPIC)
    raises_priority = models.BooleanField(_("mark items urgent"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "phrase"], name="unique_keyword_alert"),
        ]

    def __str__(self) -> str:
        return self.phrase


class LexiconEntry(models.Model):
    """A unit's addition to the maintained German insult lexicon."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="lexicon_entries")
    term = models.CharField(_("word"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term"], name="unique_lexicon_entry"),
        ]

    def __str__(self) -> str:
        return self.term


class InsultClassifier(models.Model):
    """A classifier trained by ``manage.py moderation_train_classifier`` from labelled data
    (the units' own decisions or a GermEval-format file). Kept in the database, never as a
    file in the repository; the newest active one is used."""

    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=500)
    samples = models.PositiveIntegerField()
    metrics: Any = models.JSONField(default=dict, blank=True)
    model = models.BinaryField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"classifier {self.pk}"


class StormAlert(models.Model):
    """Items on one channel passed the unit's threshold within its window."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="storm_alerts")
    window_start = models.DateTimeField()
    item_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"storm on {self.channel_id} at {self.window_start}"


def answer_due_on(received_on: date) -> date:
    """When the answer to a data-subject request is due: one month after receipt (Art. 12
    (3) GDPR), counted as EU periods are (Regulation 1182/71, Art. 3 (2) (c)): the same date
    of the next month, else that month's last day. Not moved off weekends or holidays: an
    answer by this date is on time either way."""
    year, month = divmod(received_on.month, 12)
    year, month = received_on.year + year, month + 1
    return date(year, month, min(received_on.day, calendar.monthrange(year, month)[1]))


class DataSubjectRequest(models.Model):
    """A citizen's request about their data: every item, evidence record and block entry of
    one author found, exported or erased. The request itself keeps no content."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (export)")
        ERASURE = "erasure", _("Erasure")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(_("file reference"), max_length=200, blank=True)
    authors = models.ManyToManyField(Author, blank=True, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The answer is due within one month of receipt (Art. 12 (3) GDPR): the day the letter
    # or mail came in, which may be before the request was recorded here. ``due_on`` follows
    # from it (``answer_due_on``), set on saving.
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    due_on = models.DateField(_("answer due"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.due_on = answer_due_on(self.received_on)
        super().save(*args, **kwargs)

    @property
    def overdue(self) -> bool:
        """Not answered (exported or erased) and past its due date."""
        return self.completed_at is None and self.due_on < timezone.localdate()
