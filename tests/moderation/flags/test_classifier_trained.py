# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""What one training by the command leaves behind: the stored model, its metrics, its audit
entry, the flags it raises, and a second training replacing it.

The command trains once per module (``trained``, in the module's transaction after the
world), each test asserts its own part of the result in a savepoint of it; a test that trains
again does so in its savepoint. The tests that need no model in the database, or a model
trained on other data, stay in test_classifier.py."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from accounts.models import AuditEntry
from moderation.flags import classifier
from moderation.flags.services import classifier_status_text
from moderation.flags.services import flags_raise
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InsultClassifier
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.flags.conftest import HARMLESS
from tests.moderation.flags.conftest import OFFENSIVE
from tests.moderation.flags.conftest import write_germeval
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

Make = Callable[..., InboxItem]


@pytest.fixture(scope="module")
def trained(
    world: tuple[Org, People], django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    """The command trained once on the flags conftest's GermEval file (the same rows as its
    ``germeval_file``), in the module's transaction: the stored row's primary key."""
    rows = [(t, "OFFENSE") for t in OFFENSIVE] + [(t, "OTHER") for t in HARMLESS]
    path = write_germeval(tmp_path_factory.mktemp("germeval") / "train.tsv", rows * 3)
    with django_db_blocker.unblock():
        assert transaction.get_connection().in_atomic_block, "outside the module's transaction"
        call_command("moderation_train_classifier", "--germeval", str(path))
        yield InsultClassifier.objects.get().pk


def test_command_stores_model_and_metrics(trained: int) -> None:
    row = InsultClassifier.objects.get()
    assert row.pk == trained
    assert row.active
    assert bytes(row.model)
    assert set(row.metrics) >= {"precision", "recall", "f1", "macro_f1", "threshold"}
    assert row.metrics["evaluated_on"] == "held_out"
    assert row.samples == 48  # 60 samples, a fifth held out


def test_training_is_audited(trained: int) -> None:
    entry = AuditEntry.objects.get(action="moderation.flags.classifier_trained")
    assert entry.data["samples"] == 48
    assert "macro_f1" in entry.data["metrics"]


def test_a_new_model_replaces_the_active_one(trained: int, germeval_file: Path) -> None:
    call_command("moderation_train_classifier", "--germeval", str(germeval_file))
    assert InsultClassifier.objects.count() == 2
    assert InsultClassifier.objects.filter(active=True).count() == 1
    assert not InsultClassifier.objects.get(pk=trained).active


def test_the_flags_use_the_trained_model(trained: int, make_item: Make) -> None:
    rude = make_item("Ihr unfähigen Versager und Lügner")
    polite = make_item("Wann öffnet das Bürgerbüro am Samstag?")
    flags_raise(items=[rude, polite])
    flag = Flag.objects.get(item=rude, kind=Flag.Kind.INSULT, code="classifier")
    assert flag.evidence["classifier"] == trained
    assert flag.score is not None and flag.score >= flag.evidence["threshold"]
    assert flag.evidence["top_features"]
    says = de(
        "The insult classifier (trained %(date)s) rates this comment offensive with a score"
        " of %(score)s (threshold %(threshold)s)."
    )
    assert flag.explanation.startswith(says.split("(")[0])
    assert not Flag.objects.filter(item=polite).exists()


def test_a_newer_model_replaces_the_cached_one(
    trained: int, germeval_file: Path, make_item: Make
) -> None:
    first = make_item("Ihr Versager")
    flags_raise(items=[first])
    assert Flag.objects.get(item=first, code="classifier").evidence["classifier"] == trained
    call_command("moderation_train_classifier", "--germeval", str(germeval_file))
    newest = InsultClassifier.objects.get(active=True)
    assert newest.pk != trained
    item = make_item("Ihr Versager und Lügner")
    flags_raise(items=[item])
    flag = Flag.objects.get(item=item, code="classifier")
    assert flag.evidence["classifier"] == newest.pk


def test_regularisation_is_chosen_by_cross_validation(trained: int) -> None:
    assert InsultClassifier.objects.get().metrics["c"] in classifier.C_CANDIDATES


def test_status_says_when_the_stored_model_is_of_an_older_version(trained: int) -> None:
    row = InsultClassifier.objects.get()
    with translation.override("en"):
        assert "retrained" not in classifier_status_text(row)
        row.metrics["features_version"] = classifier.FEATURES_VERSION - 1
        assert "retrained" in classifier_status_text(row)
