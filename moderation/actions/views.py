"""Pages of the moderation actions: the decisions on one item with the decision form (the
same panel as in the conversation view, which posts here), retrying a failed platform call,
and the list of decisions for review. Items the user may not read answer 404, decisions of
a reader 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.errors import redirect_to_next
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from moderation.actions.forms import ActionForm
from moderation.actions.forms import report_decision_refusal
from moderation.actions.panels import actions_panel_context
from moderation.actions.permissions import user_may_act
from moderation.actions.selectors import actions_for_user
from moderation.actions.services import action_retry
from moderation.actions.services import action_take
from moderation.common.permissions import channels_for_reading
from moderation.common.permissions import user_may_use_inbox
from moderation.models import InboxItem
from moderation.models import ModerationAction


def _item(request: AuthenticatedHttpRequest, item_id: int) -> InboxItem:
    items = InboxItem.objects.filter(channel__in=channels_for_reading(request.user))
    return get_object_or_404(items.select_related("channel__unit", "author"), pk=item_id)


def _decision_message(action: ModerationAction) -> str:
    return _("Decision recorded: %(kind)s.") % {"kind": action.get_kind_display()} + (
        " " + _("It is being carried out at the platform.")
        if action.status == ModerationAction.Status.PENDING
        else ""
    )


class ItemActionsView(PermissionMixin, View):
    template_name = "moderation/actions/item.html"

    def _render(
        self, request: AuthenticatedHttpRequest, item: InboxItem, form: ActionForm | None = None
    ) -> HttpResponse:
        panel = actions_panel_context(request.user, item, form)
        return render(
            request,
            self.template_name,
            {"item": item, "panel": panel},
            status=400 if form is not None else 200,
        )

    def get(self, request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
        return self._render(request, _item(request, item_id))

    def post(self, request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
        item = _item(request, item_id)
        if not user_may_act(request.user, item):
            raise PermissionDenied
        form = ActionForm(request.POST, item=item)
        action = submit_form(
            request,
            form,
            lambda data: action_take(
                actor=request.user,
                item=item,
                kind=data["kind"],
                rule=data["rule"],
                justification=data["justification"],
                why_not_milder=data["why_not_milder"],
                reply_text=data["reply_text"],
                review_due_on=data["review_due_on"],
                request=request,
            ),
            success=_decision_message,
            refusals=(DomainError, ValidationError),
            report=report_decision_refusal,
        )
        if action is not None:
            return redirect_to_next(request, reverse("actions:item", args=[item.pk]))
        return self._render(request, item, form)


class ActionRetryView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        action = get_object_or_404(actions_for_user(request.user), pk=pk)
        carry_out(
            request,
            lambda: action_retry(actor=request.user, action=action, request=request),
            success=_("The action is being tried again."),
            refusals=(DomainError,),
        )
        return redirect_to_next(request, reverse("actions:item", args=[action.item_id]))


class ActionListView(PermissionMixin, View):
    permission = staticmethod(user_may_use_inbox)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        actions = actions_for_user(request.user).order_by("-created_at", "-id")
        kind = request.GET.get("kind", "")
        if kind in ModerationAction.Kind.values:
            actions = actions.filter(kind=kind)
        status = request.GET.get("status", "")
        if status in ModerationAction.Status.values:
            actions = actions.filter(status=status)
        page = Paginator(actions, 50).get_page(request.GET.get("page"))
        query = "&".join(f"{k}={v}" for k, v in (("kind", kind), ("status", status)) if v)
        return render(
            request,
            "moderation/actions/list.html",
            {
                "page": page,
                "query": query,
                "kind": kind,
                "status": status,
                "kinds": ModerationAction.Kind.choices,
                "statuses": ModerationAction.Status.choices,
            },
        )
