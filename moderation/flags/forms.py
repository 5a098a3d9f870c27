"""Forms of the flags pages: a keyword alert, a lexicon word."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import KeywordAlert
from moderation.models import LexiconEntry


class KeywordAlertForm(forms.ModelForm):
    class Meta:
        model = KeywordAlert
        fields = ["phrase", "category", "raises_priority"]
        labels = {"category": _("Category")}
        help_texts = {
            "phrase": _(
                "Whole words, case and umlauts do not matter. End a word with * for any"
                " ending (“bomb*”)."
            ),
            "raises_priority": _(
                "Items with this phrase are marked urgent. Nothing is hidden or removed."
            ),
        }


class LexiconEntryForm(forms.ModelForm):
    class Meta:
        model = LexiconEntry
        fields = ["term"]
        help_texts = {
            "term": _(
                "A word or phrase that insults. “word*” also matches its endings, “*word” the"
                " end of compounds."
            ),
        }
