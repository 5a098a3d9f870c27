"""Forms of the goals pages: a goal with its KPI target, a target group, a channel's
strategy. The choices offered are the user's (units they set goals in, their channels and
target groups); the service checks the same again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import FieldsetsMixin
from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from analytics.common.forms import UnitChannelField
from analytics.goals.services import GoalInput
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from analytics.models import TargetGroup
from channels_app.models import Channel


class TargetGroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit})"


class GoalForm(FieldsetsMixin, forms.Form):
    """``units``: where the user may set goals (a new goal); ``None`` when editing one (its
    unit stays)."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(
        label=_("Goal"),
        max_length=200,
        help_text=_("In a few words, e.g. 'Reach younger citizens'."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_groups = TargetGroupChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    metric = forms.ChoiceField(
        label=_("KPI"),
        choices=[("", _("None (a goal in words)")), *GoalMetric.choices],
        required=False,
        help_text=_("What is measured to see whether the goal is reached."),
    )
    channel = UnitChannelField()
    comparison = forms.ChoiceField(label=_("Comparison"), choices=GoalComparison.choices)
    target_value = forms.DecimalField(
        label=_("Target value"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("Per cent for growth and shares, hours for response times."),
    )

    fieldsets = ((_("KPI target"), ("metric", "channel", "comparison", "target_value")),)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit] | None,
        target_groups: QuerySet[TargetGroup],
        channels: QuerySet[Channel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = target_groups  # type: ignore[attr-defined]
        self.fields["channel"].queryset = channels  # type: ignore[attr-defined]

    def goal_input(self) -> GoalInput:
        data = self.cleaned_data
        return GoalInput(
            title=data["title"],
            description=data["description"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            metric=data["metric"],
            channel=data["channel"],
            comparison=data["comparison"],
            target_value=data["target_value"],
            target_groups=list(data["target_groups"]),
        )


class TargetGroupForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who belongs to it and what they need from us."),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ChannelStrategyForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why we use this channel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    audience = forms.CharField(
        label=_("For whom"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_groups = TargetGroupChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, target_groups: QuerySet[TargetGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = target_groups  # type: ignore[attr-defined]
