"""Start-up configuration: strict environment reading (config/env.py) and the production
settings, whose checks run in a fresh interpreter because settings are read once per process."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool
from config.env import env_int
from config.env import env_keyed_secrets
from config.env import env_list
from config.env import env_secret
from config.env import env_str

REPO = Path(__file__).resolve().parents[2]


# --- config/env.py ------------------------------------------------------------------------------


class TestEnvStr:
    def test_value(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_STR", " kept as is ")
        assert env_str("SPR_TEST_STR") == " kept as is "

    def test_default_when_unset(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_STR", raising=False)
        assert env_str("SPR_TEST_STR", "fallback") == "fallback"
        assert env_str("SPR_TEST_STR", None) is None

    def test_required_names_the_variable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_STR", raising=False)
        with pytest.raises(ImproperlyConfigured, match="SPR_TEST_STR is required but not set"):
            env_str("SPR_TEST_STR")

    def test_empty_value_counts_as_set(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_STR", "")
        assert env_str("SPR_TEST_STR", "fallback") == ""


class TestEnvBool:
    @pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", " on "])
    def test_true(self, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
        monkeypatch.setenv("SPR_TEST_BOOL", value)
        assert env_bool("SPR_TEST_BOOL", False) is True

    @pytest.mark.parametrize("value", ["0", "false", "No", "OFF", ""])
    def test_false(self, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
        monkeypatch.setenv("SPR_TEST_BOOL", value)
        assert env_bool("SPR_TEST_BOOL", True) is False

    def test_default(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_BOOL", raising=False)
        assert env_bool("SPR_TEST_BOOL", True) is True

    @pytest.mark.parametrize("value", ["maybe", "2", "y", "enabled"])
    def test_malformed_names_the_variable(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv("SPR_TEST_BOOL", value)
        with pytest.raises(ImproperlyConfigured, match=f"SPR_TEST_BOOL='{value}' is not a boolean"):
            env_bool("SPR_TEST_BOOL", False)


class TestEnvInt:
    def test_value_with_whitespace(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_INT", " 42 ")
        assert env_int("SPR_TEST_INT", 1) == 42

    def test_default(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_INT", raising=False)
        assert env_int("SPR_TEST_INT", 7, minimum=1) == 7

    @pytest.mark.parametrize("value", ["abc", "1.5", "", "10m"])
    def test_malformed_names_the_variable(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv("SPR_TEST_INT", value)
        with pytest.raises(ImproperlyConfigured, match=r"SPR_TEST_INT=.* is not a whole number"):
            env_int("SPR_TEST_INT", 1)

    def test_minimum(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_INT", "0")
        with pytest.raises(ImproperlyConfigured, match="SPR_TEST_INT=0 must be >= 1"):
            env_int("SPR_TEST_INT", 5, minimum=1)
        monkeypatch.setenv("SPR_TEST_INT", "1")
        assert env_int("SPR_TEST_INT", 5, minimum=1) == 1


class TestEnvList:
    def test_split_and_strip(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_LIST", " a.example , b.example,,  ")
        assert env_list("SPR_TEST_LIST", []) == ["a.example", "b.example"]

    def test_empty_value_is_an_empty_list(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_LIST", "")
        assert env_list("SPR_TEST_LIST", ["default"]) == []

    def test_default_is_a_copy(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_LIST", raising=False)
        default = ["x"]
        result = env_list("SPR_TEST_LIST", default)
        result.append("y")
        assert default == ["x"]


class TestEnvSecret:
    @pytest.fixture(autouse=True)
    def _unset(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_SECRET", raising=False)
        monkeypatch.delenv("SPR_TEST_SECRET_FILE", raising=False)

    def test_direct(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_SECRET", "s3cret")
        assert env_secret("SPR_TEST_SECRET") == "s3cret"

    def test_from_file_strips_the_trailing_newline(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        secret_file = tmp_path / "secret"
        secret_file.write_text("from-a-file\n", encoding="utf-8")
        monkeypatch.setenv("SPR_TEST_SECRET_FILE", str(secret_file))
        assert env_secret("SPR_TEST_SECRET") == "from-a-file"

    def test_both_is_refused(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        secret_file = tmp_path / "secret"
        secret_file.write_text("from-a-file", encoding="utf-8")
        monkeypatch.setenv("SPR_TEST_SECRET", "direct")
        monkeypatch.setenv("SPR_TEST_SECRET_FILE", str(secret_file))
        with pytest.raises(
            ImproperlyConfigured, match="Set either SPR_TEST_SECRET or SPR_TEST_SECRET_FILE"
        ):
            env_secret("SPR_TEST_SECRET")

    def test_missing_file(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("SPR_TEST_SECRET_FILE", str(tmp_path / "nope"))
        with pytest.raises(
            ImproperlyConfigured, match=r"SPR_TEST_SECRET_FILE=.*nope.* cannot be read"
        ):
            env_secret("SPR_TEST_SECRET")

    def test_empty_file(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        secret_file = tmp_path / "secret"
        secret_file.write_text(" \n", encoding="utf-8")
        monkeypatch.setenv("SPR_TEST_SECRET_FILE", str(secret_file))
        with pytest.raises(ImproperlyConfigured, match=r"SPR_TEST_SECRET_FILE=.* is empty"):
            env_secret("SPR_TEST_SECRET")

    def test_empty_direct_value(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_SECRET", "  ")
        with pytest.raises(ImproperlyConfigured, match="SPR_TEST_SECRET is set but empty"):
            env_secret("SPR_TEST_SECRET")

    def test_required(self) -> None:
        with pytest.raises(
            ImproperlyConfigured,
            match="SPR_TEST_SECRET is required: set SPR_TEST_SECRET or SPR_TEST_SECRET_FILE",
        ):
            env_secret("SPR_TEST_SECRET")

    def test_default(self) -> None:
        assert env_secret("SPR_TEST_SECRET", "") == ""


class TestEnvKeyedSecrets:
    A = "a" * 32
    B = "b" * 32

    @pytest.fixture(autouse=True)
    def _unset(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SPR_TEST_KEYS", raising=False)
        monkeypatch.delenv("SPR_TEST_KEYS_FILE", raising=False)

    def test_ids_and_secrets_in_the_given_order(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SPR_TEST_KEYS", f" 2027-06:{self.B} , 2026-12:{self.A},")
        keys = env_keyed_secrets("SPR_TEST_KEYS")
        assert list(keys.items()) == [("2027-06", self.B), ("2026-12", self.A)]

    def test_unset_is_empty(self) -> None:
        assert env_keyed_secrets("SPR_TEST_KEYS") == {}

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (f"{'a' * 32}", "every entry must be id:secret"),
            (f"bad id:{'a' * 32}", "every entry must be id:secret"),
            ("k:short", "the secret of key 'k' is shorter than 32 characters"),
            (f"k:{'a' * 32},k:{'b' * 32}", "key id 'k' appears twice"),
        ],
    )
    def test_malformed_names_the_variable(
        self, monkeypatch: pytest.MonkeyPatch, value: str, message: str
    ) -> None:
        monkeypatch.setenv("SPR_TEST_KEYS", value)
        with pytest.raises(ImproperlyConfigured, match=f"SPR_TEST_KEYS: {message}"):
            env_keyed_secrets("SPR_TEST_KEYS")


# --- production settings, in a subprocess -------------------------------------------------------


def _production_env(directory: Path, **changes: str | None) -> dict[str, str]:
    """A complete production environment, built from nothing: no variable of the test process
    (DJANGO_SETTINGS_MODULE, DATABASE_URL …) leaks in. ``None`` removes a variable."""
    secret_file = directory / "secret_key"
    keys_file = directory / "credentials_keys"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(64) + "\n", encoding="utf-8")
        keys_file.write_text(Fernet.generate_key().decode() + "\n", encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(directory)),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "0",
        "SECRET_KEY_FILE": str(secret_file),
        "CREDENTIALS_KEYS_FILE": str(keys_file),
        "AUDIT_HMAC_KEYS": f"2026-12:{secrets.token_urlsafe(48)}",
        "AUDIT_ANCHOR_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "sprachrohr.example.org",
        "SITE_URL": "https://sprachrohr.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sprachrohr",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "TRUST_X_FORWARDED_PROTO": "1",
        # Nothing of the repository's var/ is touched, whatever a failing case creates.
        "SPRACHROHR_VAR_DIR": str(directory / "var"),
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def deploy_check(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    # SECRET_KEY and CREDENTIALS_KEYS come from files here: this also proves the _FILE form.
    env = _production_env(tmp_path_factory.mktemp("deploy"))
    return _manage(env, "check", "--deploy", "--fail-level", "WARNING")


def test_production_settings_load_and_pass_the_security_checks(
    deploy_check: subprocess.CompletedProcess[str],
) -> None:
    output = deploy_check.stdout + deploy_check.stderr
    assert "ImproperlyConfigured" not in output
    assert "Traceback" not in output
    assert "ERRORS:" not in output
    assert "(security." not in output, output


def test_check_deploy_reports_no_issue_at_all(
    deploy_check: subprocess.CompletedProcess[str],
) -> None:
    output = deploy_check.stdout + deploy_check.stderr
    assert deploy_check.returncode == 0, output
    assert "System check identified no issues" in output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"DEBUG": "maybe"},
            "Environment variable DEBUG='maybe' is not a boolean",
            id="DEBUG-not-a-boolean",
        ),
        pytest.param(
            {"SESSION_IDLE_TIMEOUT_MINUTES": "abc"},
            "Environment variable SESSION_IDLE_TIMEOUT_MINUTES='abc' is not a whole number",
            id="SESSION_IDLE_TIMEOUT_MINUTES-not-a-number",
        ),
        pytest.param(
            {"SECRET_KEY_FILE": None},
            "Secret SECRET_KEY is required: set SECRET_KEY or SECRET_KEY_FILE",
            id="SECRET_KEY-missing",
        ),
        pytest.param(
            {"DEBUG": "1"},
            "DEBUG must be 0 with config.settings.production",
            id="DEBUG-on-in-production",
        ),
        pytest.param(
            {"SECRET_KEY": "x" * 60},
            "Set either SECRET_KEY or SECRET_KEY_FILE, not both",
            id="SECRET_KEY-and-SECRET_KEY_FILE",
        ),
        pytest.param(
            {"SECRET_KEY_FILE": "/run/secrets/does-not-exist", "SECRET_KEY": None},
            "SECRET_KEY_FILE='/run/secrets/does-not-exist' cannot be read",
            id="SECRET_KEY_FILE-missing-file",
        ),
        pytest.param(
            {"SECRET_KEY_FILE": None, "SECRET_KEY": "too-short-for-production"},
            "SECRET_KEY must be at least 50 characters",
            id="SECRET_KEY-too-short",
        ),
        pytest.param(
            {"CREDENTIALS_KEYS_FILE": None},
            "CREDENTIALS_KEYS (or CREDENTIALS_KEYS_FILE) is required",
            id="CREDENTIALS_KEYS-missing",
        ),
        pytest.param(
            {"AUDIT_HMAC_KEYS": None},
            "AUDIT_HMAC_KEYS (or AUDIT_HMAC_KEYS_FILE) is required",
            id="AUDIT_HMAC_KEYS-missing",
        ),
        pytest.param(
            {"AUDIT_HMAC_KEYS": "2026-12:too-short"},
            "the secret of key '2026-12' is shorter than 32 characters",
            id="AUDIT_HMAC_KEYS-weak",
        ),
        pytest.param(
            {"AUDIT_ANCHOR_SIGNING_KEY": None},
            "AUDIT_ANCHOR_SIGNING_KEY (or AUDIT_ANCHOR_SIGNING_KEY_FILE) is required",
            id="AUDIT_ANCHOR_SIGNING_KEY-missing",
        ),
        pytest.param(
            {"DATABASE_URL": None},
            "Production needs DATABASE_URL pointing at PostgreSQL",
            id="DATABASE_URL-missing",
        ),
        pytest.param(
            {"REDIS_URL": None},
            "Environment variable REDIS_URL is required but not set",
            id="REDIS_URL-missing",
        ),
        pytest.param(
            # An empty value must not fall back to the development filesystem broker.
            {"REDIS_URL": ""},
            "REDIS_URL is empty",
            id="REDIS_URL-empty",
        ),
        pytest.param(
            # An empty list would answer every request with 400 Bad Request.
            {"ALLOWED_HOSTS": " "},
            "ALLOWED_HOSTS is empty",
            id="ALLOWED_HOSTS-empty",
        ),
    ],
)
def test_production_refuses_to_start(
    tmp_path: Path, changes: dict[str, str | None], message: str
) -> None:
    result = _manage(_production_env(tmp_path, **changes), "check")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr, result.stderr
    assert "System check identified" not in result.stdout


_PRINT_PROXY_SETTINGS = """
import base64
import json
from django.conf import settings
print(json.dumps({
    "SECURE_PROXY_SSL_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "TRUST_X_FORWARDED_FOR": getattr(settings, "TRUST_X_FORWARDED_FOR", None),
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
}))
"""


def test_behind_the_reverse_proxy_both_forwarded_headers_can_be_trusted(tmp_path: Path) -> None:
    # docker-compose.yml sets both: TLS ends at the proxy, which also knows the client address
    # (accounts.audit.client_ip reads settings.TRUST_X_FORWARDED_FOR for audit entries and the
    # per-address login lockout; without it every request comes from the proxy's address).
    env = _production_env(tmp_path, TRUST_X_FORWARDED_PROTO="1", TRUST_X_FORWARDED_FOR="1")
    result = _manage(env, "shell", "--no-imports", "-c", _PRINT_PROXY_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "TRUST_X_FORWARDED_FOR": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    }


def test_celerys_per_task_lines_are_off_by_default_but_failures_still_logged() -> None:
    """The publisher runs hundreds of tasks a second: "received" and "succeeded" lines cost
    CPU (TASK_LOG_LEVEL), while a failed task is still logged at ERROR."""
    import logging

    for name in ("celery.app.trace", "celery.worker.strategy"):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.INFO)
        assert logger.isEnabledFor(logging.ERROR)


# --- config/settings/test.py: the tests write nothing into the checkout -------------------------


def test_the_tests_keep_their_files_out_of_the_checkout() -> None:
    """Uploads (MEDIA_ROOT) and every other path under VAR_DIR lie in a temporary directory:
    var/ of the checkout may belong to a development server running at the same time."""
    from django.conf import settings

    written = [
        settings.VAR_DIR,
        settings.MEDIA_ROOT,
        settings.STATIC_ROOT,
        settings.CELERY_BEAT_SCHEDULE_FILENAME,
    ]
    for path in map(Path, written):
        assert not path.resolve().is_relative_to(Path(settings.BASE_DIR).resolve()), path
        assert path.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()), path


def _test_settings_in_subprocess(**env: str) -> str:
    """MEDIA_ROOT as a fresh interpreter with the test settings sees it; the environment of
    this test run, without what it inherited of this process's temporary directory."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPRACHROHR_TEST_VAR")}
    clean.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, django; django.setup(); from django.conf import settings; "
            "print(settings.MEDIA_ROOT); print(os.path.isdir(settings.VAR_DIR))",
        ],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    media_root, existed = result.stdout.split()
    assert existed == "True"  # created at settings import
    return media_root


def test_each_xdist_worker_has_its_own_directory_removed_at_exit() -> None:
    first = _test_settings_in_subprocess(PYTEST_XDIST_WORKER="gw3")
    second = _test_settings_in_subprocess(PYTEST_XDIST_WORKER="gw3")
    assert "gw3" in first and first != second
    assert not Path(first).parent.exists() and not Path(second).parent.exists()


def test_a_process_started_by_a_test_shares_the_directory_of_its_test_process() -> None:
    """A Celery worker started by a test reads the uploads the test made, and leaves the
    directory to the test process to remove."""
    from django.conf import settings

    assert os.environ["SPRACHROHR_TEST_VAR_DIR"] == str(settings.VAR_DIR)
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MEDIA_ROOT)",
        ],
        cwd=REPO,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert child == str(settings.MEDIA_ROOT)
    assert Path(settings.VAR_DIR).is_dir()
