# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Raw input: the whole-number helpers, the character checks and the middleware that refuses
NUL and invalid Unicode before any view sees them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from accounts.input import bool_param
from accounts.input import choice_param
from accounts.input import form_is_clean
from accounts.input import int_list
from accounts.input import int_param
from accounts.input import json_is_clean
from accounts.input import parse_int
from accounts.input import text_is_clean
from accounts.input import urlencoded_is_clean
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- whole numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("42", 42),
        ("007", 7),
        (5, 5),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("1.5", None),
        (" 1", None),
        ("", None),
        (None, None),
        (True, None),
        ("9" * 30, None),
        (["1"], None),
    ],
)
def test_parse_int_accepts_only_ascii_digits_a_database_id_can_hold(
    value: object, number: int | None
) -> None:
    assert parse_int(value) == number


def test_int_list_leaves_out_what_is_no_whole_number() -> None:
    assert int_list(["1", "²", "abc", "3"]) == [1, 3]


def test_int_param_is_none_when_absent() -> None:
    assert int_param(QueryDict(""), "unit") is None


def test_int_param_refuses_an_empty_value_as_the_schema_says_integer() -> None:
    with pytest.raises(ValidationError) as refused:
        int_param(QueryDict("unit="), "unit")
    assert set(refused.value.message_dict) == {"unit"}


@pytest.mark.parametrize(("query", "value"), [("", None), ("a=true", True), ("a=false", False)])
def test_bool_param_takes_true_and_false(query: str, value: bool | None) -> None:
    assert bool_param(QueryDict(query), "a") is value


@pytest.mark.parametrize("query", ["a=", "a=null", "a=1", "a=True"])
def test_bool_param_refuses_anything_else(query: str) -> None:
    with pytest.raises(ValidationError) as refused:
        bool_param(QueryDict(query), "a")
    assert set(refused.value.message_dict) == {"a"}


def test_choice_param_takes_a_choice_and_refuses_another_value() -> None:
    assert choice_param(QueryDict("status=due"), "status", ["active", "due"]) == "due"
    assert choice_param(QueryDict(""), "status", ["active", "due"]) is None
    with pytest.raises(ValidationError) as refused:
        choice_param(QueryDict("status=gone"), "status", ["active", "due"])
    assert set(refused.value.message_dict) == {"status"}


def test_int_param_refuses_other_digits_for_its_field() -> None:
    with pytest.raises(ValidationError) as refused:
        int_param(QueryDict("unit=%C2%B2"), "unit")
    assert set(refused.value.message_dict) == {"unit"}


# --- characters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"), [("Grüße ✓", True), ("a\x00b", False), ("a\ud800b", False)]
)
def test_text_is_clean_refuses_nul_and_lone_surrogates(text: str, clean: bool) -> None:
    assert text_is_clean(text) is clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (b"q=Gr%C3%BC%C3%9Fe&unit=%C2%B2", True),
        (b"q=a%00b", False),
        (b"a%00=b", False),
        (b"q=%ED%A0%80", False),  # an encoded surrogate is no UTF-8
        (b"q=%FF", False),
        (b"q=\xff", False),
        (b"q=Gr\xc3\xbc\xc3\x9fe", True),
    ],
)
def test_urlencoded_is_clean(raw: bytes, clean: bool) -> None:
    assert urlencoded_is_clean(raw) is clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (b'{"text": "Gr\\u00fc\\u00dfe"}', True),
        (b'{"text": "a\\u0000"}', False),
        (b'{"a\\u0000": 1}', False),
        (b'{"text": ["\\ud800"]}', False),
        (b'{"text": "\xff"}', False),
        (b"no json", True),  # the parser refuses it as such
    ],
)
def test_json_is_clean(raw: bytes, clean: bool) -> None:
    assert json_is_clean(raw) is clean


def test_form_is_clean_looks_at_file_names_but_not_contents() -> None:
    files: Any = QueryDict(mutable=True)
    files.setlist("file", [SimpleUploadedFile("bild.png", b"\x00\xff")])
    assert form_is_clean(QueryDict("alt_text=Bild"), files)
    files.setlist("file", [SimpleUploadedFile("bi\x00ld.png", b"")])
    assert not form_is_clean(QueryDict("alt_text=Bild"), files)


# --- the middleware ------------------------------------------------------------------------


def test_the_api_answers_nul_in_the_query_with_invalid_and_its_header(
    people: People, api_client_for: Any
) -> None:
    response = api_client_for(people.editor).get("/api/v1/posts/?q=a%00b")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response["Error-Code"] == "invalid"


def test_a_page_answers_nul_in_a_form_with_the_400_page_and_its_reason(
    people: People, client_for: Any
) -> None:
    response = client_for(people.editor).post("/editorial/posts/preview/", {"text": "a\x00b"})
    assert response.status_code == 400
    assert "unzulässige Zeichen (ein NUL-Byte" in response.content.decode()  # in her language


def test_undecodable_bytes_in_a_form_body_are_refused(people: People, client_for: Any) -> None:
    response = client_for(people.editor).post(
        "/editorial/posts/preview/",
        b"text=%FF",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_lone_surrogate_in_a_json_body_is_refused(people: People, api_client_for: Any) -> None:
    response = api_client_for(people.editor).post(
        "/api/v1/posts/", b'{"title": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_nul_in_a_multipart_field_of_an_upload_is_refused_once_parsed(
    people: People, api_client_for: Any
) -> None:
    response = api_client_for(people.editor).post(
        "/api/v1/media/",
        {"alt_text": "a\x00b", "file": SimpleUploadedFile("bild.png", b"\x00\x01")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_nul_in_a_multipart_field_of_a_page_shows_the_400_page(
    people: People, client_for: Any
) -> None:
    response = client_for(people.editor).post(
        "/editorial/media/upload/",
        {"alt_text": "a\x00b", "file": SimpleUploadedFile("bild.png", b"\x00\x01")},
    )
    assert response.status_code == 400
    assert "unzulässige Zeichen (ein NUL-Byte" in response.content.decode()  # in her language


def test_clean_input_passes(people: People, client_for: Any) -> None:
    response = client_for(people.editor).get("/editorial/posts/?q=Gr%C3%BC%C3%9Fe")
    assert response.status_code == 200
