# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""What people write reaches notifications as written: escaped exactly once, and only in HTML."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.utils.safestring import SafeData

from accounts.models import Notification
from accounts.notifications import notification_render
from accounts.notifications import notify
from accounts.tasks import send_invitation_email
from accounts.tasks import send_notification_email
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

HOSTILE = """<script>alert('x')</script> & "Test\""""
KIND = "editorial.post_approved"


def _notification(recipient: object = None) -> Notification:
    [notification] = notify(
        recipients=[recipient or UserFactory(language="en")],
        kind=KIND,
        context={"title": HOSTILE},
    )
    return notification


def test_mail_subject_shows_the_title_as_written() -> None:
    send_notification_email(_notification().pk)
    assert mail.outbox[0].subject == f"Approved: “{HOSTILE}”"


def test_mail_text_body_shows_the_title_as_written() -> None:
    send_notification_email(_notification().pk)
    body = mail.outbox[0].body
    assert f"Your post “{HOSTILE}” has been approved." in body
    assert "&lt;" not in body and "&#x27;" not in body and "&quot;" not in body


def test_mail_html_body_escapes_the_title_exactly_once() -> None:
    send_notification_email(_notification().pk)
    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Test&quot;" in html
    assert "<script>" not in html
    assert "&amp;lt;" not in html and "&amp;quot;" not in html and "&amp;#x27;" not in html


def test_rendered_text_is_never_marked_safe() -> None:
    rendered = notification_render(_notification(), language="en")
    assert not isinstance(rendered.subject, SafeData)
    assert not isinstance(rendered.text, SafeData)


def test_in_app_list_escapes_the_title_exactly_once(people: People) -> None:
    _notification(people.editor)
    page = login(Client(), people.editor).get("/accounts/notifications/")
    content = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Test&quot;" in content
    assert "<script>alert" not in content
    assert "&amp;lt;" not in content and "&amp;quot;" not in content


def test_invitation_mail_shows_the_name_as_written() -> None:
    user = UserFactory(language="en", full_name="D'Arcy&Co Smith")
    user.set_unusable_password()
    user.save()
    send_invitation_email(user.pk)
    message = mail.outbox[0]
    assert message.body.startswith("Hello D'Arcy&Co,")
