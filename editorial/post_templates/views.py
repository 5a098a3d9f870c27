"""Pages for post templates and recurring posts. Templates and posts of other units answer
404; actions a user who can see the object may not take answer 403."""

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from channels_app.models import Channel
from editorial.common.links import post_url
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.forms import PostTemplateForm
from editorial.post_templates.forms import RecurrenceForm
from editorial.post_templates.forms import UseTemplateForm
from editorial.post_templates.permissions import EMERGENCY_ROLES
from editorial.post_templates.permissions import user_may_edit_template
from editorial.post_templates.permissions import user_may_mark_emergency
from editorial.post_templates.permissions import user_may_use_template
from editorial.post_templates.permissions import user_may_use_templates
from editorial.post_templates.recurrence import post_make_recurring as make_recurring
from editorial.post_templates.recurrence import recurrence_stop
from editorial.post_templates.recurrence import recurrence_upcoming
from editorial.post_templates.recurrence import series_posts
from editorial.post_templates.selectors import post_template_list_for_user
from editorial.post_templates.selectors import post_template_placeholders
from editorial.post_templates.selectors import post_templates_for_user
from editorial.post_templates.services import post_from_template
from editorial.post_templates.services import post_template_create
from editorial.post_templates.services import post_template_delete
from editorial.post_templates.services import post_template_update
from editorial.posts.permissions import user_may_approve_post
from editorial.posts.permissions import user_may_edit_post
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import posts_for_user
from editorial.posts.selectors import units_for_authoring

PAGE_SIZE = 50


def _template(user: User, pk: int) -> PostTemplate:
    return get_object_or_404(post_templates_for_user(user).select_related("unit"), pk=pk)


def _may_author(user: User) -> bool:
    return units_for_authoring(user).exists()


def _form_channels(user: User, template: PostTemplate | None = None) -> QuerySet[Channel]:
    allowed = channels_for_drafting(user).values("id")
    if template is None:
        return Channel.objects.filter(id__in=allowed)
    # Channels someone else chose stay visible (and checked) instead of silently dropping.
    current = template.channels.values("id")
    return Channel.objects.filter(id__in=allowed) | Channel.objects.filter(id__in=current)


