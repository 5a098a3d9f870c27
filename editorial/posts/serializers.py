"""Serializers of the posts API."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.fields import UnitField
from channels_app.fields import VisibleChannelField
from editorial.models import MAX_CONTENT_WARNING
from editorial.models import Approval
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostComment
from editorial.models import PostVariant
from editorial.posts.fields import VisibleTopicField
from editorial.posts.selectors import units_for_authoring
from editorial.posts.services import POST_EDITABLE_FIELDS

if TYPE_CHECKING:
    from accounts.models import User


class VariantSerializer(serializers.ModelSerializer):
    media = serializers.SerializerMethodField()

    class Meta:
        model = PostVariant
        fields = [
            "id",
            "channel",
            "text_override",
            "media_override",
            "media",
            "status",
            "scheduled_at",
            "published_at",
            "remote_id",
            "remote_url",
            "last_error",
        ]

    def get_media(self, variant: PostVariant) -> list[int]:
        return [vm.asset_id for vm in variant.variant_media.all()]


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Approval
        fields = ["approver", "decision", "comment", "content_hash", "created_at", "is_current"]


CONTENT_WARNING_HELP = (
    "Mastodon's spoiler text: shown before the post on Mastodon-API channels, counted towards "
    "their limit, part of what is approved; other platforms ignore it."
)


class PostSerializer(serializers.ModelSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    media = serializers.SerializerMethodField()

    class Meta:
        model = Post
        extra_kwargs = {"content_warning": {"help_text": CONTENT_WARNING_HELP}}
        fields = [
            "id",
            "unit",
            *POST_EDITABLE_FIELDS,
            "status",
            "author",
            "media",
            "variants",
            "approvals",
            "approved_hash",
            "approved_at",
            "rejection_reason",
            "is_emergency",
            "created_at",
            "updated_at",
        ]

    def get_media(self, post: Post) -> list[int]:
        return [pm.asset_id for pm in post.post_media.all()]


class PostWriteSerializer(serializers.Serializer):
    unit = UnitField(writable=units_for_authoring)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True)
    website_link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    content_warning = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_CONTENT_WARNING,
        help_text=CONTENT_WARNING_HELP,
    )
    topic = VisibleTopicField(required=False, allow_null=True)
    planned_at = serializers.DateTimeField(required=False, allow_null=True)
    channels = VisibleChannelField(many=True, required=False)
    media = serializers.PrimaryKeyRelatedField(
        queryset=MediaAsset.objects.all(), many=True, required=False
    )

    def validate_planned_at(self, value: Any) -> Any:
        raw = self.initial_data.get("planned_at")
        if raw and not _has_offset(raw):
            raise ValidationError(OFFSET_REQUIRED)
        return value


class PostUpdateSerializer(PostWriteSerializer):
    unit = None  # type: ignore[assignment]
    title = serializers.CharField(max_length=200, required=False)


class VariantUpdateSerializer(serializers.Serializer):
    text_override = serializers.CharField(allow_blank=True)
    media_override = serializers.BooleanField(default=False)
    media = serializers.PrimaryKeyRelatedField(
        queryset=MediaAsset.objects.all(), many=True, required=False
    )


class CommentSerializer(serializers.ModelSerializer):
    mentions: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = PostComment
        fields = ["id", "author", "text", "mentions", "created_at"]
        read_only_fields = ["id", "author", "mentions", "created_at"]


def _free_text() -> serializers.CharField:
    # Optional and kept as typed: the services check and trim it. Not a list or an object.
    return serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )


class CommentWriteSerializer(serializers.Serializer):
    """A new comment's input: ``text`` (the service refuses an empty one)."""

    text = _free_text()


class PostActionTextSerializer(serializers.Serializer):
    """The free texts of the post actions: ``comment`` (approve), ``reason`` (reject,
    withdraw); ``seen_hash`` (approve): the ``content_hash`` of the preview the approver was
    shown, so that the approval is refused if the content changed since."""

    comment = _free_text()
    reason = _free_text()
    seen_hash = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


# --- The per-channel preview (editorial.posts.preview) ------------------------------------------


class PreviewSegmentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["plain", "link", "hashtag", "mention"])
    text = serializers.CharField()


class PreviewMediaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="asset_id")
    kind = serializers.CharField()
    name = serializers.CharField()
    alt_text = serializers.CharField()
    thumbnail_url = serializers.CharField(help_text="Empty for videos.")
    has_captions = serializers.BooleanField()


class PreviewProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.CharField()


class ChannelPreviewSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant.pk")
    channel = serializers.IntegerField(source="variant.channel_id")
    channel_name = serializers.CharField(source="variant.channel.name")
    platform = serializers.CharField(source="count.platform")
    own_text = serializers.BooleanField()
    own_media = serializers.BooleanField()
    lines = serializers.ListField(
        child=PreviewSegmentSerializer(many=True), help_text="The text line by line."
    )
    content_warning = serializers.CharField(
        help_text="Shown before the text, which opens with a click (Mastodon channels only)."
    )
    link = serializers.CharField(help_text="The website link, if the text does not hold it.")
    media = PreviewMediaSerializer(many=True)
    length = serializers.IntegerField(source="count.length")
    limit = serializers.IntegerField(source="count.limit", allow_null=True)
    over_limit = serializers.BooleanField()
    problems = PreviewProblemSerializer(many=True)


class PostPreviewSerializer(serializers.Serializer):
    content_hash = serializers.CharField(help_text="Send it as seen_hash when approving.")
    channels = ChannelPreviewSerializer(many=True)


def _has_offset(raw: object) -> bool:
    """An API time must name its instant: ``Z`` or an offset after the date part."""
    text = str(raw or "")
    return text.endswith("Z") or "+" in text[10:] or "-" in text[10:]


OFFSET_REQUIRED = _("Give the time with its offset, e.g. 2026-12-01T09:00:00+01:00.")
