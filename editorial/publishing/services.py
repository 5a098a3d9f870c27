"""What people ask of published posts: send failed channels again, delete a published
post on its platforms."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from editorial.common.content import post_content_hash
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.permissions import user_may_approve_post
from editorial.posts.permissions import user_may_edit_post
from editorial.posts.services import post_audit
from editorial.posts.status import check_transition

V = PostVariant.Status
S = Post.Status


# --- Staff actions --------------------------------------------------------------------------


@transaction.atomic
def post_retry_failed_channels(
    *, actor: User, post: Post, request: HttpRequest | None = None
) -> int:
    """Send the failed channels again, now; the approval must still hold."""
    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    if not (user_may_edit_post(actor, post) or user_may_approve_post(actor, post)):
        raise PermissionDenied
    still_approved = post_content_hash(post) == post.approved_hash
    if post.status not in (S.PARTLY_FAILED, S.FAILED) or not still_approved:
        raise ValidationError(_("Only an approved post with failed channels can be retried."))
    retried = post.variants.filter(status=V.FAILED).update(
        status=V.SCHEDULED,
        scheduled_at=timezone.now(),
        next_attempt_at=None,
        queued_at=None,
        last_error="",
    )
    check_transition(post.status, S.PUBLISHING)
    post.status = S.PUBLISHING
    post.save(update_fields=["status"])
    post_audit("editorial.post.retry_failed", post, actor, request, data={"variants": retried})
    return retried


# --- Deleting published posts ---------------------------------------------------------------


@transaction.atomic
def post_delete_published(
    *,
    actor: User,
    post: Post,
    delete_on_platforms: bool,
    request: HttpRequest | None = None,
) -> int:
    """Withdraw a published post in Sprachrohr (the record stays for the files) and, if
    wanted, delete it on every platform that allows it. Returns how many deletions were
    queued."""
    from editorial.publishing.tasks import delete_variant_on_platform

    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    if not (user_may_edit_post(actor, post) or user_may_approve_post(actor, post)):
        raise PermissionDenied
    if post.status not in (S.PUBLISHED, S.PARTLY_FAILED, S.FAILED):
        raise ValidationError(_("Only a published post can be deleted here."))
    check_transition(post.status, S.WITHDRAWN)
    before = post.status
    post.status = S.WITHDRAWN
    post.save(update_fields=["status"])
    published = list(post.variants.filter(status=V.PUBLISHED).values_list("id", flat=True))
    if delete_on_platforms:
        for variant_id in published:
            transaction.on_commit(partial(delete_variant_on_platform.delay, variant_id))
    post_audit(
        "editorial.post.deleted",
        post,
        actor,
        request,
        before={"status": before},
        after={"status": S.WITHDRAWN},
        data={"delete_on_platforms": delete_on_platforms, "variants": published},
    )
    return len(published) if delete_on_platforms else 0
