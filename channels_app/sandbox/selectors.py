"""Read-side of the sandbox platform: token lookup, listings, metrics and the JSON shapes.

Comments are generated lazily by ``services.comments_materialise``; the readers here only
look at rows that exist.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import TypeVar

from django.conf import settings
from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_app.sandbox import simulation
from channels_app.sandbox.errors import SandboxApiError
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxMedia
from channels_app.sandbox.models import SandboxMessage
from channels_app.sandbox.models import SandboxPost


# Upload order is post order: the adapter uploads a post's files in the order of the post.
def media_in_order() -> Prefetch:
    return Prefetch("media", queryset=SandboxMedia.objects.order_by("pk"))


DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_METRIC_IDS = 100


def token_digest(token: str) -> str:
    """Only digests are stored: a database dump gives no usable sandbox tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid_token(description: str) -> SandboxApiError:
    return SandboxApiError(
        401,
        "invalid_token",
        description,
        # The description stays in the body: it is translated and may not fit a header.
        headers={"WWW-Authenticate": 'Bearer realm="sandbox", error="invalid_token"'},
    )


def account_for_authorization(header: str) -> SandboxAccount:
    """The account an ``Authorization: Bearer …`` header belongs to, or 401."""
    scheme, _sep, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _invalid_token(_("An access token is required (Authorization: Bearer …)."))
    digest = token_digest(token)
    account = SandboxAccount.objects.filter(
        Q(token_digest=digest) | Q(previous_token_digest=digest)
    ).first()
    if account is None:
        raise _invalid_token(_("The access token is invalid or was revoked."))
    expires_at = (
        account.token_expires_at
        if account.token_digest == digest
        else account.previous_token_expires_at
    )
    if expires_at is not None and expires_at <= timezone.now():
        raise _invalid_token(_("The access token expired"))
    return account


# --- JSON shapes ---------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def absolute(path: str) -> str:
    """Canonical public addresses use SITE_URL, as a platform hands out its own domain
    whatever internal address a worker used to reach the API."""
    return f"{settings.SITE_URL}{path}"


def account_url(account: SandboxAccount) -> str:
    return absolute(reverse("sandbox:profile", args=[account.handle]))


def post_url(post: SandboxPost) -> str:
    return absolute(reverse("sandbox:post", args=[post.remote_id]))


def media_url(media: SandboxMedia) -> str:
    return absolute(reverse("sandbox:media", args=[media.remote_id]))


def comment_url(comment: SandboxComment) -> str:
    return absolute(reverse("sandbox:post", args=[comment.post.remote_id])) + (
        f"#comment-{comment.remote_id}"
    )


def media_kind(media: SandboxMedia) -> str:
    return "video" if media.mime_type.startswith("video/") else "image"


def media_data(media: SandboxMedia) -> dict[str, Any]:
    return {
        "id": media.remote_id,
        "type": media_kind(media),
        "mime_type": media.mime_type,
        "alt_text": media.alt_text,
        "url": media_url(media),
    }


def post_data(post: SandboxPost) -> dict[str, Any]:
    """The post as its author sees it (the key is shown only to the owning account)."""
    return {
        "id": post.remote_id,
        "url": post_url(post),
        "text": post.text,
        "link": post.link,
        "created_at": iso(post.created_at),
        "deleted_at": iso(post.deleted_at),
        "comments_enabled": post.comments_closed_at is None,
        "idempotency_key": post.idempotency_key or None,
        "media": [media_data(m) for m in post.media.all()],
    }


def comment_data(comment: SandboxComment) -> dict[str, Any]:
    return {
        "id": comment.remote_id,
        "post_id": comment.post.remote_id,
        "parent_id": comment.parent.remote_id if comment.parent is not None else None,
        "author": {"id": comment.author_id, "name": comment.author_name},
        "text": comment.text,
        "created_at": iso(comment.created_at),
        "hidden": comment.hidden,
        "by_account": comment.by_account,
        "url": comment_url(comment),
        "edited_at": iso(comment.edited_at),
        "deleted_at": iso(comment.deleted_at),
    }


def message_data(message: SandboxMessage) -> dict[str, Any]:
    """A mention or a direct message (``kind``). The sandbox has no public pages of its
    citizens' own posts, so neither has an address."""
    return {
        "id": message.remote_id,
        "kind": message.kind,
        "author": {"id": message.author_id, "name": message.author_name},
        "text": message.text,
        "created_at": iso(message.created_at),
        "url": None,
    }


