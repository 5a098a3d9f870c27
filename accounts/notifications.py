"""One notification service for every app: in-app list plus optional e-mail.

Each kind has three templates under ``templates/notifications/<kind>/``: ``subject.txt``,
``body.txt`` and ``body.html``. They are rendered in the recipient's language, both for the
in-app list and for e-mail, from the JSON ``context`` stored with the notification.

The context holds what people wrote, unescaped. The ``.txt`` templates are plain text and are
rendered without HTML escaping (``render_text``); only ``body.html`` escapes, and a page that
shows the subject or text escapes it there, so every character is escaped exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template import Engine
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification
from accounts.models import NotificationPreference
from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.selectors import is_practice_colleague

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NotificationKind:
    label: StrOrPromise
    email_by_default: bool = True
    # Sent by e-mail whatever the recipient chose: for a mail that is a safeguard, not news.
    email_required: bool = False


NOTIFICATION_KINDS: dict[str, NotificationKind] = {
    "accounts.role_changed": NotificationKind(_("My roles changed")),
    "accounts.api_token_created": NotificationKind(_("An API token was created for my account")),
    "accounts.two_factor_changed": NotificationKind(
        _("Two-factor authentication of my account changed")
    ),
    # The e-mailed copy is the audit log's external anchor, kept where the database
    # administrator cannot change it: an auditor cannot switch it off.
    "accounts.audit_checkpoint": NotificationKind(
        _("Daily signed checkpoint of the audit log"), email_required=True
    ),
}


def register_notification_kinds(kinds: dict[str, NotificationKind]) -> None:
    NOTIFICATION_KINDS.update(kinds)


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template (mail subject or body, in-app text) without HTML escaping.

    The result is stripped and a plain ``str``, never marked safe: a page that shows it
    escapes it once. Never put it into HTML with ``|safe``.
    """
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False)).strip()


@dataclass(frozen=True)
class RenderedNotification:
    subject: str
    text: str
    html: str


def notification_render(
    notification: Notification, *, language: str | None = None, in_app: bool = False
) -> RenderedNotification:
    """``in_app``: for a page of Sprachrohr, where the subject is the link to what the
    notification is about; the text then leaves out the address an e-mail spells out."""
    context = {
        **notification.context,
        "recipient": notification.recipient,
        "link": f"{settings.SITE_URL}{notification.link}"
        if notification.link and not in_app
        else "",
    }
    base = f"notifications/{notification.kind}"
    with translation.override(language or translation.get_language()):
        return RenderedNotification(
            subject=" ".join(render_text(f"{base}/subject.txt", context).split()),
            text=render_text(f"{base}/body.txt", context),
            html=render_to_string(f"{base}/body.html", context),
        )


def _wants_email(user: User, kind: str) -> bool:
    if is_practice_colleague(user):  # a simulated colleague has no mailbox
        return False
    if NOTIFICATION_KINDS[kind].email_required:
        return True
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is not None:
        return preference.email
    return NOTIFICATION_KINDS[kind].email_by_default


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    context: dict[str, Any] | None = None,
    link: str = "",
    unit: OrgUnit | None = None,
) -> list[Notification]:
    """Create an in-app notification per active recipient; e-mail those who want it.

    ``unit``: the unit the notification is about. Practice (a practice unit, Übungsmodus)
    is never e-mailed: its notifications are in-app only, so a practising user's mailbox
    and their deputies' rules see only real work."""
    from accounts.tasks import send_notification_email

    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it first.")
    created = []
    practice = unit is not None and unit.is_practice
    for recipient in {user.pk: user for user in recipients if user.is_active}.values():
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, context=context or {}, link=link
        )
        created.append(notification)
        if not practice and _wants_email(recipient, kind):
            transaction.on_commit(partial(send_notification_email.delay, notification.pk))
    return created


@transaction.atomic
def notifications_resolve(*, kinds: Iterable[str], link: str) -> int:
    """A request dealt with (a post someone else approved) waits for nobody any more: every
    unread notification of ``kinds`` about ``link`` is marked read, for all its recipients.
    Called inside the transaction that dealt with it; returns how many were marked."""
    return Notification.objects.filter(
        kind__in=list(kinds), link=link, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_send_email(notification_id: int) -> bool:
    """Send the e-mail of one notification once; returns whether it was sent now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient
        rendered = notification_render(notification, language=recipient.language)
        message = EmailMultiAlternatives(
            subject=rendered.subject, body=rendered.text, to=[recipient.email]
        )
        message.attach_alternative(rendered.html, "text/html")
        message.send()
        notification.email_sent_at = timezone.now()
        notification.save(update_fields=["email_sent_at"])
        return True
