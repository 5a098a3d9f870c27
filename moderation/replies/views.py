"""Reply pages: the reply form of an item (also reached from the conversation view's panel),
a reply with its decisions (approve, reject, send again, checked), the approval queue and
the saved replies.

Items and replies the user may not read answer 404; actions they may see but not do 403.
Every change goes through ``moderation.replies.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.input import parse_int
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.errors import safe_next_url
from accounts.views.submissions import submit_form
from moderation.common.permissions import user_may_use_inbox
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.forms import RejectForm
from moderation.replies.forms import ReplyForm
from moderation.replies.forms import ResolveForm
from moderation.replies.forms import SavedReplyForm
from moderation.replies.panel import reply_panel_context
from moderation.replies.permissions import user_may_approve_reply
from moderation.replies.permissions import user_may_change_saved_reply
from moderation.replies.permissions import user_may_maintain_saved_replies
from moderation.replies.permissions import user_may_write_reply
from moderation.replies.selectors import items_for_reading
from moderation.replies.selectors import replies_awaiting_approval_for
from moderation.replies.selectors import replies_for_user
from moderation.replies.selectors import saved_replies_for_item
from moderation.replies.selectors import saved_replies_for_user
from moderation.replies.services import reply_approve
from moderation.replies.services import reply_create
from moderation.replies.services import reply_reject
from moderation.replies.services import reply_resolve
from moderation.replies.services import reply_retry
from moderation.replies.services import saved_reply_create
from moderation.replies.services import saved_reply_delete
from moderation.replies.services import saved_reply_update
from moderation.replies.texts import PLACEHOLDERS

REFUSALS = (ValidationError, PermissionDenied, DomainError)


def _item(request: AuthenticatedHttpRequest, pk: int) -> InboxItem:
    return get_object_or_404(items_for_reading(request.user), pk=pk)


def _reply(request: AuthenticatedHttpRequest, pk: int) -> Reply:
    return get_object_or_404(replies_for_user(request.user), pk=pk)


class ItemReplyView(PermissionMixin, View):
    """The item and its replies with the reply form. ``?saved_reply=<id>`` fills the form
    with that saved reply (the picker without JavaScript), ``?from_reply=<id>`` with the
    text of an earlier (rejected) reply."""

    permission = staticmethod(user_may_use_inbox)
    template_name = "moderation/replies/item.html"

    def _render(
        self,
        request: AuthenticatedHttpRequest,
        item: InboxItem,
        status: int = 200,
        **panel: Any,
    ) -> HttpResponse:
        context = reply_panel_context(request.user, item, **panel)
        return render(request, self.template_name, {"item": item, "panel": context}, status=status)

    def get(self, request: AuthenticatedHttpRequest, item_pk: int) -> HttpResponse:
        item = _item(request, item_pk)
        chosen = None
        text = None
        if request.GET.get("saved_reply"):
            chosen = get_object_or_404(
                saved_replies_for_item(request.user, item),
                pk=parse_int(request.GET["saved_reply"]),
            )
        elif request.GET.get("from_reply"):
            earlier = get_object_or_404(
                replies_for_user(request.user).filter(item=item),
                pk=parse_int(request.GET["from_reply"]),
            )
            text = earlier.text
        own = reverse("replies:item", args=[item.pk])
        next_url = safe_next_url(request, own, request.GET.get("next", ""))
        return self._render(request, item, chosen=chosen, text=text, next_url=next_url)

    def post(self, request: AuthenticatedHttpRequest, item_pk: int) -> HttpResponse:
        item = _item(request, item_pk)
        if not user_may_write_reply(request.user, item):
            raise PermissionDenied
        form = ReplyForm(request.POST)
        reply = submit_form(
            request,
            form,
            lambda data: reply_create(
                actor=request.user,
                item=item,
                text=data["text"],
                saved_reply=_saved_reply(request, item, data["saved_reply"]),
                request=request,
            ),
            success=_reply_sent_message,
            refusals=REFUSALS,
        )
        if reply is not None:
            default = reverse("replies:item", args=[item.pk])
            return redirect(safe_next_url(request, default, form.cleaned_data["next"]))
        return self._render(request, item, status=400, form=form)


def _saved_reply(
    request: AuthenticatedHttpRequest, item: InboxItem, pk: int | None
) -> SavedReply | None:
    """The saved reply chosen in the form, if the user may use it for this item."""
    if not pk:
        return None
    return saved_replies_for_item(request.user, item).filter(pk=pk).first()


def _reply_sent_message(reply: Reply) -> str:
    if reply.status == Reply.Status.AWAITING_APPROVAL:
        return _("The reply waits for the approval of another community manager.")
    return _("The reply is being sent.")


class ReplyDetailView(PermissionMixin, View):
    permission = staticmethod(user_may_use_inbox)
    template_name = "moderation/replies/detail.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, _reply(request, pk))

    def render_page(
        self,
        request: AuthenticatedHttpRequest,
        reply: Reply,
        *,
        reject_form: RejectForm | None = None,
        resolve_form: ResolveForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        user = request.user
        may_write = user_may_write_reply(user, reply.item)
        return render(
            request,
            self.template_name,
            {
                "reply": reply,
                "may_decide": reply.status == Reply.Status.AWAITING_APPROVAL
                and user_may_approve_reply(user, reply),
                "is_author": reply.author_id == user.pk,
                "may_retry": may_write and reply.status == Reply.Status.FAILED,
                "may_resolve": may_write and reply.status == Reply.Status.NEEDS_CHECK,
                "may_rewrite": may_write and reply.status == Reply.Status.REJECTED,
                "reject_form": reject_form or RejectForm(),
                "resolve_form": resolve_form or ResolveForm(),
            },
            status=status,
        )


class _ReplyActionView(ReplyDetailView):
    http_method_names = ["post"]

    def act(self, request: AuthenticatedHttpRequest, reply: Reply) -> HttpResponse | None:
        raise NotImplementedError

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        reply = _reply(request, pk)
        try:
            response = self.act(request, reply)
        except REFUSALS as error:
            if isinstance(error, PermissionDenied):
                raise
            report_errors(request, error)
            response = None
        return response or redirect(
            safe_next_url(request, reverse("replies:detail", args=[reply.pk]))
        )


class ReplyApproveView(_ReplyActionView):
    def act(self, request: AuthenticatedHttpRequest, reply: Reply) -> HttpResponse | None:
        reply_approve(actor=request.user, reply=reply, request=request)
        messages.success(request, _("Approved. The reply is being sent."))
        return None


class ReplyRejectView(_ReplyActionView):
    def act(self, request: AuthenticatedHttpRequest, reply: Reply) -> HttpResponse | None:
        form = RejectForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, reply, reject_form=form, status=400)
        try:
            reply_reject(
                actor=request.user,
                reply=reply,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            report_errors(request, error, form)
            return self.render_page(request, reply, reject_form=form, status=400)
        messages.success(request, _("Rejected. The author sees your reason; the text is kept."))
        return None


class ReplyRetryView(_ReplyActionView):
    def act(self, request: AuthenticatedHttpRequest, reply: Reply) -> HttpResponse | None:
        reply_retry(actor=request.user, reply=reply, request=request)
        messages.success(request, _("The reply is being sent again."))
        return None


class ReplyResolveView(_ReplyActionView):
    def act(self, request: AuthenticatedHttpRequest, reply: Reply) -> HttpResponse | None:
        form = ResolveForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, reply, resolve_form=form, status=400)
        reply_resolve(
            actor=request.user,
            reply=reply,
            found=form.cleaned_data["found"],
            remote_url=form.cleaned_data["remote_url"],
            request=request,
        )
        messages.success(request, _("Thank you: the reply's status is updated."))
        return None


class ApprovalQueueView(PermissionMixin, View):
    """Replies waiting for the user's approval (never their own)."""

    permission = staticmethod(user_may_use_inbox)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(replies_awaiting_approval_for(request.user), 25).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "moderation/replies/approvals.html",
            {"page": page, "reject_form": RejectForm()},
        )


