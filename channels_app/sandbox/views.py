"""HTTP layer of the sandbox platform: parse, call a service or selector, render.

The API speaks JSON like a real platform (Bearer tokens, OAuth-style error bodies) and is
exempt from CSRF protection, since clients authenticate with a token and not a cookie. The
public pages are server-rendered and need no login, like a public profile on a network.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from channels_app.sandbox import selectors
from channels_app.sandbox import services
from channels_app.sandbox.errors import SandboxApiError
from channels_app.sandbox.models import SandboxAccount

Handler = Callable[..., HttpResponse]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _error(error: SandboxApiError) -> JsonResponse:
    return _json(error.as_json(), status=error.status, headers=error.headers)


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise SandboxApiError(400, "invalid_request", _("The body is not valid JSON.")) from None


def _enabled() -> None:
    if not settings.SANDBOX_ENABLED:
        raise Http404


def api(*, authenticated: bool = True) -> Callable[[Handler], Handler]:
    """Errors → JSON; with ``authenticated`` the handler gets the account as second
    argument, after the account's injected latency."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if not authenticated:
                    return handler(request, *args, **kwargs)
                account = selectors.account_for_authorization(
                    request.headers.get("Authorization", "")
                )
                services.simulate_latency(account)
                return handler(request, account, *args, **kwargs)
            except SandboxApiError as error:
                return _error(error)

        return wrapper

    return decorate


def route(**handlers: Handler) -> Handler:
    """One URL, one handler per HTTP method (GET and DELETE on /posts/<id> …)."""

    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _enabled()
        # Like a real platform's API, the sandbox answers in English; adapters translate.
        with translation.override("en"):
            handler = handlers.get(request.method or "")
            if handler is None:
                response = _error(
                    SandboxApiError(
                        405, "method_not_allowed", _("This method is not allowed here.")
                    )
                )
                response["Allow"] = ", ".join(handlers)
                return response
            return handler(request, *args, **kwargs)

    return view


# --- OAuth ---------------------------------------------------------------------------------


@api(authenticated=False)
def oauth_token(request: HttpRequest) -> HttpResponse:
    grant_type = request.POST.get("grant_type", "")
    if grant_type == "password":
        tokens = services.token_grant_password(
            username=request.POST.get("username", ""), password=request.POST.get("password", "")
        )
    elif grant_type == "refresh_token":
        tokens = services.token_grant_refresh(refresh_token=request.POST.get("refresh_token", ""))
    else:
        raise SandboxApiError(
            400,
            "unsupported_grant_type",
            _("Use grant_type “password” or “refresh_token”."),
        )
    return _json(tokens)


@api(authenticated=False)
def oauth_revoke(request: HttpRequest) -> HttpResponse:
    services.token_revoke(token=request.POST.get("token", ""))
    return _json({})


# --- Account -------------------------------------------------------------------------------


