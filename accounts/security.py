"""Content-Security-Policy header (Django 5.2 has none built in; Django 6 does).

The policy is ``settings.CONTENT_SECURITY_POLICY`` (directive → sources). A response that
already carries the header keeps its own: uploaded media files are sent with
``default-src 'none'; sandbox``, and a view that needs one directive widened sets
``policy_header(...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence

from django.conf import settings
from django.http import HttpRequest
from django.http import HttpResponse

HEADER = "Content-Security-Policy"

Policy = Mapping[str, Sequence[str]]


def render_policy(policy: Policy) -> str:
    """``{"default-src": ["'self'"], "upgrade-insecure-requests": []}`` →
    ``default-src 'self'; upgrade-insecure-requests``."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def policy_header(**overrides: Sequence[str]) -> str:
    """The configured policy with some directives replaced, for a view that sets the header
    itself: ``policy_header(form_action=["'self'", "https:"])``."""
    policy: Policy = settings.CONTENT_SECURITY_POLICY
    replaced = {name.replace("_", "-"): sources for name, sources in overrides.items()}
    return render_policy({**policy, **replaced})


class ContentSecurityPolicyMiddleware:
    """Sends the configured policy on every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = render_policy(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(HEADER, self.header)
        return response
