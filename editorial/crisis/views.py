"""Crisis-mode pages: pauses, missed posts after a pause, emergency posts.

The pages are for whoever the navigation shows them to (``user_may_use_crisis_mode``: the
pausing roles and editors); everyone else gets 403. Pauses that do not concern the user
answer 404; actions the user may see but not do answer 403. Every change goes through
``editorial.crisis.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ConflictError
from accounts.http import AuthenticatedHttpRequest
from accounts.input import parse_int
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.errors import safe_next_url
from accounts.views.outcomes import carry_out
from editorial.crisis.forms import DiscardForm
from editorial.crisis.forms import EmergencyPostForm
from editorial.crisis.forms import PauseForm
from editorial.crisis.permissions import user_is_emergency_approver
from editorial.crisis.permissions import user_may_manage_pause
from editorial.crisis.permissions import user_may_pause
from editorial.crisis.permissions import user_may_use_crisis_mode
from editorial.crisis.selectors import emergency_posts_waiting_for
from editorial.crisis.selectors import emergency_templates_for_user
from editorial.crisis.selectors import missed_posts
from editorial.crisis.selectors import pause_scope_label
from editorial.crisis.selectors import pauses_for_user
from editorial.crisis.services import emergency_post_approve
from editorial.crisis.services import emergency_post_create
from editorial.crisis.services import missed_post_discard
from editorial.crisis.services import missed_post_reschedule
from editorial.crisis.services import pause_end
from editorial.crisis.services import pause_start
from editorial.models import Post
from editorial.models import PublishingPause
from editorial.posts.forms import RescheduleForm
from editorial.posts.permissions import four_eyes_message
from editorial.posts.preview import post_preview
from editorial.posts.selectors import posts_for_user
from editorial.posts.status import TransitionError


def _user(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _pause(request: AuthenticatedHttpRequest, pk: int) -> PublishingPause:
    return get_object_or_404(pauses_for_user(_user(request)), pk=pk)


class _CrisisView(PermissionMixin, View):
    """The door of every crisis page; a view with a narrower rule overrides ``permission``."""

    permission = staticmethod(user_may_use_crisis_mode)


class PauseListView(_CrisisView):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = _user(request)
        pauses = pauses_for_user(user)
        page = Paginator(pauses.filter(ended_at__isnull=False), 25).get_page(
            request.GET.get("page")
        )
        active = list(pauses.filter(ended_at__isnull=True))
        return render(
            request,
            "editorial/crisis/list.html",
            {
                "active": [(p, user_may_manage_pause(user, p)) for p in active],
                "page": page,
                "may_pause": user_may_pause(user),
                "may_send_emergency": emergency_templates_for_user(user).exists(),
                "waiting": emergency_posts_waiting_for(user),
            },
        )


class PauseCreateView(_CrisisView):
    template_name = "editorial/crisis/pause_form.html"

    @staticmethod
    def permission(user: User) -> bool:
        return user_may_pause(user)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = PauseForm(user=_user(request), initial={"next": request.GET.get("next", "")})
        return render(request, self.template_name, {"form": form})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = PauseForm(request.POST, user=_user(request))
        if form.is_valid():
            unit, channel = form.cleaned_data["scope"]
            try:
                pause = pause_start(
                    actor=_user(request),
                    reason=form.cleaned_data["reason"],
                    unit=unit,
                    channel=channel,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Publishing is paused for %(scope)s.") % {"scope": pause_scope_label(pause)},
                )
                return redirect(
                    safe_next_url(request, reverse("crisis:list"), form.cleaned_data["next"])
                )
        return render(request, self.template_name, {"form": form})


class PauseResumeView(_CrisisView):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        pause = _pause(request, pk)
        carry_out(
            request,
            lambda: pause_end(actor=_user(request), pause=pause, request=request),
            success=_(
                "Publishing has resumed. Posts whose time passed during the pause are not"
                " sent late on their own: reschedule or discard each of them."
            ),
            refusals=(ValidationError,),
        )
        return redirect("crisis:missed", pk=pause.pk)


class MissedPostsView(_CrisisView):
    """The pause with everything it held back; after the pause, each missed post waits
    here until it is rescheduled or discarded."""

    template_name = "editorial/crisis/missed.html"

    def _render(
        self,
        request: AuthenticatedHttpRequest,
        pause: PublishingPause,
        bound: tuple[int, str, RescheduleForm | DiscardForm] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        user = _user(request)
        rows = []
        for post in missed_posts(pause).filter(pk__in=posts_for_user(user).values("pk")):
            reschedule: RescheduleForm | DiscardForm = RescheduleForm(prefix=f"r{post.pk}")
            discard: RescheduleForm | DiscardForm = DiscardForm(prefix=f"d{post.pk}")
            if bound is not None and bound[0] == post.pk:
                if bound[1] == "reschedule":
                    reschedule = bound[2]
                else:
                    discard = bound[2]
            rows.append((post, reschedule, discard))
        return render(
            request,
            self.template_name,
            {
                "pause": pause,
                "scope": pause_scope_label(pause),
                "may_manage": user_may_manage_pause(user, pause),
                "rows": rows,
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _pause(request, pk))


class _MissedActionView(MissedPostsView):
    # Only the form's POST: the missed posts page itself is the GET of ``crisis:missed``.
    http_method_names = ["post"]
    action = ""

    def _post(
        self, request: AuthenticatedHttpRequest, pause: PublishingPause, post_pk: int
    ) -> Post:
        visible: QuerySet[Post] = missed_posts(pause).filter(
            pk__in=posts_for_user(_user(request)).values("pk")
        )
        return get_object_or_404(visible, pk=post_pk)

    def _apply(self, request: AuthenticatedHttpRequest, post: Post, form: Any) -> None:
        raise NotImplementedError

    def form(self, request: AuthenticatedHttpRequest, post: Post) -> RescheduleForm | DiscardForm:
        raise NotImplementedError

    def post(self, request: AuthenticatedHttpRequest, pk: int, post_pk: int) -> HttpResponse:
        pause = _pause(request, pk)
        post = self._post(request, pause, post_pk)
        form = self.form(request, post)
        try:
            if form.is_valid():
                self._apply(request, post, form)
                return redirect("crisis:missed", pk=pause.pk)
        except (ValidationError, TransitionError) as error:
            report_errors(request, error, form)
        return self._render(request, pause, (post.pk, self.action, form), status=400)


class MissedRescheduleView(_MissedActionView):
    action = "reschedule"

    def form(self, request: AuthenticatedHttpRequest, post: Post) -> RescheduleForm:
        return RescheduleForm(request.POST, prefix=f"r{post.pk}")

    def _apply(self, request: AuthenticatedHttpRequest, post: Post, form: Any) -> None:
        missed_post_reschedule(
            actor=_user(request),
            post=post,
            planned_at=form.cleaned_data["planned_at"],
            request=request,
        )
        messages.success(request, _("“%(title)s” has a new time.") % {"title": post.title})


class MissedDiscardView(_MissedActionView):
    action = "discard"

    def form(self, request: AuthenticatedHttpRequest, post: Post) -> DiscardForm:
        return DiscardForm(request.POST, prefix=f"d{post.pk}")

    def _apply(self, request: AuthenticatedHttpRequest, post: Post, form: Any) -> None:
        missed_post_discard(
            actor=_user(request), post=post, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, _("“%(title)s” was discarded.") % {"title": post.title})


class EmergencyPostView(_CrisisView):
    """Choose an emergency template, fill its placeholders, choose channels, send it for
    one emergency approval."""

    template_name = "editorial/crisis/emergency.html"

    def _context(self, request: AuthenticatedHttpRequest) -> dict[str, Any]:
        user = _user(request)
        templates = emergency_templates_for_user(user)
        context: dict[str, Any] = {"templates": templates, "template": None, "form": None}
        chosen = request.POST.get("template") or request.GET.get("template")
        if chosen:
            template = get_object_or_404(templates, pk=parse_int(chosen))
            context["template"] = template
            data = request.POST if request.method == "POST" else None
            context["form"] = EmergencyPostForm(data, user=user, template=template)
        return context

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        context = self._context(request)
        context["waiting"] = emergency_posts_waiting_for(_user(request))
        return render(request, self.template_name, context)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        context = self._context(request)
        form = context["form"]
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                post = emergency_post_create(
                    actor=_user(request),
                    template=context["template"],
                    values=form.placeholder_values(),
                    channels=form.cleaned_data["channels"],
                    request=request,
                )
            except ValidationError as error:
                report_errors(request, error, form)
            else:
                messages.success(
                    request,
                    _("The emergency post waits for one emergency approval."),
                )
                return redirect("crisis:emergency_approve", post_pk=post.pk)
        context["waiting"] = []
        return render(request, self.template_name, context, status=400)


class EmergencyApproveView(_CrisisView):
    template_name = "editorial/crisis/emergency_approve.html"

    def _post(self, request: AuthenticatedHttpRequest, post_pk: int) -> Post:
        posts = posts_for_user(_user(request)).filter(is_emergency=True)
        return get_object_or_404(
            posts.select_related("author", "unit").prefetch_related("variants__channel"),
            pk=post_pk,
        )

    def get(self, request: AuthenticatedHttpRequest, post_pk: int) -> HttpResponse:
        post = self._post(request, post_pk)
        user = _user(request)
        in_review = post.status == Post.Status.IN_REVIEW
        return render(
            request,
            self.template_name,
            {
                "post": post,
                # What the approval covers: each channel as the citizen will see it.
                "preview": post_preview(post),
                "may_approve": in_review and user_is_emergency_approver(user, post),
                "own_post": in_review and post.author_id == user.pk,
                "four_eyes": four_eyes_message(),
            },
        )

    def post(self, request: AuthenticatedHttpRequest, post_pk: int) -> HttpResponse:
        post = self._post(request, post_pk)
        carry_out(
            request,
            lambda: emergency_post_approve(
                actor=_user(request),
                post=post,
                seen_hash=request.POST.get("seen_hash", ""),
                request=request,
            ),
            success=_("Approved. The emergency post goes out now, on every chosen channel."),
            refusals=(ValidationError, ConflictError),
        )
        return redirect("crisis:emergency_approve", post_pk=post.pk)
