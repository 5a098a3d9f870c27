"""Practice mode hooks of editorial, connected when editorial starts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from accounts.practice.events import practice_space_opened
from accounts.practice.events import practice_space_provisioned
from editorial.models import Post
from editorial.practice.services import practice_post_submitted
from editorial.practice.services import practice_review_request
from editorial.starters.services import post_templates_practice_seed


def _post_saved(sender: Any, instance: Post, update_fields: Any = None, **kwargs: Any) -> None:
    """A post went to review (``post_transition`` saves the status alone): in a practice
    unit, the colleague reviews it once the submission is committed."""
    if update_fields is None or "status" not in update_fields:
        return
    if not practice_post_submitted(instance) or instance.author_id is None:
        return
    from editorial.practice.tasks import practice_colleague_review_task

    post_id = instance.pk
    transaction.on_commit(lambda: practice_colleague_review_task.delay(post_id))


def register() -> None:
    practice_space_provisioned.connect(
        practice_review_request, dispatch_uid="editorial_practice_review_request"
    )
    practice_space_opened.connect(
        post_templates_practice_seed, dispatch_uid="editorial_practice_post_templates"
    )
    post_save.connect(_post_saved, sender=Post, dispatch_uid="editorial_practice_post_saved")
