"""Inbox pages: the list across every readable channel (filters, keyset pages, bulk
actions) and the conversation of one item (thread, author's history, notes, revisions,
flags, the panels of the other features, triage forms, who else is looking).

An item on a channel the user cannot read answers 404; a change by someone who only reads
answers 403. Every change goes through ``moderation.inbox.services``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.input import int_list
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.errors import safe_next_url
from accounts.views.form_messages import report_form_errors
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from moderation.common.panels import item_panels_for
from moderation.inbox.forms import AssignForm
from moderation.inbox.forms import BulkForm
from moderation.inbox.forms import InboxFilterForm
from moderation.inbox.forms import NoteForm
from moderation.inbox.forms import PriorityForm
from moderation.inbox.forms import SnoozeForm
from moderation.inbox.forms import StatusForm
from moderation.inbox.permissions import user_may_act_on_item
from moderation.inbox.permissions import user_may_read_inbox
from moderation.inbox.permissions import user_may_triage
from moderation.inbox.presence import POLL_SECONDS
from moderation.inbox.presence import presence_leave
from moderation.inbox.presence import presence_touch
from moderation.inbox.presence import presence_viewers
from moderation.inbox.selectors import InvalidPageKeyError
from moderation.inbox.selectors import assignable_teams
from moderation.inbox.selectors import assignable_teams_for_channels
from moderation.inbox.selectors import assignable_users
from moderation.inbox.selectors import assignable_users_for_channels
from moderation.inbox.selectors import attach_channels
from moderation.inbox.selectors import author_earlier_items
from moderation.inbox.selectors import inbox_item_for_user
from moderation.inbox.selectors import inbox_items_for_user
from moderation.inbox.selectors import inbox_items_list
from moderation.inbox.selectors import item_ancestors
from moderation.inbox.selectors import item_children
from moderation.inbox.selectors import item_notes
from moderation.inbox.selectors import item_revisions
from moderation.inbox.selectors import keyset_page
from moderation.inbox.selectors import visible_channels
from moderation.inbox.services import inbox_item_assign
from moderation.inbox.services import inbox_item_open
from moderation.inbox.services import inbox_item_set_priority
from moderation.inbox.services import inbox_item_set_status
from moderation.inbox.services import inbox_item_snooze
from moderation.inbox.services import inbox_items_bulk_update
from moderation.inbox.services import inbox_note_add
from moderation.inbox.status import allowed_targets
from moderation.models import InboxItem

# Query parameters that are not filters: the page key and the view's own.
_NOT_FILTERS = {"after", "before"}


def _user(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _item(request: AuthenticatedHttpRequest, pk: int) -> InboxItem:
    item = inbox_item_for_user(_user(request), pk)
    if item is None:
        raise Http404
    return item


class InboxListView(PermissionMixin, View):
    """One list across every channel the user reads, newest first, a page at a time."""

    template_name = "moderation/inbox/index.html"

    @staticmethod
    def permission(user: User) -> bool:
        return user_may_read_inbox(user)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = _user(request)
        channels = visible_channels(user)
        users = assignable_users_for_channels(channels)
        teams = assignable_teams_for_channels(channels)
        form = InboxFilterForm(request.GET or None, channels=channels, users=users, teams=teams)
        if form.is_bound:
            form.is_valid()
        filters = form.filters()
        listing = inbox_items_list(user, filters, channels=channels)
        try:
            page = keyset_page(
                listing,
                after=request.GET.get("after") or None,
                before=request.GET.get("before") or None,
            )
        except InvalidPageKeyError:
            messages.error(request, _("That page link is not valid any more: first page shown."))
            page = keyset_page(listing)
        now = timezone.now()
        attach_channels(page, channels, now)
        query = urlencode(
            [(k, v) for k, values in request.GET.lists() if k not in _NOT_FILTERS for v in values]
        )
        may_triage = user_may_triage(user)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "page": page,
                "query": query,
                "filtered": bool(query),
                "now": now,
                "may_triage": may_triage,
                # Own ids: the filter form above has fields of the same names.
                "bulk_form": BulkForm(users=users, teams=teams, auto_id="bulk_%s")
                if may_triage
                else None,
                "current_url": request.get_full_path(),
            },
        )


class ItemView(PermissionMixin, View):
    """The conversation of one item. A community manager opening a new item opens it."""

    template_name = "moderation/inbox/item.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk)
        if item.status == InboxItem.Status.NEW:
            inbox_item_open(actor=_user(request), item=item, request=request)
            item = _item(request, pk)
        return render(request, self.template_name, item_context(request, item))


def item_context(
    request: AuthenticatedHttpRequest, item: InboxItem, **forms: Any
) -> dict[str, Any]:
    user = _user(request)
    presence_touch(item_id=item.pk, user=user)
    may_act = user_may_act_on_item(user, item)
    now = timezone.now()
    context: dict[str, Any] = {
        "item": item,
        "ancestors": item_ancestors(item),
        "children": item_children(item),
        "earlier": author_earlier_items(item),
        "notes": item_notes(item),
        "revisions": item_revisions(item),
        "panels": item_panels_for(user, item),
        "viewers": presence_viewers(item_id=item.pk, exclude_user_id=user.pk),
        "poll_seconds": POLL_SECONDS,
        "may_act": may_act,
        "now": now,
    }
    if may_act:
        targets = sorted(allowed_targets(item.status))
        context.update(
            # Own ids: the panels of other features share the page.
            status_form=StatusForm(targets=targets, auto_id="triage_%s"),
            priority_form=PriorityForm(initial={"priority": item.priority}, auto_id="triage_%s"),
            assign_form=AssignForm(
                users=assignable_users(item.channel),
                teams=assignable_teams(item.channel),
                initial={"assignee": item.assignee_id, "team": item.team_id},
                auto_id="triage_%s",
            ),
            snooze_form=SnoozeForm(
                auto_id="triage_%s",
                initial={
                    "snoozed_until": timezone.localtime(item.snoozed_until)
                    if item.snoozed_until
                    else None
                },
            ),
            note_form=NoteForm(auto_id="note_%s"),
        )
    context.update(forms)
    return context


class _ItemChangeView(PermissionMixin, View):
    """POST of one triage form of the conversation; back to the conversation, with what the
    form or the service refused as messages."""

    http_method_names = ["post"]
    form_class: type[BaseForm]

    def form(self, request: AuthenticatedHttpRequest, item: InboxItem) -> BaseForm:
        return self.form_class(request.POST)

    def apply(
        self, request: AuthenticatedHttpRequest, item: InboxItem, data: dict[str, Any]
    ) -> str:
        """Call the service with the form's data; return the success message."""
        raise NotImplementedError

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk)
        if not user_may_act_on_item(_user(request), item):
            raise PermissionDenied
        form = self.form(request, item)
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect("inbox:item", pk=item.pk)
        carry_out(
            request,
            lambda: self.apply(request, item, form.cleaned_data),
            success=lambda message: message,
        )
        return redirect("inbox:item", pk=item.pk)


