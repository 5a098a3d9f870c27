"""Demo channels for ``manage.py load_demo``: sandbox channels, connected. Idempotent."""

from __future__ import annotations

from accounts.demo import DEMO_PASSWORD
from accounts.models import OrgUnit
from accounts.permissions import channel_permissions_sync
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.sandbox.connect import sandbox_channel_connect


def load(units: dict[str, OrgUnit]) -> None:
    """Sandbox channels, connected: the sandbox account is signed up in-process (the
    web server is not running yet), then connected through the normal service."""
    for name, handle, unit_name in [
        ("Stadt Musterstadt (Sandbox)", "stadt-musterstadt", "Presseamt"),
        ("Bürgerservice Musterstadt (Sandbox)", "buergerservice", "Social-Media-Team"),
        ("Polizei Musterstadt (Sandbox)", "polizei-musterstadt", "Pressestelle"),
    ]:
        channel, created = Channel.objects.get_or_create(
            name=name,
            defaults={
                "unit": units[unit_name],
                "platform": Platform.SANDBOX,
                "impressum_url": "https://www.musterstadt.example/impressum",
                "privacy_url": "https://www.musterstadt.example/datenschutz/social-media",
            },
        )
        if created:
            channel_permissions_sync(channel)
        if channel.status == Channel.Status.DISCONNECTED:
            sandbox_channel_connect(channel, handle=handle, password=DEMO_PASSWORD)
