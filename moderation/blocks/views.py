"""Pages of the block register under ``/moderation/blocks/``.

Entries on channels the user may not read answer 404; actions a reading user (an auditor)
may not do answer 403. Every change goes through ``moderation.blocks.services``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.input import parse_int
from accounts.views.base import PermissionMixin
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from moderation.actions.forms import report_decision_refusal
from moderation.actions.services import action_block
from moderation.blocks.forms import AppealDecisionForm
from moderation.blocks.forms import AppealForm
from moderation.blocks.forms import BlockForm
from moderation.blocks.forms import LiftForm
from moderation.blocks.forms import RegisterFilterForm
from moderation.blocks.forms import ReviewForm
from moderation.blocks.permissions import user_is_second_person
from moderation.blocks.permissions import user_may_manage_block
from moderation.blocks.permissions import user_may_read_blocks
from moderation.blocks.reviews import MAX_REVIEW_MONTHS
from moderation.blocks.selectors import Filter
from moderation.blocks.selectors import active_block_for_item
from moderation.blocks.selectors import block_appeals
from moderation.blocks.selectors import block_decision
from moderation.blocks.selectors import block_for_user
from moderation.blocks.selectors import block_history
from moderation.blocks.selectors import block_reviews
from moderation.blocks.selectors import blocks_filtered
from moderation.blocks.selectors import blocks_platform_stale
from moderation.blocks.selectors import readable_channels
from moderation.blocks.selectors import register_counts
from moderation.blocks.services import block_appeal_decide
from moderation.blocks.services import block_appeal_record
from moderation.blocks.services import block_lift
from moderation.blocks.services import block_platform_confirm
from moderation.blocks.services import block_platform_retry
from moderation.blocks.services import block_review
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import channels_for_reading
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import InboxItem

PAGE_SIZE = 25
REFUSALS = (ValidationError, DomainError, PermissionDenied)


class RegisterMixin(PermissionMixin):
    permission = staticmethod(user_may_read_blocks)

    def _block(self, pk: int) -> BlockEntry:
        block = block_for_user(self.request.user, pk)
        if block is None:
            raise Http404
        return block

    def _manageable(self, pk: int) -> BlockEntry:
        block = self._block(pk)
        if not user_may_manage_block(self.request.user, block):
            raise PermissionDenied
        return block


class BlockListView(RegisterMixin, View):
    """The register: active blocks, those due for review, platform to-dos, lifted ones."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        channels = list(readable_channels(user))
        form = RegisterFilterForm(request.GET or None, channels=channels)
        status, channel_id = Filter.ACTIVE, None
        if form.is_valid():
            status = form.cleaned_data["status"] or Filter.ACTIVE
            channel_id = form.cleaned_data["channel"]
        blocks = blocks_filtered(user, status=status, channel_id=channel_id)
        page = Paginator(blocks, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "moderation/blocks/list.html",
            {
                "form": form,
                "page": page,
                "status": status,
                "counts": register_counts(user, channel_id=channel_id),
                "today": timezone.localdate(),
                "query": query.urlencode(),
                "filters": Filter,
            },
        )


