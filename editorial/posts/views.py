"""Pages of posts: list, create, edit, detail, workflow actions, approval queue, preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accounts.audit import audit_action_label
from accounts.errors import ConflictError
from accounts.http import AuthenticatedHttpRequest
from accounts.input import int_list
from accounts.input import parse_int
from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.outcomes import carry_out
from accounts.views.paging import query_without_page
from accounts.views.submissions import submit_form
from channels_app.selectors import channels_for_user
from channels_app.services import platform_capabilities
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from editorial.policy.selectors import editorial_policy_for
from editorial.posts.forms import ApproveForm
from editorial.posts.forms import CommentForm
from editorial.posts.forms import PostForm
from editorial.posts.forms import RejectForm
from editorial.posts.forms import RescheduleForm
from editorial.posts.forms import VariantForm
from editorial.posts.permissions import approve_refusal
from editorial.posts.permissions import user_may_approve
from editorial.posts.permissions import user_may_approve_post
from editorial.posts.permissions import user_may_edit_post
from editorial.posts.permissions import user_may_use_editorial
from editorial.posts.preview import post_preview
from editorial.posts.selectors import approval_queue_for_user
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import current_approvals
from editorial.posts.selectors import post_for_user
from editorial.posts.selectors import post_list_for_user
from editorial.posts.selectors import topics_for_drafting
from editorial.posts.selectors import units_for_authoring
from editorial.posts.services import post_approve
from editorial.posts.services import post_comment_add
from editorial.posts.services import post_create
from editorial.posts.services import post_reject
from editorial.posts.services import post_reopen
from editorial.posts.services import post_reschedule
from editorial.posts.services import post_submit
from editorial.posts.services import post_update
from editorial.posts.services import post_withdraw
from editorial.posts.services import variant_update
from editorial.posts.status import TransitionError
from editorial.posts.validation import ChannelCount
from editorial.posts.validation import PostProblem
from editorial.posts.validation import draft_preview
from editorial.posts.validation import post_problems
from editorial.posts.validation import variant_draft_preview
from editorial.publishing.selectors import post_lateness
from editorial.publishing.services import post_delete_published
from editorial.publishing.services import post_retry_failed_channels


def _media_for(user: User) -> QuerySet[MediaAsset]:
    return MediaAsset.objects.filter(unit_id__in=unit_ids_for_roles(user, Role.values))


class PostListView(PermissionMixin, View):
    permission = user_may_use_editorial

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        posts = post_list_for_user(user).order_by("-planned_at", "-id")
        status = request.GET.get("status", "")
        if status in Post.Status.values:
            posts = posts.filter(status=status)
        channel = parse_int(request.GET.get("channel"))
        if channel is not None:
            posts = posts.filter(variants__channel_id=channel).distinct()
        query = request.GET.get("q", "").strip()
        if query:
            posts = posts.filter(title__icontains=query)
        page = Paginator(posts, 30).get_page(request.GET.get("page"))
        return render(
            request,
            "editorial/posts/list.html",
            {
                "page": page,
                "lateness": post_lateness(page),
                "statuses": Post.Status.choices,
                "channels": channels_for_user(user),
                "filters": request.GET,
                "query": query_without_page(request),
                "may_create": units_for_authoring(user).exists(),
            },
        )


class PostFormMixin:
    template_name = "editorial/posts/form.html"

    def form(self, user: User, data: Any = None, initial: Any = None) -> PostForm:
        return PostForm(
            data,
            initial=initial,
            units=units_for_authoring(user),
            channels=channels_for_drafting(user),
            topics=topics_for_drafting(user),
            media=_media_for(user),
        )


class PostCreateView(PermissionMixin, PostFormMixin, View):
    @staticmethod
    def permission(user: User) -> bool:
        return units_for_authoring(user).exists()

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        first_unit = units_for_authoring(user).first()
        form = self.form(user, initial={"unit": first_unit.pk if first_unit else None})
        return render(request, self.template_name, {"form": form})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        form = self.form(user, request.POST)
        post = submit_form(
            request,
            form,
            lambda data: post_create(
                actor=user, unit=data["unit"], request=request, **form.post_fields()
            ),
            success=_("The draft has been saved."),
            refusals=(ValidationError,),
        )
        if post is not None:
            return redirect("posts:detail", pk=post.pk)
        return render(request, self.template_name, {"form": form})


class PostEditView(PermissionMixin, PostFormMixin, View):
    def _post(self, request: AuthenticatedHttpRequest, pk: int) -> Post:
        post = post_for_user(request.user, pk)
        if not user_may_edit_post(request.user, post):
            raise PermissionDenied
        return post

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self._post(request, pk)
        initial = {
            "unit": post.unit_id,
            "title": post.title,
            "text": post.text,
            "website_link": post.website_link,
            "content_warning": post.content_warning,
            "topic": post.topic_id,
            "channels": [v.channel_id for v in post.variants.all()],
            "media": [pm.asset_id for pm in post.post_media.all()],
            **PostForm.initial_for(post.planned_at),
        }
        form = self.form(request.user, initial=initial)
        return render(request, self.template_name, {"form": form, "post": post})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self._post(request, pk)
        form = self.form(request.user, request.POST)
        if form.is_valid():
            try:
                post_update(actor=request.user, post=post, request=request, **form.post_fields())
            except (ValidationError, TransitionError) as error:
                report_errors(request, error, form)
            else:
                messages.success(request, _("The post has been saved."))
                return redirect("posts:detail", pk=post.pk)
        return render(request, self.template_name, {"form": form, "post": post})


class PostDetailView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        post = post_for_user(user, pk)
        preview = post_preview(post)
        history = (
            AuditEntry.objects.filter(
                target_type=ContentType.objects.get_for_model(Post), target_id=str(post.pk)
            )
            .select_related("actor")
            .order_by("sequence")
        )
        return render(
            request,
            "editorial/posts/detail.html",
            {
                "post": post,
                "lateness": post_lateness([post]),
                "preview": preview,
                # Each channel's own problems are shown with its preview.
                "problems": [p for p in post_problems(post) if p.channel_id is None],
                "approvals": post.approvals.select_related("approver"),
                "current_approvals": current_approvals(post).count(),
                "required_approvals": editorial_policy_for(post.unit).required_approvals,
                "may_edit": user_may_edit_post(user, post),
                "may_approve": user_may_approve_post(user, post)
                and post.status == Post.Status.IN_REVIEW,
                "may_approve_any": user_may_approve_post(user, post),
                "approve_refusal": approve_refusal(user, post),
                "approve_form": ApproveForm(initial={"seen_hash": preview.content_hash}),
                "reject_form": RejectForm(),
                "reschedule_form": RescheduleForm(
                    initial=RescheduleForm.initial_for(post.planned_at)
                ),
                "comment_form": CommentForm(),
                "comments": post.comments.select_related("author").prefetch_related("mentions"),
                "history": [(entry, audit_action_label(entry.action)) for entry in history],
            },
        )


class PostActionView(PermissionMixin, View):
    """POST-only: submit, approve, reject, withdraw, reopen, reschedule, retry_failed."""

    def post(self, request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        post = post_for_user(user, pk)
        try:
            if action == "submit":
                post_submit(actor=user, post=post, request=request)
                messages.success(request, _("The post has been sent for approval."))
            elif action == "approve":
                form = ApproveForm(request.POST)
                form.is_valid()
                post_approve(
                    actor=user,
                    post=post,
                    comment=form.cleaned_data.get("comment", ""),
                    seen_hash=form.cleaned_data.get("seen_hash", ""),
                    request=request,
                )
                messages.success(request, _("Your approval has been recorded."))
            elif action == "reject":
                reject_form = RejectForm(request.POST)
                if not reject_form.is_valid():
                    raise ValidationError(_("Say why, so that the author can improve the post."))
                post_reject(
                    actor=user,
                    post=post,
                    reason=reject_form.cleaned_data["reason"],
                    request=request,
                )
                messages.success(request, _("The post has been sent back to the author."))
            elif action == "withdraw":
                post_withdraw(
                    actor=user, post=post, reason=request.POST.get("reason", ""), request=request
                )
                messages.success(request, _("The post has been withdrawn."))
            elif action == "reopen":
                post_reopen(actor=user, post=post, request=request)
                messages.success(request, _("The post is a draft again."))
            elif action == "retry_failed":
                count = post_retry_failed_channels(actor=user, post=post, request=request)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d channel is being sent again.",
                        "%(n)d channels are being sent again.",
                        count,
                    )
                    % {"n": count},
                )
            elif action == "reschedule":
                reschedule_form = RescheduleForm(request.POST)
                if not reschedule_form.is_valid():
                    raise ValidationError(
                        [e for errors in reschedule_form.errors.values() for e in errors]
                    )
                post_reschedule(
                    actor=user,
                    post=post,
                    planned_at=reschedule_form.cleaned_data["planned_at"],
                    request=request,
                )
                messages.success(request, _("The post has been moved."))
            else:
                raise PermissionDenied
        # A post changed while being looked at is refused with a message on the post; a
        # permission refusal (the four-eyes rule) is a 403 page that says why.
        except (ValidationError, TransitionError, ConflictError) as error:
            report_errors(request, error)
        return redirect("posts:detail", pk=post.pk)


class VariantMixin:
    def _variant(self, request: AuthenticatedHttpRequest, pk: int, variant_pk: int) -> PostVariant:
        post = post_for_user(request.user, pk)
        if not user_may_edit_post(request.user, post):
            raise PermissionDenied
        return get_object_or_404(post.variants.select_related("channel", "post"), pk=variant_pk)


class VariantEditView(PermissionMixin, VariantMixin, View):
    template_name = "editorial/posts/variant_form.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int, variant_pk: int) -> HttpResponse:
        variant = self._variant(request, pk, variant_pk)
        form = VariantForm(
            initial={
                "text_override": variant.text_override or variant.post.text,
                "media_override": variant.media_override,
                "media": [vm.asset_id for vm in variant.variant_media.all()],
            },
            media=_media_for(request.user),
        )
        return render(request, self.template_name, {"form": form, "variant": variant})

    def post(self, request: AuthenticatedHttpRequest, pk: int, variant_pk: int) -> HttpResponse:
        variant = self._variant(request, pk, variant_pk)
        form = VariantForm(request.POST, media=_media_for(request.user))
        if form.is_valid():
            data = form.cleaned_data
            # The service's refusal is a message on the page, not an error on the form.
            if carry_out(
                request,
                lambda: variant_update(
                    actor=request.user,
                    variant=variant,
                    text_override=data["text_override"],
                    media_override=data["media_override"],
                    media_ids=[a.pk for a in data["media"]],
                    request=request,
                ),
                success=_("The channel's version has been saved."),
                refusals=(ValidationError, TransitionError),
            ):
                return redirect("posts:detail", pk=pk)
        return render(request, self.template_name, {"form": form, "variant": variant})


class PostCommentView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = post_for_user(request.user, pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                post_comment_add(
                    actor=request.user,
                    post=post,
                    text=form.cleaned_data["text"],
                    request=request,
                )
            except ValidationError as error:
                report_errors(request, error)
        else:
            messages.error(request, _("Write a comment first."))
        return redirect(f"/editorial/posts/{post.pk}/#discussion")


class ApprovalQueueView(PermissionMixin, View):
    permission = user_may_approve

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(approval_queue_for_user(request.user), 30).get_page(
            request.GET.get("page")
        )
        return render(request, "editorial/posts/approval_queue.html", {"page": page})


class PreviewView(PermissionMixin, View):
    """The editor's live preview: counts and problems per channel for the unsaved input."""

    permission = user_may_use_editorial

    def post(self, request: AuthenticatedHttpRequest) -> JsonResponse:
        user = request.user
        unit_id = parse_int(request.POST.get("unit"))
        unit = None if unit_id is None else units_for_authoring(user).filter(pk=unit_id).first()
        if unit is None:
            return JsonResponse({"channels": [], "problems": []})
        channel_ids = int_list(request.POST.getlist("channels"))
        asset_ids = int_list(request.POST.getlist("media"))
        channels = channels_for_drafting(user).filter(pk__in=channel_ids)
        assets = list(_media_for(user).filter(pk__in=asset_ids))
        counts, problems = draft_preview(
            unit=unit,
            text=request.POST.get("text", ""),
            link=request.POST.get("website_link", ""),
            content_warning=request.POST.get("content_warning", ""),
            channels=channels,
            assets=assets,
        )
        return _preview_answer(counts, problems)


