"""Forms of the Netiquette pages: the draft (title, preamble) and its numbered rules."""

from __future__ import annotations

from typing import Any
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Netiquette
from moderation.netiquette.services import RuleInput


class NetiquetteDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial="Netiquette")
    preamble = forms.CharField(
        label=_("Preamble"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who runs the page, what it is for, and that the rules below apply."),
    )


class RuleForm(forms.Form):
    number = forms.IntegerField(label=_("Number (§)"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Rule title"), max_length=200)
    text = forms.CharField(label=_("Rule text"), widget=forms.Textarea(attrs={"rows": 3}))


class BaseRuleFormSet(forms.BaseFormSet):
    def rules(self) -> list[RuleInput]:
        return [
            RuleInput(
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


# formset_factory returns a subclass of the formset given; the stubs say only BaseFormSet.
RuleFormSet = cast(
    "type[BaseRuleFormSet]",
    forms.formset_factory(
        RuleForm, formset=BaseRuleFormSet, extra=2, can_delete=True, max_num=100, validate_max=True
    ),
)


def draft_initial(source: Netiquette | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Start a draft from the draft itself, else from the version that applies now."""
    if source is None:
        return {"title": "Netiquette"}, []
    rules = [
        {"number": rule.number, "title": rule.title, "text": rule.text}
        for rule in source.rules.all()
    ]
    return {"title": source.title, "preamble": source.preamble}, rules