# --- Saved replies ---------------------------------------------------------------------------


def _saved(request: AuthenticatedHttpRequest, pk: int) -> SavedReply:
    return get_object_or_404(saved_replies_for_user(request.user), pk=pk)


class SavedReplyListView(PermissionMixin, View):
    permission = staticmethod(user_may_use_inbox)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        page = Paginator(saved_replies_for_user(user), 50).get_page(request.GET.get("page"))
        return render(
            request,
            "moderation/replies/saved_list.html",
            {
                "page": page,
                "rows": [(s, user_may_change_saved_reply(user, s)) for s in page],
                "may_create": user_may_maintain_saved_replies(user),
                "placeholders": PLACEHOLDERS,
            },
        )


class SavedReplyCreateView(PermissionMixin, View):
    permission = staticmethod(user_may_maintain_saved_replies)
    template_name = "moderation/replies/saved_form.html"

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = SavedReplyForm(user=request.user, initial={"shared": True})
        return render(request, self.template_name, {"form": form, "saved": None})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = SavedReplyForm(request.POST, user=request.user)
        created = submit_form(
            request,
            form,
            lambda data: saved_reply_create(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                text=data["text"],
                shared=data["shared"],
                purpose=data["purpose"],
                request=request,
            ),
            success=_("The saved reply was created."),
            refusals=REFUSALS,
        )
        if created is not None:
            return redirect("replies:saved_list")
        return render(request, self.template_name, {"form": form, "saved": None}, status=400)


class SavedReplyUpdateView(PermissionMixin, View):
    permission = staticmethod(user_may_maintain_saved_replies)
    template_name = "moderation/replies/saved_form.html"

    def _saved(self, request: AuthenticatedHttpRequest, pk: int) -> SavedReply:
        saved = _saved(request, pk)
        if not user_may_change_saved_reply(request.user, saved):
            raise PermissionDenied
        return saved

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        saved = self._saved(request, pk)
        form = SavedReplyForm(
            user=request.user,
            initial={
                "title": saved.title,
                "text": saved.text,
                "unit": saved.unit_id,
                "shared": saved.owner_id is None,
                "purpose": saved.purpose,
            },
        )
        return render(request, self.template_name, {"form": form, "saved": saved})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        saved = self._saved(request, pk)
        form = SavedReplyForm(request.POST, user=request.user)
        changed = submit_form(
            request,
            form,
            lambda data: saved_reply_update(
                actor=request.user, saved=saved, request=request, **data
            ),
            success=_("The saved reply was changed."),
            refusals=REFUSALS,
        )
        if changed is not None:
            return redirect("replies:saved_list")
        return render(request, self.template_name, {"form": form, "saved": saved}, status=400)


class SavedReplyDeleteView(SavedReplyUpdateView):
    template_name = "moderation/replies/saved_delete.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        saved = self._saved(request, pk)
        return render(
            request,
            self.template_name,
            {"saved": saved, "back_url": reverse("replies:saved_list")},
        )

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        saved = self._saved(request, pk)
        saved_reply_delete(actor=request.user, saved=saved, request=request)
        messages.success(request, _("The saved reply was deleted."))
        return redirect("replies:saved_list")