class VariantPreviewView(PermissionMixin, VariantMixin, View):
    """The channel version's live check: the same counts and problems as the post editor's,
    for the one channel."""

    def post(self, request: AuthenticatedHttpRequest, pk: int, variant_pk: int) -> JsonResponse:
        variant = self._variant(request, pk, variant_pk)
        asset_ids = int_list(request.POST.getlist("media"))
        counts, problems = variant_draft_preview(
            variant=variant,
            text_override=request.POST.get("text_override", ""),
            media_override=request.POST.get("media_override") == "on",
            assets=list(_media_for(request.user).filter(pk__in=asset_ids)),
        )
        return _preview_answer(counts, problems)


def _preview_answer(counts: list[ChannelCount], problems: list[PostProblem]) -> JsonResponse:
    """The editors' live check as JSON (static/js/editor.js renders it; ``content_warning``:
    whether a chosen channel shows a content warning, so the editor offers the field)."""
    return JsonResponse(
        {
            "content_warning": any(c.content_warning for c in counts),
            "channels": [
                {
                    "id": c.channel_id,
                    "label": c.channel_label,
                    "platform": c.platform,
                    "length": c.length,
                    "limit": c.limit,
                }
                for c in counts
            ],
            "problems": [
                {
                    "code": p.code,
                    "field": p.field,
                    "message": p.message,
                    "severity": p.severity,
                    "channel": p.channel_label,
                }
                for p in problems
            ],
        }
    )


