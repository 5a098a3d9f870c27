"""Models of the built-in sandbox platform (app label ``sandbox``).

A small social network served by Sprachrohr itself, reached over HTTP through the same adapter
code path as the real platforms. The models lived in ``channels_app`` until
``channels_app.0004_move_sandbox_models`` / ``sandbox.0001_initial``; their tables kept the old
names (``db_table``), so existing installations keep their sandbox data.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SandboxAccount(models.Model):
    handle = models.SlugField(max_length=100, unique=True)
    display_name = models.CharField(max_length=200)
    token_digest = models.CharField(max_length=64, unique=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    followers_base = models.PositiveIntegerField(default=1000)
    created_at = models.DateTimeField(default=timezone.now)
    # Fault injection, set through the control API or the channel page.
    latency_ms = models.PositiveIntegerField(default=0)
    fail_status = models.PositiveSmallIntegerField(null=True, blank=True)
    fail_remaining = models.PositiveIntegerField(default=0)
    retry_after_seconds = models.PositiveIntegerField(default=1)
    timeout_after_accept_remaining = models.PositiveIntegerField(default=0)
    # Longer than the adapters' 30 s read timeout, so that the client really gives up.
    timeout_after_accept_seconds = models.FloatField(default=35.0)
    # The access token replaced by the last grant stays valid until its own expiry, so that
    # a worker still holding it is not thrown out by another worker's refresh.
    previous_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    previous_token_expires_at = models.DateTimeField(null=True, blank=True)
    # Rotating refresh tokens: the one used last stays valid until its successor is used,
    # so a client that lost the answer of a refresh is not locked out.
    refresh_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    previous_refresh_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # Counters for the fault tests (``/_control/<handle>/stats``).
    posts_received = models.PositiveIntegerField(default=0)
    idempotent_replays = models.PositiveIntegerField(default=0)
    # A lively audience also mentions the account, writes direct messages and edits and
    # deletes some of its comments (demos, ingestion tests). Off by default, so that a
    # post's comments stay exactly its schedule.
    lively = models.BooleanField(default=False)
    # Fault injection for reading (comments, mentions, messages): after
    # ``read_fail_after`` more good answers, ``read_fail_remaining`` failures follow.
    read_fail_after = models.PositiveIntegerField(default=0)
    read_fail_remaining = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "channels_app_sandboxaccount"

    def __str__(self) -> str:
        return self.handle


class SandboxPost(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="posts")
    remote_id = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set once every simulated comment of the post exists: later fetches skip the post.
    comments_complete = models.BooleanField(default=False)
    # Comments switched off by the account (a moderation action): no new comments after it.
    comments_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "channels_app_sandboxpost"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_sandbox_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.remote_id


class SandboxMedia(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="media")
    post = models.ForeignKey(
        SandboxPost, null=True, blank=True, on_delete=models.CASCADE, related_name="media"
    )
    remote_id = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to="sandbox/")
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    alt_text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "channels_app_sandboxmedia"

    def __str__(self) -> str:
        return self.remote_id


class SandboxComment(models.Model):
    post = models.ForeignKey(SandboxPost, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    remote_id = models.CharField(max_length=40, unique=True)
    author_name = models.CharField(max_length=200)
    author_id = models.CharField(max_length=100)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    hidden = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    by_account = models.BooleanField(default=False)  # a reply of the authority itself
    edited_at = models.DateTimeField(null=True, blank=True)
    # When the comment last changed (created, edited, hidden, shown, deleted): the order of
    # the change feed (``GET /comments?changes=1``), which lets a poller see edits too.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The Idempotency-Key of the reply request that made it: a repeated key gets this reply.
    idempotency_key = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "channels_app_sandboxcomment"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_sandbox_reply_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.remote_id


class SandboxBlock(models.Model):
    """An author the account blocked: their comments written from then on arrive hidden
    (the sandbox, like Facebook, keeps a blocked person's later comments off the page)."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="blocks")
    author_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "author_id"], name="unique_sandbox_block"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} blocks {self.author_id}"


class SandboxMessage(models.Model):
    """A mention of the account in a citizen's own post, or a direct message to it."""

    class Kind(models.TextChoices):
        MENTION = "mention"
        MESSAGE = "message"

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="inbox")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    remote_id = models.CharField(max_length=80, unique=True)
    author_name = models.CharField(max_length=200)
    author_id = models.CharField(max_length=100)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.remote_id
