"""Serializers of the media library API."""

from __future__ import annotations

from rest_framework import serializers

from accounts.fields import UnitField
from editorial.media.processing import METADATA_FIELDS
from editorial.models import MediaAsset


class MediaAssetSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    # Empty until the licence is recorded (the model field is blank=True).
    license = serializers.ChoiceField(
        choices=MediaAsset.License.choices, allow_blank=True, read_only=True
    )
    has_captions = serializers.SerializerMethodField()
    in_use = serializers.SerializerMethodField()

    class Meta:
        model = MediaAsset
        fields = [
            "id",
            "unit",
            "unit_name",
            "kind",
            "mime_type",
            "original_name",
            "size",
            "sha256",
            "width",
            "height",
            "duration_seconds",
            *METADATA_FIELDS,
            "has_captions",
            "in_use",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_captions(self, asset: MediaAsset) -> bool:
        return bool(asset.captions_file)

    def get_in_use(self, asset: MediaAsset) -> bool:
        # Annotated by the selector; a just-uploaded asset is not used anywhere yet.
        return bool(getattr(asset, "in_use", False))


class _MetadataFields(serializers.Serializer):
    alt_text = serializers.CharField(required=False, allow_blank=True)
    caption = serializers.CharField(required=False, allow_blank=True)
    credit = serializers.CharField(required=False, allow_blank=True, max_length=300)
    license = serializers.ChoiceField(
        choices=MediaAsset.License.choices, required=False, allow_blank=True
    )
    rights_note = serializers.CharField(required=False, allow_blank=True)
    rights_valid_until = serializers.DateField(required=False, allow_null=True)


class MediaUploadSerializer(_MetadataFields):
    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "The file must be an image or video of an allowed type and size; captions only for videos."
    )
    file = serializers.FileField(help_text="The image or video (multipart).")
    unit = UnitField(help_text="A unit where you are editor or channel admin.")
    captions_file = serializers.FileField(
        required=False, allow_null=True, help_text="WebVTT or SRT subtitles, videos only."
    )


class MediaUpdateSerializer(_MetadataFields):
    captions_file = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="New WebVTT or SRT subtitles (multipart); null removes them.",
    )
