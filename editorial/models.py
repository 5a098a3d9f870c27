"""Posts, their per-channel variants, media, approval, the Redaktionsplan and crisis mode.

The status machine of a post lives in ``editorial.posts.status`` and is changed only by
``editorial.posts.services``; every transition is audited there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from channels_app.models import Channel
from channels_app.models import PlatformSend

# Mastodon has no limit of its own for the spoiler text (it counts towards the post's);
# this is only a bound for the database column.
MAX_CONTENT_WARNING = 1000


class Topic(models.Model):
    """A topic or campaign ("Baustellen 2026", "Wahl") posts and slots belong to."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("name"), max_length=200)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_topic_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class EditorialPolicy(models.Model):
    """Per unit: how many approvals, how long they hold, what the unit requires.

    A unit without a policy of its own inherits the nearest ancestor's; without any, the
    defaults below apply (one approval, no expiry)."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="editorial_policy")
    required_approvals = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    approval_valid_days = models.PositiveSmallIntegerField(
        _("approval valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: an approval does not expire."),
    )
    require_website_link = models.BooleanField(
        _("every post needs a link to our own website"), default=False
    )
    alt_text_required = models.BooleanField(_("missing alt text blocks review"), default=True)
    captions_required = models.BooleanField(_("missing video captions block review"), default=True)
    emergency_approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="emergency_approver_for",
        verbose_name=_("emergency approvers"),
    )

    def __str__(self) -> str:
        return f"policy of {self.unit_id}"


class MediaAsset(models.Model):
    """An image or video in the media library, with the rights it may be used under."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")

    class License(models.TextChoices):
        OWN = "own", _("Own work of the authority")
        CC0 = "cc0", "CC0"
        CC_BY = "cc_by", "CC BY 4.0"
        CC_BY_SA = "cc_by_sa", "CC BY-SA 4.0"
        LICENSED = "licensed", _("Licensed (agency, photographer)")
        OTHER = "other", _("Other (see rights note)")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="media_assets")
    file = models.FileField(upload_to="media/%Y/%m/")
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    alt_text = models.TextField(_("alternative text"), blank=True)
    caption = models.TextField(_("caption"), blank=True)
    captions_file = models.FileField(
        _("subtitles (WebVTT)"), upload_to="media/captions/%Y/%m/", blank=True
    )
    credit = models.CharField(_("source / credit"), max_length=300, blank=True)
    license = models.CharField(_("licence"), max_length=20, choices=License.choices, blank=True)
    rights_note = models.TextField(_("rights note"), blank=True)
    rights_valid_until = models.DateField(_("rights valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class MediaDerivative(models.Model):
    """A copy of an asset fitted to one platform's limits (smaller, re-encoded)."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="derivatives")
    platform = models.CharField(max_length=20)
    file = models.FileField(upload_to="media/derivatives/%Y/%m/")
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "platform"], name="unique_derivative"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} for {self.platform}"


class PostTemplate(models.Model):
    """A prepared text for recurring messages; ``{placeholders}`` are filled in on use."""

    class Kind(models.TextChoices):
        ROAD_CLOSURE = "road_closure", _("Road closure")
        OFFICE_HOURS = "office_hours", _("Office hours")
        WARNING = "warning", _("Warning")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="post_templates")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("internal title"), max_length=200)
    text = models.TextField(_("text"))
    website_link = models.URLField(_("link to our website"), max_length=500, blank=True)
    channels = models.ManyToManyField(Channel, blank=True, verbose_name=_("channels"))
    is_emergency = models.BooleanField(
        _("emergency template"),
        default=False,
        help_text=_("Can be sent during a pause with one emergency approval."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Recurrence(models.Model):
    """Repeat a post: weekly on the same weekday and time, until a date or a count."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    frequency = models.CharField(_("repeat"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of repetitions"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The series repeats this post; its copies are the occurrences
    # (``editorial.post_templates.recurrence``).
    origin = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The rule's anchor: moving the first post later must not shift the whole series.
    starts_at = models.DateTimeField(null=True, blank=True)
    # Occurrences 0..generated_count-1 have been handled (created or skipped as past): the
    # periodic extension continues from here, so running it twice creates nothing twice.
    generated_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.frequency}/{self.interval}"


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        REJECTED = "rejected", _("Rejected")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        PARTLY_FAILED = "partly_failed", _("Partly failed")
        FAILED = "failed", _("Failed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("internal title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    website_link = models.URLField(_("link to our website"), max_length=500, blank=True)
    # Mastodon's spoiler text: shown before the text, which readers open with a click. Sent
    # to Mastodon-API channels only, counted towards their limit, part of what is approved.
    content_warning = models.CharField(
        _("content warning"), max_length=MAX_CONTENT_WARNING, blank=True
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("topic / campaign"),
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_posts"
    )
    media = models.ManyToManyField(MediaAsset, through="PostMedia", related_name="posts")
    # Set when the last required approval is given: the hash of exactly what was approved.
    approved_hash = models.CharField(max_length=64, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    is_emergency = models.BooleanField(default=False)
    template = models.ForeignKey(
        PostTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    recurrence = models.ForeignKey(
        Recurrence, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["planned_at", "id"]
        permissions = [("view_all_posts", "Can see posts of every channel (auditors)")]

    def __str__(self) -> str:
        return self.title


class OrderedMedia(models.Model):
    """One asset of a post's (or a variant's own) media, at its place in their order."""

    asset = models.ForeignKey(MediaAsset, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class PostMedia(OrderedMedia):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_media")

    def __str__(self) -> str:
        return f"{self.post_id}/{self.asset_id}"


class PostVariant(PlatformSend):
    """What one channel publishes: the post's text and media unless overridden.

    Publishing state lives here, per channel, so that a post can be partly published (beat
    queues it, a publisher claims it, retries are ``RetriedPlatformCall``'s)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        NEEDS_CHECK = "needs_check", _("Needs manual check")
        SKIPPED = "skipped", _("Skipped")
        REMOVED = "removed", _("Deleted on the platform")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="variants")
    text_override = models.TextField(_("own text for this channel"), blank=True)
    media_override = models.BooleanField(_("own media for this channel"), default=False)
    media = models.ManyToManyField(MediaAsset, through="VariantMedia", related_name="variants")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_by = models.CharField(max_length=255, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["channel__name"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="unique_variant_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.channel_id}"


class PublishAttempt(models.Model):
    """One try to publish a variant: the basis of retries, lateness and error rates."""

    class Outcome(models.TextChoices):
        PUBLISHED = "published", _("Published")
        FOUND = "found", _("Found already published")
        TRANSIENT = "transient", _("Temporary error")
        AUTHENTICATION = "authentication", _("Access refused")
        REJECTED = "rejected", _("Rejected by the platform")
        UNKNOWN = "unknown", _("Outcome unknown")
        HELD = "held", _("Held back (pause, channel or approval)")

    variant = models.ForeignKey(PostVariant, on_delete=models.CASCADE, related_name="attempts_log")
    platform = models.CharField(max_length=20, db_index=True)
    worker = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.variant_id}: {self.outcome}"


class VariantMedia(OrderedMedia):
    variant = models.ForeignKey(PostVariant, on_delete=models.CASCADE, related_name="variant_media")

    def __str__(self) -> str:
        return f"{self.variant_id}/{self.asset_id}"


class Approval(models.Model):
    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approvals"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # False once the content changed after this decision, or the approval expired.
    is_current = models.BooleanField(default=True)
    is_emergency = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.decision} {self.post_id} by {self.approver_id}"


class PostComment(models.Model):
    """Discussion on a draft; @mentions notify the people named."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"comment on {self.post_id}"


class PlannedTopic(models.Model):
    """What the Redaktionsplan plans before any text exists: a title, a topic, a note and
    the channels meant. A weekly format plans its slots with these same fields."""

    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    channels = models.ManyToManyField(Channel, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class WeeklyFormat(PlannedTopic):
    """A standing weekly format of a unit's Redaktionsplan ("Wochenvorschau", Mondays 9:00):
    planned as a topic slot on each of its weekdays up to a horizon ahead
    (``editorial.weekly_formats``); paused, it plans no more."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="weekly_formats")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    time = models.TimeField(_("time"))
    # Planned from this day on (not before: a format adopted for next month starts then).
    starts_on = models.DateField(_("first day"), default=timezone.localdate)
    paused_at = models.DateTimeField(null=True, blank=True)
    # Days up to here have been planned: a slot an editor deleted is not planned again.
    planned_until = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["weekday", "time", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class CalendarSlot(PlannedTopic):
    """A topic planned on a day before any text exists."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="calendar_slots")
    day = models.DateField(_("day"), db_index=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="slot"
    )
    # Planned by a standing weekly format (once per day: planning again plans nothing twice).
    weekly_format = models.ForeignKey(
        WeeklyFormat, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )

    class Meta:
        ordering = ["day", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["weekly_format", "day"],
                condition=models.Q(weekly_format__isnull=False),
                name="calendar_slot_one_per_format_day",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeedToken(models.Model):
    """The secret in a user's iCal feed URL; only its digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class StartedAndEnded(models.Model):
    """A period a person starts and a person (maybe another) ends: a pause, a drill."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-started_at"]

    @property
    def is_running(self) -> bool:
        return self.ended_at is None


class PublishingPause(StartedAndEnded):
    """Crisis mode: nothing scheduled goes out in the scope while the pause is active.

    Scope: one channel, one unit (and its subtree), or everything (both empty)."""

    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="pauses"
    )
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="pauses"
    )
    reason = models.TextField(_("reason"))
    # Indexed: every publish asks for the pauses still running.
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"pause {self.pk}"


class UnitDocument(models.Model):
    """A unit's own copy of a starter document (issue 15): its social-media guideline or its
    crisis communication checklist (one step per line). Adopted from the starter library
    (``editorial/starters/library/``), edited by the unit since; each change is audited with
    the text before and after, which is the document's version history."""

    class Kind(models.TextChoices):
        GUIDELINE = "guideline", _("Social media guideline")
        CRISIS_CHECKLIST = "crisis_checklist", _("Crisis communication checklist")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # The library's edition the unit adopted (a later edition never changes this copy).
    starter_version = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="unique_document_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.unit_id}"


class CrisisDrill(StartedAndEnded):
    """A crisis drill (issue 15): a system admin walks the team through the unit's crisis
    communication checklist while publishing is paused in the participants' practice spaces
    only (``pauses``, one per practice unit); real publishing goes on. Each step is ticked
    with its time, so the result shows how long the team took."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="drills")
    title = models.CharField(_("title"), max_length=200)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="crisis_drills", verbose_name=_("participants")
    )
    pauses = models.ManyToManyField(PublishingPause, related_name="drills")

    def __str__(self) -> str:
        return self.title


class CrisisDrillStep(models.Model):
    """One step of a drill's checklist, ticked once (who, when)."""

    drill = models.ForeignKey(CrisisDrill, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("step"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["drill", "position"]
        constraints = [
            models.UniqueConstraint(fields=["drill", "position"], name="unique_drill_step"),
        ]

    def __str__(self) -> str:
        return f"{self.drill_id}.{self.position}"
