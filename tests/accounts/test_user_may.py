"""accounts.http.user_may: an API permission class made of a page's ``user_may_*`` check."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from accounts.http import user_may
from accounts.models import User


def _allowed(permission: type, method: str, user: object) -> bool:
    return bool(permission().has_permission(SimpleNamespace(method=method, user=user), None))


def _is_named_anna(user: User) -> bool:
    return user.full_name == "Anna"


def test_a_user_for_whom_the_check_holds_is_let_in() -> None:
    permission = user_may(_is_named_anna)
    assert _allowed(permission, "POST", User(full_name="Anna"))
    assert not _allowed(permission, "GET", User(full_name="Bert"))
    assert not _allowed(permission, "GET", AnonymousUser())


def test_writes_only_lets_every_reader_in_and_checks_the_writers() -> None:
    permission = user_may(_is_named_anna, writes_only=True)
    for method in ("GET", "HEAD", "OPTIONS"):
        assert _allowed(permission, method, User(full_name="Bert"))
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert not _allowed(permission, method, User(full_name="Bert"))
        assert _allowed(permission, method, User(full_name="Anna"))


def test_the_class_is_named_after_the_check() -> None:
    assert user_may(_is_named_anna).__name__ == "UserMay__is_named_anna"
    assert user_may(_is_named_anna, writes_only=True).__name__ == "UserMay__is_named_anna_to_write"
