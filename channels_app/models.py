from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit


class RetriedPlatformCall(models.Model):
    """A row whose platform call workers claim and retry (a post's variant, a reply, a
    moderation action): one worker at a time holds the claim (``claimed_at``), a transient
    error is tried again no earlier than ``next_attempt_at``, within a bound on ``attempts``;
    ``last_error`` says why the last try failed."""

    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        abstract = True


class PlatformSend(RetriedPlatformCall):
    """Something the authority sends to a platform exactly once (a post's variant, a reply):
    queued by a task, sent under a stable key, answered with the platform's id."""

    # The platform sees the same key on every retry: a retried send never doubles.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # When a send task was last put on the queue: not again while it waits, but again after
    # a while in case the broker lost the message.
    queued_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


class Platform(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    THREADS = "threads", "Threads"
    FACEBOOK = "facebook", _("Facebook page")
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", _("LinkedIn organisation page")
    YOUTUBE = "youtube", "YouTube"
    TELEGRAM = "telegram", "Telegram"


class Channel(models.Model):
    """One account of the authority on one platform, owned by an organisational unit.

    Who may do what on a channel is held as django-guardian object permissions, derived from
    role assignments on the owning unit and its ancestors (``accounts.permissions``).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnection")
        PAUSED = "paused", _("Paused")
        ERROR = "error", _("Error")
        DISCONNECTED = "disconnected", _("Disconnected")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="channels")
    name = models.CharField(_("name"), max_length=200)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DISCONNECTED
    )
    status_message = models.TextField(_("last error"), blank=True)
    last_contact_at = models.DateTimeField(_("last successful contact"), null=True, blank=True)
    account_id = models.CharField(_("account ID on the platform"), max_length=255, blank=True)
    handle = models.CharField(_("handle"), max_length=255, blank=True)
    profile_url = models.URLField(_("profile address"), max_length=500, blank=True)
    base_url = models.URLField(
        _("server address"),
        max_length=300,
        blank=True,
        help_text=_("The Mastodon instance or Bluesky server, e.g. https://social.bund.de"),
    )
    platform_settings = models.JSONField(default=dict, blank=True, editable=False)
    access_expires_at = models.DateTimeField(_("access expires"), null=True, blank=True)
    # What the platform granted at the last connect (the token answer's ``scope``): not a
    # secret, so readable without the credentials. Empty where the platform says nothing.
    granted_scopes = models.CharField(
        _("granted scopes"), max_length=1000, blank=True, editable=False
    )
    # When someone has to reconnect the channel at the latest: the end of the access where
    # nothing renews it, else the end of the refresh token (empty: no end known). A freshly
    # connected channel whose one-day token renews itself is no reason for a warning.
    reconnect_by = models.DateTimeField(_("reconnect by"), null=True, blank=True, editable=False)
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    impressum_url = models.URLField(_("Impressum address"), max_length=500, blank=True)
    privacy_url = models.URLField(_("privacy notice address"), max_length=500, blank=True)
    legal_note = models.TextField(
        _("legal-risk note"),
        blank=True,
        help_text=_("e.g. joint controllership with Meta for a Facebook page (Art. 26 GDPR)"),
    )
    # The text for the platform profile (Impressum, privacy notice and Netiquette links),
    # adopted from the starter library (issue 15), and whether a channel admin checked that
    # it is on the profile (cleared when the text changes).
    profile_notes = models.TextField(_("profile notes"), blank=True)
    profile_notes_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    profile_notes_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        permissions = [
            ("draft_on_channel", _("Can draft and plan posts for the channel")),
            ("approve_on_channel", _("Can approve posts for the channel")),
            ("moderate_channel", _("Can answer and moderate comments on the channel")),
            ("manage_channel", _("Can connect the channel and manage its credentials")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sandbox(self) -> bool:
        return self.platform == Platform.SANDBOX

    @property
    def label(self) -> str:
        """The name with the platform, unless the name says it already: "Stadt Mastodon",
        "Bürgerservice (Bluesky)", "Stadt Musterstadt (Sandbox)" (not "… (Sandbox) (Sandbox)")."""
        # The enum's label, not get_platform_display(): that rebuilds the choices per call,
        # the most of a list of a few hundred channels' time.
        platform = (
            str(Platform(self.platform).label) if self.platform in Platform else self.platform
        )
        name = self.name.casefold()
        if platform.casefold() in name or self.platform in name:
            return self.name
        return f"{self.name} ({platform})"

    @property
    def access_state(self) -> str:
        """ "expired", "expiring" (someone has to reconnect within the warning period) or ""
        — for the flags in lists."""
        if self.status == self.Status.DISCONNECTED:
            return ""
        now = timezone.now()
        if self.access_expires_at is not None and self.access_expires_at <= now:
            return "expired"
        warning = timedelta(days=settings.CHANNEL_EXPIRY_WARNING_DAYS)
        return "expiring" if self.reconnect_by and self.reconnect_by <= now + warning else ""


class ChannelCredential(models.Model):
    """The channel's secrets, encrypted at rest with the keys from ``CREDENTIALS_KEYS``.

    Only ``channels_app.credentials`` reads or writes ``ciphertext``; nothing renders,
    serialises, logs or audits the plaintext."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="credential")
    ciphertext = models.TextField(editable=False)
    refresh_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"credentials of {self.channel_id}"


class OAuthApp(models.Model):
    """An app Sprachrohr registered itself at a Mastodon instance (dynamic registration)."""

    platform = models.CharField(max_length=20, choices=Platform.choices)
    base_url = models.URLField(max_length=300)
    client_id = models.CharField(max_length=255)
    client_secret_ciphertext = models.TextField(editable=False)
    # The scopes the app was registered with, space-separated; empty: the adapter's granular
    # ``oauth_scopes`` (registrations from before the broad fallback existed).
    scopes = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "base_url"], name="unique_oauth_app"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} app at {self.base_url}"
