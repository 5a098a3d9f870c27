# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""End to end through the real services: in practice mode an editor's first draft and its
submission in the practice space tick the checklist; the same in a real unit does not."""

from __future__ import annotations

from accounts.guidance.selectors import checklist_for
from accounts.models import OrgUnit
from accounts.practice.services import practice_mode_set
from channels_app.models import Channel
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_drafting_and_submitting_in_practice_ticks_two_items(org: Org, people: People) -> None:
    editor = people.editor
    post_create(actor=editor, unit=org.press, title="Echt", text="Ein echter Entwurf.")
    assert checklist_for(editor).done == 0

    practice_mode_set(user=editor, active=True)
    space = OrgUnit.objects.get(practice_of=editor)
    channels = list(Channel.objects.filter(unit=space))
    assert channels  # the practice space's sandbox channels
    post = post_create(
        actor=editor, unit=space, title="Übung", text="Ein Übungsentwurf.", channels=channels
    )
    post_submit(actor=editor, post=post)

    done = {e.item.key for e in checklist_for(editor).entries if e.done}
    assert done == {"editor.first_draft", "editor.submit_for_review"}
