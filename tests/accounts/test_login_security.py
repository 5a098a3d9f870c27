# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.models import AuditEntry
from accounts.models import Role
from accounts.services import api_token_create
from accounts.services import user_deactivate
from tests.conftest import People
from tests.conftest import login
from tests.factories import TEST_PASSWORD
from tests.factories import UserFactory
from tests.factories import totp_device_for
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

LOGIN_URL = "/accounts/login/"


def _post_login(client: Client, email: str, password: str, ip: str = "10.1.2.3"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_login_by_email_is_audited() -> None:
    user = UserFactory(email="Rita.Redaktion@Stadt.example")
    response = _post_login(Client(), "rita.redaktion@stadt.example", TEST_PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.login.succeeded")
    assert entry.actor == user
    assert entry.ip_address == "10.1.2.3"


def test_wrong_password_is_refused_and_audited() -> None:
    user = UserFactory()
    response = _post_login(Client(), user.email, "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session
    entry = AuditEntry.objects.get(action="accounts.login.failed")
    assert entry.actor is None
    assert entry.actor_label == user.email
    assert "wrong" not in str(entry.data)


def _lock_out(settings):  # type: ignore[no-untyped-def]
    """Three wrong passwords from three addresses, then the right one from a fourth: the
    client, the e-mail address and the answer to the right password."""
    settings.LOGIN_LOCKOUT = {"ACCOUNT_LIMIT": 3, "IP_LIMIT": 100, "SECONDS": 900}
    user = UserFactory()
    client = Client()
    for n in range(3):
        _post_login(client, user.email, "wrong", ip=f"10.0.0.{n}")
    return client, user.email, _post_login(client, user.email, TEST_PASSWORD, ip="10.9.9.9")


def test_account_is_locked_after_repeated_failures_even_for_the_right_password(settings) -> None:  # type: ignore[no-untyped-def]
    client, _email, response = _lock_out(settings)
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["__all__"][0]
        .startswith(("Too many failed logins", "Zu viele"))
    )
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_audited_once(settings) -> None:  # type: ignore[no-untyped-def]
    _lock_out(settings)
    assert AuditEntry.objects.filter(action="accounts.login.locked").count() == 1


def test_a_lockout_ends_by_itself(settings) -> None:  # type: ignore[no-untyped-def]
    client, email, _response = _lock_out(settings)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _post_login(client, email, TEST_PASSWORD).status_code == 302


def test_address_is_locked_after_failures_across_accounts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_LOCKOUT = {"ACCOUNT_LIMIT": 100, "IP_LIMIT": 4, "SECONDS": 900}
    victim = UserFactory()
    for n in range(4):
        _post_login(Client(), f"guess{n}@example.org", "wrong", ip="192.0.2.7")
    assert _post_login(Client(), victim.email, TEST_PASSWORD, ip="192.0.2.7").status_code == 200
    # The same account from another address is not affected.
    assert _post_login(Client(), victim.email, TEST_PASSWORD, ip="192.0.2.8").status_code == 302


def test_inactive_user_cannot_log_in() -> None:
    user = UserFactory(is_active=False)
    assert _post_login(Client(), user.email, TEST_PASSWORD).status_code == 200


def test_system_admin_without_device_must_set_up_two_factor(people: People) -> None:
    client = Client()
    client.force_login(people.system_admin)
    response = client.get("/manage/users/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"


def test_channel_admin_must_set_up_two_factor_too(people: People) -> None:
    client = Client()
    client.force_login(people.channel_admin)
    assert client.get("/")["Location"] == "/accounts/2fa/setup/"


def test_editor_needs_no_second_factor(people: People) -> None:
    client = Client()
    client.force_login(people.editor)
    assert client.get("/").status_code == 200


def test_a_role_configured_to_need_two_factor_must_set_it_up(people: People, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(people.editor)
    settings.TWO_FACTOR_REQUIRED_ROLES = [*settings.TWO_FACTOR_REQUIRED_ROLES, Role.EDITOR]
    assert client.get("/")["Location"] == "/accounts/2fa/setup/"


def test_setup_confirms_device_and_returns_backup_codes(people: People) -> None:
    client = Client()
    client.force_login(people.system_admin)
    assert client.get("/accounts/2fa/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=people.system_admin, confirmed=False)
    assert client.post("/accounts/2fa/setup/", {"token": "000000"}).status_code == 200
    response = client.post("/accounts/2fa/setup/", {"token": _code(device)})
    assert len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/manage/users/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.two_factor.enabled").exists()


def _with_device(people: People) -> tuple[Client, TOTPDevice]:
    device = totp_device_for(people.editor)
    client = Client()
    client.force_login(people.editor)
    return client, device


def test_user_with_device_must_verify(people: People) -> None:
    client, _device = _with_device(people)
    assert client.get("/")["Location"].startswith("/accounts/2fa/verify/")


def test_user_with_device_cannot_enrol_another_before_verifying(people: People) -> None:
    client, _device = _with_device(people)
    # A stolen password alone must not be enough to enrol a new authenticator.
    assert client.get("/accounts/2fa/setup/")["Location"] == "/accounts/2fa/verify/"


def test_a_wrong_code_is_refused_and_audited(people: People) -> None:
    client, _device = _with_device(people)
    assert client.post("/accounts/2fa/verify/", {"token": "123456"}).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.two_factor.failed").count() == 1


def test_after_a_wrong_code_the_right_one_waits_a_moment(people: People) -> None:
    client, device = _with_device(people)
    client.post("/accounts/2fa/verify/", {"token": "123456"})
    # django-otp throttles after a wrong code: even the right one waits a moment.
    device.refresh_from_db()
    assert client.post("/accounts/2fa/verify/", {"token": _code(device)}).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        device.refresh_from_db()
        response = client.post("/accounts/2fa/verify/", {"token": _code(device), "next": "/"})
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200


def test_verify_ignores_a_foreign_next_url(people: People) -> None:
    device = totp_device_for(people.editor)
    client = Client()
    client.force_login(people.editor)
    response = client.post(
        "/accounts/2fa/verify/", {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_unverified_session_is_refused_by_the_api(people: People) -> None:
    client = APIClient()
    client.force_login(people.system_admin)
    assert client.get("/api/v1/users/me/").status_code == 401
    login(client, people.system_admin)
    assert client.get("/api/v1/users/me/").status_code == 200


def test_deactivation_ends_the_users_sessions(people: People) -> None:
    victim_browser = login(Client(), people.editor)
    assert victim_browser.get("/").status_code == 200
    user_deactivate(actor=people.system_admin, user=people.editor)
    response = victim_browser.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deactivation_revokes_the_users_tokens(people: People) -> None:
    key = api_token_create(user=people.editor, name="script").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/users/me/").status_code == 200
    user_deactivate(actor=people.system_admin, user=people.editor)
    assert api.get("/api/v1/users/me/").status_code == 401
    assert not ApiToken.objects.filter(user=people.editor, revoked_at__isnull=True).exists()


def test_deactivation_is_audited(people: People) -> None:
    user_deactivate(actor=people.system_admin, user=people.editor)
    entry = AuditEntry.objects.get(action="accounts.user.deactivated")
    assert entry.actor == people.system_admin
    assert entry.data["after"] == {"is_active": False}


def test_session_expires_after_inactivity(people: People, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client = login(Client(), people.editor)
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now() + idle - timedelta(minutes=1)):
        assert client.get("/").status_code == 200  # activity pushes expiry forward
    with time_machine.travel(timezone.now() + 2 * idle - timedelta(minutes=2)):
        assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + 3 * idle + timedelta(minutes=1)):
        assert client.get("/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("weak", ["short1A!", "alllowercaseletters", "123456789012345"])
def test_a_weak_password_is_refused(people: People, weak: str) -> None:
    client = login(Client(), people.editor)
    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200, weak


def test_a_strong_password_is_taken_and_audited(people: People) -> None:
    client = login(Client(), people.editor)
    strong = "Lange-Sichere-Passphrase-2026"
    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.password.changed").exists()
