"""The insult classifier: training, evaluation, scoring and explanation.

A linear model (scikit-learn) over TF-IDF word and character n-grams and two columns counting
the comment's words of the maintained lexicon. Linear on purpose: every score can be explained
by the n-grams (and lexicon words) of the comment that pushed it up, which is what staff see
on the flag. The n-gram columns are scaled by their naive-Bayes log-count ratio before the
logistic regression learns (NB-LR, Wang & Manning 2012: on the GermEval 2018 training data,
5-fold cross-validated macro-F1 0.78 against 0.76 without, and the lexicon columns add about
0.01); the scaling is folded into the stored coefficients, so scoring and explaining stay one
dot product. The regularisation strength and the decision threshold are chosen for macro-F1
by cross-validation on the training data (never on the data the metrics are measured on).

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
from dataclasses import dataclass
from dataclasses import field
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.model_selection import train_test_split

from moderation.flags.matching import TermMatcher
from moderation.flags.matching import maintained_lexicon
from moderation.flags.matching import tokenize

# Bumped when the features change: a stored model of another version is not used.
# 2: lexicon columns, naive-Bayes scaled n-grams, C chosen by cross-validation.
FEATURES_VERSION = 2
HELD_OUT_SHARE = 0.2
SEED = 0
# The candidates for LogisticRegression's C; cross-validation picks one per training.
C_CANDIDATES = (1.0, 3.0, 10.0)
# Additive smoothing of the naive-Bayes counts (Laplace).
NB_ALPHA = 1.0
LEXICON_COLUMNS = ("lexicon:any", "lexicon:count")


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
    """What is stored (pickled) in ``InsultClassifier.model``. ``lexicon`` is the maintained
    lexicon as it was when the model learnt: a later edit of the file does not change what
    the model's lexicon columns mean (retrain to use it). Units' own words are not in it, as
    the model is shared by all units."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: LogisticRegression
    threshold: float
    lexicon: tuple[str, ...] = ()
    version: int = FEATURES_VERSION
    sklearn_version: str = sklearn.__version__
    _names: list[str] | None = field(default=None, repr=False)
    _matcher: TermMatcher[str] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        # Caches are rebuilt on first use, never stored.
        return {**self.__dict__, "_names": None, "_matcher": None}

    def lexicon_matches(self, text: str) -> list[str]:
        """The words of ``text`` (as written) that are terms of the model's lexicon."""
        if self._matcher is None:
            self._matcher = TermMatcher((term, term) for term in self.lexicon)
        return [text[m.start : m.end] for m in self._matcher.find(text, tokenize(text))]

    def lexicon_columns(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Whether each text has lexicon words, and how many (log-damped)."""
        counts = np.array([len(self.lexicon_matches(text)) for text in texts], dtype=np.float32)
        return sp.csr_matrix(np.column_stack([counts > 0, np.log1p(counts)]).astype(np.float32))

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        normalised = [normalise(text) for text in texts]
        return sp.hstack(
            [
                fast_transform(self.words, normalised),
                fast_transform(self.chars, normalised),
                self.lexicon_columns(texts),
            ]
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
            names.extend(LEXICON_COLUMNS)
            self._names = names
        return self._names

    def explain(
        self, text: str, top: int = 6, row: sp.csr_matrix | None = None
    ) -> list[dict[str, Any]]:
        """The n-grams of ``text`` that pushed its score up most: weight times the feature's
        value in this text. Overlapping character n-grams of one word are merged into the
        word they belong to, since "dioten" alone tells staff nothing; the lexicon columns'
        share is shown as the lexicon words of the text (split evenly between them). ``row``
        is the text's row of ``features`` when the caller has it already."""
        if row is None:
            row = self.features([text])
        coef = self.classifier.coef_[0]
        names = self.feature_names()
        lexicon_start = len(names) - len(LEXICON_COLUMNS)
        folded = normalise(text).lower()
        words = re.findall(r"\w+", folded)
        # (weight, feature index, term): an n-gram's term is looked up only if it is shown.
        candidates: list[tuple[float, int, str]] = []
        lexicon_weight = 0.0
        for k in range(row.nnz):
            index = int(row.indices[k])
            weight = float(row.data[k] * coef[index])
            if index >= lexicon_start:
                lexicon_weight += weight
            elif weight > 0:
                candidates.append((weight, index, ""))
        if lexicon_weight > 0:
            found = list(dict.fromkeys(word.lower() for word in self.lexicon_matches(text)))
            candidates.extend((lexicon_weight / len(found), -1, word) for word in found)
        candidates.sort(reverse=True)
        seen: dict[str, float] = {}
        for weight, index, term in candidates:
            if index >= 0:
                kind, _sep, term = names[index].partition(":")
                term = term.strip()
                if kind == "chars":
                    term = next((word for word in words if term in word), term)
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


def _nb_ratios(ngrams: sp.csr_matrix, labels: np.ndarray) -> np.ndarray:
    """Each n-gram's naive-Bayes log-count ratio: log of how much more often (smoothed) it
    occurs in offensive than in other texts. Positive for offensive n-grams."""
    present = (ngrams > 0).astype(np.float64)
    offensive = NB_ALPHA + np.asarray(present[labels].sum(axis=0)).ravel()
    other = NB_ALPHA + np.asarray(present[~labels].sum(axis=0)).ravel()
    return np.log((offensive / offensive.sum()) / (other / other.sum()))


def _fit_linear(matrix: sp.csr_matrix, labels: np.ndarray, c: float) -> LogisticRegression:
    """Logistic regression on the n-gram columns scaled by their naive-Bayes ratios (the
    lexicon columns unscaled), with the scaling folded into ``coef_`` afterwards: the model
    then scores the unscaled features, and each coefficient is the feature's whole weight."""
    scale = np.ones(matrix.shape[1])
    scale[: -len(LEXICON_COLUMNS)] = _nb_ratios(matrix[:, : -len(LEXICON_COLUMNS)], labels)
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    classifier.fit(matrix @ sp.diags(scale.astype(matrix.dtype)), labels)
    classifier.coef_ = classifier.coef_ * scale
    return classifier


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


def _choose_c_and_threshold(matrix: sp.csr_matrix, labels: np.ndarray) -> tuple[float, float]:
    """C and threshold with the best macro-F1 on out-of-fold scores of the training data.
    The naive-Bayes ratios are learnt within each fold, as they depend on the labels."""
    folds = min(5, int(labels.sum()), int((~labels).sum()))
    if folds < 2:
        return C_CANDIDATES[1], 0.5
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=SEED).split(matrix, labels))
    best: tuple[float, float, float] | None = None  # (macro-F1, C, threshold)
    for c in C_CANDIDATES:
        out_of_fold = np.zeros(len(labels))
        for train_rows, test_rows in splits:
            classifier = _fit_linear(matrix[train_rows], labels[train_rows], c)
            out_of_fold[test_rows] = classifier.predict_proba(matrix[test_rows])[:, 1]
        threshold = _best_threshold(out_of_fold, labels)
        score = f1_score(labels, out_of_fold >= threshold, average="macro", zero_division=0)
        if best is None or score > best[0]:
            best = (float(score), c, threshold)
    assert best is not None
    return best[1], best[2]


