"""Write-side of the sandbox platform: tokens, media, posts, comments and fault injection.

Concurrency rules, because workers, retries and benchmarks hit the sandbox in parallel:

* counters and fault budgets change with ``F()`` updates (never read-modify-write in Python),
  a fault budget with a ``> 0`` filter so that concurrent requests cannot over-consume it;
* a post is inserted without looking its Idempotency-Key up first; the unique constraint on
  (account, key) makes the insert of a replay or of a concurrent second request fail, and
  that request returns the first post (a post with media is inserted in a transaction, so
  that a media error leaves no post behind);
* simulated comments have deterministic ids, so concurrent generation is absorbed by the
  unique constraint on ``remote_id``;
* token grants lock the account row, so two refreshes with one refresh token cannot both
  rotate it.
"""

from __future__ import annotations

import re
import secrets
import time
import warnings
from contextlib import nullcontext
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from channels_app.adapters.text import grapheme_count
from channels_app.sandbox import selectors
from channels_app.sandbox import simulation
from channels_app.sandbox.errors import SandboxApiError
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxBlock
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxMedia
from channels_app.sandbox.models import SandboxMessage
from channels_app.sandbox.models import SandboxPost
from config.db import connection_release

MAX_TEXT_GRAPHEMES = 1000
MAX_ALT_TEXT = 1500
MAX_IMAGES = 4
MAX_VIDEOS = 1
MAX_IMAGE_BYTES = 8_000_000
MAX_VIDEO_BYTES = 50_000_000
MAX_IDEMPOTENCY_KEY = 200
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
INJECTABLE_STATUSES = (429, 500, 502, 503)
HANDLE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
TOKEN_SCOPE = "read write"  # noqa: S105  (an OAuth scope, not a secret)
_LINK_VALIDATOR = URLValidator(schemes=["http", "https"])


def access_token_lifetime() -> timedelta:
    # A day: long enough that a demo does not break overnight without a refresh job, short
    # enough that refreshing is exercised. ``expire_token`` forces expiry for tests.
    return timedelta(seconds=getattr(settings, "SANDBOX_ACCESS_TOKEN_SECONDS", 24 * 3600))


def _new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}"


def _reject_nul(value: str, field: str) -> None:
    # PostgreSQL text cannot hold NUL; a real platform answers 422, not 500.
    if "\x00" in value:
        raise SandboxApiError(
            422, "invalid_request", _("“%(field)s” contains a NUL character.") % {"field": field}
        )


# --- Tokens --------------------------------------------------------------------------------


def _issue_tokens(account: SandboxAccount, *, rotate_refresh_from: str | None) -> dict[str, Any]:
    """New access and refresh token for a locked ``account``; saves it.

    The replaced access token stays valid until its own expiry (another worker may hold it).
    ``rotate_refresh_from`` is the digest of the refresh token just used, or None for a
    password grant (which starts a fresh refresh chain)."""
    access_token = "sbx_" + secrets.token_urlsafe(32)
    refresh_token = "sbr_" + secrets.token_urlsafe(32)
    now = timezone.now()
    account.previous_token_digest = account.token_digest
    account.previous_token_expires_at = account.token_expires_at
    account.token_digest = selectors.token_digest(access_token)
    account.token_expires_at = now + access_token_lifetime()
    if rotate_refresh_from is None:
        account.previous_refresh_token_digest = ""
    elif rotate_refresh_from == account.refresh_token_digest:
        # The client used the newest refresh token: it has it, the one before is done.
        account.previous_refresh_token_digest = rotate_refresh_from
    # Else the client used the previous one (it lost our last answer): that one stays
    # valid until its successor is used, the lost successor becomes worthless.
    account.refresh_token_digest = selectors.token_digest(refresh_token)
    account.save(
        update_fields=[
            "previous_token_digest",
            "previous_token_expires_at",
            "token_digest",
            "token_expires_at",
            "refresh_token_digest",
            "previous_refresh_token_digest",
        ]
    )
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": int(access_token_lifetime().total_seconds()),
        "refresh_token": refresh_token,
        "scope": TOKEN_SCOPE,
    }


