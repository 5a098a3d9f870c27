# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Single sign-on against the authority's identity provider, faked at the HTTP boundary
with the shapes of the OpenID Connect Core spec (token response, signed ID token, JWKS,
UserInfo)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from accounts.models import AuditEntry
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

IDP = "https://login.stadt-musterstadt.example/realms/verwaltung/protocol/openid-connect"
CLIENT_ID = "sprachrohr"
PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def oidc(settings):  # type: ignore[no-untyped-def]
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "accounts.oidc.SprachrohrOIDCBackend",
        *settings.AUTHENTICATION_BACKENDS,
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{IDP}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{IDP}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{IDP}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{IDP}/certs"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_PROVIDER_NAME = "Dienstkonto"
    settings.OIDC_CREATE_USER = False
    settings.OIDC_TIMEOUT = 10
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"


def _start(client: Client) -> dict[str, str]:
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{IDP}/auth"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def _fake_idp(nonce: str, email: str) -> None:
    now = int(time.time())
    id_token = jwt.encode(
        {
            "iss": IDP.rsplit("/protocol", 1)[0],
            "sub": "248289761001",
            "aud": CLIENT_ID,
            "exp": now + 300,
            "iat": now,
            "nonce": nonce,
            "email": email,
        },
        PRIVATE_KEY,
        algorithm="RS256",
        headers={"kid": "key-1"},
    )
    public_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(PRIVATE_KEY.public_key(), as_dict=True)
    responses.post(
        f"{IDP}/token",
        json={
            "access_token": "SlAV32hkKG",
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        },
    )
    responses.get(
        f"{IDP}/certs",
        json={"keys": [{**public_jwk, "kid": "key-1", "alg": "RS256", "use": "sig"}]},
    )
    responses.get(
        f"{IDP}/userinfo",
        json={"sub": "248289761001", "email": email, "email_verified": True, "name": "Rita"},
    )


@responses.activate
@pytest.mark.usefixtures("oidc")
def test_invited_user_logs_in_with_the_identity_provider(people: People) -> None:
    client = Client()
    assert "Dienstkonto" in client.get("/accounts/login/").content.decode()
    params = _start(client)
    assert params["client_id"] == CLIENT_ID
    _fake_idp(params["nonce"], people.editor.email.upper())
    response = client.get(
        "/oidc/callback/", {"code": "SplxlOBeZQQYbYS6WxSbIA", "state": params["state"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(
        action="accounts.login.succeeded", actor=people.editor
    ).exists()
    token_request = responses.calls[0].request
    assert token_request.url == f"{IDP}/token"
    assert "grant_type=authorization_code" in token_request.body


@responses.activate
@pytest.mark.usefixtures("oidc")
def test_unknown_person_is_not_created_and_not_logged_in(people: People) -> None:
    client = Client()
    params = _start(client)
    _fake_idp(params["nonce"], "stranger@stadt-musterstadt.example")
    response = client.get("/oidc/callback/", {"code": "x", "state": params["state"]})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/")["Location"].startswith("/accounts/login/")


@responses.activate
@pytest.mark.usefixtures("oidc")
def test_sso_does_not_skip_the_mandatory_second_factor(people: People) -> None:
    client = Client()
    params = _start(client)
    _fake_idp(params["nonce"], people.system_admin.email)
    client.get("/oidc/callback/", {"code": "x", "state": params["state"]})
    assert client.get("/manage/users/")["Location"] == "/accounts/2fa/setup/"
