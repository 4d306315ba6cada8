"""The trained category classifier (分类, version 2).

Trained on the items whose category a person corrected or confirmed
(``category_by == person``): TF-IDF over jieba words and character
bigrams, then a linear SVM (scikit-learn's ``LinearSVC``). A fixed share of
the corrected items (``HELD_OUT``, drawn with a fixed seed, every category
represented) is held out; both the lexicon and the new model are scored on
it, and the model is put to use only when it is more accurate. The model
file lives in the data directory (``interaction/classifier-<run>.joblib``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rongmei.interaction.models import ClassifierRun, Item

HELD_OUT = 0.2
SEED = 20261126


def min_corrections() -> int:
    return int(getattr(settings, "INTERACTION_CLASSIFIER_MIN_CORRECTIONS", 200))


def model_dir() -> Path:
    path = Path(settings.DATA_DIR) / "interaction"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_model(run: ClassifierRun):
    import joblib

    path = model_dir() / run.model_file
    if not run.model_file or not path.exists():
        return None
    return joblib.load(path)


def split(rows: list[tuple[str, str]], share: float = HELD_OUT, seed: int = SEED):
    """(train, test): ``share`` of each category held out (at least one
    where a category has two or more examples)."""
    by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        by_label[row[1]].append(row)
    generator = random.Random(seed)  # noqa: S311 - a reproducible split, not a secret
    train, test = [], []
    for label in sorted(by_label):
        group = by_label[label]
        generator.shuffle(group)
        n = max(round(len(group) * share), 1) if len(group) > 1 else 0
        test += group[:n]
        train += group[n:]
    return train, test


def build_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    from rongmei.interaction.classify import words

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2)),
        ]
    )
    return Pipeline([("features", features), ("svm", LinearSVC(C=1.0))])


def lexicon_accuracy(test: list[tuple[str, str]]) -> float:
    from rongmei.interaction.classify import Lexicon

    lexicon = Lexicon.load()
    right = 0
    for text, label in test:
        category, _topic = lexicon.classify(text)
        right += bool(category and category.name == label)
    return right / len(test) if test else 0.0


def train(*, force: bool = False) -> ClassifierRun | None:
    """Train on the corrected items and record the run; None when there
    are fewer than ``min_corrections()`` (unless ``force``)."""
    import joblib

    rows = list(
        Item.objects.filter(category_by=Item.CategoryBy.PERSON, category__isnull=False)
        .order_by("pk")
        .values_list("content", "category__name")
    )
    if len(rows) < min_corrections() and not force:
        return None
    train_rows, test_rows = split(rows)
    labels = {label for _text, label in train_rows}
    run = ClassifierRun(corrected=len(rows), train_size=len(train_rows), test_size=len(test_rows))
    run.lexicon_accuracy = lexicon_accuracy(test_rows)
    if len(labels) < 2 or not test_rows:
        run.note = "纠正过的留言太少或只有一个类别，无法训练。"
        run.save()
        return run
    pipeline = build_pipeline()
    pipeline.fit([t for t, _l in train_rows], [label for _t, label in train_rows])
    predicted = pipeline.predict([t for t, _l in test_rows])
    run.model_accuracy = sum(p == label for p, (_t, label) in zip(predicted, test_rows, strict=True)) / len(test_rows)
    run.in_use = run.model_accuracy > run.lexicon_accuracy
    run.note = "模型比关键词词表准确，已启用。" if run.in_use else "模型不比关键词词表准确，继续使用词表。"
    with transaction.atomic():
        run.save()
        run.model_file = f"classifier-{run.pk}.joblib"
        joblib.dump(pipeline, model_dir() / run.model_file)
        run.save(update_fields=["model_file"])
        if run.in_use:
            ClassifierRun.objects.exclude(pk=run.pk).update(in_use=False)
    from rongmei.core import audit

    audit.record(
        "interaction.classifier.train",
        run,
        data={"corrected": run.corrected, "lexicon_accuracy": run.lexicon_accuracy,
              "model_accuracy": run.model_accuracy, "in_use": run.in_use, "at": timezone.now()},
    )  # fmt: skip
    return run