def token_grant_password(*, username: str, password: str) -> dict[str, Any]:
    """Sign in, and sign up on first use: any non-empty password is accepted, since the
    sandbox protects nothing and demos must connect without setup."""
    handle = username.strip().lower()
    if not HANDLE_PATTERN.match(handle):
        raise SandboxApiError(
            400,
            "invalid_request",
            _(
                "The user name must be 1 to 100 lower-case letters, digits, “-” or “_”,"
                " starting with a letter or digit."
            ),
        )
    if not password:
        raise SandboxApiError(400, "invalid_grant", _("The password must not be empty."))
    SandboxAccount.objects.get_or_create(
        handle=handle,
        # A random digest nobody holds; the grant below sets the real one.
        defaults={"display_name": handle, "token_digest": selectors.token_digest(_new_id(""))},
    )
    with transaction.atomic():
        account = SandboxAccount.objects.select_for_update().get(handle=handle)
        return _issue_tokens(account, rotate_refresh_from=None)


def token_grant_refresh(*, refresh_token: str) -> dict[str, Any]:
    if not refresh_token:
        raise SandboxApiError(400, "invalid_request", _("“refresh_token” is missing."))
    digest = selectors.token_digest(refresh_token)
    with transaction.atomic():
        account = (
            SandboxAccount.objects.select_for_update().filter(refresh_token_digest=digest).first()
        ) or (
            SandboxAccount.objects.select_for_update()
            .filter(previous_refresh_token_digest=digest)
            .first()
        )
        if account is None:
            raise SandboxApiError(
                400, "invalid_grant", _("The refresh token is invalid or was revoked.")
            )
        return _issue_tokens(account, rotate_refresh_from=digest)


def token_revoke(*, token: str) -> None:
    """RFC 7009: revoking an unknown token is no error."""
    if not token:
        return
    digest = selectors.token_digest(token)
    unusable = selectors.token_digest(_new_id("revoked"))
    past = timezone.now() - timedelta(seconds=1)
    SandboxAccount.objects.filter(token_digest=digest).update(
        token_digest=unusable, token_expires_at=past
    )
    SandboxAccount.objects.filter(previous_token_digest=digest).update(
        previous_token_digest="", previous_token_expires_at=None
    )
    SandboxAccount.objects.filter(refresh_token_digest=digest).update(refresh_token_digest="")
    SandboxAccount.objects.filter(previous_refresh_token_digest=digest).update(
        previous_refresh_token_digest=""
    )


# --- Latency and faults --------------------------------------------------------------------


def simulate_latency(account: SandboxAccount) -> None:
    if account.latency_ms:
        connection_release()  # the platform's own wait holds none of our connections
        time.sleep(account.latency_ms / 1000)


def _consume(account: SandboxAccount, budget: str, **also: Any) -> bool:
    """Take one unit of a fault budget, and apply the updates ``also`` in the same statement;
    atomic, so N concurrent requests take at most N.

    ``account`` is the row loaded for this request: with nothing left there, no UPDATE is
    sent (almost every request), so a budget set while a request is running is taken by
    the next one. ``also`` is applied only if a unit was taken."""
    if getattr(account, budget) <= 0:
        return False
    return bool(
        SandboxAccount.objects.filter(pk=account.pk, **{f"{budget}__gt": 0}).update(
            **{budget: F(budget) - 1}, **also
        )
    )


def post_request_received(account: SandboxAccount) -> None:
    """Count the request and answer with an injected failure while the budget lasts."""
    received = {"posts_received": F("posts_received") + 1}
    # One UPDATE either way: the counter goes with the budget, or alone if none was taken.
    if not _consume(account, "fail_remaining", **received):
        SandboxAccount.objects.filter(pk=account.pk).update(**received)
        return
    _raise_injected(account)


