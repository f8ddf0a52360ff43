"""Themes of the open questions of a published answers file (the method is in the package doc).

Memory stays flat as the file grows: the file is read once, line by line; each open
question's answers go, as hashed word counts and as texts, to temporary files (a
"spill"), which every later step reads back in chunks. What stays in memory is bounded by
the training sample, the number of themes and the vocabulary, plus four bytes per answer
(its theme).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from typing import IO

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from civitas.sealing.published import read_published
from civitas.themes.french import Tokeniser

METHOD_VERSION = 1
N_FEATURES = 2**18
CHUNK = 5000
TRAINING_SAMPLE = 20000
SILHOUETTE_SAMPLE = 3000
K_CHOICES = tuple(range(3, 13))
SPLIT_K = 2
N_INIT = 3
DIMENSIONS = 100
WORDS_SHOWN = 10
QUOTES_SHOWN = 3
TEXT_TYPES = ("short_text", "long_text")

Progress = Callable[[float], None]


class EditError(ValueError):
    """An edit of the log that does not fit the themes (unknown theme, malformed)."""


def parameters() -> dict:
    """Everything the method depends on besides the file and the seed, as published."""
    return {
        "method_version": METHOD_VERSION,
        "tokens": "lower case, words of letters, French Snowball stems, accents folded",
        "stop_words": "civitas.themes.french.STOP_WORDS and NON_ANSWER_WORDS",
        "hashing_features": N_FEATURES,
        "weighting": "(1 + ln tf) * (ln((1 + n) / (1 + df)) + 1), rows of unit length",
        "reduction": "TruncatedSVD over the columns the training sample uses, rows of unit length",
        "dimensions": DIMENSIONS,
        "clustering": "MiniBatchKMeans",
        "n_init": N_INIT,
        "training_sample": TRAINING_SAMPLE,
        "k_choices": list(K_CHOICES),
        "k_rule": "highest cosine silhouette on a sample, the smaller k on a tie",
        "silhouette_sample": SILHOUETTE_SAMPLE,
        "split_k": SPLIT_K,
        "words_shown": WORDS_SHOWN,
        "quotes_shown": QUOTES_SHOWN,
    }


def versions() -> dict:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "snowballstemmer": metadata.version("snowballstemmer"),
    }


def _rng(seed: int, *names: str) -> np.random.Generator:
    """A generator for one step of one question: the same seed gives the same draws."""
    return np.random.default_rng([seed, *(zlib.crc32(name.encode()) for name in names)])


def _int_seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31 - 1))


def _vectoriser() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer=_identity, n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float32
    )


def _identity(features: list[str]) -> list[str]:
    return features


class Spill:
    """One question's substantive answers on disk: hashed counts (CSR rows) and texts."""

    def __init__(self, directory: str, name: str):
        self._paths = {
            part: os.path.join(directory, f"{name}.{part}") for part in ("data", "indices", "texts")
        }
        self._files = {part: open(path, "wb") for part, path in self._paths.items()}  # noqa: SIM115
        self.indptr = array("q", [0])
        self.text_offsets = array("q", [0])
        self._pending: list[list[str]] = []
        self._vectoriser = _vectoriser()

    @property
    def count(self) -> int:
        return len(self.text_offsets) - 1

    def add(self, record_id: str, text: str, features: list[str]) -> None:
        self._pending.append(features)
        written = self._files["texts"].write(json.dumps([record_id, text], ensure_ascii=False).encode())
        self.text_offsets.append(self.text_offsets[-1] + written)
        if len(self._pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        matrix = self._vectoriser.transform(self._pending)
        matrix.sort_indices()
        self._files["data"].write(matrix.data.astype(np.float32).tobytes())
        self._files["indices"].write(matrix.indices.astype(np.int32).tobytes())
        base = self.indptr[-1]
        self.indptr.extend(int(base + value) for value in matrix.indptr[1:])
        self._pending = []

    def close(self) -> None:
        self._flush()
        for handle in self._files.values():
            handle.close()
        self._indptr = np.frombuffer(self.indptr, dtype=np.int64)

    def chunks(self, size: int = CHUNK) -> Iterator[tuple[int, sp.csr_matrix]]:
        """``(first row, counts)`` of every ``size`` rows, read from disk."""
        with open(self._paths["data"], "rb") as data, open(self._paths["indices"], "rb") as indices:
            for start in range(0, self.count, size):
                stop = min(start + size, self.count)
                low, high = int(self._indptr[start]), int(self._indptr[stop])
                data.seek(low * 4)
                indices.seek(low * 4)
                values = np.fromfile(data, dtype=np.float32, count=high - low)
                columns = np.fromfile(indices, dtype=np.int32, count=high - low)
                pointers = self._indptr[start : stop + 1] - low
                yield start, sp.csr_matrix((values, columns, pointers), shape=(stop - start, N_FEATURES))

    def record_ids(self) -> Iterator[str]:
        """The record id of every row, in order."""
        with open(self._paths["texts"], "rb") as handle:
            for row in range(self.count):
                yield json.loads(handle.read(self.text_offsets[row + 1] - self.text_offsets[row]))[0]

    def texts(self, rows: Iterable[int]) -> dict[int, tuple[str, str]]:
        """``row -> (record id, text)`` for the given rows."""
        found = {}
        with open(self._paths["texts"], "rb") as handle:
            for row in sorted(set(rows)):
                handle.seek(self.text_offsets[row])
                raw = handle.read(self.text_offsets[row + 1] - self.text_offsets[row])
                record_id, text = json.loads(raw)
                found[row] = (record_id, text)
        return found


def _weighted(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear term frequency times idf, each row scaled to unit length."""
    matrix = counts.copy()
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    return normalize(matrix, copy=False)


@dataclass
class Clustering:
    labels: np.ndarray  # one per member, themes numbered by decreasing size
    k: int
    silhouettes: dict[int, float] = field(default_factory=dict)


class Reducer:
    """TF-IDF rows to unit vectors of ``DIMENSIONS`` coordinates (latent semantic analysis).

    Only the hashed columns the training sample uses are kept (a word no training answer
    uses cannot define a theme), then a truncated SVD fitted on the sample projects them:
    k-means then works on short dense vectors instead of 2^18 sparse columns.
    """

    def __init__(self, training: sp.csr_matrix, seed: int):
        self.columns = np.unique(training.indices)
        self.lookup = np.full(N_FEATURES, -1, dtype=np.int64)
        self.lookup[self.columns] = np.arange(len(self.columns))
        compact = self._compact(training)
        dimensions = max(1, min(DIMENSIONS, compact.shape[1] - 1, compact.shape[0] - 1))
        self.svd = TruncatedSVD(n_components=dimensions, random_state=seed).fit(compact)

    def _compact(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        kept = self.lookup[matrix.indices]
        inside = kept >= 0
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[inside]
        return sp.csr_matrix(
            (matrix.data[inside], (rows, kept[inside])), shape=(matrix.shape[0], len(self.columns))
        )

    def __call__(self, matrix: sp.csr_matrix) -> np.ndarray:
        return normalize(self.svd.transform(self._compact(matrix)))


def cluster(spill: Spill, members: np.ndarray, *, seed: int, ks: Iterable[int], names: tuple[str, ...]):
    """Cluster the spill's rows ``members`` (sorted row numbers); the k of best silhouette."""
    member_mask = np.zeros(spill.count, dtype=bool)
    member_mask[members] = True
    document_frequency = np.zeros(N_FEATURES, dtype=np.int64)
    for start, counts in spill.chunks():
        chosen = counts[member_mask[start : start + counts.shape[0]]]
        document_frequency += np.bincount(chosen.indices, minlength=N_FEATURES)
    total = len(members)
    idf = (np.log((1 + total) / (1 + document_frequency)) + 1).astype(np.float32)
    rng = _rng(seed, *names)
    training_rows = np.sort(rng.choice(members, size=min(total, TRAINING_SAMPLE), replace=False))
    weighted_training = _weighted(_gather(spill, training_rows), idf)
    ks = [k for k in ks if k < weighted_training.shape[0]]
    if not ks or weighted_training.nnz == 0:
        return Clustering(labels=np.zeros(total, dtype=np.int32), k=1), idf
    reduce = Reducer(weighted_training, _int_seed(rng))
    training = reduce(weighted_training)
    scored_rows = rng.permutation(training.shape[0])[:SILHOUETTE_SAMPLE]
    best, silhouettes = None, {}
    for k in ks:
        model = MiniBatchKMeans(
            n_clusters=k, random_state=_int_seed(_rng(seed, *names, f"k={k}")), n_init=N_INIT, batch_size=2048
        ).fit(training)
        labels = model.labels_[scored_rows]
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(training[scored_rows], labels, metric="cosine"))
        silhouettes[k] = round(score, 4)
        if best is None or score > best[0] + 1e-9:
            best = (score, k, model)
    if best is None:
        return Clustering(labels=np.zeros(total, dtype=np.int32), k=1), idf
    _score, k, model = best
    labels = np.empty(total, dtype=np.int32)
    position = 0
    for start, counts in spill.chunks():
        chosen = counts[member_mask[start : start + counts.shape[0]]]
        if chosen.shape[0]:
            labels[position : position + chosen.shape[0]] = model.predict(reduce(_weighted(chosen, idf)))
            position += chosen.shape[0]
    # Theme 1 is the largest; equal sizes keep the clustering's order.
    sizes = np.bincount(labels, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    renumber = np.empty(k, dtype=np.int32)
    renumber[order] = np.arange(k, dtype=np.int32)
    return Clustering(labels=renumber[labels], k=k, silhouettes=silhouettes), idf


def _gather(spill: Spill, rows: np.ndarray) -> sp.csr_matrix:
    parts = []
    for start, counts in spill.chunks():
        inside = rows[(rows >= start) & (rows < start + counts.shape[0])] - start
        if len(inside):
            parts.append(counts[inside])
    return sp.vstack(parts, format="csr")


@dataclass
class QuestionState:
    key: str
    label: str
    spill: Spill
    answered: int = 0
    empty: int = 0
    hidden: int = 0


def _read(lines: Iterable[str], state_dir: str, progress: Progress, expected: int | None):
    """One pass over the file: header, records spilled per open question, footer; and the
    file's SHA-256 as read."""
    digest = hashlib.sha256()

    def hashed() -> Iterator[str]:
        for line in lines:
            digest.update(line.encode())
            yield line

    published = read_published(hashed())
    questions = [
        QuestionState(key=q["id"], label=q.get("label", q["id"]), spill=Spill(state_dir, q["id"]))
        for q in published.definition.get("questions", [])
        if q.get("type") in TEXT_TYPES
    ]
    tokeniser = Tokeniser()
    count = 0
    for record in published.records():
        payload = record["payload"]
        for question in questions:
            value = payload.get(question.key)
            if value is None:
                continue
            question.answered += 1
            if not isinstance(value, str):  # an admin hid it: the file holds its fingerprint
                question.hidden += 1
                continue
            features = tokeniser.features(value)
            if features:
                question.spill.add(record["id"], value, features)
            else:
                question.empty += 1
        count += 1
        if expected and count % 10000 == 0:
            progress(0.7 * min(count / expected, 1))
    for _section in published.sections():
        pass
    for question in questions:
        question.spill.close()
    return published, questions, tokeniser, digest.hexdigest()


@dataclass
class Themes:
    """A question's themes while the edit log is applied: a theme number per answer."""

    labels: np.ndarray
    ids: list[str]  # theme number -> id ("1", "2+3", "1.2")
    provenance: dict[str, dict] = field(default_factory=dict)


def _apply_edit(themes: Themes, edit: dict, spill: Spill, seed: int, question: str) -> None:
    kind = edit.get("kind")
    if kind == "name":
        return
    index = {theme_id: number for number, theme_id in enumerate(themes.ids) if theme_id is not None}
    if kind == "merge":
        chosen = edit.get("themes") or []
        if len(chosen) < 2 or len(set(chosen)) != len(chosen) or any(t not in index for t in chosen):
            raise EditError(f"merge of unknown themes {chosen!r}")
        new_id = "+".join(chosen)
        number = len(themes.ids)
        themes.ids.append(new_id)
        for theme_id in chosen:
            themes.labels[themes.labels == index[theme_id]] = number
            themes.ids[index[theme_id]] = None
        themes.provenance[new_id] = {"merged": list(chosen)}
    elif kind == "split":
        theme_id = edit.get("theme")
        if theme_id not in index:
            raise EditError(f"split of an unknown theme {theme_id!r}")
        members = np.flatnonzero(themes.labels == index[theme_id])
        result, _idf = cluster(spill, members, seed=seed, ks=[SPLIT_K], names=(question, "split", theme_id))
        if result.k < 2:
            raise EditError(f"theme {theme_id!r} cannot be split: its answers are all alike")
        first = len(themes.ids)
        themes.ids[index[theme_id]] = None
        for part in range(result.k):
            part_id = f"{theme_id}.{part + 1}"
            themes.ids.append(part_id)
            themes.provenance[part_id] = {"split_from": theme_id}
        themes.labels[members] = first + result.labels
    else:
        raise EditError(f"unknown edit {kind!r}")


def _summaries(question: QuestionState, themes: Themes, idf, display, vectoriser, seed) -> list[dict]:
    spill = question.spill
    size = len(themes.ids)
    weights = np.zeros((size, N_FEATURES), dtype=np.float64)
    for start, counts in spill.chunks():
        labels = themes.labels[start : start + counts.shape[0]]
        indicator = sp.csr_matrix(
            (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(size, len(labels))
        )
        weights += (indicator @ _weighted(counts, idf)).toarray()
    sizes = np.bincount(themes.labels, minlength=size)
    # Map hashed columns back to words: each known feature hashed once.
    features = sorted(display)
    columns = vectoriser.transform([[feature] for feature in features]).indices if features else []
    word_of_column: dict[int, str] = {}
    for feature, column in zip(features, columns, strict=True):
        word = display[feature]
        word_of_column.setdefault(int(column), word)
    summaries, chosen_rows = [], {}
    for number, theme_id in enumerate(themes.ids):
        if theme_id is None or not sizes[number]:
            continue
        mean = weights[number] / sizes[number]
        top = np.argsort(-mean, kind="stable")[: WORDS_SHOWN * 3]
        words = []
        for column in top:
            word = word_of_column.get(int(column))
            if word and word not in words and mean[column] > 0:
                words.append(word)
            if len(words) == WORDS_SHOWN:
                break
        members = np.flatnonzero(themes.labels == number)
        rng = _rng(seed, question.key, "quotes", theme_id)
        rows = rng.choice(members, size=min(QUOTES_SHOWN, len(members)), replace=False).tolist()
        chosen_rows[theme_id] = rows
        summaries.append(
            {
                "id": theme_id,
                "count": int(sizes[number]),
                "words": words,
                **themes.provenance.get(theme_id, {}),
            }
        )
    texts = spill.texts(row for rows in chosen_rows.values() for row in rows)
    for summary in summaries:
        summary["quotes"] = [
            {"id": texts[row][0], "text": texts[row][1]} for row in chosen_rows[summary["id"]]
        ]
    summaries.sort(key=lambda theme: (-theme["count"], theme["id"]))
    return summaries


def analyse(
    lines: Iterable[str],
    *,
    seed: int,
    edits: Iterable[dict] = (),
    progress: Progress | None = None,
    expected_records: int | None = None,
    labels_to: IO[str] | None = None,
) -> dict:
    """The themes of every open question of a published file (lines as read from it).

    ``edits`` is the admins' edit log, applied in order on top of the computed themes
    (merges and splits change the themes; names are applied by :func:`named`). Returns
    JSON values only; the same file, seed and edits give the same result. ``labels_to``
    receives one CSV line ``question,record id,theme`` per answer in a theme.

    Runs on one thread (BLAS and OpenMP included): the result never depends on how work
    is split between threads, and a busy machine is not oversubscribed.
    """
    report = progress or (lambda fraction: None)
    edits = list(edits)
    with threadpool_limits(1), tempfile.TemporaryDirectory(prefix="civitas-themes-") as state_dir:
        published, questions, tokeniser, sha256 = _read(lines, state_dir, report, expected_records)
        display = tokeniser.display_words()
        vectoriser = _vectoriser()
        results = {}
        for position, question in enumerate(questions):
            members = np.arange(question.spill.count)
            if len(members):
                clustering, idf = cluster(
                    question.spill, members, seed=seed, ks=K_CHOICES, names=(question.key,)
                )
            else:
                clustering, idf = Clustering(labels=np.zeros(0, dtype=np.int32), k=0), None
            themes = Themes(labels=clustering.labels, ids=[str(n + 1) for n in range(clustering.k)])
            refused = []
            for edit in edits:
                if edit.get("question") != question.key or edit.get("kind") == "name":
                    continue
                try:
                    _apply_edit(themes, edit, question.spill, seed, question.key)
                except EditError as error:
                    refused.append({"edit": edit, "reason": str(error)})
            if labels_to is not None:
                for record_id, number in zip(question.spill.record_ids(), themes.labels, strict=True):
                    labels_to.write(f"{question.key},{record_id},{themes.ids[number]}\n")
            summaries = (
                _summaries(question, themes, idf, display, vectoriser, seed) if question.spill.count else []
            )
            results[question.key] = {
                "label": question.label,
                "answered": question.answered,
                "empty": question.empty,
                "hidden": question.hidden,
                "in_themes": question.spill.count,
                "k": clustering.k,
                "silhouettes": {str(k): value for k, value in clustering.silhouettes.items()},
                "themes": summaries,
                "refused_edits": refused,
            }
            report(0.7 + 0.3 * (position + 1) / len(questions))
    footer = published.footer or {}
    return {
        "format": "civitas-themes",
        "seed": seed,
        "parameters": parameters(),
        "versions": versions(),
        "file": {"sha256": sha256, "seal": footer.get("seal"), "records": footer.get("count")},
        "title": published.about.get("title", ""),
        "edits": edits,
        "questions": results,
    }


def named(result: dict, edits: Iterable[dict]) -> dict:
    """The result with the names of the edit log (the last name given to a theme wins)."""
    names: dict[tuple[str, str], str] = {}
    for edit in edits:
        if edit.get("kind") == "name":
            names[(edit.get("question"), edit.get("theme"))] = edit.get("name", "")
    questions = {}
    for key, question in result.get("questions", {}).items():
        themes = [{**theme, "name": names.get((key, theme["id"]), "")} for theme in question["themes"]]
        questions[key] = {**question, "themes": themes}
    return {**result, "questions": questions}


def share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0
