from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.channels_app.sandbox.support import SECRET
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import token_for


@pytest.fixture(autouse=True)
def _sandbox_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SANDBOX_CONTROL_SECRET = SECRET
    settings.SANDBOX_ENABLED = True
    # Tests travel days ahead; token expiry has its own tests.
    settings.SANDBOX_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client, token_for(client)["access_token"])
