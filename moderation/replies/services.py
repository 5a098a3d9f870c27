"""Writing, approving and sending again replies; saved replies (Textbausteine). All audited.

A reply's way: (awaiting approval →) queued → sending → sent, or failed (with a reason,
sent again by a person with the same idempotency key) or needs check (perhaps out at a
platform that cannot be asked: a person looks and says whether it is there). A rejected
reply keeps its text. The sending itself is ``moderation.replies.sending``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.notifications import notify
from accounts.updates import editable_fields_check
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.services import adapter_offline
from channels_app.services import platform_capabilities
from moderation.common.permissions import units_for_moderating
from moderation.common.selectors import moderation_settings_for
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.permissions import user_may_approve_reply
from moderation.replies.permissions import user_may_change_saved_reply
from moderation.replies.permissions import user_may_write_reply
from moderation.replies.selectors import saved_replies_starter
from moderation.replies.texts import FORMAL_REQUEST_CODES
from moderation.replies.texts import FORMAL_REQUEST_PREFIX
from moderation.replies.texts import check_placeholders

R = Reply.Status

# The one place the reply's status machine is written down.
TRANSITIONS: dict[str, frozenset[str]] = {
    R.AWAITING_APPROVAL: frozenset({R.QUEUED, R.REJECTED}),
    R.QUEUED: frozenset({R.SENDING}),
    R.SENDING: frozenset({R.SENT, R.QUEUED, R.FAILED, R.NEEDS_CHECK}),
    R.FAILED: frozenset({R.QUEUED}),
    R.NEEDS_CHECK: frozenset({R.SENT, R.QUEUED}),
    R.SENT: frozenset(),
    R.REJECTED: frozenset(),
}


class ReplyTransitionError(DomainError):
    code = ErrorCode.INVALID_TRANSITION


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise ReplyTransitionError(
            _("A reply cannot go from “%(current)s” to “%(target)s”.")
            % {"current": R(current).label, "target": R(target).label}
        )


def reply_snapshot(reply: Reply) -> dict[str, Any]:
    """The reply for an audit entry. Not its text: a reply may name the citizen (a saved
    reply's {name}), the audit log is never erased, and retention pseudonymises the reply
    itself; the text's hash and length stand for it (the reply's id is the target)."""
    snapshot = audit_snapshot(reply, "item", "status", "saved_reply", "attempts")
    snapshot["text_sha256"] = hashlib.sha256(reply.text.encode()).hexdigest()
    snapshot["text_length"] = len(reply.text)
    return snapshot


def _audit(
    action: str,
    reply: Reply,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    before: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> None:
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=reply,
        unit=reply.item.channel.unit,
        before=before,
        after=reply_snapshot(reply),
        data={"item": reply.item_id, "channel": reply.item.channel_id, **(data or {})},
        actor_label=actor_label,
    )


# --- Text checks ------------------------------------------------------------------------------


def reply_text_problems(item: InboxItem, text: str) -> list[str]:
    """What the platform would refuse about ``text`` as a reply on the item's channel,
    counted as the platform counts (its adapter's validation)."""
    if not text.strip():
        return [_("Write a reply first.")]
    if not platform_capabilities(item.channel.platform).reply:
        return [
            _("Replies cannot be sent on %(channel)s: the platform's API does not allow it.")
            % {"channel": item.channel.name}
        ]
    adapter = adapter_offline(item.channel)
    return [
        problem.message
        for problem in adapter.validate(PostContent(text=text))
        if problem.severity == ProblemSeverity.ERROR and problem.field == "text"
    ]


def reply_text_length(item: InboxItem, text: str) -> tuple[int, int | None]:
    """(length as the platform counts it, the platform's limit or None)."""
    adapter = adapter_offline(item.channel)
    return adapter.text_length(PostContent(text=text)), adapter.capabilities.max_text_length


def _check_text(item: InboxItem, text: str) -> None:
    problems = reply_text_problems(item, text)
    if problems:
        raise ValidationError({"text": problems})


# --- Queueing -----------------------------------------------------------------------------------


def _queue(reply: Reply) -> None:
    """Mark the reply queued now and send its task once the transaction is committed (a
    task sent before would find nothing; a lost message is queued again by the sweeper)."""
    from moderation.replies.tasks import send_reply

    reply.queued_at = timezone.now()
    # Read at commit: a new reply has its primary key by then.
    transaction.on_commit(lambda: send_reply.delay(reply.pk))


def _community_managers(item: InboxItem, *, exclude: User) -> list[User]:
    unit = item.channel.unit
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__unit_id__in=unit.ancestor_ids,
            role_assignments__role=Role.COMMUNITY_MANAGER,
        )
        .exclude(pk=exclude.pk)
        .distinct()
    )


# --- Writing and deciding -----------------------------------------------------------------------


