"""Optional single sign-on against the authority's identity provider (Keycloak, ADFS, …).

Switched on with ``OIDC_ENABLED=1``. Only people already invited to Sprachrohr can log in:
the IdP's verified e-mail address is matched to an existing, active account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import User


class SprachrohrOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = claims.get("email")
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # invitation only; OIDC_CREATE_USER is off as well

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user
