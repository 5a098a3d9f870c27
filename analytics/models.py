"""Analytics: what the platforms report about the authority's posts and channels.

- ``PostMetricSnapshot`` is one reading of one published variant at one age (about 1 hour,
  24 hours, 7 days after publishing, then daily up to 30 days). Rows are never updated
  after the reading, so history stays without fetching again; unique per variant and age
  bucket, so a retried fetch cannot write a second row.
- ``ChannelDailyFigure`` is one reading per channel and day (followers, posts, reach).
- ``ChannelAnalyticsSettings`` holds the per-channel switch for Facebook/Instagram Insights
  (data protection: the fan-page rulings); ``ChannelMetricsState`` is the fetch bookkeeping
  (back-off after a rate limit, the last error).

Every figure column is nullable: empty means "not provided by this platform" (or switched
off), never zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channels_app.models import Channel
from editorial.models import PostVariant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

HOUR = 1
DAY = 24
# The ages (in hours after publishing) at which a post's figures are read: 1 h, 24 h, 7 days,
# then every day up to 30 days. Sorted; ``analytics.metrics.selectors`` relies on that.
SNAPSHOT_BUCKETS: tuple[int, ...] = (HOUR, DAY, *(day * DAY for day in range(7, 31)))

# The per-post figures, in the order pages and exports list them.
POST_METRIC_FIELDS: tuple[str, ...] = (
    "impressions",
    "reach",
    "likes",
    "shares",
    "comments",
    "clicks",
    "video_views",
)


def figure(label: StrOrPromise) -> models.PositiveBigIntegerField[int | None, int | None]:
    """A figure column of a reading: empty where the platform does not provide it (or
    Insights are off), never zero."""
    return models.PositiveBigIntegerField(label, null=True, blank=True)


class PlatformReading(models.Model):
    """What a platform reported at one time, with its answer as it came (``raw``)."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("read at"), default=timezone.now)
    # Insights were switched off for the channel when this was read (Facebook/Instagram).
    insights_off = models.BooleanField(default=False)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class PostMetricSnapshot(PlatformReading):
    """What the platform reported for one published variant at one age."""

    variant = models.ForeignKey(
        PostVariant, on_delete=models.CASCADE, related_name="metric_snapshots"
    )
    # Hours after publishing this reading stands for (one of ``SNAPSHOT_BUCKETS``); the
    # reading itself may be taken later (``taken_at``) when a worker or the platform was late.
    age_bucket = models.PositiveIntegerField(_("age (hours after publishing)"))
    impressions = figure(_("impressions"))
    reach = figure(_("reach"))
    likes = figure(_("likes"))
    shares = figure(_("shares"))
    comments = figure(_("replies"))
    clicks = figure(_("link clicks"))
    video_views = figure(_("video views"))

    class Meta:
        ordering = ["variant", "age_bucket"]
        verbose_name = _("post metric snapshot")
        verbose_name_plural = _("post metric snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "age_bucket"], name="unique_snapshot_per_variant_bucket"
            ),
        ]
        indexes = [models.Index(fields=["channel", "taken_at"])]

    def __str__(self) -> str:
        return f"variant {self.variant_id} at {self.age_bucket} h"