@transaction.atomic
def reply_create(
    *,
    actor: User,
    item: InboxItem,
    text: str,
    saved_reply: SavedReply | None = None,
    request: HttpRequest | None = None,
) -> Reply:
    """Write a reply to ``item``: sent on commit, or first approved by another community
    manager where the unit's settings ask for four eyes."""
    if not user_may_write_reply(actor, item):
        raise PermissionDenied(_("Only community managers of the channel may reply."))
    item = InboxItem.objects.select_related("channel", "channel__unit", "author").get(pk=item.pk)
    _check_text(item, text)
    if saved_reply is not None and (
        saved_reply.unit_id not in item.channel.unit.ancestor_ids
        or saved_reply.owner_id not in (None, actor.pk)
    ):
        raise ValidationError({"saved_reply": _("This saved reply is not meant for this item.")})
    needs_approval = moderation_settings_for(item.channel.unit).replies_need_approval
    reply = Reply(
        item=item,
        author=actor,
        text=text,
        saved_reply=saved_reply,
        status=R.AWAITING_APPROVAL if needs_approval else R.QUEUED,
    )
    reply.full_clean()
    if not needs_approval:
        _queue(reply)
    reply.save()
    _audit(
        "moderation.replies.created",
        reply,
        actor=actor,
        request=request,
        data={"needs_approval": needs_approval},
    )
    if needs_approval:
        # The reply's page, not its text: a reply may carry the citizen's name ({name}),
        # and notifications are kept while retention pseudonymises replies.
        notify(
            recipients=_community_managers(item, exclude=actor),
            kind="moderation.reply_approval_requested",
            context={
                "author": str(actor),
                "channel": item.channel.name,
            },
            link=f"/moderation/replies/{reply.pk}/",
            unit=item.channel.unit,
        )
    return reply


def _locked(reply: Reply) -> Reply:
    return (
        Reply.objects.select_for_update(of=("self",))
        .select_related("item", "item__channel", "item__channel__unit")
        .get(pk=reply.pk)
    )


@transaction.atomic
def reply_approve(*, actor: User, reply: Reply, request: HttpRequest | None = None) -> Reply:
    """Four eyes: another community manager of the channel lets the reply go out."""
    reply = _locked(reply)
    if not user_may_approve_reply(actor, reply):
        raise PermissionDenied(
            _("A reply needs the approval of another community manager, not of its author.")
        )
    check_transition(reply.status, R.QUEUED)
    before = reply_snapshot(reply)
    reply.status = R.QUEUED
    reply.approved_by = actor
    reply.approved_at = timezone.now()
    _queue(reply)
    reply.save(update_fields=["status", "approved_by", "approved_at", "queued_at"])
    _audit("moderation.replies.approved", reply, actor=actor, request=request, before=before)
    return reply


@transaction.atomic
def reply_reject(
    *, actor: User, reply: Reply, reason: str, request: HttpRequest | None = None
) -> Reply:
    """Send back with a reason; the text is kept (the author may write it anew)."""
    reply = _locked(reply)
    if not user_may_approve_reply(actor, reply):
        raise PermissionDenied(
            _("A reply is decided on by another community manager, not by its author.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reply should not be sent.")})
    check_transition(reply.status, R.REJECTED)
    before = reply_snapshot(reply)
    reply.status = R.REJECTED
    reply.rejected_by = actor
    reply.rejected_at = timezone.now()
    reply.rejection_reason = reason
    reply.full_clean()
    reply.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
    _audit(
        "moderation.replies.rejected",
        reply,
        actor=actor,
        request=request,
        before=before,
        data={"reason": reason},
    )
    notify(
        recipients=[reply.author],
        kind="moderation.reply_rejected",
        context={
            "rejected_by": str(actor),
            "channel": reply.item.channel.name,
            "reason": reason,
        },
        link=f"/moderation/replies/{reply.pk}/",
        unit=reply.item.channel.unit,
    )
    return reply


@transaction.atomic
def reply_retry(*, actor: User, reply: Reply, request: HttpRequest | None = None) -> Reply:
    """Send a failed reply again, with the same idempotency key: should the platform have
    it after all, it cannot double."""
    reply = _locked(reply)
    if not user_may_write_reply(actor, reply.item):
        raise PermissionDenied(_("Only community managers of the channel may send replies."))
    if reply.status != R.FAILED:
        raise ReplyTransitionError(_("Only a reply that failed can be sent again."))
    _check_text(reply.item, reply.text)
    before = reply_snapshot(reply)
    _requeue(reply)
    _audit("moderation.replies.retried", reply, actor=actor, request=request, before=before)
    return reply


def _requeue(reply: Reply) -> None:
    check_transition(reply.status, R.QUEUED)
    reply.status = R.QUEUED
    reply.attempts = 0
    reply.next_attempt_at = None
    reply.claimed_at = None
    _queue(reply)
    reply.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at", "queued_at"])


