"""The guard at the top of every ``*_update(**fields)`` service, in every app."""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Iterable


def editable_fields_check(fields: Iterable[str], editable: Collection[str]) -> None:
    """Refuse a field name outside ``editable``: a caller's mistake (a form or serializer
    offering more than the service changes), never a user's, hence ``ValueError``."""
    unknown = set(fields) - set(editable)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