def write_request_received(account: SandboxAccount) -> None:
    """An injected failure while the budget lasts, for writes that are not posts (blocks):
    not counted in ``posts_received``, which the exactly-once tests read."""
    if _consume(account, "fail_remaining"):
        _raise_injected(account)


def _raise_injected(account: SandboxAccount) -> None:
    status = account.fail_status or 503
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(account.retry_after_seconds)
        raise SandboxApiError(
            429, "rate_limited", _("Too many requests (injected)."), headers=headers
        )
    raise SandboxApiError(
        status, "server_error", _("Injected failure (HTTP %(status)d).") % {"status": status}
    )


# --- Media ---------------------------------------------------------------------------------


def _sniff(uploaded: UploadedFile) -> tuple[str, str]:
    """(mime type, extension) from the content, never from the name or declared type."""
    uploaded.seek(0)
    head = uploaded.read(12)
    uploaded.seek(0)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4", "mp4"
    try:
        # A decompression bomb is refused, not just warned about.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                image_format = image.format or ""
                image.verify()
    except Exception:  # Pillow raises many types for broken files; all mean "not an image"
        image_format = ""
    finally:
        uploaded.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise SandboxApiError(
            422,
            "unsupported_media",
            _("The file is neither a JPEG, PNG, GIF or WebP image nor an MP4 video."),
        )
    return IMAGE_FORMATS[image_format], image_format.lower().replace("jpeg", "jpg")


def media_upload(
    account: SandboxAccount, *, uploaded: UploadedFile | None, alt_text: str
) -> SandboxMedia:
    if uploaded is None:
        raise SandboxApiError(400, "invalid_request", _("The upload needs a “file” part."))
    _reject_nul(alt_text, "alt_text")
    if len(alt_text) > MAX_ALT_TEXT:
        raise SandboxApiError(
            422,
            "alt_text_too_long",
            _("The alternative text may have at most %(n)d characters.") % {"n": MAX_ALT_TEXT},
        )
    if (uploaded.size or 0) > MAX_VIDEO_BYTES:
        raise SandboxApiError(422, "media_too_large", _("The file is larger than 50 MB."))
    mime_type, extension = _sniff(uploaded)
    if mime_type.startswith("image/") and (uploaded.size or 0) > MAX_IMAGE_BYTES:
        raise SandboxApiError(422, "media_too_large", _("The image is larger than 8 MB."))
    remote_id = _new_id("m")
    media = SandboxMedia(
        account=account,
        remote_id=remote_id,
        mime_type=mime_type,
        size=uploaded.size or 0,
        alt_text=alt_text,
    )
    media.file.save(f"{remote_id}.{extension}", uploaded, save=False)
    media.save()
    return media


# --- Posts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishOutcome:
    post: SandboxPost
    created: bool
    # Seconds the view waits before answering: the injected "accepted, then timed out".
    delay_seconds: float = 0.0


def _clean_post_payload(payload: Any) -> tuple[str, str, list[str]]:
    if not isinstance(payload, dict):
        raise SandboxApiError(400, "invalid_request", _("The body must be a JSON object."))
    text = payload.get("text", "")
    link = payload.get("link") or ""
    media_ids = payload.get("media_ids") or []
    if not isinstance(text, str) or not isinstance(link, str):
        raise SandboxApiError(400, "invalid_request", _("“text” and “link” must be strings."))
    if not isinstance(media_ids, list) or not all(isinstance(m, str) for m in media_ids):
        raise SandboxApiError(400, "invalid_request", _("“media_ids” must be a list of media ids."))
    _reject_nul(text, "text")
    # A grapheme has at least one code point: only a longer text can be over the limit, and
    # segmenting is the costly part of validating a post.
    _refuse_too_long(grapheme_count(text) if len(text) > MAX_TEXT_GRAPHEMES else 0)
    if not text.strip() and not media_ids:
        raise SandboxApiError(422, "empty_post", _("A post needs a text or media."))
    if link:
        try:
            _LINK_VALIDATOR(link)
        except ValidationError:
            raise SandboxApiError(
                422, "invalid_link", _("“link” must be an http(s) address.")
            ) from None
        if len(link) > 500:
            raise SandboxApiError(422, "invalid_link", _("“link” is longer than 500 characters."))
    if len(set(media_ids)) != len(media_ids):
        raise SandboxApiError(422, "invalid_media", _("A media id is listed twice."))
    return text, link, media_ids


