"""Bookkeeping that grows by one entry per document, kept compact: a corpus read and annotated
in batches holds no texts, only this (which ids and texts were seen, which cache part holds a
document), so its size decides how memory grows with the corpus. A Python dict of hex strings
costs about 170 bytes an entry; these cost 20 to 40.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

DIGEST_BYTES = 16  # of a SHA-256 kept (128 bits): no accidental collision in any corpus
_DIGEST = f"S{DIGEST_BYTES}"


def _digest_bytes(digest: str) -> bytes:
    return bytes.fromhex(digest[: 2 * DIGEST_BYTES])


class DigestMap:
    """Hex SHA-256 digests (their first 128 bits) -> integers: a sorted numpy array searched by
    bisection, plus a dict of the entries added since the last merge, merged into the array
    when it outgrows an eighth of it (so adding n entries costs O(n log n) in all). About 20
    bytes an entry in the array."""

    MISSING = -1

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=_DIGEST)
        self._values = np.empty(0, dtype=np.int32)
        self._recent: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self._keys) + len(self._recent)

    def _position(self, key: bytes) -> int | None:
        position = int(np.searchsorted(self._keys, key))
        # an item of an "S" array drops trailing NUL bytes: compare it with the key likewise
        return position if position < len(self._keys) and self._keys[position] == key.rstrip(b"\0") else None

    def get(self, digest: str) -> int:
        key = _digest_bytes(digest)
        if key in self._recent:
            return self._recent[key]
        position = self._position(key)
        return self.MISSING if position is None else int(self._values[position])

    def set(self, digest: str, value: int) -> None:
        key = _digest_bytes(digest)
        position = None if key in self._recent else self._position(key)
        if position is not None:
            self._values[position] = value
            return
        self._recent[key] = value
        if len(self._recent) > max(4096, len(self._keys) // 8):
            self._merge()

    def get_many(self, digests: Sequence[str]) -> np.ndarray:
        """The values of `digests` (MISSING where absent), searched all at once."""
        self._merge()
        wanted = np.array([_digest_bytes(digest) for digest in digests], dtype=_DIGEST)
        if not len(self._keys):
            return np.full(len(wanted), self.MISSING, dtype=np.int32)
        positions = np.minimum(np.searchsorted(self._keys, wanted), len(self._keys) - 1)
        return np.where(self._keys[positions] == wanted, self._values[positions], self.MISSING)

    def _merge(self) -> None:
        """The recent entries into the sorted array, inserted where they belong (one copy)."""
        if not self._recent:
            return
        keys = np.array(list(self._recent), dtype=_DIGEST)
        values = np.fromiter(self._recent.values(), np.int32, len(self._recent))
        order = np.argsort(keys)
        positions = np.searchsorted(self._keys, keys[order])
        self._keys = np.insert(self._keys, positions, keys[order])
        self._values = np.insert(self._values, positions, values[order])
        self._recent.clear()


class StringList:
    """An append-only list of strings read back by position, stored a few thousand at a time as
    one joined string and the offsets into it (about 40 bytes a short string, not 80)."""

    _CHUNK = 4096

    def __init__(self) -> None:
        self._chunks: list[tuple[str, np.ndarray]] = []  # (joined strings, offsets: one more than strings)
        self._pending: list[str] = []

    def __len__(self) -> int:
        return self._CHUNK * len(self._chunks) + len(self._pending)

    def append(self, value: str) -> None:
        self._pending.append(value)
        if len(self._pending) == self._CHUNK:
            offsets = np.fromiter(itertools.accumulate(map(len, self._pending), initial=0), np.int64, self._CHUNK + 1)
            self._chunks.append(("".join(self._pending), offsets))
            self._pending = []

    def __getitem__(self, position: int) -> str:
        chunk, offset = divmod(position, self._CHUNK)
        if chunk == len(self._chunks):
            return self._pending[offset]
        joined, offsets = self._chunks[chunk]
        return joined[offsets[offset] : offsets[offset + 1]]
