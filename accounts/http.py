"""Request types for views that only run for a signed-in user.

Django and DRF type ``request.user`` as ``User | AnonymousUser``. Behind
``PermissionMixin`` (pages) and ``IsAuthenticated`` (the API's default permission) it is
always a :class:`~accounts.models.User`; these types say so, so that views need no
``# type: ignore`` where they hand the user to a service or selector. They add nothing at
run time: Django and DRF still build their own request objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.permissions import SAFE_METHODS
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A Django request of a signed-in user (page views behind ``PermissionMixin``)."""

    user: User


class AuthenticatedRequest(Request):
    """A DRF request of a signed-in user (API views behind ``IsAuthenticated``)."""

    if TYPE_CHECKING:

        @property
        def user(self) -> User: ...

        @user.setter
        def user(self, value: User | AnonymousUser) -> None: ...


def user_may(
    predicate: Callable[[User], bool], *, writes_only: bool = False
) -> type[BasePermission]:
    """A DRF permission class that lets in a signed-in user for whom ``predicate`` (a
    ``user_may_*`` check of a permissions module) holds: an API opens exactly the door its
    pages open (``PermissionMixin.permission``). With ``writes_only`` it guards only what
    writes: reading is for everyone, scoped by the view's queryset."""

    class UserMay(BasePermission):
        def has_permission(self, request: Request, view: object) -> bool:
            if writes_only and request.method in SAFE_METHODS:
                return True
            user = request.user
            return isinstance(user, User) and predicate(user)

    suffix = "_to_write" if writes_only else ""
    UserMay.__name__ = UserMay.__qualname__ = f"UserMay_{predicate.__name__}{suffix}"
    return UserMay