@transaction.atomic
def reply_resolve(
    *,
    actor: User,
    reply: Reply,
    found: bool,
    remote_url: str = "",
    request: HttpRequest | None = None,
) -> Reply:
    """After "needs check": a person looked at the platform. ``found``: the reply is there
    (sent; its address if known). Not found: it is sent again."""
    reply = _locked(reply)
    if not user_may_write_reply(actor, reply.item):
        raise PermissionDenied(_("Only community managers of the channel may send replies."))
    if reply.status != R.NEEDS_CHECK:
        raise ReplyTransitionError(_("Only a reply whose sending is unclear can be checked."))
    before = reply_snapshot(reply)
    if not found:
        _requeue(reply)
        _audit(
            "moderation.replies.retried",
            reply,
            actor=actor,
            request=request,
            before=before,
            data={"checked": True},
        )
        return reply
    from moderation.replies.sending import reply_mark_sent

    return reply_mark_sent(reply, remote_url=remote_url, actor=actor, request=request)


# --- Saved replies -----------------------------------------------------------------------------


def _saved_snapshot(saved: SavedReply) -> dict[str, Any]:
    return audit_snapshot(saved, "unit", "owner", "title", "text", "purpose")


def _check_purpose(purpose: str, owner: User | None) -> None:
    if not purpose:
        return
    code = purpose.removeprefix(FORMAL_REQUEST_PREFIX)
    if not purpose.startswith(FORMAL_REQUEST_PREFIX) or code not in FORMAL_REQUEST_CODES:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    if owner is not None:
        raise ValidationError(
            {"purpose": _("A standard answer to formal requests must be shared with the unit.")}
        )


def _check_saved_unit(actor: User, unit: OrgUnit) -> None:
    if not units_for_moderating(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("Only community managers of the unit may keep saved replies."))


@transaction.atomic
def saved_reply_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    text: str,
    shared: bool,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> SavedReply:
    _check_saved_unit(actor, unit)
    owner = None if shared else actor
    check_placeholders(text)
    _check_purpose(purpose, owner)
    return save_audited(
        SavedReply(unit=unit, owner=owner, title=title.strip(), text=text, purpose=purpose),
        action="moderation.replies.saved_reply_created",
        actor=actor,
        request=request,
        unit=unit,
        after=_saved_snapshot,
    )


@transaction.atomic
def saved_reply_update(
    *,
    actor: User,
    saved: SavedReply,
    request: HttpRequest | None = None,
    **fields: Any,
) -> SavedReply:
    """Change ``title``, ``text``, ``unit``, ``shared`` or ``purpose``."""
    editable_fields_check(fields, {"title", "text", "unit", "shared", "purpose"})
    saved = SavedReply.objects.select_for_update().get(pk=saved.pk)
    if not user_may_change_saved_reply(actor, saved):
        raise PermissionDenied(_("You may not change this saved reply."))
    before = _saved_snapshot(saved)
    if "unit" in fields:
        _check_saved_unit(actor, fields["unit"])
        saved.unit = fields["unit"]
    if "shared" in fields:
        saved.owner = None if fields["shared"] else actor
    if "title" in fields:
        saved.title = fields["title"].strip()
    if "text" in fields:
        saved.text = fields["text"]
    if "purpose" in fields:
        saved.purpose = fields["purpose"]
    check_placeholders(saved.text)
    _check_purpose(saved.purpose, saved.owner)
    saved.updated_at = timezone.now()
    saved.full_clean()
    saved.save()
    after = _saved_snapshot(saved)
    if after != before:
        audit_about(
            saved,
            "moderation.replies.saved_reply_updated",
            actor=actor,
            request=request,
            before=before,
            after=after,
        )
    return saved


@transaction.atomic
def saved_reply_delete(
    *, actor: User, saved: SavedReply, request: HttpRequest | None = None
) -> None:
    saved = SavedReply.objects.select_for_update().select_related("unit").get(pk=saved.pk)
    if not user_may_change_saved_reply(actor, saved):
        raise PermissionDenied(_("You may not delete this saved reply."))
    audit_about(
        saved,
        "moderation.replies.saved_reply_deleted",
        actor=actor,
        request=request,
        before=_saved_snapshot(saved),
    )
    saved.delete()


@transaction.atomic
def saved_replies_practice_seed(sender: Any, unit: OrgUnit, **kwargs: Any) -> list[SavedReply]:
    """A practice space starts with the starter library's saved replies, shared with the
    space, so that a beginner answers with one at once (receiver of
    ``accounts.practice.events.practice_space_opened``). Written by the system: it ticks
    nothing on anyone's checklist. A title the space already has is left as it is (changed
    or not); never for a real unit."""
    if not unit.is_practice:
        raise PermissionDenied
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    starter = saved_replies_starter()
    existing = set(SavedReply.objects.filter(unit=unit).values_list("title", flat=True))
    return [
        save_audited(
            SavedReply(unit=unit, title=item["title"], text=item["text"]),
            action="moderation.replies.saved_reply_created",
            actor=None,
            request=None,
            unit=unit,
            after=_saved_snapshot,
            data={"starter": starter.key, "starter_version": starter.version},
            actor_label="system",
        )
        for item in starter.items
        if item["title"] not in existing
    ]
