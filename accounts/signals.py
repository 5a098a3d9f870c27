from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User
from accounts.services import login_succeeded_record
from accounts.services import logout_record
from accounts.services import user_language_choose


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None:
        login_succeeded_record(user=user, request=request)
        # The language switch on the login page sets only the cookie; without this the
        # user's stored language would take over again right after the login.
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            user_language_choose(user=user, language=chosen, request=request)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        logout_record(user=user, request=request)
