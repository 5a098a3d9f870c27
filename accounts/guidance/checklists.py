"""The onboarding checklists: per role, the tasks a new person practises once.

An item is ticked by doing the task in the person's practice space (Übungsmodus): an audit
entry of one of the item's actions, by that person, filed under their practice unit (items
whose real work counts too, ``practice_only=False``: wherever the person first does it; and,
where the action alone does not say enough, with the data the item asks for: a review *with a
comment*, a reply *from a saved reply*). The audit log is the single source: no app above
accounts needs to know the checklists. Action names are strings here (accounts knows nothing
of the apps above it); ``tests/accounts/guidance`` checks that each one is registered.

The keys are stored in the training record (``TrainingCompletion.item``) and never renamed."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def _has(*path: str) -> Callable[[Mapping[str, Any]], bool]:
    """The entry's data holds a non-empty value at ``path`` (e.g. "after", "rule")."""

    def check(data: Mapping[str, Any]) -> bool:
        value: Any = data
        for key in path:
            if not isinstance(value, Mapping):
                return False
            value = value.get(key)
        return value not in (None, "", [], {})

    return check


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    role: str
    label: str | Promise
    # Any of these audit actions ticks the item (when ``requires`` holds for its data).
    actions: tuple[str, ...]
    requires: Callable[[Mapping[str, Any]], bool] | None = None
    # The guide section that explains the task: "<guide>#<anchor>".
    help: str = ""
    # Ticked only in the person's practice space. Auditors and system admins practise their
    # role there too (the space mirrors it), but what they do for real counts as well: the
    # task is the same, and a crisis drill is practice by construction. The checklist says so.
    practice_only: bool = True

    def matches(self, action: str, data: Mapping[str, Any]) -> bool:
        return action in self.actions and (self.requires is None or self.requires(data))


CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    Role.EDITOR: (
        ChecklistItem(
            "editor.first_draft",
            Role.EDITOR,
            _("Write a first draft"),
            ("editorial.post.created", "editorial.post.created_from_template"),
            help="editor#so-schreiben-sie-einen-beitrag",
        ),
        ChecklistItem(
            "editor.submit_for_review",
            Role.EDITOR,
            _("Submit a post for review"),
            ("editorial.post.submitted",),
            help="editor#so-legen-sie-einen-beitrag-zur-freigabe-vor",
        ),
        ChecklistItem(
            "editor.use_template",
            Role.EDITOR,
            _("Start a post from a template"),
            ("editorial.post.created_from_template",),
            help="editor#so-schreiben-sie-einen-beitrag",
        ),
    ),
    Role.APPROVER: (
        ChecklistItem(
            "approver.review_with_comment",
            Role.APPROVER,
            _("Approve a post with a comment"),
            ("editorial.post.approval_given",),
            requires=_has("comment"),
            help="approver#so-geben-sie-frei-oder-lehnen-ab",
        ),
        ChecklistItem(
            "approver.reject_with_reason",
            Role.APPROVER,
            _("Reject a post with a reason"),
            ("editorial.post.rejected",),
            requires=_has("reason"),
            help="approver#so-geben-sie-frei-oder-lehnen-ab",
        ),
    ),
    Role.COMMUNITY_MANAGER: (
        ChecklistItem(
            "community_manager.reply_with_saved_reply",
            Role.COMMUNITY_MANAGER,
            _("Answer a comment with a saved reply"),
            ("moderation.replies.created",),
            requires=_has("after", "saved_reply"),
            help="community-manager#so-beantworten-sie-einen-kommentar-mit-einem-textbaustein",
        ),
        ChecklistItem(
            "community_manager.moderate_citing_rule",
            Role.COMMUNITY_MANAGER,
            _("Moderate a comment citing a Netiquette rule"),
            ("moderation.actions.decided",),
            requires=_has("after", "rule"),
            help="community-manager#so-setzen-sie-den-status",
        ),
        ChecklistItem(
            "community_manager.formal_request",
            Role.COMMUNITY_MANAGER,
            _("Record a formal request (e.g. a request for information)"),
            ("moderation.privacy.request_recorded",),
            help="community-manager",
        ),
    ),
    Role.CHANNEL_ADMIN: (
        ChecklistItem(
            "channel_admin.connect_sandbox",
            Role.CHANNEL_ADMIN,
            _("Connect a sandbox channel"),
            ("channels.channel.connected",),
            help="channel-admin#so-prüfen-sie-ihre-kanäle",
        ),
        ChecklistItem(
            "channel_admin.test_connection",
            Role.CHANNEL_ADMIN,
            _("Test a channel's access (token)"),
            ("channels.channel.connection_tested",),
            help="channel-admin#so-testen-sie-die-verbindung",
        ),
    ),
    Role.SYSTEM_ADMIN: (
        ChecklistItem(
            "system_admin.crisis_drill",
            Role.SYSTEM_ADMIN,
            _("Run a crisis drill"),
            ("editorial.drill.started",),
            help="system-admin#so-führen-sie-eine-krisenübung-durch",
            practice_only=False,
        ),
        ChecklistItem(
            "system_admin.invite_user",
            Role.SYSTEM_ADMIN,
            _("Invite a user"),
            ("accounts.user.invited",),
            help="system-admin#so-weisen-sie-eine-rolle-zu",
            practice_only=False,
        ),
        ChecklistItem(
            "system_admin.assign_role",
            Role.SYSTEM_ADMIN,
            _("Assign a role"),
            ("accounts.role.assigned",),
            help="system-admin#so-weisen-sie-eine-rolle-zu",
            practice_only=False,
        ),
    ),
    Role.AUDITOR: (
        ChecklistItem(
            "auditor.read_audit_log",
            Role.AUDITOR,
            _("Read the audit log"),
            ("accounts.audit.viewed",),
            help="auditor#so-filtern-sie",
            practice_only=False,
        ),
        ChecklistItem(
            "auditor.export_audit_log",
            Role.AUDITOR,
            _("Export the audit log"),
            ("accounts.audit.exported",),
            help="auditor#so-exportieren-sie",
            practice_only=False,
        ),
    ),
}

ITEMS: dict[str, ChecklistItem] = {
    item.key: item for items in CHECKLISTS.values() for item in items
}
# Every action that may tick an item: an audit entry of another action is not looked at.
ACTIONS: frozenset[str] = frozenset(action for item in ITEMS.values() for action in item.actions)


def items_for_roles(roles: set[str]) -> list[ChecklistItem]:
    """The items of the roles, in the order of ``Role`` (each item once)."""
    return [item for role in Role.values if role in roles for item in CHECKLISTS.get(role, ())]


def item_label(key: str) -> str:
    item = ITEMS.get(key)
    return str(item.label) if item else key
