"""The sandbox API's one error type: services and selectors raise it, the views render it
as ``{"error": ..., "error_description": ...}`` like an OAuth 2 platform would."""

from __future__ import annotations


class SandboxApiError(Exception):
    def __init__(
        self,
        status: int,
        error: str,
        description: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}

    def as_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}
