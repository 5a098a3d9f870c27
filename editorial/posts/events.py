"""Signals of the posts feature, for features built on it that posts must not import.

``post_approved``: a post got all its approvals, inside the transaction that approved it;
receivers get ``post`` and ``actor``. Recurring posts (``post_templates``) carry the approval
over to identical occurrences of the series.

``post_review_ended``: a post left review (approved, scheduled, rejected, withdrawn or back to
draft), inside the transaction of that change; receivers get ``post`` and its new ``status``.
Requests to approve it that a feature sent (crisis: emergency approval) are then resolved."""

from __future__ import annotations

from django.dispatch import Signal

post_approved = Signal()
post_review_ended = Signal()
