"""The API schema documents the error answers every operation can give (issue 16).

drf-spectacular documents the success answer of an operation; the error layer
(``accounts.errors``) can answer any of them with a 400 (input the middleware, a parser, a
serializer or a service refuses), a 401 (no or an unknown token), a 403 (the role or unit
does not allow it) and a 404 (an id in the path, a page number or a referenced object the
user may not see). A write can also
collide with the current state of a record (409). ``SPECTACULAR_SETTINGS`` runs
:func:`document_error_answers` after the schema is built, so a new operation is documented
without an annotation of its own.

Request bodies are documented as JSON; form encodings only where a file is uploaded. The
parsers still take forms, but a form cannot say ``null``, an empty list or a nested object,
so a client following the schema writes JSON.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import is_serializer
from rest_framework import serializers

from accounts.input import MAX_ID

# The request body's own rules beyond the schema (see AutoSchema).
RULES_EXTENSION = "x-rules"

ERROR_SCHEMA = "Error"
VALIDATION_ERROR_SCHEMA = "ValidationError"

_COMPONENTS: dict[str, dict[str, Any]] = {
    ERROR_SCHEMA: {
        "type": "object",
        "description": "An error that names no field. `code` is stable (see the Error-Code "
        "header), `detail` is translated into the request's language.",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail", "code"],
    },
    VALIDATION_ERROR_SCHEMA: {
        "description": 'Refused input: per field (`{"<field>": ["message", ...]}`), a '
        "list of messages, or an error that names no field.",
        "anyOf": [
            {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"},
            {"type": "object", "additionalProperties": {}},
            {"type": "array", "items": {}},
        ],
    },
}

_ERROR_HEADER = {
    "Error-Code": {
        "description": "The stable error code (accounts.errors.ErrorCode).",
        "schema": {"type": "string"},
    }
}


def _answer(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _ERROR_HEADER,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_BAD_REQUEST = _answer("The input is refused.", VALIDATION_ERROR_SCHEMA)
_UNAUTHENTICATED = _answer("No valid API token or session.", ERROR_SCHEMA)
_FORBIDDEN = _answer("The user's roles or units do not allow this.", ERROR_SCHEMA)
_NOT_FOUND = _answer("No such object the user may see, or no such page.", ERROR_SCHEMA)
_CONFLICT = _answer("The record's current state does not allow this.", ERROR_SCHEMA)

_WRITES = {"post", "put", "patch", "delete"}


def _uploads_a_file(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return any(field.get("format") == "binary" for field in schema.get("properties", {}).values())


def _optional_uris_may_be_empty(components: dict[str, Any]) -> None:
    """An address that need not be given (a model's ``URLField(blank=True)``) is stored and
    answered as ``""``, which the ``uri`` format alone does not allow. In answers any address
    may be empty; in requests (``…Request`` components) those that are not required."""
    for component_name, component in components.items():
        required = (
            set(component.get("required", [])) if component_name.endswith("Request") else set()
        )
        for name, field in component.get("properties", {}).items():
            if field.get("format") == "uri" and name not in required:
                uri = {
                    key: field.pop(key) for key in ("type", "format", "maxLength") if key in field
                }
                field["anyOf"] = [uri, {"type": "string", "maxLength": 0}]


def _json_body_only(operation: dict[str, Any], components: dict[str, Any]) -> None:
    content = operation.get("requestBody", {}).get("content", {})
    json_body = content.get("application/json")
    if json_body is None or _uploads_a_file(json_body.get("schema", {}), components):
        return
    for media_type in list(content):
        if media_type != "application/json":
            del content[media_type]


# One character that Python's str.strip() (DRF's trimming) keeps: none of those for which
# str.isspace() is true (ASCII and Unicode spaces, also the separators U+001C to U+001F).
NOT_BLANK = (
    "[^\\u0009-\\u000d\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000]"
)


def _text_not_blank(components: dict[str, Any]) -> None:
    """Required text in a request (``minLength`` 1) is trimmed before it is checked, so
    whitespace alone is refused as blank: the schema says so with a pattern."""
    for component_name, component in components.items():
        if not component_name.endswith("Request"):
            continue
        for field in component.get("properties", {}).values():
            if (
                field.get("type") == "string"
                and field.get("minLength", 0) >= 1
                and not {"format", "enum", "pattern"} & field.keys()
            ):
                field["pattern"] = NOT_BLANK


def _whole_number_bounds(operation: dict[str, Any]) -> None:
    """A whole number in the query string is an id or a count: ``accounts.input.parse_int``
    takes 0 to the largest bigint and refuses the rest (a 400), so the schema says so."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "query" and schema.get("type") == "integer":
            schema.setdefault("minimum", 0)
            schema.setdefault("maximum", MAX_ID)


def document_error_answers(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the error answers of every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.update(_COMPONENTS)
    _optional_uris_may_be_empty(components)
    _text_not_blank(components)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _json_body_only(operation, components)
            _whole_number_bounds(operation)
            responses = operation["responses"]
            answers = {
                "400": _BAD_REQUEST,
                "401": _UNAUTHENTICATED,
                "403": _FORBIDDEN,
                "404": _NOT_FOUND,
            }
            if method in _WRITES:
                answers["409"] = _CONFLICT
            for status, answer in answers.items():
                _document_error_answer(responses, status, answer)
    return result


def _document_error_answer(responses: dict[str, Any], status: str, answer: dict[str, Any]) -> None:
    """The error answer ``status``; one a view declared with only its own description (what
    a media upload refuses) keeps that description and gets the error shape and header."""
    declared = responses.get(status)
    if declared is None:
        responses[status] = answer
    elif "content" not in declared:
        responses[status] = {**answer, "description": declared.get("description", "")}


def answer_addresses_as_uris() -> None:
    """Every address in an API answer is a URI, as the schema's ``format: uri`` says.

    Stored addresses may be IRIs: Django's ``URLValidator`` accepts non-ASCII letters, and a
    platform hands over comment and profile addresses with umlauts
    (``https://…/@stadt_pöbler``). The answer percent-encodes them (``iri_to_uri``), which
    names the same resource for every HTTP client. Called once from ``AccountsConfig.ready``
    for every URL field of the API (declared or made from a model)."""
    from django.utils.encoding import iri_to_uri
    from rest_framework import fields

    to_representation = fields.URLField.to_representation

    def as_uri(field: Any, value: Any) -> Any:
        text = to_representation(field, value)
        return iri_to_uri(text) if isinstance(text, str) else text

    fields.URLField.to_representation = as_uri  # type: ignore[method-assign,assignment]


def query_rules(rules: str) -> dict[str, str]:
    """``extend_schema(extensions=query_rules("..."))``: the rules beyond the schema that an
    operation's view checks on its query string (see :class:`AutoSchema`)."""
    return {RULES_EXTENSION: rules}


def _rules_of(serializer: serializers.BaseSerializer[Any]) -> str | None:
    """What a request serializer refuses beyond its fields' schema: the rules it declares
    (a ``schema_rules`` text for those the service checks) and, found by looking, its own
    ``validate`` (across fields) and ``validate_<field>`` methods (a date in the future, an
    object of the same unit, …)."""
    declared = getattr(serializer, "schema_rules", None)
    cls = type(serializer)
    found = [
        name
        for name in dir(cls)
        if name == "validate" or (name.startswith("validate_") and callable(getattr(cls, name)))
    ]
    overridden = [
        name
        for name in found
        if getattr(cls, name) is not getattr(serializers.Serializer, name, None)
    ]
    if declared is None and not overridden:
        return None
    return (
        str(declared) if declared is not None else "Checked across fields or against stored data."
    )


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with each request body's rules beyond its schema named in
    ``x-rules`` (issue 16): rules across fields, against stored data or in the service (dates
    in order, a justification for a block, a phrase unique in its unit). A body valid by the
    schema may still be refused by them (400); ``tests/test_api_schema.py`` leaves out that
    one check for such operations, and only for them.

    The query string has such rules too (a period in order and not too long, a filter id
    that names an object the user may see). An operation names them in its own ``x-rules``:
    found on a serializer given as its ``parameters`` (as for a body), or declared with
    ``extend_schema(extensions={RULES_EXTENSION: "..."})`` where the view checks them. Either
    way the rules are also appended to the operation's description."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        if RULES_EXTENSION not in operation:
            found = [
                rules
                for parameter in self.get_override_parameters()
                if is_serializer(parameter)
                and (rules := _rules_of(openapi.force_instance(parameter))) is not None
            ]
            if found:
                operation[RULES_EXTENSION] = " ".join(found)
        if RULES_EXTENSION in operation:
            rules = f"Refused beyond the schema (400): {operation[RULES_EXTENSION]}"
            description = operation.get("description", "")
            operation["description"] = f"{description}\n\n{rules}" if description else rules
        return operation

    def _map_serializer(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request":
            rules = _rules_of(openapi.force_instance(serializer))
            if rules is not None:
                schema[RULES_EXTENSION] = rules
        return schema
