"""The graduated order of moderation actions and what each one needs.

An authority's page is a public facility bound by the fundamental rights (Art. 5 GG): an
intervention must rest on a published rule, be justified and proportionate, i.e. the
mildest action that is sufficient. The order, mildest first:

1. **No action**: a decision too: needs a justification, no rule.
2. **Reply citing the rule**: a public reminder of the rule; the comment stays.
3. **Hide**: the comment disappears for others, stays for its author and can be shown
   again; reversible.
4. **Delete**: irreversible.
5. **Block the author**: affects everything the person writes in future.
6. **Switch comments off for the post**: affects every citizen, not one comment.

**Rule of this product.** Every action except "no action" and "show again" needs a rule
of the Netiquette version that applies now to the item's unit, and a justification. A
*delete*, a *block* and *switching comments off* additionally need the answer to "why is
hiding not enough?" (``why_not_milder``, at least ``MIN_REASON`` characters): hiding is
reversible and usually sufficient, so whoever goes further must say why (e.g. a threat that
must not stay visible even to its author, repeated violations after hidden comments, a
storm of comments that cannot be moderated one by one). *Show again* undoes a hide: it
restricts nobody, so it needs a justification but no new rule; it cites the rule of the
hide it undoes.

Before a hide, a delete or a block an evidence record is secured and committed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from moderation.models import ModerationAction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

K = ModerationAction.Kind

LADDER: tuple[str, ...] = (
    K.NO_ACTION,
    K.REPLY_CITING_RULE,
    K.HIDE,
    K.DELETE,
    K.BLOCK,
    K.COMMENTS_OFF,
)
# Listed in the form after the ladder: it undoes a step, it is none.
REVERSALS: tuple[str, ...] = (K.UNHIDE,)

NEEDS_RULE = frozenset({K.REPLY_CITING_RULE, K.HIDE, K.DELETE, K.BLOCK, K.COMMENTS_OFF})
NEEDS_WHY_NOT_MILDER = frozenset({K.DELETE, K.BLOCK, K.COMMENTS_OFF})
NEEDS_EVIDENCE = frozenset({K.HIDE, K.DELETE, K.BLOCK})
# Carried out at the platform by the task ``carry_out_action``.
PLATFORM_CALLS = frozenset({K.HIDE, K.UNHIDE, K.DELETE, K.COMMENTS_OFF})
MIN_REASON = 15

EXPLANATIONS: dict[str, StrOrPromise] = {
    K.NO_ACTION: _("The comment stays as it is. Say why, e.g. sharp but lawful criticism."),
    K.REPLY_CITING_RULE: _("Reply publicly and remind of the rule; the comment stays."),
    K.HIDE: _("Others no longer see the comment; it can be shown again. Evidence is secured."),
    K.DELETE: _("Removes the comment for good. Evidence is secured first."),
    K.BLOCK: _("The author can no longer comment. Evidence is secured; the block is reviewed."),
    K.COMMENTS_OFF: _("Nobody can comment on the post any more."),
    K.UNHIDE: _("Shows a hidden comment again, e.g. after an objection."),
}

WHY_NOT_MILDER_QUESTION: dict[str, StrOrPromise] = {
    K.DELETE: _("Why is hiding not enough?"),
    K.BLOCK: _("Why is hiding or deleting the comment not enough?"),
    K.COMMENTS_OFF: _("Why is moderating single comments not enough?"),
}
