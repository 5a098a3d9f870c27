"""Audit actions of practice mode, registered when accounts starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions


def register() -> None:
    register_audit_actions(
        {
            "accounts.practice.provisioned": _("Practice space created"),
            "accounts.practice.started": _("Practice mode switched on"),
            "accounts.practice.ended": _("Practice mode switched off"),
        }
    )
