"""The schema's error answers and the answers' addresses (accounts.api_schema, issue 16)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.api_schema import VALIDATION_ERROR_SCHEMA
from accounts.api_schema import document_error_answers


def _schema_with(responses: dict[str, Any]) -> dict[str, Any]:
    return {"paths": {"/api/v1/media/": {"post": {"responses": responses}}}}


def _answers(result: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = result["paths"]["/api/v1/media/"]["post"]["responses"]
    return responses


def test_an_error_answer_described_by_its_view_keeps_the_words_and_gets_the_error_shape() -> None:
    result = document_error_answers(
        _schema_with({"201": {"description": ""}, "400": {"description": "Not an image."}})
    )
    refused = _answers(result)["400"]
    assert refused["description"] == "Not an image."
    assert refused["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{VALIDATION_ERROR_SCHEMA}"
    }
    assert "Error-Code" in refused["headers"]


def test_an_error_answer_with_its_own_shape_is_left_as_it_is() -> None:
    own = {"description": "Own.", "content": {"application/json": {"schema": {"type": "object"}}}}
    result = document_error_answers(_schema_with({"201": {"description": ""}, "409": own}))
    assert _answers(result)["409"] == own


def test_every_write_documents_the_error_answers() -> None:
    result = document_error_answers(_schema_with({"201": {"description": ""}}))
    assert set(_answers(result)) == {"201", "400", "401", "403", "404", "409"}


def test_an_address_with_umlauts_is_answered_as_a_uri() -> None:
    field = serializers.URLField()
    assert field.to_representation("https://stadt.example/bürgerbüro") == (
        "https://stadt.example/b%C3%BCrgerb%C3%BCro"
    )


def test_an_address_already_a_uri_is_answered_unchanged() -> None:
    address = "https://stadt.example/a%20b?q=1&r=%C3%BC#top"
    assert serializers.URLField().to_representation(address) == address
