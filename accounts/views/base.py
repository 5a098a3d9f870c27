from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User


class PermissionMixin(LoginRequiredMixin, View):
    """Declare who may use a view with ``permission = <predicate on the user>``.

    A ``View`` itself (views list it as ``(PermissionMixin, View)``, which stays valid), so
    that the narrower type of ``request`` below overrides ``View.request`` for the type
    checker.

    Only signed-in users get past ``dispatch``, so the views' ``request`` (the argument of
    ``get``/``post`` and ``self.request``) is an :class:`AuthenticatedHttpRequest` whose
    ``user`` is a ``User``."""

    # A predicate on the user. ``Callable[..., bool]`` rather than ``[[User], bool]``: mypy reads
    # a function assigned in a class body (``permission = user_may_x``) as a method and drops
    # its first argument, so only the looser type accepts both that and a ``@staticmethod``.
    permission: Callable[..., bool] | None = None
    request: AuthenticatedHttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return self.handle_no_permission()
        predicate = type(self).permission
        if predicate is not None and not predicate(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
