# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Training the insult classifier (command and service) and the flags it raises.

What one training by the command on the GermEval fixture leaves behind (stored model,
metrics, audit entry, flags) is tested in test_classifier_trained.py, which trains once per
module. Here: the command on other data or without a model, and the models of ``fit``, each
fitted once per module on the same samples (``fitted``, ``fitted_thrice``) unless a test
needs other settings."""

from __future__ import annotations

import copy
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError
from django.core.management import call_command

from moderation.flags import classifier
from moderation.flags.matching import maintained_lexicon
from moderation.flags.services import flags_raise
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InsultClassifier
from moderation.models import ModerationAction
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import NetiquetteFactory
from tests.moderation.flags.conftest import HARMLESS
from tests.moderation.flags.conftest import OFFENSIVE
from tests.moderation.flags.conftest import write_germeval
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

Make = Callable[..., InboxItem]


def test_command_measures_on_a_given_test_file(germeval_file: Path, tmp_path: Path) -> None:
    test = write_germeval(
        tmp_path / "test.tsv", [(OFFENSIVE[0], "OFFENSE"), (HARMLESS[0], "OTHER")]
    )
    call_command(
        "moderation_train_classifier", "--germeval", str(germeval_file), "--test", str(test)
    )
    metrics = InsultClassifier.objects.get().metrics
    assert metrics["evaluated_on"] == "test_file"
    assert metrics["test_samples"] == 2


def test_without_a_model_only_the_lexicon_runs(make_item: Make) -> None:
    item = make_item("Ihr unfähigen Versager")
    flags_raise(items=[item])
    assert list(Flag.objects.filter(item=item).values_list("code", flat=True)) == ["lexicon"]


def test_a_file_without_offensive_samples_is_refused(tmp_path: Path) -> None:
    only_other = write_germeval(tmp_path / "t.tsv", [(t, "OTHER") for t in HARMLESS])
    with pytest.raises(CommandError, match="offensive"):
        call_command("moderation_train_classifier", "--germeval", str(only_other))
    assert not InsultClassifier.objects.exists()


def test_a_malformed_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("ok\tOTHER\tOTHER\nkein Label hier\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("moderation_train_classifier", "--germeval", str(bad))


def test_command_needs_a_source() -> None:
    with pytest.raises(CommandError):
        call_command("moderation_train_classifier")


def test_decisions_are_training_data(org: Org, people: People, make_item: Make) -> None:
    rule = NetiquetteFactory(unit=org.city).rules.get(number=1)
    for text in OFFENSIVE:
        ModerationAction.objects.create(
            item=make_item(text),
            kind=ModerationAction.Kind.HIDE,
            rule=rule,
            justification="Beleidigung",
            actor=people.community_manager,
        )
    for text in HARMLESS:
        ModerationAction.objects.create(
            item=make_item(text),
            kind=ModerationAction.Kind.NO_ACTION,
            justification="harmlos",
            actor=people.community_manager,
        )
    call_command("moderation_train_classifier", "--from-decisions")
    row = InsultClassifier.objects.get()
    assert row.source == "decisions:20"
    assert row.samples == 16


def _samples() -> list[classifier.Sample]:
    return [classifier.Sample(t, True) for t in OFFENSIVE] + [
        classifier.Sample(t, False) for t in HARMLESS
    ]


def _unchanged(model: classifier.InsultModel) -> Iterator[classifier.InsultModel]:
    """``model`` for the module's tests, checked to be as fitted when they are done: a test
    that changes a model copies it first."""
    before = classifier.dumps(model)
    yield model
    assert classifier.dumps(model) == before, "a test changed the module's model"


@pytest.fixture(scope="module")
def fitted() -> Iterator[classifier.InsultModel]:
    """``fit`` on the samples once each, with the maintained lexicon."""
    yield from _unchanged(classifier.fit(_samples()))


@pytest.fixture(scope="module")
def fitted_thrice() -> Iterator[classifier.InsultModel]:
    """``fit`` on the samples three times over (as ``_small_model()``), the maintained lexicon."""
    yield from _unchanged(_small_model())


def test_explanation_names_the_words_of_the_text(fitted_thrice: classifier.InsultModel) -> None:
    model = fitted_thrice
    words = [feature["ngram"] for feature in model.explain("Ihr Idioten und Versager")]
    assert words and all(word in "ihr idioten und versager" for word in words)


def test_a_model_of_another_scikit_learn_version_is_not_used(
    fitted: classifier.InsultModel,
) -> None:
    model = copy.deepcopy(fitted)
    model.sklearn_version = "0.1"
    assert classifier.loads(classifier.dumps(model)) is None


def test_fast_transform_equals_scikit_learns(fitted: classifier.InsultModel) -> None:
    model = fitted
    texts = [classifier.normalise(t) for t in ["Ihr Idioten!!", "Unbekannte Wörter xyz", ""]]
    for vectorizer in (model.words, model.chars):
        expected = vectorizer.transform(texts)
        assert abs(classifier.fast_transform(vectorizer, texts) - expected).max() == 0


def _small_model(lexicon: tuple[str, ...] | None = None) -> classifier.InsultModel:
    return classifier.fit(_samples() * 3, lexicon=lexicon)


def test_a_model_of_other_features_is_not_used(fitted_thrice: classifier.InsultModel) -> None:
    model = copy.deepcopy(fitted_thrice)
    model.version = classifier.FEATURES_VERSION - 1
    assert classifier.loads(classifier.dumps(model)) is None


def test_the_model_keeps_the_maintained_lexicon_it_learnt_with(
    fitted_thrice: classifier.InsultModel,
) -> None:
    model = classifier.loads(classifier.dumps(fitted_thrice))
    assert model is not None
    assert model.lexicon == maintained_lexicon()
    assert model.lexicon_matches("Du Vollidiot!") == ["Vollidiot"]


def test_lexicon_words_count_and_are_named_in_the_explanation() -> None:
    # The lexicon columns learn their weight from the training texts with "Versager" and
    # "Idiot"; "Schwurbler" is in none of them, so only the lexicon says it is an insult.
    with_word = _small_model(lexicon=("versager*", "idiot*", "schwurbler*"))
    without = _small_model(lexicon=())
    text = "Wann kommt der Schwurbler ins Bürgerbüro?"
    assert with_word.scores([text])[0] > without.scores([text])[0]
    assert "schwurbler" in [feature["ngram"] for feature in with_word.explain(text)]


def test_the_stored_coefficients_score_the_features_as_they_are(
    fitted_thrice: classifier.InsultModel,
) -> None:
    # The naive-Bayes scaling is folded into the coefficients: the score is the plain
    # dot product of the text's features and the stored weights, which explain() shows.
    model = fitted_thrice
    row = model.features(["Ihr Idioten und Versager"])
    expected = row @ model.classifier.coef_[0] + model.classifier.intercept_[0]
    assert model.scores(["Ihr Idioten und Versager"])[0] == pytest.approx(
        1 / (1 + np.exp(-expected[0]))
    )