class BlockCreateView(RegisterMixin, View):
    """Block the author of one item: ``?item=<id>``. A moderation decision of kind block,
    as in the actions panel: the item's evidence is recorded first, then the decision and
    the block; the register entry opens."""

    template_name = "moderation/blocks/new.html"

    def _item(self, request: AuthenticatedHttpRequest) -> InboxItem:
        pk = parse_int(request.POST.get("item") or request.GET.get("item"))
        readable = InboxItem.objects.filter(
            channel_id__in=channels_for_reading(request.user).values("pk")
        ).select_related("channel__unit", "author")
        item = get_object_or_404(readable, pk=pk) if pk is not None else None
        if item is None:
            raise Http404
        if not channels_for_moderating(request.user).filter(pk=item.channel_id).exists():
            raise PermissionDenied
        return item

    def _render(
        self, request: AuthenticatedHttpRequest, item: InboxItem, form: BlockForm, status: int
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "item": item,
                "form": form,
                "existing": active_block_for_item(item),
                "max_months": MAX_REVIEW_MONTHS,
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        item = self._item(request)
        return self._render(request, item, BlockForm(item=item), 200)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        item = self._item(request)
        form = BlockForm(request.POST, item=item)
        block = submit_form(
            request,
            form,
            lambda data: action_block(
                actor=request.user,
                item=item,
                rule=data["rule"],
                justification=data["justification"],
                why_not_milder=data["why_not_milder"],
                review_due_on=data["review_due_on"],
                request=request,
            ),
            success=_platform_message,
            refusals=REFUSALS,
            report=report_decision_refusal,
        )
        if block is not None:
            return redirect("blocks:detail", pk=block.pk)
        return self._render(request, item, form, 400)


def _platform_message(block: BlockEntry) -> str:
    if block.platform_status == BlockEntry.PlatformStatus.MANUAL:
        return _(
            "The author is in the register as blocked. The platform offers no block in its API:"
            " block the author there by hand, then confirm it here."
        )
    return _("The author is in the register as blocked; the platform block is on its way.")


class BlockDetailView(RegisterMixin, View):
    """An entry with its history and, for community managers, the review, unblock and
    objection forms."""

    template_name = "moderation/blocks/detail.html"

    def render_detail(
        self,
        request: AuthenticatedHttpRequest,
        block: BlockEntry,
        bound: dict[str, BaseForm] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        user = request.user
        reviews = list(block_reviews(block))
        appeals = list(block_appeals(block))
        may_manage = user_may_manage_block(user, block)
        forms: dict[str, Any] = {
            "review_form": ReviewForm(),
            "lift_form": LiftForm(),
            "appeal_form": AppealForm(),
        }
        open_appeal = next((a for a in appeals if a.decision == BlockAppeal.Decision.OPEN), None)
        decision_form: BaseForm | None = None
        if open_appeal is not None:
            open_appeal.block = block
            decision_form = AppealDecisionForm(prefix=f"a{open_appeal.pk}")
        forms.update(bound or {})
        if bound and "decision_form" in bound:
            decision_form = bound["decision_form"]
        stale = blocks_platform_stale(timezone.now()).filter(pk=block.pk).exists()
        return render(
            request,
            self.template_name,
            {
                # Not "block": templates know that name as the {% block %} being rendered.
                "entry": block,
                "decision": block_decision(block),
                "history": block_history(block, reviews, appeals),
                "appeals": appeals,
                "open_appeal": open_appeal,
                "decision_form": decision_form,
                "may_manage": may_manage,
                "may_decide": open_appeal is not None
                and may_manage
                and user_is_second_person(user, open_appeal),
                "may_retry": may_manage
                and (block.platform_status == BlockEntry.PlatformStatus.FAILED or stale),
                "today": timezone.localdate(),
                **forms,
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.render_detail(request, self._block(pk))


class _BlockActionView(BlockDetailView):
    """The POST of one form of the detail page; a refusal shows the page again with the
    form and its errors (400)."""

    http_method_names = ["post"]
    form_class: type[BaseForm]
    # The form's name in the page's context, where the page shows it again with its errors.
    form_name = ""

    def apply(self, request: AuthenticatedHttpRequest, block: BlockEntry, form: Any) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        block = self._manageable(pk)
        form = self.form_class(request.POST)
        message = submit_form(
            request,
            form,
            lambda data: self.apply(request, block, form),
            success=lambda message: message,
            refusals=REFUSALS,
        )
        if message is not None:
            return redirect("blocks:detail", pk=block.pk)
        return self.render_detail(request, block, {self.form_name: form}, status=400)


class BlockReviewView(_BlockActionView):
    form_name = "review_form"
    form_class = ReviewForm

    def apply(self, request: AuthenticatedHttpRequest, block: BlockEntry, form: Any) -> str:
        block = block_review(
            actor=request.user,
            block=block,
            justification=form.cleaned_data["justification"],
            review_due_on=form.cleaned_data["review_due_on"],
            request=request,
        )
        return _("The block stays. Next review on %(date)s.") % {
            "date": date_format(block.review_due_on, "SHORT_DATE_FORMAT")
        }


class BlockLiftView(_BlockActionView):
    form_name = "lift_form"
    form_class = LiftForm

    def apply(self, request: AuthenticatedHttpRequest, block: BlockEntry, form: Any) -> str:
        block = block_lift(
            actor=request.user, block=block, reason=form.cleaned_data["reason"], request=request
        )
        if block.platform_status == BlockEntry.PlatformStatus.MANUAL:
            return _(
                "Unblocked in the register. The platform offers no unblock in its API: lift the"
                " block there by hand, then confirm it here."
            )
        return _("Unblocked. The platform unblock is on its way.")


class AppealCreateView(_BlockActionView):
    form_name = "appeal_form"
    form_class = AppealForm

    def apply(self, request: AuthenticatedHttpRequest, block: BlockEntry, form: Any) -> str:
        block_appeal_record(
            actor=request.user,
            block=block,
            text=form.cleaned_data["text"],
            received_on=form.cleaned_data["received_on"],
            request=request,
        )
        return _(
            "The objection is recorded. A second person decides it: not you, and not whoever"
            " blocked the author."
        )


class AppealDecideView(BlockDetailView):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        appeal = get_object_or_404(BlockAppeal.objects.select_related("block"), pk=pk)
        block = self._manageable(appeal.block_id)
        appeal.block = block
        if not user_is_second_person(request.user, appeal):
            raise PermissionDenied
        form = AppealDecisionForm(request.POST, prefix=f"a{appeal.pk}")
        decided = submit_form(
            request,
            form,
            lambda data: block_appeal_decide(
                actor=request.user,
                appeal=appeal,
                decision=data["decision"],
                reason=data["reason"],
                request=request,
            ),
            success=_("The objection is decided."),
            refusals=REFUSALS,
        )
        if decided is not None:
            return redirect("blocks:detail", pk=block.pk)
        return self.render_detail(request, block, {"decision_form": form}, status=400)


class _PlatformStepView(RegisterMixin, View):
    """A button of the platform step on the detail page: one service call, then back."""

    success: Promise

    def act(self, request: AuthenticatedHttpRequest, block: BlockEntry) -> object:
        raise NotImplementedError

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        block = self._manageable(pk)
        carry_out(
            request,
            lambda: self.act(request, block),
            success=str(self.success),
            refusals=REFUSALS,
        )
        return redirect("blocks:detail", pk=block.pk)


class PlatformRetryView(_PlatformStepView):
    success = gettext_lazy("The platform step is being tried again.")

    def act(self, request: AuthenticatedHttpRequest, block: BlockEntry) -> object:
        return block_platform_retry(actor=request.user, block=block, request=request)


class PlatformConfirmView(_PlatformStepView):
    success = gettext_lazy("Recorded as done by hand on the platform.")

    def act(self, request: AuthenticatedHttpRequest, block: BlockEntry) -> object:
        return block_platform_confirm(actor=request.user, block=block, request=request)
