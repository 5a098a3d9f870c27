"""Signals accounts sends for the apps above it, which it must not import.

``unit_moved``: a unit got another parent, inside the transaction that moved it; receivers get
``unit`` (with its new path). Roles inherited from the old ancestors must stop applying to what
the unit and the units below it own (channels_app re-derives its channel permissions)."""

from __future__ import annotations

from django.dispatch import Signal

unit_moved = Signal()