def followers_count(account: SandboxAccount, now: datetime | None = None) -> int:
    return simulation.followers(
        account.handle, account.followers_base, account.created_at, now or timezone.now()
    )


def me_data(account: SandboxAccount) -> dict[str, Any]:
    return {
        "id": str(account.pk),
        "handle": account.handle,
        "display_name": account.display_name,
        "url": account_url(account),
        "followers_count": followers_count(account),
    }


# --- Posts ---------------------------------------------------------------------------------


def _posts(account: SandboxAccount) -> QuerySet[SandboxPost]:
    return SandboxPost.objects.filter(account=account).prefetch_related(media_in_order())


def post_get(account: SandboxAccount, remote_id: str) -> SandboxPost:
    """One live post of the account; another account's post is as unknown as a missing one."""
    post = _posts(account).filter(remote_id=remote_id, deleted_at__isnull=True).first()
    if post is None:
        raise SandboxApiError(404, "not_found", _("There is no such post."))
    return post


def post_without_media(post: SandboxPost) -> SandboxPost:
    """A post just created without media, marked as having none: ``post_data`` then lists
    no media without a query (an empty queryset is prefetched without asking the database)."""
    prefetch_related_objects([post], Prefetch("media", queryset=SandboxMedia.objects.none()))
    return post


def post_for_idempotency_key(account: SandboxAccount, key: str) -> SandboxPost | None:
    """Deleted posts count too: the key was used, a replay must not post a second time."""
    if not key:
        return None
    return _posts(account).filter(idempotency_key=key).first()


def page_size(raw: str | None, default: int = DEFAULT_PAGE_SIZE) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SandboxApiError(
            400, "invalid_request", _("“limit” must be a whole number.")
        ) from None
    return max(1, min(value, MAX_PAGE_SIZE))


def posts_recent(
    account: SandboxAccount, *, limit: int, before: str = "", idempotency_key: str = ""
) -> tuple[list[SandboxPost], str | None]:
    """Newest first; ``before`` is the id of the last post of the previous page. With
    ``idempotency_key`` the list is the post made with that key (deleted ones included),
    which makes the recovery lookup a pure read."""
    if idempotency_key:
        post = post_for_idempotency_key(account, idempotency_key)
        return ([post] if post else []), None
    queryset = _posts(account).filter(deleted_at__isnull=True).order_by("-created_at", "-pk")
    if before:
        anchor = SandboxPost.objects.filter(account=account, remote_id=before).first()
        if anchor is None:
            raise SandboxApiError(400, "invalid_request", _("“before” names no known post."))
        queryset = queryset.filter(
            Q(created_at__lt=anchor.created_at) | Q(created_at=anchor.created_at, pk__lt=anchor.pk)
        )
    posts = list(queryset[: limit + 1])
    more = len(posts) > limit
    posts = posts[:limit]
    return posts, (posts[-1].remote_id if more and posts else None)


def metric_ids(raw: str) -> list[str]:
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if len(ids) > MAX_METRIC_IDS:
        raise SandboxApiError(
            400, "invalid_request", _("At most %(n)d ids per request.") % {"n": MAX_METRIC_IDS}
        )
    return ids


def post_metrics(account: SandboxAccount, remote_ids: list[str]) -> list[dict[str, Any]]:
    """Metrics of the account's live posts among ``remote_ids``, in the order asked;
    unknown or foreign ids are left out, as batch endpoints of real platforms do."""
    now = timezone.now()
    posts = {
        p.remote_id: p
        for p in SandboxPost.objects.filter(
            account=account, remote_id__in=remote_ids, deleted_at__isnull=True
        )
    }
    data = []
    for remote_id in dict.fromkeys(remote_ids):
        post = posts.get(remote_id)
        if post is not None:
            metrics = simulation.post_metrics(post.remote_id, post.created_at, now)
            data.append({"id": post.remote_id, **metrics})
    return data


def account_metrics(account: SandboxAccount) -> dict[str, Any]:
    now = timezone.now()
    posts = SandboxPost.objects.filter(account=account, deleted_at__isnull=True)
    return {
        "followers": followers_count(account),
        "following": 0,
        "posts": posts.count(),
        "impressions": impressions_last_day(
            list(posts.values_list("remote_id", "created_at")), now
        ),
    }


