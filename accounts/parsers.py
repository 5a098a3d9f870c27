"""The API's body parsers (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

* :class:`JSONObjectParser`: every JSON body of the API is an object of fields; an array or
  a bare value is refused with 400 ``{"detail", "code": "invalid"}`` instead of reaching a
  view that expects ``request.data.get(...)``.
* :class:`MultiPartParser`: refuses NUL and invalid Unicode in multipart fields and file names
  (the other bodies are checked by ``accounts.middleware.MalformedInputMiddleware`` before
  parsing; a multipart body is only checked once parsed, so that the views' upload handlers
  stay in charge of the files).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers

from accounts.input import form_is_clean

JSON_OBJECT_EXPECTED = _("The body must be a JSON object.")


class JSONObjectParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            # Imported here: accounts.errors imports DRF's views, which load these parsers.
            from accounts.errors import DomainError

            raise DomainError(JSON_OBJECT_EXPECTED)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        if not form_is_clean(parsed.data, parsed.files):
            from accounts.errors import MalformedInputError  # see JSONObjectParser

            raise MalformedInputError()
        return parsed
