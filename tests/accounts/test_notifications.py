from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.template.loader import get_template
from django.test import Client

from accounts.models import Notification
from accounts.notifications import NOTIFICATION_KINDS
from accounts.notifications import notification_render
from accounts.notifications import notify
from accounts.services import notification_preferences_update
from accounts.tasks import send_notification_email
from config.celery import app as celery_app
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory

KIND = "accounts.role_changed"
CONTEXT = {"change": "assigned", "role": "approver", "unit": "Presseamt"}


@pytest.mark.django_db
def test_in_app_notification_renders_in_the_readers_language() -> None:
    german, english = UserFactory(language="de"), UserFactory(language="en")
    notify(recipients=[german, english], kind=KIND, context=CONTEXT)
    en = notification_render(Notification.objects.get(recipient=english), language="en")
    assert en.subject == "New role: Approver in Presseamt"
    de = notification_render(Notification.objects.get(recipient=german), language="de")
    assert de.subject == "Neue Rolle: Freigabe in Presseamt"


@pytest.mark.django_db
def test_email_goes_only_to_those_who_want_it(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    wants, declines = UserFactory(language="en"), UserFactory()
    notification_preferences_update(user=declines, email_by_kind={KIND: False})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify(
            recipients=[wants, declines, UserFactory(is_active=False)], kind=KIND, context=CONTEXT
        )
    assert len(created) == 2  # inactive users get nothing
    assert len(callbacks) == 1
    notification = Notification.objects.get(recipient=wants)
    send_notification_email(notification.pk)
    send_notification_email(notification.pk)  # a redelivered task sends nothing twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [wants.email]
    assert message.subject == "New role: Approver in Presseamt"
    html = message.alternatives[0][0]
    assert "<html" in html and "Approver" in html


@pytest.mark.django_db
def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipients=[UserFactory()], kind="nope")


@pytest.mark.django_db
def test_unread_count_in_header_and_mark_read(people: People) -> None:
    notify(recipients=[people.editor], kind=KIND, context=CONTEXT)
    notify(recipients=[people.editor], kind=KIND, context={**CONTEXT, "change": "removed"})
    client = login(Client(), people.editor)
    assert client.get("/").context["unread_notifications"] == 2
    page = client.get("/accounts/notifications/")
    assert len(page.context["items"]) == 2
    client.post("/accounts/notifications/")
    assert client.get("/").context["unread_notifications"] == 0


@pytest.mark.django_db
def test_preferences_are_saved_from_the_profile(people: People) -> None:
    client = login(Client(), people.editor)
    client.post("/accounts/profile/", {"save_preferences": "1", "accounts.api_token_created": "on"})
    form = client.get("/accounts/profile/").context["preferences_form"]
    assert form.fields[KIND].initial is False
    assert form.fields["accounts.api_token_created"].initial is True


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_email_after_commit() -> None:
    recipient = UserFactory(language="en")
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        queues=["default", "mail"],
        shutdown_timeout=10,
    ):
        notify(recipients=[recipient], kind=KIND, context=CONTEXT)
        deadline = time.monotonic() + 15
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[recipient.email]]
    assert Notification.objects.get(recipient=recipient).email_sent_at is not None


@pytest.mark.parametrize("kind", sorted(NOTIFICATION_KINDS))
def test_every_registered_kind_has_its_three_templates(kind: str) -> None:
    """A kind without templates fails where it is sent (in a worker, out of sight)."""
    for name in ("subject.txt", "body.txt", "body.html"):
        get_template(f"notifications/{kind}/{name}")


@pytest.mark.django_db
def test_email_text_spells_out_the_address_the_page_links_the_subject_instead(
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.SITE_URL = "https://sprachrohr.example"
    reader = UserFactory(language="en")
    notification = notify(recipients=[reader], kind=KIND, context=CONTEXT, link="/accounts/")[0]
    assert "https://sprachrohr.example/accounts/" in notification_render(notification).text
    in_app = notification_render(notification, language="en", in_app=True)
    assert "http" not in in_app.text and "/accounts/" not in in_app.text
    html = login(Client(), reader).get("/accounts/notifications/").content.decode()
    assert f'<a href="/accounts/">{in_app.subject}</a>' in html
    assert "https://sprachrohr.example/accounts/" not in html
