"""Shared fixtures of the actions tests: a comment on the press office's sandbox channel
(connected with a token), the city's published Netiquette whose rules apply to it, and the
sandbox API faked at the HTTP boundary where a test needs to see the platform call."""

from __future__ import annotations

import pytest
from django.conf import settings

from channels_app.credentials import credentials_write
from moderation.models import InboxItem
from moderation.models import Netiquette
from moderation.models import NetiquetteRule
from tests.conftest import Org
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory


@pytest.fixture
def netiquette(org: Org) -> Netiquette:
    return NetiquetteFactory(unit=org.city)


@pytest.fixture
def rule(netiquette: Netiquette) -> NetiquetteRule:
    return netiquette.rules.get(number=1)


@pytest.fixture
def item(org: Org, netiquette: Netiquette) -> InboxItem:
    credentials_write(org.press_channel, {"access_token": "sandbox-token"})
    return InboxItemFactory(
        channel=org.press_channel, text="Ihr seid alle Idioten.", remote_id="c-42"
    )


def sandbox_url(path: str) -> str:
    return f"{settings.SANDBOX_BASE_URL}{path}"
