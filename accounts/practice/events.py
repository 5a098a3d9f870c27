"""Signals of practice mode, for the apps above accounts that fill a practice space.

``practice_space_provisioned``: a user's practice unit was just made, inside the transaction
that made it; receivers get ``unit``, ``user`` (its owner) and ``colleague`` (the simulated
colleague holding editor and approver there). channels_app adds the sandbox practice
channels; editorial adds the colleague's post waiting for the user's review."""

from __future__ import annotations

from django.dispatch import Signal

practice_space_provisioned = Signal()
