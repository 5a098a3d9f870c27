"""Demo data of the moderation area (``manage.py load_demo``): each feature package may have
a ``demo`` module with ``load(units)``, loaded in the order of ``DEMO_FEATURES``."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.db.models import QuerySet

from accounts.models import OrgUnit
from channels_app.models import Channel
from channels_app.models import Platform

# Rules before the comments that cite them, comments before what is done with them.
DEMO_FEATURES = (
    "netiquette",
    "service_levels",
    "flags",
    "replies",
    "ingestion",
    "inbox",
    "actions",
    "evidence",
    "blocks",
    "privacy",
)


def demo_channels() -> QuerySet[Channel]:
    """The channels the features' demo data goes on: the connected channels of the built-in
    platform."""
    return Channel.objects.filter(
        platform=Platform.SANDBOX, status=Channel.Status.ACTIVE
    ).select_related("unit")


def load(units: dict[str, OrgUnit]) -> None:
    for feature in DEMO_FEATURES:
        module = f"moderation.{feature}.demo"
        if find_spec(module) is not None:
            import_module(module).load(units)
