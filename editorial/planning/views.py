"""Pages of the Redaktionsplan: month, week and list views, moving posts, topic slots, the
iCal feed and the CSV export. Thin: parse, check, call one service, render."""

from __future__ import annotations

from datetime import date
from datetime import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.errors import safe_next_url
from accounts.views.submissions import submit_form
from editorial.common.links import post_url
from editorial.common.timeutil import BERLIN
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.planning.forms import CalendarFilterForm
from editorial.planning.forms import PostMoveForm
from editorial.planning.forms import SlotForm
from editorial.planning.forms import SlotWritePostForm
from editorial.planning.grid import csv_export
from editorial.planning.grid import day_cells
from editorial.planning.grid import period_title
from editorial.planning.grid import week_rows
from editorial.planning.grid import weekday_names
from editorial.planning.holidays import holidays_for_user
from editorial.planning.ical import calendar_text
from editorial.planning.ical import event_for_post
from editorial.planning.permissions import move_rights_for
from editorial.planning.permissions import user_may_edit_slot
from editorial.planning.permissions import user_may_use_calendar
from editorial.planning.selectors import DEFAULT_SLOT_TIME
from editorial.planning.selectors import calendar_entries as calendar_entries_for
from editorial.planning.selectors import feed_posts_for_user
from editorial.planning.selectors import feed_token_active
from editorial.planning.selectors import feed_user_for_secret
from editorial.planning.selectors import period_for
from editorial.planning.selectors import slot_needs_occurrence_choice
from editorial.planning.selectors import slots_for_user
from editorial.planning.services import feed_token_create
from editorial.planning.services import feed_token_revoke
from editorial.planning.services import slot_create
from editorial.planning.services import slot_delete
from editorial.planning.services import slot_update
from editorial.planning.services import slot_write_post
from editorial.posts.permissions import user_may_approve_post
from editorial.posts.permissions import user_may_edit_post
from editorial.posts.selectors import post_list_for_user
from editorial.posts.selectors import units_for_authoring
from editorial.posts.services import post_reschedule
from editorial.posts.status import TransitionError


