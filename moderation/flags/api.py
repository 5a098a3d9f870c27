"""REST API of the flags feature: ``keyword-alerts/``, ``lexicon-entries/``,
``inbox-items/<id>/flags/``, ``flags/<id>/dismiss/`` and ``insult-classifiers/``.

Auditors and community managers read (their units and those below); community managers
add, remove and dismiss. What belongs to another authority answers 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api_views import ObjectActionView
from accounts.http import AuthenticatedRequest
from accounts.input import int_param
from moderation.common.permissions import channels_for_reading
from moderation.common.permissions import units_for_reading
from moderation.flags.selectors import classifiers_recent
from moderation.flags.selectors import flags_for_user
from moderation.flags.selectors import keyword_alerts_for_units
from moderation.flags.selectors import lexicon_entries_for_units
from moderation.flags.serializers import FlagSerializer
from moderation.flags.serializers import InsultClassifierSerializer
from moderation.flags.serializers import KeywordAlertSerializer
from moderation.flags.serializers import LexiconEntrySerializer
from moderation.flags.services import flag_dismiss
from moderation.flags.services import keyword_alert_create
from moderation.flags.services import keyword_alert_delete
from moderation.flags.services import lexicon_entry_add
from moderation.flags.services import lexicon_entry_remove
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InsultClassifier
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry

_UNIT_FILTER = OpenApiParameter(
    "unit", int, description="Only this unit's own entries (not those it inherits)"
)


def _by_unit(request: AuthenticatedRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    unit = int_param(request.query_params, "unit")
    if unit is not None:
        return queryset.filter(unit_id=unit)
    return queryset


class KeywordAlertListView(generics.ListCreateAPIView):
    """Keyword alerts of the units the user reads. A match raises a KEYWORD flag (code =
    category); threats and emergencies notify the unit's community managers; an alert with
    ``raises_priority`` marks the item urgent. Nothing is ever hidden or removed."""

    serializer_class = KeywordAlertSerializer
    request: AuthenticatedRequest

    @extend_schema(parameters=[_UNIT_FILTER])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[KeywordAlert]:
        units = units_for_reading(self.request.user)
        return _by_unit(self.request, keyword_alerts_for_units(units)).order_by(
            "unit__path", "phrase"
        )

    def perform_create(self, serializer: KeywordAlertSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = keyword_alert_create(
            actor=self.request.user,
            unit=data["unit"],
            phrase=data["phrase"],
            category=data.get("category", KeywordAlert.Category.TOPIC),
            raises_priority=data.get("raises_priority", False),
            request=self.request,
        )


class KeywordAlertDetailView(generics.RetrieveDestroyAPIView):
    serializer_class = KeywordAlertSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[KeywordAlert]:
        return keyword_alerts_for_units(units_for_reading(self.request.user))

    def perform_destroy(self, instance: KeywordAlert) -> None:
        keyword_alert_delete(actor=self.request.user, alert=instance, request=self.request)


class LexiconEntryListView(generics.ListCreateAPIView):
    """The units' own additions to the maintained insult lexicon (which applies to every
    unit). A word applies to the unit's channels and those of the units below."""

    serializer_class = LexiconEntrySerializer
    request: AuthenticatedRequest

    @extend_schema(parameters=[_UNIT_FILTER])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[LexiconEntry]:
        units = units_for_reading(self.request.user)
        return _by_unit(self.request, lexicon_entries_for_units(units)).order_by(
            "unit__path", "term"
        )

    def perform_create(self, serializer: LexiconEntrySerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = lexicon_entry_add(
            actor=self.request.user, unit=data["unit"], term=data["term"], request=self.request
        )


class LexiconEntryDetailView(generics.RetrieveDestroyAPIView):
    serializer_class = LexiconEntrySerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[LexiconEntry]:
        return lexicon_entries_for_units(units_for_reading(self.request.user))

    def perform_destroy(self, instance: LexiconEntry) -> None:
        lexicon_entry_remove(actor=self.request.user, entry=instance, request=self.request)


class ItemFlagListView(generics.ListAPIView):
    """The automatic flags of one inbox item, each with its explanation and evidence
    (masked spans, matched words, classifier score and the n-grams behind it)."""

    serializer_class = FlagSerializer
    request: AuthenticatedRequest
    pagination_class = None

    def get_queryset(self) -> QuerySet[Flag]:
        items = InboxItem.objects.filter(channel__in=channels_for_reading(self.request.user))
        item = get_object_or_404(items, pk=self.kwargs["pk"])
        return Flag.objects.filter(item=item).select_related("dismissed_by")


class FlagDismissView(ObjectActionView[Flag]):
    """Dismiss a flag as a false positive (community managers). It is kept, marked, and not
    raised again for the item. A second dismissal answers 409."""

    answer = FlagSerializer

    def target(self, pk: int) -> Flag:
        return get_object_or_404(flags_for_user(self.request.user), pk=pk)

    def act(self, target: Flag, data: dict[str, Any]) -> Flag:
        return flag_dismiss(actor=self.request.user, flag=target, request=self.request)


class InsultClassifierListView(generics.ListAPIView):
    """The trained insult classifiers (newest first) with their metrics; the active one is
    used on ingestion. Trained with ``manage.py moderation_train_classifier``."""

    serializer_class = InsultClassifierSerializer
    request: AuthenticatedRequest
    pagination_class = None

    def get_queryset(self) -> QuerySet[InsultClassifier]:
        if not units_for_reading(self.request.user).exists():
            return InsultClassifier.objects.none()
        ids = [row.pk for row in classifiers_recent()]
        return InsultClassifier.objects.filter(pk__in=ids).defer("model")