def _check_media(account: SandboxAccount, media_ids: list[str]) -> list[SandboxMedia]:
    media = list(
        SandboxMedia.objects.filter(account=account, remote_id__in=media_ids, post__isnull=True)
    )
    if len(media) != len(media_ids):
        raise SandboxApiError(
            422,
            "invalid_media",
            _("A media id is unknown, belongs to another account or is already used."),
        )
    videos = sum(1 for m in media if m.mime_type.startswith("video/"))
    images = len(media) - videos
    if videos and images:
        raise SandboxApiError(
            422, "invalid_media", _("Images and a video cannot be combined in one post.")
        )
    if images > MAX_IMAGES or videos > MAX_VIDEOS:
        raise SandboxApiError(
            422, "invalid_media", _("A post may have at most 4 images or 1 video.")
        )
    return media


def _replayed(account: SandboxAccount, post: SandboxPost) -> PublishOutcome:
    SandboxAccount.objects.filter(pk=account.pk).update(
        idempotent_replays=F("idempotent_replays") + 1
    )
    return PublishOutcome(post=post, created=False)


def _refuse_too_long(length: int) -> None:
    """A post or reply text of ``length`` graphemes over the platform's limit is refused."""
    if length > MAX_TEXT_GRAPHEMES:
        raise SandboxApiError(
            422,
            "text_too_long",
            _("The text has %(length)d characters; at most %(limit)d are allowed.")
            % {"length": length, "limit": MAX_TEXT_GRAPHEMES},
        )


def _clean_idempotency_key(value: str) -> str:
    """The Idempotency-Key header as a create request sends it, trimmed; too long a key is
    refused rather than cut (a cut key could match another request's)."""
    key = value.strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise SandboxApiError(
            400,
            "invalid_request",
            _("The Idempotency-Key may have at most %(n)d characters.")
            % {"n": MAX_IDEMPOTENCY_KEY},
        )
    return key


def post_publish(
    account: SandboxAccount, payload: Any, *, idempotency_key: str = ""
) -> PublishOutcome:
    """Create a post, or return the one made earlier with the same Idempotency-Key.

    Counting and injected failures come first, as at a platform whose gateway answers
    before the application does. A replay succeeds whatever the body says now (media
    consumed, text edited): a new post is just inserted, and the unique key turns the
    insert of a replay into the lookup of the first post; a body that fails validation is
    looked up as well before it is refused. So a new post costs no lookup."""
    post_request_received(account)
    idempotency_key = _clean_idempotency_key(idempotency_key)
    try:
        text, link, media_ids = _clean_post_payload(payload)
    except SandboxApiError:
        existing = selectors.post_for_idempotency_key(account, idempotency_key)
        if existing is None:
            raise
        return _with_accept_timeout(account, _replayed(account, existing))
    try:
        post = _post_insert(
            account, text=text, link=link, idempotency_key=idempotency_key, media_ids=media_ids
        )
    except IntegrityError:
        # The key was used: by an earlier request, or by a concurrent one that has committed
        # by now (the insert waited for it); answer with its post. Anything else was a real
        # integrity problem.
        existing = selectors.post_for_idempotency_key(account, idempotency_key)
        if existing is None:
            raise
        return _with_accept_timeout(account, _replayed(account, existing))
    return _with_accept_timeout(account, PublishOutcome(post=post, created=True))