class ItemStatusView(_ItemChangeView):
    form_class = StatusForm

    def apply(
        self, request: AuthenticatedHttpRequest, item: InboxItem, data: dict[str, Any]
    ) -> str:
        inbox_item_set_status(
            actor=_user(request), item=item, status=data["status"], request=request
        )
        return _("Status changed.")


class ItemPriorityView(_ItemChangeView):
    form_class = PriorityForm

    def apply(
        self, request: AuthenticatedHttpRequest, item: InboxItem, data: dict[str, Any]
    ) -> str:
        inbox_item_set_priority(
            actor=_user(request), item=item, priority=data["priority"], request=request
        )
        return _("Priority changed.")


class ItemAssignView(_ItemChangeView):
    def form(self, request: AuthenticatedHttpRequest, item: InboxItem) -> BaseForm:
        return AssignForm(
            request.POST, users=assignable_users(item.channel), teams=assignable_teams(item.channel)
        )

    def apply(
        self, request: AuthenticatedHttpRequest, item: InboxItem, data: dict[str, Any]
    ) -> str:
        inbox_item_assign(
            actor=_user(request),
            item=item,
            assignee=data["assignee"],
            team=data["team"],
            request=request,
        )
        return _("Assignment saved.")


class ItemSnoozeView(_ItemChangeView):
    form_class = SnoozeForm

    def apply(
        self, request: AuthenticatedHttpRequest, item: InboxItem, data: dict[str, Any]
    ) -> str:
        until = data["snoozed_until"]
        inbox_item_snooze(actor=_user(request), item=item, until=until, request=request)
        if until:
            return _("Snoozed until %(time)s.") % {
                "time": timezone.localtime(until).strftime("%d.%m.%Y %H:%M")
            }
        return _("The item is back in the list.")


