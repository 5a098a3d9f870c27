"""The insult classifier: training, evaluation, scoring and explanation.

A linear model over TF-IDF word and character n-grams (scikit-learn). Linear on purpose: every
score can be explained by the n-grams of the comment that pushed it up, which is what staff
see on the flag. The decision threshold is tuned for macro-F1 by cross-validation on the
training data (never on the data the metrics are measured on).

Used by ``manage.py moderation_train_classifier`` (through ``services.classifier_train``) and
by ``benchmarks/flags.py``; the trained model lives in the database (``InsultClassifier``),
never as a file in the repository.

Training data: the units' own moderation decisions (``selectors.training_samples_from_decisions``)
or a file in the GermEval 2018 format: ``text<TAB>OTHER|OFFENSE<TAB>fine label`` per line.
"""

from __future__ import annotations

import io
import pickle
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split

# Bumped when the features change: a stored model of another version is not used.
FEATURES_VERSION = 1
HELD_OUT_SHARE = 0.2
SEED = 0


@dataclass(frozen=True)
class Sample:
    text: str
    offensive: bool


class TrainingDataError(ValueError):
    """The labelled data cannot train a model (unreadable, or a class is missing)."""


def read_germeval(path: str | Path) -> list[Sample]:
    """Samples from a GermEval 2018 file (coarse task): ``text\\tOTHER|OFFENSE[\\tfine]``.
    Lines without a known coarse label are refused with their number."""
    samples = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2 or parts[1] not in ("OTHER", "OFFENSE"):
                raise TrainingDataError(
                    f"{path}, line {number}: expected 'text<TAB>OTHER|OFFENSE<TAB>label'"
                )
            samples.append(Sample(parts[0], parts[1] == "OFFENSE"))
    return samples


_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """What the features see: GermEval's line-break marker as a space, every mention and
    link alike (who is addressed or linked says nothing about the tone), digits alike."""
    text = text.replace("|LBR|", " ")
    text = _MENTION.sub("@user", text)
    text = _URL.sub("http", text)
    return _DIGIT.sub("0", text)


@dataclass
class InsultModel:
    """What is stored (pickled) in ``InsultClassifier.model``."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: LogisticRegression
    threshold: float
    version: int = FEATURES_VERSION
    sklearn_version: str = sklearn.__version__
    _names: list[str] | None = field(default=None, repr=False)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        normalised = [normalise(text) for text in texts]
        return sp.hstack(
            [fast_transform(self.words, normalised), fast_transform(self.chars, normalised)]
        ).tocsr()

    def scores(self, texts: Sequence[str], features: sp.csr_matrix | None = None) -> np.ndarray:
        """Probability that each text is offensive."""
        if not texts:
            return np.zeros(0)
        if features is None:
            features = self.features(texts)
        return self.classifier.predict_proba(features)[:, 1]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.scores(texts) >= self.threshold

    def feature_names(self) -> list[str]:
        if self._names is None:
            names: list[str] = []
            for vectorizer, kind in ((self.words, "word"), (self.chars, "chars")):
                by_index = sorted(vectorizer.vocabulary_.items(), key=lambda pair: pair[1])
                names.extend(f"{kind}:{term}" for term, _index in by_index)
            self._names = names
        return self._names

    def explain(
        self, text: str, top: int = 6, row: sp.csr_matrix | None = None
    ) -> list[dict[str, Any]]:
        """The n-grams of ``text`` that pushed its score up most: weight times the feature's
        value in this text. Overlapping character n-grams of one word are merged into the
        word they belong to, since "dioten" alone tells staff nothing. ``row`` is the text's
        row of ``features`` when the caller has it already."""
        if row is None:
            row = self.features([text])
        coef = self.classifier.coef_[0]
        contributions = [
            (float(row.data[k] * coef[row.indices[k]]), int(row.indices[k])) for k in range(row.nnz)
        ]
        contributions = [c for c in contributions if c[0] > 0]
        contributions.sort(reverse=True)
        names = self.feature_names()
        folded = normalise(text).lower()
        words = re.findall(r"\w+", folded)
        seen: dict[str, float] = {}
        for weight, index in contributions:
            kind, _sep, term = names[index].partition(":")
            term = term.strip()
            if kind == "chars":
                whole = next((word for word in words if term in word), term)
                term = whole
            if not term or term in seen:
                continue
            seen[term] = round(weight, 4)
            if len(seen) >= top:
                break
        return [{"ngram": term, "weight": weight} for term, weight in seen.items()]

    def compact(self) -> None:
        # The terms pruned by min_df are kept by scikit-learn only for introspection and
        # can be larger than the model itself.
        for vectorizer in (self.words, self.chars):
            if hasattr(vectorizer, "stop_words_"):
                vectorizer.stop_words_ = None
        self._names = None


def fast_transform(vectorizer: TfidfVectorizer, documents: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(documents)``, about twice as fast: scikit-learn counts each
    n-gram with a dictionary lookup that raises KeyError for every n-gram not in the
    vocabulary (most of them, in new text); here unknown ones are dropped by ``dict.get``
    and the counts summed by scipy. Same analyzer, same TF-IDF weighting and norm."""
    analyzer = vectorizer.build_analyzer()
    lookup = vectorizer.vocabulary_.get
    found: list[int] = []
    lengths = []
    for document in documents:
        before = len(found)
        found.extend(map(lookup, analyzer(document), repeat(-1)))
        lengths.append(len(found) - before)
    ids = np.asarray(found, dtype=np.int64)
    rows = np.repeat(np.arange(len(documents)), lengths)
    known = ids >= 0
    # Built from (row, column) pairs: repeated n-grams of a document are summed.
    counts = sp.csr_matrix(
        (np.ones(int(known.sum()), dtype=vectorizer.dtype), (rows[known], ids[known])),
        shape=(len(documents), len(vectorizer.vocabulary_)),
    )
    return vectorizer._tfidf.transform(counts, copy=False)


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    return (
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, dtype=np.float32
        ),
    )