def _post_insert(
    account: SandboxAccount, *, text: str, link: str, idempotency_key: str, media_ids: list[str]
) -> SandboxPost:
    """Insert the post and attach its media; IntegrityError if the key is taken."""
    post = SandboxPost(
        account=account,
        remote_id=_new_id("p"),
        text=text,
        link=link,
        idempotency_key=idempotency_key,
    )
    if not media_ids:
        # A single INSERT is atomic on its own; a transaction would only add BEGIN and
        # COMMIT round trips. Inside an outer transaction (tests, a caller's atomic block) an
        # insert that may fail on the key needs a savepoint, or it would abort that one.
        in_outer = bool(idempotency_key) and transaction.get_connection().in_atomic_block
        with transaction.atomic() if in_outer else nullcontext():
            post.save(force_insert=True)
        return selectors.post_without_media(post)
    with transaction.atomic():
        post.save(force_insert=True)
        # After the insert: a concurrent request with the same key waits on the unique
        # index above and never gets here, so it cannot steal or double-check media.
        media = _check_media(account, media_ids)
        attached = SandboxMedia.objects.filter(
            pk__in=[m.pk for m in media], post__isnull=True
        ).update(post=post)
        if attached != len(media):
            # Another post (other key) took a file between the check and the update.
            raise SandboxApiError(422, "invalid_media", _("A media file was used by another post."))
    return SandboxPost.objects.prefetch_related(selectors.media_in_order()).get(pk=post.pk)


def _with_accept_timeout(account: SandboxAccount, outcome: PublishOutcome) -> PublishOutcome:
    """The post is committed; if a timeout is injected the answer comes too late."""
    if _consume(account, "timeout_after_accept_remaining"):
        # The duration was set together with the budget just taken, in the same row.
        return replace(outcome, delay_seconds=account.timeout_after_accept_seconds)
    return outcome


def post_delete(account: SandboxAccount, remote_id: str) -> None:
    """Soft delete: the row stays, so an Idempotency-Key replay still finds it and stats
    still count it."""
    updated = SandboxPost.objects.filter(
        account=account, remote_id=remote_id, deleted_at__isnull=True
    ).update(deleted_at=timezone.now())
    if not updated:
        raise SandboxApiError(404, "not_found", _("There is no such post."))


def post_close_comments(account: SandboxAccount, remote_id: str) -> SandboxPost:
    """Switch the post's comments off (idempotent: closing a closed post changes nothing).
    Injected failures apply as to other writes."""
    write_request_received(account)
    post = SandboxPost.objects.filter(
        account=account, remote_id=remote_id, deleted_at__isnull=True
    ).first()
    if post is None:
        raise SandboxApiError(404, "not_found", _("There is no such post."))
    if post.comments_closed_at is None:
        post.comments_closed_at = timezone.now()
        SandboxPost.objects.filter(pk=post.pk, comments_closed_at__isnull=True).update(
            comments_closed_at=post.comments_closed_at
        )
    return post


# --- Comments ------------------------------------------------------------------------------