class PostMetricLatest(models.Model):
    """The newest reading (highest age bucket) of each variant that has one: a copy of that
    ``PostMetricSnapshot``'s figures, so the dashboard joins one row per variant instead of
    looking up each variant's newest snapshot. Kept by the database in the transaction that
    writes the snapshot (trigger ``analytics_snapshot_latest``, migration 0005: the metrics
    tasks' ``bulk_create``, a back-fill in SQL and the tests' rows alike), never written by
    the application; the snapshots stay the history."""

    variant = models.OneToOneField(
        PostVariant, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    age_bucket = models.PositiveIntegerField()
    taken_at = models.DateTimeField()
    impressions = models.PositiveBigIntegerField(null=True)
    reach = models.PositiveBigIntegerField(null=True)
    likes = models.PositiveBigIntegerField(null=True)
    shares = models.PositiveBigIntegerField(null=True)
    comments = models.PositiveBigIntegerField(null=True)
    clicks = models.PositiveBigIntegerField(null=True)
    video_views = models.PositiveBigIntegerField(null=True)
    insights_off = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("latest post metrics")
        verbose_name_plural = _("latest post metrics")

    def __str__(self) -> str:
        return f"variant {self.variant_id}: newest reading at {self.age_bucket} h"


class ChannelDailyFigure(PlatformReading):
    """What the platform reported for one channel on one day (Europe/Berlin)."""

    day = models.DateField(_("day"))
    followers = figure(_("followers"))
    # The account's number of posts as the platform counts them (not only ours).
    posts = figure(_("posts"))
    reach = figure(_("reach"))

    class Meta:
        ordering = ["channel", "day"]
        verbose_name = _("channel daily figure")
        verbose_name_plural = _("channel daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "day"], name="unique_figure_per_channel_day"
            ),
        ]
        indexes = [
            # The dashboard adds up followers and reach of its channels' days from this
            # index alone (an index-only scan, no visit of the rows with their raw answer).
            models.Index(
                fields=["channel", "day"],
                include=["followers", "reach"],
                name="figure_channel_day_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"channel {self.channel_id} on {self.day}"


class ChannelAnalyticsSettings(models.Model):
    """Per channel. A channel without a row has Insights on (the default)."""

    channel = models.OneToOneField(
        Channel, on_delete=models.CASCADE, related_name="analytics_settings"
    )
    insights_enabled = models.BooleanField(
        _("use the platform's Insights"),
        default=True,
        help_text=_(
            "Facebook and Instagram only. Off: no Insights figures (reach, impressions,"
            " clicks, video views) are fetched for this channel; analytics work with the"
            " public counts that remain."
        ),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("channel analytics settings")
        verbose_name_plural = _("channel analytics settings")

    def __str__(self) -> str:
        return f"analytics settings of channel {self.channel_id}"


class ChannelMetricsState(models.Model):
    """Fetch bookkeeping per channel: nothing is asked of the platform before
    ``not_before`` (a rate limit's retry-after, or back-off after an error)."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="+")
    not_before = models.DateTimeField(null=True, blank=True)
    # When beat last put a fetch for this channel on the queue: not again while it waits,
    # but again after a while in case the broker lost the message.
    snapshots_queued_at = models.DateTimeField(null=True, blank=True)
    figures_queued_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"metrics state of channel {self.channel_id}"


# --- Goals and strategy (analytics.goals) -----------------------------------------------------
#
# What a unit wants to achieve with its channels: target groups (Zielgruppen), goals per period
# with an optional machine-readable KPI target, and per channel why it is used and for whom.
# Progress is computed from the figures above and the moderation service levels
# (``analytics.goals.selectors.goal_progress``); nothing here stores a figure of its own.


class TargetGroup(models.Model):
    """A group of people a unit wants to reach ("younger citizens", "commuters")."""

    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="target_groups",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Archived, not deleted: goals and channel strategies of past periods still name it.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_target_group_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class GoalMetric(models.TextChoices):
    """What a goal's KPI target measures. Each kind knows where its figures come from
    (``analytics.goals.selectors``)."""

    FOLLOWERS_GROWTH = "followers_growth", _("Growth of followers (%)")
    FOLLOWERS = "followers", _("Followers at the end of the period")
    REACH = "reach", _("Reach in the period")
    RESPONSE_WITHIN_TARGET = "response_within_target", _("First responses within service time (%)")
    MEDIAN_FIRST_RESPONSE = "median_first_response", _("Median first response (service hours)")


class GoalComparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class ChannelsOverAPeriod(models.Model):
    """What covers a unit's channels, or one of them, over a period of days: a goal, a
    records export. Each keeps its own check that the period is in order."""

    # Empty: every channel of the unit and of the units below it.
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))

    class Meta:
        abstract = True


class Goal(ChannelsOverAPeriod):
    """A communication goal of a unit for a period. With ``metric`` it carries a KPI target
    (metric, scope: the unit's channels or one channel, comparison, target value) whose
    progress is computed; without, it is a goal in words only."""

    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="goals"
    )
    metric = models.CharField(
        _("KPI"), max_length=30, choices=GoalMetric.choices, blank=True, default=""
    )
    comparison = models.CharField(
        _("comparison"),
        max_length=10,
        choices=GoalComparison.choices,
        default=GoalComparison.AT_LEAST,
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-period_start", "title", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="goal_period_in_order",
            ),
            # A KPI has a target value, a goal in words has none.
            models.CheckConstraint(
                condition=(models.Q(metric="") & models.Q(target_value__isnull=True))
                | (~models.Q(metric="") & models.Q(target_value__isnull=False)),
                name="goal_kpi_has_target",
            ),
        ]
        indexes = [models.Index(fields=["unit", "period_end"])]

    def __str__(self) -> str:
        return self.title


class ChannelStrategy(models.Model):
    """Why the unit uses a channel and for whom (Plattformwahl)."""

    channel = models.OneToOneField(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="strategy"
    )
    purpose = models.TextField(_("why we use this channel"), blank=True)
    audience = models.TextField(_("for whom"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="channel_strategies"
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("channel strategy")
        verbose_name_plural = _("channel strategies")

    def __str__(self) -> str:
        return f"strategy of channel {self.channel_id}"


# --- Monthly reports (analytics.reports) ---------------------------------------------------------
#
# A unit's monthly report: its settings (on/off, language, who receives it) and every report
# produced, kept as an archive with the PDF in storage and its SHA-256.


class ReportSettings(models.Model):
    """Per unit. A unit without a row gets no scheduled report (reports can still be built
    on request)."""

    unit = models.OneToOneField(
        "accounts.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="report_settings",
    )
    enabled = models.BooleanField(
        _("send the monthly report"),
        default=False,
        help_text=_(
            "On the first of each month at 06:00 the report of the previous month is built"
            " and e-mailed to the recipients."
        ),
    )
    language = models.CharField(
        _("language of the report"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), blank=True, related_name="+"
    )
    # Further addresses outside the product (the head of the authority, a council office),
    # one per line; each is validated by the service.
    extra_addresses = models.TextField(_("further e-mail addresses"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return f"report settings of unit {self.unit_id}"

    @property
    def addresses(self) -> list[str]:
        return [line.strip() for line in self.extra_addresses.splitlines() if line.strip()]


class ReportRun(models.Model):
    """One monthly report of one unit: queued, built into a PDF, (when scheduled) e-mailed.

    A scheduled report exists once per unit and month (the constraint makes beat and a
    redelivered task idempotent); a report built on request may be built again later, e.g.
    after figures were corrected, and each stays in the archive."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("being built")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("monthly schedule")
        REQUEST = "request", _("on request")

    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The first day of the month reported on.
    month = models.DateField(_("month"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    trigger = models.CharField(_("built"), max_length=10, choices=Trigger.choices)
    status = models.CharField(
        _("state"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    error = models.TextField(blank=True)
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    mailed_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-month", "-created_at", "-pk"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"],
                condition=models.Q(trigger="schedule"),
                name="unique_scheduled_report_per_unit_month",
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="report_month_is_first_day"
            ),
        ]
        indexes = [models.Index(fields=["unit", "-month"])]

    def __str__(self) -> str:
        return f"report of unit {self.unit_id} for {self.month:%Y-%m}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)


# --- Records export (analytics.records) --------------------------------------------------------


class RecordsExport(ChannelsOverAPeriod):
    """A ZIP for the authority's e-file system (e-Akte): every post published in a unit's
    channels (or one channel) in a period, with approvals, variants, media, metrics,
    moderation decisions and audit entries (``analytics.records``). Built by a task; the
    row holds the state, the progress while building and, when ready, the file and its
    SHA-256. Deleted with its file after ``RECORDS_EXPORT_RETENTION_DAYS``."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    # For a channel's export, the channel's unit: who may see the export follows it.
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    posts_done = models.PositiveIntegerField(default=0)
    posts_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="records/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("records export")
        verbose_name_plural = _("records exports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="records_export_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"records export {self.pk}"
