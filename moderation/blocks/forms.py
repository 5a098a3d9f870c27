"""Forms of the block register. Dates are ISO ``<input type="date">`` values; the rules on
offer are those of the Netiquette in force for the channel's unit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.widgets import DateInput
from moderation.actions.forms import DecisionRefusalsMixin
from moderation.actions.proportionality import MIN_REASON
from moderation.actions.proportionality import WHY_NOT_MILDER_QUESTION
from moderation.blocks.reviews import DEFAULT_REVIEW_MONTHS
from moderation.blocks.reviews import MAX_REVIEW_MONTHS
from moderation.blocks.reviews import default_review_date
from moderation.blocks.reviews import latest_review_date
from moderation.blocks.selectors import Filter
from moderation.models import BlockAppeal
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from moderation.netiquette.selectors import current_rules_for


def _review_date_field(label: Any) -> forms.DateField:
    today = timezone.localdate()
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(
            attrs={
                "min": today.isoformat(),
                "max": latest_review_date(today).isoformat(),
            }
        ),
        help_text=_(
            "Empty: in %(default)d months. At most %(max)d months ahead: a block is never"
            " open-ended."
        )
        % {"default": DEFAULT_REVIEW_MONTHS, "max": MAX_REVIEW_MONTHS},
    )


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: NetiquetteRule) -> str:
        return f"§ {obj.number} {obj.title}"


class BlockForm(DecisionRefusalsMixin, forms.Form):
    """Block the author of one item: a moderation decision of kind block, with the same
    questions as in the actions panel (the evidence of the item is recorded first). The
    service decides what is missing; its refusals go on their fields."""

    rule = RuleChoiceField(
        label=_("Rule of the Netiquette the block rests on"),
        queryset=NetiquetteRule.objects.none(),
        required=False,
        empty_label=_("Choose a rule"),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What was written and why it breaks the rule. The author may object; this text"
            " is what the decision rests on."
        ),
    )
    why_not_milder = forms.CharField(
        label=WHY_NOT_MILDER_QUESTION[ModerationAction.Kind.BLOCK],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Placeholder keeping the field's place in the order; __init__ sets today's limits.
    review_due_on = forms.DateField(required=False, widget=DateInput())

    def __init__(self, *args: Any, item: InboxItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        rule_field = self.fields["rule"]
        assert isinstance(rule_field, forms.ModelChoiceField)
        rule_field.queryset = current_rules_for(item.channel.unit)
        self.fields["why_not_milder"].help_text = _(
            "At least %(count)d characters. Hiding can be undone; a block affects everything"
            " the person writes here."
        ) % {"count": MIN_REASON}
        self.fields["review_due_on"] = _review_date_field(_("Review due on"))
        self.fields["review_due_on"].initial = default_review_date(timezone.localdate())


class ReviewForm(forms.Form):
    justification = forms.CharField(
        label=_("Why is the block still needed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Placeholder keeping the field's place in the order; __init__ sets today's limits.
    review_due_on = forms.DateField(required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_due_on"] = _review_date_field(_("Next review due on"))


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the block lifted?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("The objection, as the author wrote it"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["received_on"].initial = today
        self.fields["received_on"].widget.attrs["max"] = today.isoformat()


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        # The model's names, so that the form, the history and the API say the same.
        choices=[
            (BlockAppeal.Decision.UPHELD, BlockAppeal.Decision.UPHELD.label),
            (BlockAppeal.Decision.LIFTED, BlockAppeal.Decision.LIFTED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason of the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (Filter.ACTIVE, _("Blocked")),
            (Filter.DUE, _("Due for review")),
            (Filter.TODO, _("To do on the platform")),
            (Filter.LIFTED, _("Unblocked")),
            (Filter.ALL, _("All entries")),
        ],
    )
    channel = forms.TypedChoiceField(
        label=_("Channel"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, channels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            ("", _("All channels")),
            *((c.pk, f"{c.name} ({c.unit.name})") for c in channels),
        ]
