"""Page links of a filtered list, written once."""

from __future__ import annotations

from django.http import HttpRequest


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string without the page number: the page links add
    their own, and the filters stay as they are from page to page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
