from __future__ import annotations

from celery import shared_task

from editorial.practice.services import practice_colleague_review


@shared_task(ignore_result=True)
def practice_colleague_review_task(post_id: int) -> bool:
    """The simulated colleague reviews a practice post (idempotent: see the service)."""
    return practice_colleague_review(post_id)