def fit(samples: Sequence[Sample], lexicon: Sequence[str] | None = None) -> InsultModel:
    """Train on ``samples``; C and the threshold are chosen by cross-validation on them.
    ``lexicon`` defaults to the maintained one."""
    _check(samples)
    labels = _labels(samples)
    texts = [normalise(sample.text) for sample in samples]
    words, chars = _vectorizers()
    # The character vectoriser's min_df needs a few samples; tiny sets keep every n-gram.
    if len(samples) < 50:
        chars.set_params(min_df=1)
    model = InsultModel(
        words=words,
        chars=chars,
        classifier=LogisticRegression(),
        threshold=0.5,
        lexicon=tuple(maintained_lexicon() if lexicon is None else lexicon),
    )
    # The vectorisers learn vocabulary and IDF from all training texts (no labels involved);
    # everything that learns from labels is refitted within each fold.
    matrix = sp.hstack(
        [
            words.fit_transform(texts),
            chars.fit_transform(texts),
            model.lexicon_columns([sample.text for sample in samples]),
        ]
    ).tocsr()
    c, model.threshold = _choose_c_and_threshold(matrix, labels)
    model.classifier = _fit_linear(matrix, labels, c)
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
            "c": model.classifier.C,
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


def usable(metrics: dict[str, Any]) -> bool:
    """Whether ``loads`` will accept the model stored with these metrics (same features
    version, same scikit-learn), told without unpickling it."""
    return (
        metrics.get("features_version") == FEATURES_VERSION
        and metrics.get("sklearn_version") == sklearn.__version__
    )


def score_texts(
    model: InsultModel, texts: Sequence[str]
) -> tuple[list[float], sp.csr_matrix | None]:
    """Scores of ``texts`` and their feature rows (for ``explain``), in one pass."""
    if not texts:
        return [], None
    features = model.features(texts)
    return [float(score) for score in model.scores(texts, features)], features