def _classifier() -> LogisticRegression:
    return LogisticRegression(C=3.0, class_weight="balanced", max_iter=3000)


def _best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(np.quantile(scores, np.linspace(0.05, 0.95, 91)))
    best = max(
        candidates, key=lambda t: f1_score(labels, scores >= t, average="macro", zero_division=0)
    )
    return float(best)


def _labels(samples: Sequence[Sample]) -> np.ndarray:
    return np.array([sample.offensive for sample in samples], dtype=bool)


def _check(samples: Sequence[Sample]) -> None:
    labels = _labels(samples)
    if labels.all() or not labels.any():
        raise TrainingDataError(
            "The training data needs offensive and other samples; one of the two is missing."
        )


def fit(samples: Sequence[Sample]) -> InsultModel:
    """Train on ``samples``; the threshold is tuned by cross-validation on them."""
    _check(samples)
    labels = _labels(samples)
    texts = [normalise(sample.text) for sample in samples]
    words, chars = _vectorizers()
    # The character vectoriser's min_df needs a few samples; tiny sets keep every n-gram.
    if len(samples) < 50:
        chars.set_params(min_df=1)
    matrix = sp.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    folds = min(5, int(labels.sum()), int((~labels).sum()))
    threshold = 0.5
    if folds >= 2:
        cv = StratifiedKFold(folds, shuffle=True, random_state=SEED)
        out_of_fold = cross_val_predict(
            _classifier(), matrix, labels, cv=cv, method="predict_proba"
        )[:, 1]
        threshold = _best_threshold(out_of_fold, labels)
    classifier = _classifier().fit(matrix, labels)
    model = InsultModel(words=words, chars=chars, classifier=classifier, threshold=threshold)
    model.compact()
    return model


def evaluate(model: InsultModel, samples: Sequence[Sample]) -> dict[str, Any]:
    """Precision, recall and F1 of OFFENSE, macro-F1 over both classes, and the speed."""
    labels = _labels(samples)
    started = time.perf_counter()
    predicted = model.predict([sample.text for sample in samples])
    seconds = time.perf_counter() - started
    precision, recall, f1, _support = precision_recall_fscore_support(
        labels, predicted, average="binary", zero_division=0
    )
    # GermEval 2018 ranked by the F1 of the macro-averaged precision and recall (its
    # evaluation script), which is not the mean of the two classes' F1 (scikit-learn's
    # macro-F1): both are reported, under their own names.
    macro_p, macro_r, _f, _s = precision_recall_fscore_support(
        labels, predicted, average="macro", zero_division=0
    )
    official = 2 * macro_p * macro_r / (macro_p + macro_r) if macro_p + macro_r else 0.0
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "macro_f1": round(float(f1_score(labels, predicted, average="macro", zero_division=0)), 4),
        "macro_f1_germeval": round(float(official), 4),
        "test_samples": len(samples),
        "comments_per_second": round(len(samples) / seconds, 1) if seconds > 0 else None,
    }


@dataclass
class TrainingResult:
    model: InsultModel
    metrics: dict[str, Any]
    train_samples: int


def train(samples: Sequence[Sample], *, test: Sequence[Sample] | None = None) -> TrainingResult:
    """Train and measure. With ``test`` the model learns from all of ``samples`` and is
    measured on ``test``; without, a stratified fifth of ``samples`` is held out and the
    stored model is the one measured (it never saw the held-out part)."""
    _check(samples)
    if test is None:
        labels = _labels(samples)
        stratify = labels if min(labels.sum(), (~labels).sum()) >= 2 else None
        training, held_out = train_test_split(
            list(samples), test_size=HELD_OUT_SHARE, random_state=SEED, stratify=stratify
        )
        evaluated_on = "held_out"
    else:
        training, held_out = list(samples), list(test)
        evaluated_on = "test_file"
    started = time.perf_counter()
    model = fit(training)
    training_seconds = time.perf_counter() - started
    metrics = evaluate(model, held_out)
    metrics.update(
        {
            "evaluated_on": evaluated_on,
            "train_samples": len(training),
            "threshold": round(model.threshold, 4),
            "training_seconds": round(training_seconds, 2),
            "features_version": FEATURES_VERSION,
            "sklearn_version": sklearn.__version__,
        }
    )
    return TrainingResult(model=model, metrics=metrics, train_samples=len(training))


def dumps(model: InsultModel) -> bytes:
    buffer = io.BytesIO()
    pickle.dump(model, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return buffer.getvalue()


def loads(data: bytes | memoryview) -> InsultModel | None:
    """The stored model, or None when it was made by other features or another
    scikit-learn version (unpickling across versions is not reliable): retrain then."""
    try:
        model = pickle.loads(bytes(data))  # noqa: S301 - our own database, our own models
    except Exception:
        return None
    if not isinstance(model, InsultModel) or model.version != FEATURES_VERSION:
        return None
    if model.sklearn_version != sklearn.__version__:
        return None
    return model


def score_texts(
    model: InsultModel, texts: Sequence[str]
) -> tuple[list[float], sp.csr_matrix | None]:
    """Scores of ``texts`` and their feature rows (for ``explain``), in one pass."""
    if not texts:
        return [], None
    features = model.features(texts)
    return [float(score) for score in model.scores(texts, features)], features