@api()
def me(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    return _json(selectors.me_data(account))


@api()
def account_metrics(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    services.read_request_received(account)
    return _json(selectors.account_metrics(account))


# --- Media and posts -----------------------------------------------------------------------


@api()
def media_create(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    media = services.media_upload(
        account, uploaded=request.FILES.get("file"), alt_text=request.POST.get("alt_text", "")
    )
    return _json(selectors.media_data(media), status=201)


@api()
def posts_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    posts, next_before = selectors.posts_recent(
        account,
        limit=selectors.page_size(request.GET.get("limit")),
        before=request.GET.get("before", ""),
        idempotency_key=request.GET.get("idempotency_key", ""),
    )
    return _json({"data": [selectors.post_data(p) for p in posts], "next_before": next_before})


@api()
def posts_create(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    outcome = services.post_publish(
        account, _body(request), idempotency_key=request.headers.get("Idempotency-Key", "")
    )
    if outcome.delay_seconds:
        # Injected: the post is committed, the answer arrives after the client gave up.
        time.sleep(outcome.delay_seconds)
    return _json(selectors.post_data(outcome.post), status=201 if outcome.created else 200)


@api()
def post_detail(request: HttpRequest, account: SandboxAccount, remote_id: str) -> HttpResponse:
    return _json(selectors.post_data(selectors.post_get(account, remote_id)))


@api()
def post_delete(request: HttpRequest, account: SandboxAccount, remote_id: str) -> HttpResponse:
    services.post_delete(account, remote_id)
    return HttpResponse(status=204)


@api()
def post_close_comments(
    request: HttpRequest, account: SandboxAccount, remote_id: str
) -> HttpResponse:
    return _json(selectors.post_data(services.post_close_comments(account, remote_id)))


@api()
def posts_metrics(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    services.read_request_received(account)  # metrics are reads: injected faults apply
    ids = selectors.metric_ids(request.GET.get("ids", ""))
    return _json({"data": selectors.post_metrics(account, ids)})


# --- Comments ------------------------------------------------------------------------------


@api()
def comments_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    services.read_request_received(account)
    services.comments_materialise_for_account(account)
    # ``changes=1``: the change feed (edits, hides, deletions too), else new comments only.
    page = (
        selectors.comment_changes_page
        if request.GET.get("changes") in ("1", "true")
        else selectors.comments_page
    )
    comments, next_cursor, has_more = page(account, **_feed_page_asked(request))
    return _feed_page_json([selectors.comment_data(c) for c in comments], next_cursor, has_more)


def _feed_page_asked(request: HttpRequest) -> dict[str, Any]:
    """The ``cursor`` and ``limit`` a feed request (comments, mentions, messages) asks for."""
    return {
        "cursor": request.GET.get("cursor", ""),
        "limit": selectors.page_size(request.GET.get("limit"), default=50),
    }


def _feed_page_json(
    data: list[dict[str, Any]], next_cursor: str | None, has_more: bool
) -> HttpResponse:
    return _json({"data": data, "next_cursor": next_cursor, "has_more": has_more})


def _messages_list(request: HttpRequest, account: SandboxAccount, kind: str) -> HttpResponse:
    services.read_request_received(account)
    services.inbox_materialise(account)
    messages, next_cursor, has_more = selectors.messages_page(
        account, kind=kind, **_feed_page_asked(request)
    )
    return _feed_page_json([selectors.message_data(m) for m in messages], next_cursor, has_more)


@api()
def mentions_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    return _messages_list(request, account, "mention")


@api()
def messages_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    return _messages_list(request, account, "message")


@api()
def comment_reply(request: HttpRequest, account: SandboxAccount, remote_id: str) -> HttpResponse:
    outcome = services.comment_reply(
        account,
        remote_id,
        _body(request),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    if outcome.delay_seconds:
        # Injected: the reply is committed, the answer arrives after the client gave up.
        time.sleep(outcome.delay_seconds)
    return _json(selectors.comment_data(outcome.reply), status=201 if outcome.created else 200)


@api()
def comment_hide(request: HttpRequest, account: SandboxAccount, remote_id: str) -> HttpResponse:
    comment = services.comment_set_hidden(account, remote_id, hidden=True)
    return _json(selectors.comment_data(comment))


@api()
def comment_unhide(request: HttpRequest, account: SandboxAccount, remote_id: str) -> HttpResponse:
    comment = services.comment_set_hidden(account, remote_id, hidden=False)
    return _json(selectors.comment_data(comment))


@api()
def comment_delete(request: HttpRequest, account: SandboxAccount, remote_id: str) -> HttpResponse:
    services.comment_delete(account, remote_id)
    return HttpResponse(status=204)


# --- Blocking authors ----------------------------------------------------------------------


@api()
def author_block(request: HttpRequest, account: SandboxAccount, author_id: str) -> HttpResponse:
    services.author_block(account, author_id)
    return _json({"id": author_id, "blocking": True})


@api()
def author_unblock(request: HttpRequest, account: SandboxAccount, author_id: str) -> HttpResponse:
    services.author_unblock(account, author_id)
    return _json({"id": author_id, "blocking": False})


# --- Fault injection -----------------------------------------------------------------------


@api(authenticated=False)
def control_update(request: HttpRequest, handle: str) -> HttpResponse:
    selectors.check_control_secret(request.headers.get("X-Sandbox-Control", ""))
    account = services.control_update(selectors.account_by_handle(handle), _body(request))
    return _json(selectors.control_data(account))


@api(authenticated=False)
def control_stats(request: HttpRequest, handle: str) -> HttpResponse:
    selectors.check_control_secret(request.headers.get("X-Sandbox-Control", ""))
    return _json(selectors.control_stats(selectors.account_by_handle(handle)))


# --- Public pages --------------------------------------------------------------------------


def profile_page(request: HttpRequest, handle: str) -> HttpResponse:
    _enabled()
    account = selectors.public_account(handle)
    if account is None:
        raise Http404
    page = Paginator(selectors.public_posts(account), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "sandbox/profile.html",
        {"account": account, "page": page, "followers": selectors.followers_count(account)},
    )


def post_page(request: HttpRequest, remote_id: str) -> HttpResponse:
    _enabled()
    post = selectors.public_post(remote_id)
    if post is None:
        raise Http404
    # Comments exist whether or not the API asked for them yet, as on a real network.
    services.comments_materialise([post])
    return render(request, "sandbox/post.html", {"view": selectors.public_comment_threads(post)})


def media_file(request: HttpRequest, remote_id: str) -> HttpResponseBase:
    _enabled()
    media = selectors.public_media(remote_id)
    if media is None:
        raise Http404
    response = FileResponse(media.file.open("rb"), content_type=media.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
