from __future__ import annotations

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
from accounts.notifications import notification_send_email, render_text
from accounts.services import worker_heartbeat_record


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email(notification_id: int) -> None:
    notification_send_email(notification_id)


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=8,
)
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