class TemplateListView(PermissionMixin, View):
    permission = user_may_use_templates

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        page = Paginator(post_template_list_for_user(user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        editor_units = unit_ids_for_roles(user, [Role.EDITOR])
        rows = [
            {
                "template": template,
                "may_edit": user_may_edit_template(user, template),
                "may_use": bool(editor_units),
                "placeholders": post_template_placeholders(template),
            }
            for template in page
        ]
        return render(
            request,
            "editorial/post_templates/list.html",
            {"page": page, "rows": rows, "may_create": bool(editor_units)},
        )


class TemplateCreateView(PermissionMixin, View):
    permission = _may_author
    template_name = "editorial/post_templates/form.html"

    def _form(self, user: User, data: Any = None) -> PostTemplateForm:
        units = units_for_authoring(user)
        emergency = bool(
            unit_ids_for_roles(user, EMERGENCY_ROLES) & set(units.values_list("id", flat=True))
        )
        return PostTemplateForm(
            data, units=units, channels=_form_channels(user), emergency=emergency
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": self._form(request.user)})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        form = self._form(user, request.POST)
        if form.is_valid():
            try:
                template = post_template_create(actor=user, request=request, **form.cleaned_data)
            except ValidationError as error:
                report_errors(request, error, form)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not do this."))
            else:
                messages.success(request, _("The template has been saved."))
                return redirect("post_templates:use", pk=template.pk)
        return render(request, self.template_name, {"form": form})


class TemplateEditView(PermissionMixin, View):
    template_name = "editorial/post_templates/form.html"

    def _rights(self, user: User, template: PostTemplate) -> tuple[bool, bool]:
        content = user_may_edit_template(user, template)
        emergency = user_may_mark_emergency(user, template.unit)
        if not (content or emergency):
            raise PermissionDenied
        return content, emergency

    def _form(self, user: User, template: PostTemplate, data: Any = None) -> PostTemplateForm:
        content, emergency = self._rights(user, template)
        initial = {
            "name": template.name,
            "kind": template.kind,
            "title": template.title,
            "text": template.text,
            "website_link": template.website_link,
            "channels": list(template.channels.all()),
            "is_emergency": template.is_emergency,
        }
        return PostTemplateForm(
            data,
            initial=initial,
            units=None,
            channels=_form_channels(user, template),
            content=content,
            emergency=emergency,
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        template = _template(request.user, pk)
        form = self._form(request.user, template)
        return render(request, self.template_name, {"form": form, "template": template})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        template = _template(user, pk)
        form = self._form(user, template, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            channels = data.pop("channels", None)
            try:
                post_template_update(
                    actor=user, template=template, channels=channels, request=request, **data
                )
            except ValidationError as error:
                report_errors(request, error, form)
            else:
                messages.success(request, _("The template has been saved."))
                return redirect("post_templates:list")
        return render(request, self.template_name, {"form": form, "template": template})


class TemplateDeleteView(PermissionMixin, View):
    template_name = "editorial/post_templates/delete.html"

    def _template(self, user: User, pk: int) -> PostTemplate:
        template = _template(user, pk)
        if not user_may_edit_template(user, template):
            raise PermissionDenied
        return template

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        template = self._template(request.user, pk)
        return render(request, self.template_name, {"template": template})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        template = self._template(request.user, pk)
        post_template_delete(actor=request.user, template=template, request=request)
        messages.success(request, _("The template has been deleted."))
        return redirect("post_templates:list")


class TemplateUseView(PermissionMixin, View):
    template_name = "editorial/post_templates/use.html"

    def _form(self, user: User, template: PostTemplate, data: Any = None) -> UseTemplateForm:
        if not user_may_use_template(user, template):
            raise PermissionDenied
        units = units_for_authoring(user)
        initial_unit = units.filter(pk=template.unit_id).first()
        return UseTemplateForm(
            data,
            placeholders=post_template_placeholders(template),
            units=units,
            initial={"unit": initial_unit},
        )

    def _render(
        self, request: AuthenticatedHttpRequest, template: PostTemplate, form: UseTemplateForm
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "template": template,
                "form": form,
                "channels": template.channels.order_by("name"),
                "value_fields": [form[name] for name in form.fields if name.startswith("value_")],
                "other_fields": [
                    form[name] for name in form.fields if not name.startswith("value_")
                ],
            },
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        template = _template(request.user, pk)
        return self._render(request, template, self._form(request.user, template))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        template = _template(user, pk)
        form = self._form(user, template, request.POST)
        post = submit_form(
            request,
            form,
            lambda data: post_from_template(
                actor=user,
                template=template,
                values=data["values"],
                planned_at=data["planned_at"],
                unit=data["unit"],
                request=request,
            ),
            success=_("The draft has been created from the template."),
            refusals=(ValidationError,),
        )
        if post is not None:
            return redirect(post_url(post.pk))
        return self._render(request, template, form)


class RecurrenceView(PermissionMixin, View):
    """Make a post recurring, see its series, stop it."""

    template_name = "editorial/post_templates/recurrence.html"

    def _post(self, user: User, post_id: int) -> Post:
        return get_object_or_404(
            posts_for_user(user).select_related("unit", "recurrence"), pk=post_id
        )

    def _render(
        self, request: AuthenticatedHttpRequest, post: Post, form: RecurrenceForm | None = None
    ) -> HttpResponse:
        user = request.user
        recurrence = post.recurrence
        may_edit = user_may_edit_post(user, post)
        context: dict[str, Any] = {
            "post": post,
            "post_url": post_url(post.pk),
            "recurrence": recurrence,
            "may_edit": may_edit,
            "now": timezone.now(),
        }
        if recurrence is None:
            context["form"] = form or RecurrenceForm()
        else:
            origin = recurrence.origin
            context.update(
                {
                    "origin": origin,
                    "origin_url": post_url(origin.pk) if origin else "",
                    "series": [(p, post_url(p.pk)) for p in series_posts(recurrence)],
                    "upcoming": recurrence_upcoming(recurrence),
                    "may_stop": recurrence.stopped_at is None
                    and origin is not None
                    and (user_may_edit_post(user, origin) or user_may_approve_post(user, origin)),
                }
            )
        return render(request, self.template_name, context)

    def get(self, request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
        return self._render(request, self._post(request.user, post_id))

    def post(self, request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
        user = request.user
        post = self._post(user, post_id)
        if request.POST.get("action") == "stop":
            recurrence = post.recurrence
            if recurrence is None:
                raise PermissionDenied
            carry_out(
                request,
                lambda: recurrence_stop(actor=user, recurrence=recurrence, request=request),
                success=lambda withdrawn: (
                    ngettext(
                        "The series has been stopped; %(count)d future post was withdrawn.",
                        "The series has been stopped; %(count)d future posts were withdrawn.",
                        len(withdrawn),
                    )
                    % {"count": len(withdrawn)}
                ),
                refusals=(ValidationError,),
            )
            return redirect("post_templates:recurrence", post_id=post.pk)
        if not user_may_edit_post(user, post):
            raise PermissionDenied
        form = RecurrenceForm(request.POST)
        if form.is_valid():
            try:
                make_recurring(actor=user, post=post, request=request, **form.cleaned_data)
            except ValidationError as error:
                report_errors(request, error, form)
            else:
                messages.success(request, _("The post now repeats."))
                return redirect("post_templates:recurrence", post_id=post.pk)
        return self._render(request, post, form)