def comments_materialise(posts: list[SandboxPost], now: datetime | None = None) -> None:
    """Create the simulated comments that are due by ``now`` and do not exist yet.

    Idempotent and safe under concurrent fetches: ids are deterministic and
    ``get_or_create`` absorbs a concurrent insert of the same id. Deleted comments stay as
    rows (soft delete), so they are never generated again."""
    now = now or timezone.now()
    posts = [p for p in posts if not p.comments_complete and p.deleted_at is None]
    if not posts:
        return
    existing = dict(
        SandboxComment.objects.filter(post__in=posts, by_account=False).values_list(
            "remote_id", "pk"
        )
    )
    # author id → blocked since, per account: a blocked author's later comments arrive hidden.
    blocked_since = {
        (account_id, author_id): since
        for account_id, author_id, since in SandboxBlock.objects.filter(
            account_id__in={p.account_id for p in posts}
        ).values_list("account_id", "author_id", "created_at")
    }
    for post in posts:
        schedule = simulation.comment_schedule(
            post.remote_id, practice=simulation.is_practice_handle(post.account.handle)
        )
        # Comments switched off: nobody comments after that moment.
        until = min(now, post.comments_closed_at) if post.comments_closed_at else now
        due = [c for c in schedule if post.created_at + c.offset <= until]
        for scheduled in due:
            remote_id = simulation.comment_remote_id(post.remote_id, scheduled.index)
            if remote_id in existing:
                continue
            parent_pk = None
            if scheduled.parent_index is not None:
                parent_pk = existing.get(
                    simulation.comment_remote_id(post.remote_id, scheduled.parent_index)
                )
            created_at = post.created_at + scheduled.offset
            since = blocked_since.get((post.account_id, scheduled.author_id))
            comment, _created = SandboxComment.objects.get_or_create(
                remote_id=remote_id,
                defaults={
                    "post": post,
                    "parent_id": parent_pk,
                    "author_name": scheduled.author_name,
                    "author_id": scheduled.author_id,
                    "text": scheduled.text,
                    "created_at": created_at,
                    "hidden": since is not None and created_at >= since,
                    "changed_at": created_at,
                },
            )
            existing[remote_id] = comment.pk
        lively = post.account.lively
        if lively:
            _churn_apply(post, now)
        if post.comments_closed_at is not None or (
            len(due) == len(schedule)
            and (not lively or post.created_at + simulation.churn_horizon(post.remote_id) <= now)
        ):
            SandboxPost.objects.filter(pk=post.pk).update(comments_complete=True)


def _churn_apply(post: SandboxPost, now: datetime) -> None:
    """The edits and deletions of a lively audience that are due. Each is a conditional
    UPDATE with its scheduled time as ``changed_at``, so concurrent fetches apply it once
    and a poller of the change feed sees it after any earlier cursor."""
    for churn in simulation.comment_churn(post.remote_id).values():
        remote_id = simulation.comment_remote_id(post.remote_id, churn.index)
        if churn.edit_offset is not None and post.created_at + churn.edit_offset <= now:
            at = post.created_at + churn.edit_offset
            comment = SandboxComment.objects.filter(
                remote_id=remote_id, edited_at__isnull=True, deleted_at__isnull=True
            ).first()
            if comment is not None:
                SandboxComment.objects.filter(pk=comment.pk, edited_at__isnull=True).update(
                    text=comment.text + churn.edit_suffix, edited_at=at, changed_at=at
                )
        if churn.delete_offset is not None and post.created_at + churn.delete_offset <= now:
            at = post.created_at + churn.delete_offset
            SandboxComment.objects.filter(remote_id=remote_id, deleted_at__isnull=True).update(
                deleted_at=at, changed_at=at
            )


def comments_materialise_for_account(account: SandboxAccount) -> None:
    comments_materialise(
        list(
            SandboxPost.objects.filter(
                account=account, deleted_at__isnull=True, comments_complete=False
            )
            .select_related("account")
            .order_by("created_at", "pk")
        )
    )


def inbox_materialise(account: SandboxAccount, now: datetime | None = None) -> None:
    """The mentions and direct messages of a lively audience that are due by ``now``.
    Deterministic ids: concurrent fetches insert each once (the unique id absorbs the
    second insert)."""
    if not account.lively:
        return
    now = now or timezone.now()
    due = simulation.inbox_schedule(account.handle, account.created_at, now)
    existing = set(
        SandboxMessage.objects.filter(remote_id__in=[m.remote_id for m in due]).values_list(
            "remote_id", flat=True
        )
    )
    SandboxMessage.objects.bulk_create(
        [
            SandboxMessage(
                account=account,
                kind=message.kind,
                remote_id=message.remote_id,
                author_name=message.author_name,
                author_id=message.author_id,
                text=message.text,
                created_at=message.at,
            )
            for message in due
            if message.remote_id not in existing
        ],
        ignore_conflicts=True,
    )


