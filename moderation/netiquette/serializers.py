"""Serializers of the Netiquette API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.fields import UnitField
from accounts.models import User
from moderation.common.fields import ReadableField
from moderation.common.permissions import units_for_moderating
from moderation.models import Netiquette
from moderation.models import NetiquetteRule
from moderation.netiquette.selectors import netiquettes_for_user
from moderation.netiquette.selectors import public_netiquette_path
from moderation.netiquette.services import RuleInput


class NetiquetteRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = NetiquetteRule
        fields = ["id", "number", "title", "text"]
        read_only_fields = ["id"]


class NetiquetteSerializer(serializers.ModelSerializer):
    rules = NetiquetteRuleSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    published_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = Netiquette
        fields = [
            "id",
            "unit",
            "version",
            "status",
            "title",
            "preamble",
            "rules",
            "published_at",
            "published_by",
            "public_url",
        ]

    def get_status(self, netiquette: Netiquette) -> str:
        return "published" if netiquette.published_at else "draft"

    def get_public_url(self, netiquette: Netiquette) -> str | None:
        if netiquette.published_at is None:
            return None
        path = public_netiquette_path(netiquette.unit_id, netiquette.version)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class NetiquetteRuleInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=999)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()


class NetiquetteDraftWriteSerializer(serializers.Serializer):
    """The whole draft: saving replaces title, preamble and every rule."""

    title = serializers.CharField(max_length=200, default="Netiquette")
    preamble = serializers.CharField(allow_blank=True, required=False, default="")
    rules = NetiquetteRuleInputSerializer(many=True)

    def rule_inputs(self) -> list[RuleInput]:
        data: dict[str, Any] = self.validated_data
        return [RuleInput(r["number"], r["title"], r["text"]) for r in data["rules"]]


class NetiquetteDraftCreateSerializer(NetiquetteDraftWriteSerializer):
    unit = UnitField(writable=units_for_moderating)


class NetiquetteAdoptStarterSerializer(serializers.Serializer):
    unit = UnitField(writable=units_for_moderating)


def readable_rules(user: User) -> QuerySet[NetiquetteRule]:
    return NetiquetteRule.objects.filter(
        netiquette__in=netiquettes_for_user(user).values("pk")
    ).select_related("netiquette")


def rule_field(**kwargs: Any) -> ReadableField:
    """A rule of a Netiquette (version or draft) the user may read: another authority's rule
    answers as one that does not exist. Whether it is of the version in force is the
    decision's rule (``rule_required``)."""
    return ReadableField(readable=readable_rules, unknown=_("Unknown rule."), **kwargs)