def _user(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _calendar_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("planning:index") + (f"?{query}" if query else "")


def _back_to_month(request: AuthenticatedHttpRequest, day: date) -> str:
    """Where a slot's pages lead back to: the safe ``next``, else the slot's month."""
    return safe_next_url(request, _calendar_url(view="month", date=day))


def _slot_page(
    request: AuthenticatedHttpRequest,
    template: str,
    slot: CalendarSlot,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    context = {"slot": slot, "back_url": _back_to_month(request, slot.day), **context}
    return render(request, template, context, status=status)


class CalendarView(PermissionMixin, View):
    """``?view=month|week|list&date=YYYY-MM-DD`` plus filters; ``&format=csv`` exports."""

    permission = user_may_use_calendar

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
        user = _user(request)
        form = CalendarFilterForm(request.GET or None, user=user)
        filters = form.filters()
        period = period_for(form.view_name(), form.anchor())
        entries = calendar_entries_for(user, period.start, period.end, filters)
        if request.GET.get("format") == "csv":
            return csv_export(entries, period)
        holidays = holidays_for_user(user, period.start, period.end, unit=filters.unit)
        rights = move_rights_for(user)
        for entry in entries:
            entry.may_move = entry.post is not None and rights.allows(entry.post)
            entry.may_edit = entry.slot is not None and rights.allows_slot(entry.slot)
        today = timezone.localdate(timezone=BERLIN)
        days = day_cells(period, entries, holidays, today)
        base = {k: v for k, v in request.GET.items() if k not in ("date", "view", "format")}
        legend = sorted(
            {tag.id: tag for entry in entries for tag in entry.channels}.values(),
            key=lambda tag: tag.name.lower(),
        )
        context = {
            "form": form,
            "period": period,
            "view": period.view,
            "title": period_title(period),
            "entries": entries,
            "days": days,
            "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
            "week_rows": week_rows(days) if period.view == "week" else [],
            "weekday_names": weekday_names(),
            "holidays": [(day, names) for day, names in sorted(holidays.items())],
            "legend": legend,
            "today": today,
            "previous_url": _calendar_url(**base, view=period.view, date=period.previous),
            "next_url": _calendar_url(**base, view=period.view, date=period.following),
            "today_url": _calendar_url(**base, view=period.view),
            "view_urls": [
                (name, label, _calendar_url(**base, view=name, date=period.anchor))
                for name, label in (("month", _("Month")), ("week", _("Week")), ("list", _("List")))
            ],
            "csv_url": _calendar_url(**base, view=period.view, date=period.anchor, format="csv"),
            "here": request.get_full_path(),
            "may_plan": units_for_authoring(user).exists(),
            "feed_token": feed_token_active(user),
        }
        return render(request, "editorial/planning/index.html", context)


# --- Moving a post ---------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class PostMoveView(PermissionMixin, View):
    """A small form (date, time, and the summer/winter choice when needed); the calendar's
    drag and drop posts to the same address and gets JSON back."""

    permission = user_may_use_calendar

    def _post(self, request: AuthenticatedHttpRequest, pk: int) -> Post:
        user = _user(request)
        # Another unit's post does not exist for this user (404); one they can see but may
        # neither edit nor approve is forbidden (403).
        post = get_object_or_404(post_list_for_user(user), pk=pk)
        if not (user_may_edit_post(user, post) or user_may_approve_post(user, post)):
            raise PermissionDenied
        return post

    def _render(
        self, request: AuthenticatedHttpRequest, post: Post, form: PostMoveForm
    ) -> HttpResponse:
        return render(
            request,
            "editorial/planning/move.html",
            {
                "post": post,
                "form": form,
                "post_url": post_url(post.pk),
                "next": safe_next_url(request, ""),
                "back_url": safe_next_url(request, reverse("planning:index")),
            },
            status=400 if form.is_bound else 200,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self._post(request, pk)
        initial: dict[str, Any] = {}
        if post.planned_at:
            local = timezone.localtime(post.planned_at, BERLIN)
            initial = {"date": local.date(), "time": local.time().replace(second=0)}
        return self._render(request, post, PostMoveForm(initial=initial))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self._post(request, pk)
        form = PostMoveForm(request.POST)
        if form.is_valid():
            try:
                post = post_reschedule(
                    actor=_user(request),
                    post=post,
                    planned_at=form.cleaned_data["planned_at"],
                    request=request,
                )
            except (ValidationError, TransitionError) as error:
                report_errors(request, error, form)
        if not form.is_valid():
            if _wants_json(request):
                errors = [str(e) for errors in form.errors.values() for e in errors]
                return JsonResponse(
                    {
                        "ok": False,
                        "errors": errors,
                        "needs_choice": form.show_occurrence,
                        "form_url": request.path,
                    },
                    status=400,
                )
            return self._render(request, post, form)
        assert post.planned_at is not None
        local = timezone.localtime(post.planned_at, BERLIN)
        text = _("“%(title)s” now planned for %(when)s.") % {
            "title": post.title,
            "when": date_format(local, "SHORT_DATETIME_FORMAT"),
        }
        # Also for drag and drop: the page reloads and shows the message there.
        messages.success(request, text)
        if _wants_json(request):
            return JsonResponse({"ok": True, "message": text, "planned_at": local.isoformat()})
        return HttpResponseRedirect(
            safe_next_url(request, _calendar_url(view="week", date=local.date()))
        )


# --- Topic slots -----------------------------------------------------------------------------


def _may_plan(user: User) -> bool:
    return units_for_authoring(user).exists()


def _slot_for(request: AuthenticatedHttpRequest, pk: int, *, edit: bool = True) -> CalendarSlot:
    slot = get_object_or_404(slots_for_user(_user(request)), pk=pk)
    if edit and not user_may_edit_slot(_user(request), slot):
        raise PermissionDenied
    return slot


def _slot_data(form: SlotForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["channels"] = list(data.pop("channels"))
    return data


class SlotCreateView(PermissionMixin, View):
    permission = _may_plan

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        if request.GET.get("date"):
            initial["day"] = request.GET["date"]
        units = units_for_authoring(_user(request))
        if units.count() == 1:
            initial["unit"] = units.first()
        form = SlotForm(initial=initial, user=_user(request))
        return self._render(request, form)

    def _render(
        self, request: AuthenticatedHttpRequest, form: SlotForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "editorial/planning/slot_form.html",
            {
                "form": form,
                "slot": None,
                "back_url": safe_next_url(request, reverse("planning:index")),
            },
            status=status,
        )

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = SlotForm(request.POST, user=_user(request))
        slot = submit_form(
            request,
            form,
            lambda data: slot_create(actor=_user(request), request=request, **_slot_data(form)),
            success=lambda slot: _("Topic slot “%(title)s” planned.") % {"title": slot},
            refusals=(ValidationError,),
        )
        if slot is not None:
            return HttpResponseRedirect(_back_to_month(request, slot.day))
        return self._render(request, form, status=400)


class SlotEditView(PermissionMixin, View):
    permission = user_may_use_calendar

    def _render(
        self,
        request: AuthenticatedHttpRequest,
        slot: CalendarSlot,
        form: SlotForm,
        status: int = 200,
    ) -> HttpResponse:
        return _slot_page(request, "editorial/planning/slot_form.html", slot, status, form=form)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        slot = _slot_for(request, pk)
        return self._render(request, slot, SlotForm.filled_from(slot, user=_user(request)))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        slot = _slot_for(request, pk)
        form = SlotForm(request.POST, user=_user(request))
        saved = submit_form(
            request,
            form,
            lambda data: slot_update(
                actor=_user(request), slot=slot, request=request, **_slot_data(form)
            ),
            success=lambda saved: _("Topic slot “%(title)s” saved.") % {"title": saved},
            refusals=(ValidationError,),
        )
        if saved is not None:
            return HttpResponseRedirect(_back_to_month(request, saved.day))
        return self._render(request, slot, form, status=400)


class SlotDeleteView(PermissionMixin, View):
    permission = user_may_use_calendar

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return _slot_page(request, "editorial/planning/slot_delete.html", _slot_for(request, pk))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        slot = _slot_for(request, pk)
        day, title = slot.day, slot.title
        slot_delete(actor=_user(request), slot=slot, request=request)
        messages.success(request, _("Topic slot “%(title)s” deleted.") % {"title": title})
        return HttpResponseRedirect(_back_to_month(request, day))


class SlotWritePostView(PermissionMixin, View):
    """Confirm, then create the draft for a slot (with the summer/winter choice if its time
    falls into the doubled autumn hour)."""

    permission = user_may_use_calendar

    def _render(
        self,
        request: AuthenticatedHttpRequest,
        slot: CalendarSlot,
        form: SlotWritePostForm,
        status: int = 200,
    ) -> HttpResponse:
        return _slot_page(request, "editorial/planning/slot_write.html", slot, status, form=form)

    def _form(self, slot: CalendarSlot, data: Any = None) -> SlotWritePostForm:
        form = SlotWritePostForm(data, slot_day=slot.day, slot_time=_slot_time(slot))
        form.show_occurrence = form.show_occurrence or slot_needs_occurrence_choice(slot)
        return form

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        slot = _slot_for(request, pk)
        if slot.post_id:
            return HttpResponseRedirect(post_url(slot.post_id))
        return self._render(request, slot, self._form(slot))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        slot = _slot_for(request, pk)
        form = self._form(slot, request.POST)
        if form.is_valid():
            try:
                post = slot_write_post(
                    actor=_user(request),
                    slot=slot,
                    second_occurrence=form.cleaned_data["second_occurrence"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Draft “%(title)s” created from the slot.") % {"title": post}
                )
                return HttpResponseRedirect(post_url(post.pk))
        return self._render(request, slot, form, status=400)


def _slot_time(slot: CalendarSlot) -> time:
    return slot.time or DEFAULT_SLOT_TIME


# --- iCal feed -------------------------------------------------------------------------------


class FeedCreateView(PermissionMixin, View):
    permission = user_may_use_calendar

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        created = feed_token_create(user=_user(request), request=request)
        path = reverse("planning:feed", kwargs={"token": created.secret})
        response = render(
            request,
            "editorial/planning/feed_created.html",
            {"feed_url": f"{settings.SITE_URL}{path}"},
        )
        # The secret is shown once: no cache may keep it.
        response.headers["Cache-Control"] = "no-store"
        return response


class FeedRevokeView(PermissionMixin, View):
    permission = user_may_use_calendar

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        token = feed_token_active(_user(request))
        if token is not None:
            feed_token_revoke(actor=_user(request), token=token, request=request)
            messages.success(request, _("The calendar feed address no longer works."))
        return HttpResponseRedirect(reverse("planning:index") + "#feed")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribed calendar. No session: the secret in the address is the key, so an
    unknown, revoked or deactivated owner's address answers 404 like any unknown page."""
    user = feed_user_for_secret(token)
    if user is None:
        raise Http404
    with translation.override(user.language):
        events = [event_for_post(post) for post in feed_posts_for_user(user)]
        text = calendar_text(_("Sprachrohr editorial calendar"), events)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="redaktionsplan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
