"""All URLs of the editorial area: each feature's pages (``urlpatterns``, included at the site
root, each feature under ``/editorial/<feature>/``) and its API (``api_urlpatterns``, included
below ``/api/v1/``). A feature's namespace is its package name; its API's is ``<name>_api``."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http import HttpResponsePermanentRedirect
from django.urls import include
from django.urls import path
from django.urls import re_path
from django.utils.http import url_has_allowed_host_and_scheme

from editorial.crisis import urls as crisis
from editorial.media import urls as media
from editorial.planning import urls as planning
from editorial.policy import urls as policy
from editorial.post_templates import urls as post_templates
from editorial.posts import urls as posts
from editorial.publishing import urls as publishing
from editorial.starters import urls as starters
from editorial.weekly_formats import urls as weekly_formats

FEATURES = (
    posts,
    publishing,
    policy,
    media,
    planning,
    crisis,
    post_templates,
    starters,
    weekly_formats,
)


def _moved(new_prefix: str) -> Callable[..., HttpResponsePermanentRedirect]:
    """A view that sends an old address (bookmarks, open tabs) to where the page lives now.

    308, not 301: a form posted to the old address is posted again to the new one."""

    def view(request: HttpRequest, rest: str = "") -> HttpResponsePermanentRedirect:
        target = new_prefix + rest
        if request.META.get("QUERY_STRING"):
            target += "?" + request.META["QUERY_STRING"]
        if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            target = new_prefix
        response = HttpResponsePermanentRedirect(target)
        response.status_code = 308
        return response

    return view


# Addresses the features had before each had one name (kept so that bookmarks keep working).
MOVED = [
    re_path(r"^media-library/(?P<rest>.*)$", _moved("/editorial/media/")),
    re_path(r"^editorial/calendar/(?P<rest>.*)$", _moved("/editorial/planning/")),
    re_path(r"^editorial/pause/(?P<rest>.*)$", _moved("/editorial/crisis/")),
    re_path(r"^editorial/templates/(?P<rest>.*)$", _moved("/editorial/post-templates/")),
    path("editorial/operations/", _moved("/editorial/publishing/")),
    re_path(r"^editorial/units/(?P<rest>\d+/)rules/$", _moved("/editorial/policy/")),
]

urlpatterns = [
    *(path("", include((feature.urlpatterns, feature.app_name))) for feature in FEATURES),
    *MOVED,
]

api_urlpatterns = [
    path("", include((feature.api_urlpatterns, f"{feature.app_name}_api")))
    for feature in FEATURES
    if hasattr(feature, "api_urlpatterns")
]