def read_request_received(account: SandboxAccount) -> None:
    """Reads (comments, mentions, messages) fail as injected: after ``read_fail_after``
    more good answers, while ``read_fail_remaining`` lasts."""
    if _consume(account, "read_fail_after"):
        return
    if _consume(account, "read_fail_remaining"):
        _raise_injected(account)


def _clean_comment_text(payload: Any) -> str:
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise SandboxApiError(422, "empty_reply", _("The reply needs a text."))
    _reject_nul(text, "text")
    _refuse_too_long(grapheme_count(text))
    return text


@dataclass(frozen=True)
class ReplyOutcome:
    reply: SandboxComment
    created: bool
    # Seconds the view waits before answering: the injected "accepted, then timed out".
    delay_seconds: float = 0.0


def comment_reply(
    account: SandboxAccount, remote_id: str, payload: Any, *, idempotency_key: str = ""
) -> ReplyOutcome:
    """Reply to a comment as the account, or return the reply made earlier with the same
    Idempotency-Key (as ``post_publish`` does for posts: the insert of a replay fails on
    the unique key and turns into the lookup of the first reply). Injected failures and
    the "accepted, then timed out" fault apply as to posts."""
    post_request_received(account)
    idempotency_key = _clean_idempotency_key(idempotency_key)
    parent = selectors.comment_get(account, remote_id)
    existing = selectors.reply_for_idempotency_key(parent, idempotency_key)
    if existing is not None:
        return _reply_accepted(account, _reply_replayed(account, existing))
    text = _clean_comment_text(payload)
    reply = SandboxComment(
        post=parent.post,
        parent=parent,
        remote_id=_new_id("r"),
        author_name=account.display_name,
        author_id=str(account.pk),
        text=text,
        by_account=True,
        idempotency_key=idempotency_key,
    )
    try:
        # A savepoint only where a failing insert would abort a caller's transaction.
        in_outer = bool(idempotency_key) and transaction.get_connection().in_atomic_block
        with transaction.atomic() if in_outer else nullcontext():
            reply.save(force_insert=True)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its reply.
        existing = selectors.reply_for_idempotency_key(parent, idempotency_key)
        if existing is None:
            raise
        return _reply_accepted(account, _reply_replayed(account, existing))
    created = SandboxComment.objects.select_related("post", "parent").get(pk=reply.pk)
    return _reply_accepted(account, ReplyOutcome(reply=created, created=True))


def _reply_replayed(account: SandboxAccount, reply: SandboxComment) -> ReplyOutcome:
    SandboxAccount.objects.filter(pk=account.pk).update(
        idempotent_replays=F("idempotent_replays") + 1
    )
    return ReplyOutcome(reply=reply, created=False)


def _reply_accepted(account: SandboxAccount, outcome: ReplyOutcome) -> ReplyOutcome:
    """The reply is committed; if a timeout is injected the answer comes too late."""
    if _consume(account, "timeout_after_accept_remaining"):
        return replace(outcome, delay_seconds=account.timeout_after_accept_seconds)
    return outcome


def comment_set_hidden(account: SandboxAccount, remote_id: str, *, hidden: bool) -> SandboxComment:
    """Hide or show a comment (idempotent); injected failures apply as to other writes, so
    that moderation actions can be tried against a failing platform."""
    write_request_received(account)
    comment = selectors.comment_get(account, remote_id)
    SandboxComment.objects.filter(pk=comment.pk).update(hidden=hidden, changed_at=timezone.now())
    comment.hidden = hidden
    return comment


def comment_delete(account: SandboxAccount, remote_id: str) -> None:
    write_request_received(account)
    comment = selectors.comment_get(account, remote_id)
    now = timezone.now()
    SandboxComment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
        deleted_at=now, changed_at=now
    )


