from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.notifications import notification_send_email
from accounts.notifications import render_text
from accounts.services import worker_heartbeat_record

# A mail server that is away (OSError) is tried again, waiting longer each time, for about
# two hours; the same for every mail sent.
MAIL_RETRIES: dict[str, Any] = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**MAIL_RETRIES)
def send_notification_email(notification_id: int) -> None:
    notification_send_email(notification_id)


@shared_task(**MAIL_RETRIES)
def send_invitation_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return  # already accepted, or deactivated meanwhile
    path = reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": f"{settings.SITE_URL}{path}",
        "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
    }
    with translation.override(user.language):
        subject = " ".join(render_text("emails/invitation/subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_text("emails/invitation/body.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("emails/invitation/body.html", context), "text/html"
        )
    message.send()


@shared_task
def record_worker_heartbeat(queue: str = "default") -> None:
    """``queue``: the queue beat sent it into (one entry per service queue), so that the
    heartbeat says which service is alive."""
    hostname = record_worker_heartbeat.request.hostname or "unknown"
    worker_heartbeat_record(hostname=hostname, queue=queue)
