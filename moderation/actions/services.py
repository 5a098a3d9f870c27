"""Writes of the moderation actions: decide on an item (``action_take``), carry a decision
out at the platform (``action_carry_out``, run by the task), retry a failed one.

Order of events for a hide, a delete or a block: the evidence record, the decision and its
audit entry are committed together; only then does the platform call run (in the task
``carry_out_action``, queued on commit; a block through the block register). A failed call
leaves the decision and the evidence as they are: the action is FAILED with the platform's
reason, the item unchanged, and it can be retried without securing evidence again. The
graduated order and what each kind needs: ``moderation.actions.proportionality``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.errors import ConflictError
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.models import User
from accounts.notifications import notify
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.services import channel_disable_comments
from channels_app.services import channel_moderate_comment
from moderation.actions.permissions import user_may_act
from moderation.actions.proportionality import MIN_REASON
from moderation.actions.proportionality import NEEDS_EVIDENCE
from moderation.actions.proportionality import NEEDS_RULE
from moderation.actions.proportionality import NEEDS_WHY_NOT_MILDER
from moderation.actions.proportionality import PLATFORM_CALLS
from moderation.actions.selectors import CLAIM_TIMEOUT
from moderation.actions.selectors import action_options
from moderation.actions.selectors import rules_for_item
from moderation.blocks.services import block_create
from moderation.common.remote import remote_comment_of
from moderation.evidence.services import evidence_record
from moderation.inbox.services import inbox_item_set_status
from moderation.inbox.status import ACTIVE
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from moderation.netiquette.selectors import public_netiquette_path
from moderation.replies.services import reply_create

K = ModerationAction.Kind
S = ModerationAction.Status

MAX_ATTEMPTS = 6
# A task message lost between commit and worker: the sweeper starts the call after this.
LOST_MESSAGE_GRACE = timedelta(minutes=2)


class ActionRefusedError(DomainError):
    """A decision the rules of lawful moderation refuse (stable ``code``)."""


def _refuse(message: str, code: ErrorCode) -> ActionRefusedError:
    return ActionRefusedError(message, code=code)


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    seconds = min(60 * 2 ** max(attempts - 1, 0), 3600)
    if retry_after:
        seconds = max(seconds, int(retry_after))
    return timedelta(seconds=seconds)


def _action_snapshot(action: ModerationAction) -> dict[str, Any]:
    rule = action.rule
    return {
        "kind": action.kind,
        "rule": rule.pk if rule else None,
        "rule_cited": f"§ {rule.number} {rule.title}" if rule else None,
        "netiquette": rule.netiquette_id if rule else None,
        "netiquette_version": rule.netiquette.version if rule else None,
        "justification": action.justification,
        "why_not_milder": action.why_not_milder,
        "evidence": action.evidence_id,
        "status": action.status,
        "details": action.details,
    }


def _item_snapshot(item: InboxItem) -> dict[str, Any]:
    return {
        "remote_hidden": item.remote_hidden,
        "remote_deleted_at": item.remote_deleted_at.isoformat() if item.remote_deleted_at else None,
    }


def rule_citation(rule: NetiquetteRule) -> str:
    """How a decision names its rule for the public: "§ 3 Respektvoller Umgang" and the
    address of the cited version."""
    netiquette = rule.netiquette
    link = settings.SITE_URL + public_netiquette_path(netiquette.unit_id, netiquette.version)
    return f"§ {rule.number} {rule.title} ({link})"


def citing_reply_text(rule: NetiquetteRule, text: str = "") -> str:
    """The reply's text: what staff wrote, with the rule cited ("§ n title" and the public
    Netiquette link) where they did not cite it themselves."""
    text = text.strip()
    citation = rule_citation(rule)
    if not text:
        return _(
            "Please keep to our Netiquette: %(rule)s. Comments that break it may be hidden."
        ) % {"rule": citation}
    if f"§ {rule.number}" in text and "/netiquette/" in text:
        return text
    return f"{text}\n\n{_('Netiquette')}: {citation}"


@dataclass(frozen=True)
class Decision:
    kind: str
    rule: NetiquetteRule | None
    justification: str
    why_not_milder: str


def _check(
    actor: User,
    item: InboxItem,
    kind: str,
    rule: NetiquetteRule | None,
    justification: str,
    why_not_milder: str,
) -> Decision:
    if kind not in K.values:
        raise _refuse(_("Unknown kind of action."), ErrorCode.INVALID)
    justification = justification.strip()
    why_not_milder = why_not_milder.strip()
    if not justification:
        raise _refuse(
            _("Give a short justification: what was written and why this action follows."),
            ErrorCode.JUSTIFICATION_REQUIRED,
        )
    if kind in NEEDS_RULE:
        if rule is None:
            raise _refuse(
                _(
                    "Choose the Netiquette rule this action rests on. Without a published rule"
                    " nothing may be removed from an authority's page."
                ),
                ErrorCode.RULE_REQUIRED,
            )
        if not rules_for_item(item).filter(pk=rule.pk).exists():
            raise _refuse(
                _(
                    "This rule is not part of the Netiquette version that applies to this"
                    " channel now. Choose a rule of the current version."
                ),
                ErrorCode.RULE_REQUIRED,
            )
    elif kind == K.NO_ACTION:
        rule = None
    elif kind == K.UNHIDE:
        # Undoing a hide restricts nobody: it cites the rule of the hide it undoes.
        last_hide = (
            ModerationAction.objects.filter(item=item, kind=K.HIDE, status=S.DONE)
            .order_by("-created_at")
            .first()
        )
        rule = last_hide.rule if last_hide else None
    if kind in NEEDS_WHY_NOT_MILDER and len(why_not_milder) < MIN_REASON:
        raise _refuse(
            _(
                "Say why a milder action (hiding) is not enough: at least %(count)s"
                " characters. Hiding can be undone; this cannot, or affects more."
            )
            % {"count": MIN_REASON},
            ErrorCode.PROPORTIONALITY_UNCONFIRMED,
        )
    option = next(o for o in action_options(item) if o.kind == kind)
    if not option.available:
        if option.code == ErrorCode.CONFLICT:
            raise ConflictError(option.reason)
        raise _refuse(option.reason, option.code)
    return Decision(kind, rule, justification, why_not_milder)


@transaction.atomic
def action_take(
    *,
    actor: User,
    item: InboxItem,
    kind: str,
    rule: NetiquetteRule | None,
    justification: str,
    request: HttpRequest | None = None,
    why_not_milder: str = "",
    reply_text: str = "",
    review_due_on: date | None = None,
    evidence: EvidenceRecord | None = None,
) -> ModerationAction:
    """Decide on the item. Kind-specific arguments: ``why_not_milder`` (delete, block,
    comments off), ``reply_text`` (reply citing the rule; the citation is added),
    ``review_due_on`` and ``evidence`` (block: an existing record of the author on the
    channel instead of a new one). Evidence is secured first where the kind removes
    something; platform calls run after the commit. Every block goes through here, from
    the actions panel and from the block register alike."""
    if not user_may_act(actor, item):
        raise PermissionDenied(_("Only community managers of the channel may moderate."))
    if evidence is not None and kind != K.BLOCK:
        raise ValidationError(
            {"evidence": _("Only a block may rest on an evidence record made before.")}
        )
    item = (
        InboxItem.objects.select_for_update(of=("self",))
        .select_related("channel__unit", "author")
        .get(pk=item.pk)
    )
    decision = _check(actor, item, kind, rule, justification, why_not_milder)
    before = _item_snapshot(item)
    if evidence is None and kind in NEEDS_EVIDENCE:
        evidence = evidence_record(actor=actor, item=item, request=request)
    now = timezone.now()
    action = ModerationAction(
        item=item,
        kind=decision.kind,
        rule=decision.rule,
        justification=decision.justification,
        why_not_milder=decision.why_not_milder,
        evidence=evidence,
        actor=actor,
        created_at=now,
        status=S.PENDING if kind in PLATFORM_CALLS else S.DONE,
        next_attempt_at=now + LOST_MESSAGE_GRACE if kind in PLATFORM_CALLS else None,
        finished_at=None if kind in PLATFORM_CALLS else now,
    )
    action.full_clean()
    action.save()
    if kind == K.REPLY_CITING_RULE:
        assert decision.rule is not None
        reply = reply_create(
            actor=actor,
            item=item,
            text=citing_reply_text(decision.rule, reply_text),
            request=request,
        )
        action.details = {"reply": reply.pk}
    elif kind == K.BLOCK:
        block = block_create(decision=action, review_due_on=review_due_on, request=request)
        action.details = {"block": block.pk}
    if action.details:
        action.save(update_fields=["details"])
    if kind == K.NO_ACTION and item.status in ACTIVE:
        # "No action" is a decision: the item leaves the queue as settled.
        inbox_item_set_status(
            actor=actor, item=item, status=InboxItem.Status.NO_ACTION, request=request
        )
    _audit(
        action,
        "moderation.actions.decided",
        actor=actor,
        request=request,
        before=before,
        after=_action_snapshot(action),
        data={"item": item.pk},
    )
    if kind in PLATFORM_CALLS:
        _queue(action.pk)
    return action


def action_block(
    *,
    actor: User,
    item: InboxItem,
    rule: NetiquetteRule | None,
    justification: str,
    why_not_milder: str,
    review_due_on: date | None = None,
    evidence: EvidenceRecord | None = None,
    request: HttpRequest | None = None,
) -> BlockEntry:
    """Block the item's author from the block register: the same decision of kind block
    as in the actions panel (``action_take``, same rules and refusal codes); the new
    register entry."""
    action = action_take(
        actor=actor,
        item=item,
        kind=K.BLOCK,
        rule=rule,
        justification=justification,
        why_not_milder=why_not_milder,
        review_due_on=review_due_on,
        evidence=evidence,
        request=request,
    )
    return BlockEntry.objects.get(pk=action.details["block"])


def _audit(
    action: ModerationAction,
    name: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    **entry: Any,
) -> None:
    """Log ``name`` about the decision, filed under its channel's unit. Without an actor it
    is the platform call's outcome, which the worker records: labelled as Sprachrohr's."""
    audit_log(
        action=name,
        actor=actor,
        request=request,
        target=action,
        unit=action.item.channel.unit,
        actor_label="" if actor is not None else "Sprachrohr",
        **entry,
    )


def _queue(action_id: int) -> None:
    from moderation.actions.tasks import carry_out_action

    transaction.on_commit(lambda: carry_out_action.delay(action_id))


@transaction.atomic
def action_retry(
    *, actor: User, action: ModerationAction, request: HttpRequest | None = None
) -> ModerationAction:
    """Try a failed platform call again: same decision, same evidence record."""
    action = (
        ModerationAction.objects.select_for_update()
        .select_related("item__channel__unit")
        .get(pk=action.pk)
    )
    if not user_may_act(actor, action.item):
        raise PermissionDenied
    if action.status != S.FAILED or action.kind not in PLATFORM_CALLS:
        raise _refuse(
            _("Only a failed platform action can be retried."), ErrorCode.INVALID_TRANSITION
        )
    before = {"status": action.status, "last_error": action.last_error}
    action.status = S.PENDING
    action.attempts = 0
    action.claimed_at = None
    action.finished_at = None
    action.next_attempt_at = timezone.now() + LOST_MESSAGE_GRACE
    action.save(
        update_fields=["status", "attempts", "claimed_at", "finished_at", "next_attempt_at"]
    )
    _audit(
        action,
        "moderation.actions.retried",
        actor=actor,
        request=request,
        before=before,
        after={"status": action.status},
    )
    _queue(action.pk)
    return action


def _claim(action_id: int) -> bool:
    """Atomically take the call, so that two workers never run it at once."""
    now = timezone.now()
    fresh = ModerationAction.objects.filter(pk=action_id, status=S.PENDING).exclude(
        claimed_at__gt=now - CLAIM_TIMEOUT
    )
    return bool(fresh.update(claimed_at=now, attempts=F("attempts") + 1))


def _call_platform(action: ModerationAction) -> str:
    """The platform call; returns a note for the details ("" normally)."""
    item = action.item
    channel = item.channel
    if action.kind == K.COMMENTS_OFF:
        channel_disable_comments(channel, item.post_remote_id)
        return ""
    operation = {K.HIDE: "hide_comment", K.UNHIDE: "unhide_comment", K.DELETE: "delete_comment"}[
        K(action.kind)
    ]
    try:
        channel_moderate_comment(channel, operation, remote_comment_of(item))
    except RemoteNotFoundError:
        if action.kind != K.DELETE:
            raise
        # Deleting what is gone already reaches the goal of the decision.
        return "already_gone"
    return ""


def action_carry_out(action_id: int) -> str:
    """Run the action's platform call once (claimed), outside any transaction: ``done``,
    ``retry`` (transient failure, the sweeper tries again later), ``failed`` or
    ``skipped`` (not pending, or another worker has it)."""
    if not _claim(action_id):
        return "skipped"
    action = ModerationAction.objects.select_related(
        "item__channel__unit", "item__author", "rule__netiquette"
    ).get(pk=action_id)
    try:
        note = _call_platform(action)
    except TransientError as error:
        return _record_failure(action, error, transient=True)
    except PlatformError as error:
        return _record_failure(action, error, transient=False)
    _record_done(action, note)
    return "done"


@transaction.atomic
def _record_done(action: ModerationAction, note: str) -> None:
    now = timezone.now()
    item = InboxItem.objects.select_for_update().get(pk=action.item_id)
    before = _item_snapshot(item)
    if action.kind == K.HIDE:
        item.remote_hidden = True
    elif action.kind == K.UNHIDE:
        item.remote_hidden = False
    elif action.kind == K.DELETE and item.remote_deleted_at is None:
        item.remote_deleted_at = now
    item.updated_at = now
    item.save(update_fields=["remote_hidden", "remote_deleted_at", "updated_at"])
    details = {**action.details, **({"note": note} if note else {})}
    ModerationAction.objects.filter(pk=action.pk).update(
        status=S.DONE, finished_at=now, claimed_at=None, last_error="", details=details
    )
    _audit(
        action,
        "moderation.actions.done",
        actor=None,
        before=before,
        after={**_item_snapshot(item), "status": S.DONE},
        data={"kind": action.kind, "attempts": action.attempts, **details},
    )


@transaction.atomic
def _record_failure(action: ModerationAction, error: PlatformError, *, transient: bool) -> str:
    now = timezone.now()
    reason = error.message[:2000]
    if transient and action.attempts < MAX_ATTEMPTS:
        retry_after = getattr(error, "retry_after", None)
        ModerationAction.objects.filter(pk=action.pk).update(
            claimed_at=None,
            last_error=reason,
            next_attempt_at=now + _backoff(action.attempts, retry_after),
        )
        return "retry"
    ModerationAction.objects.filter(pk=action.pk).update(
        status=S.FAILED, claimed_at=None, finished_at=now, last_error=reason
    )
    _audit(
        action,
        "moderation.actions.failed",
        actor=None,
        after={"status": S.FAILED, "last_error": reason},
        data={"kind": action.kind, "attempts": action.attempts, "transient": transient},
    )
    notify(
        recipients=[action.actor],
        kind="moderation.action_failed",
        context={
            "kind": str(K(action.kind).label),
            "channel": action.item.channel.name,
            "reason": reason,
        },
        link=f"/moderation/actions/items/{action.item_id}/",
        unit=action.item.channel.unit,
    )
    return "failed"
