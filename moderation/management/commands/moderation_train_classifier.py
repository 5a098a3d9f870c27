"""``manage.py moderation_train_classifier``: train the insult classifier and store it in
the database (it replaces the active one). The model is never written to a file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser

from moderation.flags.classifier import Sample
from moderation.flags.classifier import TrainingDataError
from moderation.flags.classifier import read_germeval
from moderation.flags.selectors import training_samples_from_decisions
from moderation.flags.services import classifier_train


class Command(BaseCommand):
    help = (
        "Train the insult classifier from labelled data: a file in the GermEval 2018 format"
        " (text<TAB>OTHER|OFFENSE<TAB>fine label) and/or the units' own moderation decisions"
        " (hide/delete/block citing a rule = offensive, no action = not). Metrics are measured"
        " on --test when given, else on a held-out fifth of the data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--germeval", metavar="PATH", help="training file, GermEval format")
        parser.add_argument(
            "--test", metavar="PATH", help="test file, GermEval format (default: held out)"
        )
        parser.add_argument(
            "--from-decisions",
            action="store_true",
            help="also learn from the units' own moderation decisions",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["germeval"] and not options["from_decisions"]:
            raise CommandError("Give --germeval PATH, --from-decisions, or both.")
        samples: list[Sample] = []
        sources = []
        try:
            if options["germeval"]:
                samples.extend(read_germeval(options["germeval"]))
                sources.append(f"germeval:{options['germeval']}")
            if options["from_decisions"]:
                decisions = training_samples_from_decisions()
                samples.extend(decisions)
                sources.append(f"decisions:{len(decisions)}")
            test = read_germeval(options["test"]) if options["test"] else None
        except (OSError, TrainingDataError) as error:
            raise CommandError(str(error)) from error
        if options["test"]:
            sources.append(f"test:{options['test']}")
        try:
            row = classifier_train(
                samples=samples,
                test=test,
                source=" ".join(sources),
                actor_label="manage.py moderation_train_classifier",
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"classifier: {row.pk}")
        for name, value in row.metrics.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(self.style.SUCCESS("Stored and active."))
