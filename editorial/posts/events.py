"""Signals of the posts feature, for features built on it that posts must not import.

``post_approved``: a post got all its approvals, inside the transaction that approved it;
receivers get ``post`` and ``actor``. Recurring posts (``post_templates``) carry the approval
over to identical occurrences of the series."""

from __future__ import annotations

from django.dispatch import Signal

post_approved = Signal()
