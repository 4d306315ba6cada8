"""Show (and with --train, first compute) the accuracy of the inbox's two
category classifiers — the keyword lexicon and the trained model — on the
held-out share of the hand-corrected items."""

from django.core.management.base import BaseCommand

from rongmei.core.audit import audit_context
from rongmei.core.models import AuditEntry
from rongmei.interaction import training
from rongmei.interaction.models import ClassifierRun, Item


class Command(BaseCommand):
    help = "Accuracy of the inbox's lexicon and trained classifier on a held-out set (--train to train now)."

    def add_arguments(self, parser):
        parser.add_argument("--train", action="store_true", help="Train on the corrected items first.")
        parser.add_argument("--force", action="store_true", help="Train even below the minimum of corrections.")

    def handle(self, *args, train=False, force=False, **options):
        corrected = Item.objects.filter(category_by=Item.CategoryBy.PERSON).count()
        self.stdout.write(f"corrected items: {corrected} (the model is considered from {training.min_corrections()})")
        if train:
            with audit_context(via=AuditEntry.Via.CLI):
                run = training.train(force=force)
            if run is None:
                self.stdout.write("not trained: too few corrected items (use --force to train anyway)")
                return
        run = ClassifierRun.objects.first()
        if run is None:
            self.stdout.write("no training yet: the keyword lexicon classifies every item")
            return

        def percent(value):
            return "-" if value is None else f"{value * 100:.1f}%"

        self.stdout.write(
            f"trained {run.trained_at:%Y-%m-%d %H:%M}: {run.train_size} training / {run.test_size} held out\n"
            f"lexicon accuracy: {percent(run.lexicon_accuracy)}\n"
            f"model accuracy:   {percent(run.model_accuracy)}\n"
            f"in use: {'model' if run.in_use else 'lexicon'} — {run.note}"
        )
