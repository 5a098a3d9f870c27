"""The decision form of the actions panel: the graduated kinds, the rule of the current
Netiquette version, the justification and, where the kind asks, why a milder action is not
enough."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.views.errors import report_errors
from accounts.widgets import DateInput
from moderation.actions.proportionality import LADDER
from moderation.actions.proportionality import REVERSALS
from moderation.actions.selectors import rules_for_item
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule

K = ModerationAction.Kind

# Where a refusal of the service belongs on the form.
FIELD_OF_CODE = {
    ErrorCode.RULE_REQUIRED: "rule",
    ErrorCode.JUSTIFICATION_REQUIRED: "justification",
    ErrorCode.PROPORTIONALITY_UNCONFIRMED: "why_not_milder",
}


class DecisionRefusalsMixin:
    """For the forms of a decision (the actions panel, the block register's form): a
    refusal of ``action_take`` goes on the field it is about (by its code)."""

    def add_refusal(self, error: DomainError) -> None:
        self.add_error(FIELD_OF_CODE.get(error.code), str(error.message))  # type: ignore[attr-defined]


def report_decision_refusal(request: HttpRequest, error: Exception, form: BaseForm) -> None:
    """How a decision page shows its service's refusal (``submit_form``'s ``report``): a
    domain error on the field it is about, anything else as ``report_errors`` shows it."""
    if isinstance(error, DomainError) and isinstance(form, DecisionRefusalsMixin):
        form.add_refusal(error)
    else:
        report_errors(request, error, form)


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        rule: NetiquetteRule = obj
        return str(
            _("§ %(number)s %(title)s (version %(version)s)")
            % {"number": rule.number, "title": rule.title, "version": rule.netiquette.version}
        )


class ActionForm(DecisionRefusalsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("moderation measure", "Action"),
        choices=[(k, K(k).label) for k in (*LADDER, *REVERSALS)],
    )
    rule = RuleChoiceField(
        label=_("Netiquette rule"),
        queryset=NetiquetteRule.objects.none(),
        required=False,
        empty_label=_("Choose the rule the action rests on"),
        help_text=_("Only rules of the version that applies now. Not needed for “No action”."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Short and factual: what was written and why this action follows."),
    )
    why_not_milder = forms.CharField(
        label=_("Why is a milder action not enough?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for deleting, blocking and switching comments off."),
    )
    reply_text = forms.CharField(
        label=_("Reply text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for “Reply citing the rule”. The rule (§ number and title) and the link to"
            " the public Netiquette are added if your text does not cite them."
        ),
    )
    review_due_on = forms.DateField(
        label=_("Review the block on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for blocking. Empty: the block register's default."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, item: InboxItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules_for_item(item)  # type: ignore[attr-defined]
