from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit


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

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="channels")
    name = models.CharField(_("name"), max_length=200)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

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
