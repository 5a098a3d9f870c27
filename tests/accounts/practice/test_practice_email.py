# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Practice is never e-mailed (issue 15): notifications about a practice unit stay in-app,
while the same notification about a real unit is e-mailed as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accounts.models import Notification
from accounts.models import User
from accounts.notifications import notify
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from accounts.tasks import send_notification_email
from channels_app.models import Channel
from editorial.models import Post
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from editorial.practice.services import practice_colleague_review
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

KIND = "accounts.role_changed"


def emails_queued(callbacks: list[Callable[[], Any]]) -> int:
    return sum(1 for c in callbacks if getattr(c, "func", None) == send_notification_email.delay)


def _practising(user: User) -> User:
    practice_mode_set(user=user, active=True)
    return User.objects.get(pk=user.pk)


def test_a_notification_about_a_real_unit_is_emailed(
    org: Org, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[people.editor], kind=KIND, context={}, unit=org.press)
    assert emails_queued(callbacks) == 1


def test_a_notification_about_a_practice_unit_is_in_app_only(
    org: Org, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    editor = _practising(people.editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify(recipients=[editor], kind=KIND, context={}, unit=practice_unit_for(editor))
    assert len(created) == 1
    assert emails_queued(callbacks) == 0


def test_the_colleagues_post_waiting_for_review_is_not_emailed(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    editor = _practising(people.editor)
    unit = practice_unit_for(editor)
    colleague = practice_colleague_for(editor)
    assert colleague is not None
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_submit(
            actor=colleague,
            post=post_create(
                actor=colleague,
                unit=unit,
                title="Übung der Kollegin",
                text="Neue Öffnungszeiten.",
                channels=list(Channel.objects.filter(unit=unit)),
            ),
        )
    assert Notification.objects.filter(recipient=editor, kind="editorial.review_requested").exists()
    assert emails_queued(callbacks) == 0


def test_the_colleagues_approval_of_a_practice_post_is_not_emailed(
    people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    editor = _practising(people.editor)
    unit = practice_unit_for(editor)
    post = post_submit(
        actor=editor,
        post=post_create(
            actor=editor,
            unit=unit,
            title="Übung",
            text="Das Bürgerbüro ist am Freitag geschlossen.",
            channels=list(Channel.objects.filter(unit=unit)),
        ),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert practice_colleague_review(post.pk)
    assert Notification.objects.filter(recipient=editor, kind="editorial.post_approved").exists()
    assert emails_queued(callbacks) == 0


def test_a_real_post_in_review_is_emailed_to_the_approver(
    org: Org, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_submit(
            actor=people.editor,
            post=post_create(
                actor=people.editor,
                unit=org.press,
                title="Echt",
                text="Echter Beitrag.",
                channels=[org.press_channel],
            ),
        )
    assert Notification.objects.filter(
        recipient=people.approver, kind="editorial.review_requested"
    ).exists()
    assert emails_queued(callbacks) >= 1
    assert Post.objects.filter(unit=org.press, status=Post.Status.IN_REVIEW).exists()
