"""Reads of the moderation actions: an item's decisions, what may be decided on it now
(and why not), and the actions waiting for their platform call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.errors import ErrorCode
from accounts.models import User
from channels_app.services import platform_author_blocking
from channels_app.services import platform_capabilities
from channels_app.services import platform_comment_moderation
from moderation.actions.proportionality import EXPLANATIONS
from moderation.actions.proportionality import LADDER
from moderation.actions.proportionality import NEEDS_RULE
from moderation.actions.proportionality import NEEDS_WHY_NOT_MILDER
from moderation.actions.proportionality import REVERSALS
from moderation.actions.proportionality import WHY_NOT_MILDER_QUESTION
from moderation.common.permissions import channels_for_reading
from moderation.models import BlockEntry
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from moderation.netiquette.selectors import current_rules_for

K = ModerationAction.Kind
S = ModerationAction.Status
# A claimed call not finished after this long: its worker died, the sweeper claims it again
# (every platform call of an action is idempotent at the platform).
CLAIM_TIMEOUT = timedelta(minutes=10)


def actions_for_user(user: User) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(
        item__channel__in=channels_for_reading(user)
    ).select_related("rule__netiquette", "actor", "evidence", "item")


def actions_for_item(item: InboxItem) -> QuerySet[ModerationAction]:
    return (
        ModerationAction.objects.filter(item=item)
        .select_related("rule__netiquette", "actor", "evidence")
        .order_by("-created_at", "-id")
    )


def rules_for_item(item: InboxItem) -> QuerySet[NetiquetteRule]:
    """The rules a decision on the item may cite: the version that applies now to the
    unit of the item's channel (its own Netiquette or the nearest ancestor's)."""
    return current_rules_for(item.channel.unit)


@dataclass(frozen=True)
class KindOption:
    kind: str
    label: str
    explanation: str
    available: bool
    # Why not, for the form and for the service's refusal.
    reason: str = ""
    code: ErrorCode = ErrorCode.INVALID
    needs_rule: bool = False
    why_not_milder: str = ""  # the question to answer, where one must


def _block_possible_by_api(platform: str) -> bool:
    return platform_author_blocking(platform).block


def action_options(item: InboxItem, *, has_rules: bool | None = None) -> list[KindOption]:
    """Every kind, in the graduated order, with whether it can be chosen for the item now.
    A kind the platform's API does not offer says so before anyone chooses it."""
    platform = item.channel.platform
    moderation = platform_comment_moderation(platform)
    capabilities = platform_capabilities(platform)
    if has_rules is None:
        has_rules = rules_for_item(item).exists()
    pending = set(
        ModerationAction.objects.filter(item=item, status=S.PENDING).values_list("kind", flat=True)
    )
    comment = item.kind == InboxItem.Kind.COMMENT
    blocked = BlockEntry.objects.filter(
        channel_id=item.channel_id, author_id=item.author_id, status=BlockEntry.Status.ACTIVE
    ).exists()
    deleted = item.remote_deleted_at is not None
    unsupported = _("Not possible on this platform.")
    only_comments = _("Only possible for comments under our posts.")

    def refusal(kind: str) -> tuple[str, ErrorCode]:
        if kind in NEEDS_RULE and not has_rules:
            return _(
                "No Netiquette applies to this unit yet: publish one first."
            ), ErrorCode.RULE_REQUIRED
        if kind in pending:
            return _("An action of this kind is already being carried out."), ErrorCode.CONFLICT
        if kind == K.BLOCK and blocked:
            return _("The author is already blocked on this channel."), ErrorCode.CONFLICT
        if kind == K.REPLY_CITING_RULE:
            if not capabilities.reply:
                return unsupported, ErrorCode.NOT_SUPPORTED_BY_PLATFORM
            if deleted:
                return _("The comment no longer exists."), ErrorCode.INVALID_TRANSITION
        if kind in (K.HIDE, K.UNHIDE, K.DELETE, K.COMMENTS_OFF) and not comment:
            return only_comments, ErrorCode.NOT_SUPPORTED_BY_PLATFORM
        if kind == K.HIDE:
            if not moderation.hide:
                return unsupported, ErrorCode.NOT_SUPPORTED_BY_PLATFORM
            if deleted or item.remote_hidden:
                return _("The comment is already hidden or deleted."), ErrorCode.INVALID_TRANSITION
        if kind == K.UNHIDE:
            if not moderation.unhide:
                return unsupported, ErrorCode.NOT_SUPPORTED_BY_PLATFORM
            if deleted or not item.remote_hidden:
                return _("The comment is not hidden."), ErrorCode.INVALID_TRANSITION
        if kind == K.DELETE:
            if not moderation.delete:
                return unsupported, ErrorCode.NOT_SUPPORTED_BY_PLATFORM
            if deleted:
                return _("The comment is already deleted."), ErrorCode.INVALID_TRANSITION
        if kind == K.COMMENTS_OFF:
            if not moderation.disable_comments:
                return unsupported, ErrorCode.NOT_SUPPORTED_BY_PLATFORM
            if not item.post_remote_id:
                return _("The comment is not under one of our posts."), ErrorCode.INVALID_TRANSITION
        return "", ErrorCode.INVALID

    options = []
    for kind in (*LADDER, *REVERSALS):
        reason, code = refusal(kind)
        explanation = str(EXPLANATIONS[kind])
        if kind == K.BLOCK and not _block_possible_by_api(platform):
            explanation += " " + _(
                "This platform offers no block in its API: it is recorded in the block"
                " register and done by hand."
            )
        options.append(
            KindOption(
                kind=kind,
                label=str(K(kind).label),
                explanation=explanation,
                available=not reason,
                reason=reason,
                code=code,
                needs_rule=kind in NEEDS_RULE,
                why_not_milder=str(WHY_NOT_MILDER_QUESTION.get(kind, ""))
                if kind in NEEDS_WHY_NOT_MILDER
                else "",
            )
        )
    return options


def actions_due(now: datetime) -> QuerySet[ModerationAction]:
    """Actions waiting for their platform call whose time has come: a transient failure's
    retry, or a first attempt whose task message was lost (or whose worker died)."""
    return ModerationAction.objects.filter(status=S.PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_TIMEOUT)
    )
