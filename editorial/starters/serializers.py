"""Serializers of the starter library's API."""

from __future__ import annotations

from rest_framework import serializers

from accounts.fields import UnitField
from editorial.models import UnitDocument
from editorial.starters.library import checklist_steps
from editorial.starters.services import MAX_RHYTHM_WEEKS

STARTERS = (*UnitDocument.Kind.values, "emergency_templates", "rhythm")


class UnitDocumentSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()
    updated_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = UnitDocument
        fields = [
            "id",
            "unit",
            "kind",
            "title",
            "body",
            "steps",
            "starter_version",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields

    def get_steps(self, document: UnitDocument) -> list[str] | None:
        """The checklist's steps (one per line); null for the guideline."""
        if document.kind != UnitDocument.Kind.CRISIS_CHECKLIST:
            return None
        return checklist_steps(document.body)


class UnitDocumentWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()


class StarterAdoptSerializer(serializers.Serializer):
    unit = UnitField()
    starter = serializers.ChoiceField(choices=STARTERS)
    start = serializers.DateField(
        required=False, help_text="rhythm only: the first day to plan (default today)"
    )
    weeks = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_RHYTHM_WEEKS, default=4
    )


class StarterAdoptResultSerializer(serializers.Serializer):
    starter = serializers.CharField()
    unit = serializers.IntegerField()
    document = UnitDocumentSerializer(allow_null=True)
    post_templates = serializers.ListField(child=serializers.IntegerField())
    slots = serializers.ListField(child=serializers.IntegerField())
