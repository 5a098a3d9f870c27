"""`make run PORT=…`: the address Sprachrohr serves on is where the sandbox posts to and
e-mails link to, unless SITE_URL says otherwise (settings are read once per process, so a
fresh interpreter each)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def site_and_sandbox(**env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "WEB_PORT")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.development")
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            " print(s.SITE_URL, s.SANDBOX_BASE_URL)",
        ],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return output.split()


@pytest.mark.parametrize(
    ("env", "site"),
    [
        ({}, "http://localhost:8000"),
        ({"WEB_PORT": "8105"}, "http://localhost:8105"),
        ({"WEB_PORT": "8105", "SITE_URL": "https://social.musterstadt.de/"}, None),
    ],
)
def test_site_url_follows_the_served_port(env: dict[str, str], site: str | None) -> None:
    expected = site or "https://social.musterstadt.de"
    assert site_and_sandbox(**env) == [expected, f"{expected}/sandbox/api/v1"]


def test_the_procfile_serves_on_that_port() -> None:
    web = (REPO / "Procfile").read_text().splitlines()[0]
    assert "runserver 127.0.0.1:${WEB_PORT:-8000}" in web
    assert "WEB_PORT=$(PORT)" in (REPO / "Makefile").read_text()