class PostDeleteView(PermissionMixin, View):
    """Deleting a published post: the record stays (withdrawn); deleting it on the platforms
    too is offered, per platform as far as its API allows."""

    template_name = "editorial/posts/delete.html"

    def _post(self, request: AuthenticatedHttpRequest, pk: int) -> Post:
        post = post_for_user(request.user, pk)
        user = request.user
        if not (user_may_edit_post(user, post) or user_may_approve_post(user, post)):
            raise PermissionDenied
        return post

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self._post(request, pk)
        variants = [
            (variant, platform_capabilities(variant.channel.platform).delete)
            for variant in post.variants.filter(status=PostVariant.Status.PUBLISHED).select_related(
                "channel"
            )
        ]
        return render(request, self.template_name, {"post": post, "variants": variants})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = self._post(request, pk)
        carry_out(
            request,
            lambda: post_delete_published(
                actor=request.user,
                post=post,
                delete_on_platforms=request.POST.get("delete_on_platforms") == "on",
                request=request,
            ),
            success=lambda queued: (
                ngettext(
                    "The post is deleted in Sprachrohr; %(n)d platform deletion is under way.",
                    "The post is deleted in Sprachrohr; %(n)d platform deletions are under way.",
                    queued,
                )
                % {"n": queued}
            ),
            refusals=(ValidationError,),
        )
        return redirect("posts:detail", pk=post.pk)