class NoteCreateView(PermissionMixin, View):
    """Add an internal note; a refused note is shown again with its text."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = _item(request, pk)
        if not user_may_act_on_item(_user(request), item):
            raise PermissionDenied
        form = NoteForm(request.POST, auto_id="note_%s")
        note = submit_form(
            request,
            form,
            lambda data: inbox_note_add(
                actor=_user(request), item=item, text=data["text"], request=request
            ),
            success=_("Note added."),
            refusals=(ValidationError,),
        )
        if note is not None:
            return redirect(reverse("inbox:item", args=[item.pk]) + "#notes")
        return render(
            request,
            ItemView.template_name,
            item_context(request, item, note_form=form),
            status=400,
        )


class BulkView(PermissionMixin, View):
    """Apply one change to the items ticked in the list; back to the same list page."""

    http_method_names = ["post"]

    @staticmethod
    def permission(user: User) -> bool:
        return user_may_read_inbox(user)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = _user(request)
        back = safe_next_url(request, reverse("inbox:index"))
        if not user_may_triage(user):
            raise PermissionDenied
        channels = visible_channels(user)
        form = BulkForm(
            request.POST,
            users=assignable_users_for_channels(channels),
            teams=assignable_teams_for_channels(channels),
        )
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect(back)
        data = form.cleaned_data
        items = list(inbox_items_for_user(user).filter(pk__in=int_list(data["items"])))
        if not items:
            raise Http404
        try:
            result = inbox_items_bulk_update(
                actor=user,
                items=items,
                action=data["action"],
                status=data["status"] or None,
                assignee=data["assignee"],
                team=data["team"],
                priority=data["priority"],
                snoozed_until=data["snoozed_until"],
                request=request,
            )
        except (ValidationError, DomainError) as error:
            report_errors(request, error)
            return redirect(back)
        if result.changed:
            messages.success(
                request,
                ngettext("%(count)d item changed.", "%(count)d items changed.", len(result.changed))
                % {"count": len(result.changed)},
            )
        if result.unchanged:
            messages.info(
                request,
                ngettext(
                    "%(count)d item was already like that.",
                    "%(count)d items were already like that.",
                    len(result.unchanged),
                )
                % {"count": len(result.unchanged)},
            )
        for pk, reason in result.refused.items():
            messages.error(
                request,
                _("Item %(number)d left unchanged: %(reason)s") % {"number": pk, "reason": reason},
            )
        return redirect(back)


class PresenceView(PermissionMixin, View):
    """JSON for the conversation's script: POST says "I still have it open" and answers
    who else has; GET only answers; DELETE says "I left" (the page is closed)."""

    http_method_names = ["get", "post", "delete"]

    def _answer(self, request: AuthenticatedHttpRequest, item: InboxItem) -> JsonResponse:
        viewers = presence_viewers(item_id=item.pk, exclude_user_id=_user(request).pk)
        return JsonResponse({"viewers": viewers, "poll_seconds": POLL_SECONDS})

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
        return self._answer(request, _presence_item(request, pk))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
        item = _presence_item(request, pk)
        presence_touch(item_id=item.pk, user=_user(request))
        return self._answer(request, item)

    def delete(self, request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
        item = _presence_item(request, pk)
        presence_leave(item_id=item.pk, user=_user(request))
        return self._answer(request, item)


def _presence_item(request: AuthenticatedHttpRequest, pk: int) -> InboxItem:
    # Only the visibility check: no joins, this runs every few seconds per open page.
    item = inbox_items_for_user(_user(request)).only("id", "channel_id").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item