def impressions_last_day(posts: list[tuple[str, datetime]], now: datetime) -> int:
    """The account's impressions of the 24 hours before ``now``: what its posts gained
    (as the daily reach a real platform's Insights would report)."""
    day_before = now - timedelta(days=1)
    return sum(
        simulation.post_metrics(remote_id, created_at, now)["impressions"]
        - simulation.post_metrics(remote_id, created_at, day_before)["impressions"]
        for remote_id, created_at in posts
        if created_at <= now
    )


# --- Comments ------------------------------------------------------------------------------


_Row = TypeVar("_Row", SandboxComment, SandboxMessage)


def encode_cursor(stamp: datetime, pk: int) -> str:
    """The position after the row with ``stamp`` and ``pk``, opaque to the client."""
    raw = f"{stamp.astimezone(UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, _sep, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition("|")
        created_at = datetime.fromisoformat(stamp)
        if created_at.tzinfo is None:
            raise ValueError(stamp)
        return created_at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise SandboxApiError(400, "invalid_cursor", _("The cursor is not valid.")) from None


def _keyset_page(
    queryset: QuerySet[_Row], field: str, *, cursor: str, limit: int
) -> tuple[list[_Row], str | None, bool]:
    """Up to ``limit`` rows in the order of ``field`` (a time stamp) and pk, after the
    position ``cursor`` names; the next cursor (None when no row came) and whether more
    rows wait."""
    queryset = queryset.order_by(field, "pk")
    if cursor:
        stamp, pk = decode_cursor(cursor)
        queryset = queryset.filter(Q(**{f"{field}__gt": stamp}) | Q(**{field: stamp, "pk__gt": pk}))
    rows = list(queryset[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(getattr(rows[-1], field), rows[-1].pk) if rows else None
    return rows, next_cursor, has_more


def _comments(account: SandboxAccount) -> QuerySet[SandboxComment]:
    return SandboxComment.objects.filter(
        post__account=account, post__deleted_at__isnull=True, deleted_at__isnull=True
    ).select_related("post", "parent")


def comments_page(
    account: SandboxAccount, *, cursor: str, limit: int
) -> tuple[list[SandboxComment], str | None, bool]:
    """Oldest first after ``cursor``. ``next_cursor`` is the position after the last comment
    returned, so a poller can keep it and ask again later; it is None only when nothing new
    came (keep the previous cursor then)."""
    return _keyset_page(_comments(account), "created_at", cursor=cursor, limit=limit)


def comment_changes_page(
    account: SandboxAccount, *, cursor: str, limit: int
) -> tuple[list[SandboxComment], str | None, bool]:
    """The change feed: comments in the order they last changed (written, edited, hidden,
    shown, deleted), deleted ones included, so a poller keeping the cursor sees every
    change once. The cursor has the shape of ``comments_page``'s, over ``changed_at``."""
    queryset = SandboxComment.objects.filter(
        post__account=account, post__deleted_at__isnull=True
    ).select_related("post", "parent")
    return _keyset_page(queryset, "changed_at", cursor=cursor, limit=limit)


def messages_page(
    account: SandboxAccount, *, kind: str, cursor: str, limit: int
) -> tuple[list[SandboxMessage], str | None, bool]:
    """Mentions or messages, oldest first after ``cursor`` (shape as ``comments_page``)."""
    messages = SandboxMessage.objects.filter(account=account, kind=kind)
    return _keyset_page(messages, "created_at", cursor=cursor, limit=limit)


def reply_for_idempotency_key(parent: SandboxComment, key: str) -> SandboxComment | None:
    """The account's reply in the parent's thread made with ``key`` (deleted ones included:
    a replay must not create it again)."""
    if not key:
        return None
    return (
        SandboxComment.objects.filter(post_id=parent.post_id, idempotency_key=key)
        .select_related("post", "parent")
        .first()
    )


def comment_get(account: SandboxAccount, remote_id: str) -> SandboxComment:
    comment = _comments(account).filter(remote_id=remote_id).first()
    if comment is None:
        raise SandboxApiError(404, "not_found", _("There is no such comment."))
    return comment


# --- Fault injection -----------------------------------------------------------------------


def check_control_secret(given: str) -> None:
    """Fault injection is off unless the operator set a secret; compared in constant time."""
    secret = settings.SANDBOX_CONTROL_SECRET or ""
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        raise SandboxApiError(
            403, "forbidden", _("Fault injection needs the right X-Sandbox-Control secret.")
        )


def account_by_handle(handle: str) -> SandboxAccount:
    account = SandboxAccount.objects.filter(handle=handle.lower()).first()
    if account is None:
        raise SandboxApiError(404, "not_found", _("There is no such sandbox account."))
    return account


def control_data(account: SandboxAccount) -> dict[str, Any]:
    return {
        "handle": account.handle,
        "latency_ms": account.latency_ms,
        "fail_status": account.fail_status,
        "fail_remaining": account.fail_remaining,
        "retry_after_seconds": account.retry_after_seconds,
        "timeout_after_accept_remaining": account.timeout_after_accept_remaining,
        "timeout_after_accept_seconds": account.timeout_after_accept_seconds,
        "token_expires_at": iso(account.token_expires_at),
        "lively": account.lively,
        "read_fail_after": account.read_fail_after,
        "read_fail_remaining": account.read_fail_remaining,
    }


def control_stats(account: SandboxAccount) -> dict[str, int]:
    """``duplicates``: posts beyond the first with the same text (deleted ones included,
    since the platform did create them): what the exactly-once tests assert to be 0."""
    account.refresh_from_db(fields=["posts_received", "idempotent_replays"])
    totals = SandboxPost.objects.filter(account=account).aggregate(
        created=Count("pk"), distinct_texts=Count("text", distinct=True)
    )
    return {
        "posts_received": account.posts_received,
        "posts_created": totals["created"],
        "idempotent_replays": account.idempotent_replays,
        "duplicates": totals["created"] - totals["distinct_texts"],
    }


# --- Public pages --------------------------------------------------------------------------


@dataclass
class CommentThread:
    comment: SandboxComment
    replies: list[SandboxComment] = field(default_factory=list)


@dataclass
class PublicPost:
    post: SandboxPost
    threads: list[CommentThread]
    hidden_count: int


def public_account(handle: str) -> SandboxAccount | None:
    return SandboxAccount.objects.filter(handle=handle.lower()).first()


def public_posts(account: SandboxAccount) -> QuerySet[SandboxPost]:
    return (
        SandboxPost.objects.filter(account=account, deleted_at__isnull=True)
        .prefetch_related(media_in_order())
        .annotate(
            comment_count=Count(
                "comments",
                filter=Q(comments__deleted_at__isnull=True, comments__hidden=False),
            )
        )
        .order_by("-created_at", "-pk")
    )


def public_post(remote_id: str) -> SandboxPost | None:
    return (
        SandboxPost.objects.filter(remote_id=remote_id, deleted_at__isnull=True)
        .select_related("account")
        .prefetch_related(media_in_order())
        .first()
    )


def public_comment_threads(post: SandboxPost) -> PublicPost:
    """Visible comments grouped under the top-level comment they answer (one level, as
    most platforms show threads). Hidden comments are left out, as for the public there."""
    comments = list(
        SandboxComment.objects.filter(post=post, deleted_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )
    by_pk = {c.pk: c for c in comments}
    visible = [c for c in comments if not c.hidden]
    threads: dict[int, CommentThread] = {}
    ordered: list[CommentThread] = []
    for comment in visible:
        root = comment
        while root.parent_id is not None and root.parent_id in by_pk:
            root = by_pk[root.parent_id]
        if root.hidden:
            continue  # an answer to a hidden comment makes no sense on its own
        if root.pk not in threads:
            threads[root.pk] = CommentThread(root)
            ordered.append(threads[root.pk])
        if root is not comment:
            threads[root.pk].replies.append(comment)
    return PublicPost(post=post, threads=ordered, hidden_count=len(comments) - len(visible))


def public_media(remote_id: str) -> SandboxMedia | None:
    """Media of live posts, and uploads not yet attached (their id is unguessable)."""
    return (
        SandboxMedia.objects.filter(remote_id=remote_id)
        .filter(Q(post__isnull=True) | Q(post__deleted_at__isnull=True))
        .first()
    )