# --- Blocking authors ----------------------------------------------------------------------


def _author_id(author_id: str) -> str:
    author_id = author_id.strip()
    _reject_nul(author_id, "id")
    if not author_id or len(author_id) > 100:
        raise SandboxApiError(404, "not_found", _("There is no such account."))
    return author_id


def author_block(account: SandboxAccount, author_id: str) -> None:
    """Block an author from the account; blocking twice keeps the first block (and its
    time). Injected faults apply."""
    write_request_received(account)
    SandboxBlock.objects.get_or_create(account=account, author_id=_author_id(author_id))


def author_unblock(account: SandboxAccount, author_id: str) -> None:
    """Lift a block; unblocking an author not blocked succeeds. Comments hidden while the
    author was blocked stay hidden (as on the real platforms)."""
    write_request_received(account)
    SandboxBlock.objects.filter(account=account, author_id=_author_id(author_id)).delete()


# --- Fault injection control -----------------------------------------------------------------


def _non_negative(payload: dict[str, Any], key: str, *, number: type = int) -> Any:
    value = payload[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SandboxApiError(
            400, "invalid_request", _("“%(key)s” must be a number ≥ 0.") % {"key": key}
        )
    if number is int and value != int(value):
        raise SandboxApiError(
            400, "invalid_request", _("“%(key)s” must be a whole number.") % {"key": key}
        )
    return number(value)


def control_update(account: SandboxAccount, payload: Any) -> SandboxAccount:
    """Set the faults of one account; only the keys given change. ``reset`` clears all."""
    if not isinstance(payload, dict):
        raise SandboxApiError(400, "invalid_request", _("The body must be a JSON object."))
    changes: dict[str, Any] = {}
    if payload.get("reset"):
        changes.update(
            latency_ms=0,
            fail_status=None,
            fail_remaining=0,
            retry_after_seconds=1,
            timeout_after_accept_remaining=0,
            timeout_after_accept_seconds=35.0,
            read_fail_after=0,
            read_fail_remaining=0,
        )
    if "latency_ms" in payload:
        changes["latency_ms"] = _non_negative(payload, "latency_ms")
    if "fail_status" in payload:
        status = payload["fail_status"]
        if status is not None and status not in INJECTABLE_STATUSES:
            raise SandboxApiError(
                400,
                "invalid_request",
                _("“fail_status” must be one of 429, 500, 502, 503."),
            )
        changes["fail_status"] = status
    if "fail_count" in payload:
        changes["fail_remaining"] = _non_negative(payload, "fail_count")
    if "read_fail_after" in payload:
        changes["read_fail_after"] = _non_negative(payload, "read_fail_after")
    if "read_fail_count" in payload:
        changes["read_fail_remaining"] = _non_negative(payload, "read_fail_count")
    if "lively" in payload:
        if not isinstance(payload["lively"], bool):
            raise SandboxApiError(400, "invalid_request", _("“lively” must be true or false."))
        changes["lively"] = payload["lively"]
    if "retry_after_seconds" in payload:
        changes["retry_after_seconds"] = _non_negative(payload, "retry_after_seconds")
    if "timeout_after_accept_count" in payload:
        changes["timeout_after_accept_remaining"] = _non_negative(
            payload, "timeout_after_accept_count"
        )
    if "timeout_after_accept_seconds" in payload:
        changes["timeout_after_accept_seconds"] = _non_negative(
            payload, "timeout_after_accept_seconds", number=float
        )
    if payload.get("expire_token"):
        past = timezone.now() - timedelta(seconds=1)
        changes.update(token_expires_at=past)
        if account.previous_token_digest:
            changes.update(previous_token_expires_at=past)
    if changes:
        SandboxAccount.objects.filter(pk=account.pk).update(**changes)
    account.refresh_from_db()
    return account
