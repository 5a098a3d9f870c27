"""Reads of a channel's profile notes: the starter library's text for its platform, filled
with the channel's own addresses."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from accounts.starters import Starter
from accounts.starters import load_starter
from channels_app.models import Channel

STARTER_FILE = Path(__file__).resolve().parent.parent / "starters" / "profile_notes.json"
MISSING = "[fehlt]"  # shows in the suggested text where the channel lacks an address


def profile_notes_starter() -> Starter:
    return load_starter(STARTER_FILE)


def netiquette_url(channel: Channel, site_url: str) -> str:
    """The public Netiquette page of the channel's unit (it shows the version in force,
    also one inherited from above). Reversed by name: moderation is a layer above."""
    return site_url + reverse("netiquette:public", args=[channel.unit_id])


def profile_notes_suggestion(channel: Channel, site_url: str) -> str:
    """The library's text for the channel's platform, with its addresses filled in."""
    items = {item["platform"]: item["text"] for item in profile_notes_starter().items}
    text = items.get(channel.platform, items["*"])
    values = {
        "{unit}": channel.unit.name,
        "{impressum_url}": channel.impressum_url or MISSING,
        "{privacy_url}": channel.privacy_url or MISSING,
        "{netiquette_url}": netiquette_url(channel, site_url),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def profile_notes_missing_links(channel: Channel) -> list[str]:
    """Which addresses the channel lacks for its profile notes (field names)."""
    return [name for name in ("impressum_url", "privacy_url") if not getattr(channel, name)]
