"""REST API of the block register (``/api/v1/blocks/``, ``/api/v1/block-appeals/``).

Community managers of the channel's unit act, auditors read; entries of another authority
answer 404. Every change goes through ``moderation.blocks.services``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.api_views import ObjectActionView
from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from accounts.input import choice_param
from accounts.input import int_param
from moderation.actions.services import action_block
from moderation.blocks.permissions import user_may_manage_block
from moderation.blocks.selectors import Filter
from moderation.blocks.selectors import appeals_for_user
from moderation.blocks.selectors import block_appeals
from moderation.blocks.selectors import block_for_user
from moderation.blocks.selectors import blocks_filtered
from moderation.blocks.serializers import BlockAppealDecisionSerializer
from moderation.blocks.serializers import BlockAppealSerializer
from moderation.blocks.serializers import BlockCreateSerializer
from moderation.blocks.serializers import BlockDetailSerializer
from moderation.blocks.serializers import BlockLiftSerializer
from moderation.blocks.serializers import BlockReviewCreateSerializer
from moderation.blocks.serializers import BlockSerializer
from moderation.blocks.services import block_appeal_decide
from moderation.blocks.services import block_appeal_record
from moderation.blocks.services import block_lift
from moderation.blocks.services import block_platform_confirm
from moderation.blocks.services import block_platform_retry
from moderation.blocks.services import block_review
from moderation.models import BlockAppeal
from moderation.models import BlockEntry


def _block(request: AuthenticatedRequest, pk: int) -> BlockEntry:
    block = block_for_user(request.user, pk)
    if block is None:
        raise Http404
    return block


def _manageable(request: AuthenticatedRequest, pk: int) -> BlockEntry:
    block = _block(request, pk)
    if not user_may_manage_block(request.user, block):
        raise PermissionDenied
    return block


def _detail(request: AuthenticatedRequest, block: BlockEntry, code: int = 200) -> Response:
    block = _block(request, block.pk)
    return Response(BlockDetailSerializer(block).data, status=code)


class BlockListView(generics.ListCreateAPIView):
    """The block register of the channels the user may read. ``status``: ``active``
    (default), ``due`` (review due), ``todo`` (to do by hand or failed on the platform),
    ``lifted`` or ``all``; ``channel``: one channel's id.

    POST blocks the author of an item (community managers): a moderation decision of kind
    block, as ``POST /api/v1/moderation-actions/`` takes it, with the same refusal codes
    (``rule_required``, ``justification_required``, ``proportionality_unconfirmed``). It
    needs a rule of the Netiquette in force, a justification, why hiding is not enough, and
    the item's evidence record (made now when ``evidence`` is not given). A second active
    block of the author on the channel is 409."""

    request: AuthenticatedRequest

    def get_serializer_class(self) -> type[BaseSerializer]:
        return BlockCreateSerializer if self.request.method == "POST" else BlockSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(Filter.CHOICES)),
            OpenApiParameter("channel", OpenApiTypes.INT),
        ]
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[BlockEntry]:
        params = self.request.query_params
        return blocks_filtered(
            self.request.user,
            status=choice_param(params, "status", Filter.CHOICES) or Filter.ACTIVE,
            channel_id=int_param(params, "channel"),
        )

    @extend_schema(request=BlockCreateSerializer, responses={201: BlockDetailSerializer})
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        request = self.request
        data = valid_body(BlockCreateSerializer, request, request=request)
        block = action_block(actor=request.user, request=request, **data)
        return _detail(request, block, status.HTTP_201_CREATED)


class BlockDetailView(generics.RetrieveAPIView):
    serializer_class = BlockDetailSerializer
    request: AuthenticatedRequest

    def get_object(self) -> BlockEntry:
        return _block(self.request, self.kwargs["pk"])


class _BlockActionView(ObjectActionView[BlockEntry]):
    answer = BlockDetailSerializer

    def target(self, pk: int) -> BlockEntry:
        return _manageable(self.request, pk)

    def respond(self, result: BlockEntry) -> Response:
        return _detail(self.request, result)


class BlockReviewView(_BlockActionView):
    """Keep the block: why it is still needed, and the next review date (at most six
    months ahead; empty: three months)."""

    body = BlockReviewCreateSerializer

    def act(self, target: BlockEntry, data: dict[str, Any]) -> BlockEntry:
        return block_review(
            actor=self.request.user,
            block=target,
            justification=data["justification"],
            review_due_on=data.get("review_due_on"),
            request=self.request,
        )


class BlockLiftView(_BlockActionView):
    """Unblock, with the reason; the platform unblock is queued (or a to-do by hand)."""

    body = BlockLiftSerializer

    def act(self, target: BlockEntry, data: dict[str, Any]) -> BlockEntry:
        return block_lift(
            actor=self.request.user, block=target, reason=data["reason"], request=self.request
        )


class BlockPlatformRetryView(_BlockActionView):
    """Try the platform step again after it failed."""

    def act(self, target: BlockEntry, data: dict[str, Any]) -> BlockEntry:
        return block_platform_retry(actor=self.request.user, block=target, request=self.request)


class BlockPlatformConfirmView(_BlockActionView):
    """Record that the block (or unblock) was done by hand on the platform."""

    def act(self, target: BlockEntry, data: dict[str, Any]) -> BlockEntry:
        return block_platform_confirm(actor=self.request.user, block=target, request=self.request)


class BlockAppealListView(generics.ListCreateAPIView):
    """The author's objections to the block; POST records one (text and the date it was
    received). It is decided by a second person."""

    serializer_class = BlockAppealSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[BlockAppeal]:
        return block_appeals(_block(self.request, self.kwargs["pk"]))

    @extend_schema(request=BlockAppealSerializer, responses={201: BlockAppealSerializer})
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        request = self.request
        block = _manageable(request, self.kwargs["pk"])
        data = valid_body(BlockAppealSerializer, request)
        appeal = block_appeal_record(
            actor=request.user,
            block=block,
            text=data["text"],
            received_on=data["received_on"],
            request=request,
        )
        return Response(BlockAppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class BlockAppealDecideView(ObjectActionView[BlockAppeal]):
    """Decide an objection: ``upheld`` (the block stays: the objection is rejected) or
    ``lifted`` (the block is lifted: the objection is granted), with the reason. Never by
    whoever blocked the author or recorded the objection (403)."""

    body = BlockAppealDecisionSerializer
    answer = BlockAppealSerializer

    def target(self, pk: int) -> BlockAppeal:
        appeal = get_object_or_404(appeals_for_user(self.request.user), pk=pk)
        _manageable(self.request, appeal.block_id)
        return appeal

    def act(self, target: BlockAppeal, data: dict[str, Any]) -> BlockAppeal:
        return block_appeal_decide(
            actor=self.request.user,
            appeal=target,
            decision=data["decision"],
            reason=data["reason"],
            request=self.request,
        )
