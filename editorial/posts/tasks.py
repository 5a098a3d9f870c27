"""Periodic work on posts: approvals that expired go back to review."""

from __future__ import annotations

from celery import shared_task

from editorial.posts.services import approvals_expire


@shared_task(ignore_result=True)
def expire_approvals() -> int:
    return approvals_expire()
