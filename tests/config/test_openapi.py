from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_complete() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/v1/posts/",
        "/api/v1/channels/",
        "/api/v1/audit-entries/",
        "/api/v1/approvals/",
        "/api/v1/units/",
    ):
        assert f"{path}:" in schema, path
