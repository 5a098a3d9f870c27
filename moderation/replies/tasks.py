"""Celery tasks of replies: thin, by id, idempotent (the claim decides)."""

from __future__ import annotations

from celery import shared_task

from moderation.replies.sending import replies_dispatch_due
from moderation.replies.sending import reply_send


@shared_task(ignore_result=True, acks_late=True)
def send_reply(reply_id: int) -> str:
    return reply_send(reply_id)


@shared_task(ignore_result=True)
def dispatch_due_replies() -> int:
    return replies_dispatch_due()
