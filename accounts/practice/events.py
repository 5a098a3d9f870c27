"""Signals of practice mode, for the apps above accounts that fill a practice space.

``practice_space_provisioned``: a user's practice unit was just made, inside the transaction
that made it; receivers get ``unit``, ``user`` (its owner) and ``colleague`` (the simulated
colleague holding editor and approver there). channels_app adds the sandbox practice
channels; editorial adds the colleague's post waiting for the user's review.

``practice_space_opened``: the space is about to be used (made now or earlier; sent at each
switch, after ``practice_space_provisioned`` for a new one); receivers get ``unit`` and
``user``, and top the space up idempotently with what a beginner starts from (the starter
library's Netiquette, saved replies and a post template), written by the system."""

from __future__ import annotations

from django.dispatch import Signal

practice_space_provisioned = Signal()
practice_space_opened = Signal()
