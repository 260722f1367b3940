"""Near-duplicate detection: MinHash signatures of word shingles and an LSH banding index.

An article is normalised (case folded, accents and punctuation dropped), cut
into shingles of `shingle_words` consecutive words, and each shingle hashed
to 64 bits with a vectorised polynomial hash (no Python loop per shingle).

The signature is a one-permutation MinHash with optimal densification (Li,
Owen & Zhang 2012; Shrivastava 2017): each shingle hash falls in one of
`num_perm` bins and each bin keeps its minimum; empty bins borrow from a
fixed pseudo-random sequence of other bins so that identical sets always get
identical signatures. The share of equal bins estimates the Jaccard
similarity as k-permutation MinHash does, at O(shingles + num_perm) cost
instead of O(shingles x num_perm).

The banding index splits a signature into `bands` bands of `rows` values;
two articles are candidates when one band is equal, and a candidate is a
near-duplicate when the signatures agree on at least `threshold` of their
bins. Exact duplicates (same normalised text) are found first by a 64-bit
digest and are not added to the bands again, so a thousand copies cost one
bucket entry, not a thousand.

Everything lives in numpy arrays owned by a `NearDupIndex` the caller holds:
about 2.7 KB per article at a million articles (`benchmarks/run.py near-dup`).

The default threshold, 0.5 on 5-word shingles, was measured: the agency
dispatches printed twice in rpm2-dev share 0.45-0.72 of their shingles,
rewrites of one wire (the seeds) under 0.1, unrelated articles about 0.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from array import array
from dataclasses import dataclass

import numpy as np

from .article import Article
from .errors import ConfigError

_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
_EMPTY_BIN = np.uint32(0xFFFFFFFF)
_DROP = np.uint32(0xFFFFFFFF)
_SPACE = np.uint32(32)
_DENSIFY_PROBES = 32
_SHORT_TEXT = 200  # characters: below, `normalise` translates instead of going through numpy


@functools.cache
def _fold_table() -> np.ndarray:
    """What each code point of the Basic Multilingual Plane becomes in normalised text.

    Letters and digits are case folded and stripped of accents (é -> e, Ｆ -> f),
    combining marks are dropped, everything else separates words. Built once
    from unicodedata (immutable afterwards), so normalising is one numpy lookup.
    """
    table = np.empty(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        char = chr(cp)
        category = unicodedata.category(char)
        if category in ("Mn", "Me"):
            table[cp] = _DROP
        elif category[0] in "LN" or category == "Mc":
            folded = char.casefold()
            bare = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
            if len(bare) == 1 and unicodedata.category(bare)[0] in "LN":
                table[cp] = ord(bare)
            else:
                table[cp] = ord(folded) if len(folded) == 1 else cp
        else:
            table[cp] = _SPACE
    return table


def normalised_codepoints(text: str) -> np.ndarray:
    """The normalised text as code points (uint32): folded words separated by one space."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = _fold_table()[points & 0xFFFF]
    astral = points > 0xFFFF
    if astral.any():
        mapped = np.where(astral, points, mapped)
    mapped = mapped[mapped != _DROP]
    space = mapped == _SPACE
    keep = np.ones(len(mapped), dtype=bool)
    keep[1:] = ~(space[1:] & space[:-1])
    if len(mapped) and space[0]:
        keep[0] = False
    out = mapped[keep]
    if len(out) and out[-1] == _SPACE:
        out = out[:-1]
    return out


@functools.cache
def _fold_strings() -> tuple[str | None, ...]:
    """`_fold_table` for `str.translate`: what each code point becomes (None: dropped)."""
    return tuple(None if point == _DROP else chr(point) for point in _fold_table().tolist())


def normalise(text: str) -> str:
    """Lower-cased words without accents or punctuation, separated by one space.

    Typographic variants (curly quotes, non-breaking spaces, accents dropped by
    a scraper) do not make two copies look different. Short strings (a lemma,
    a name, a title) go through `str.translate`, twenty times faster there than
    numpy's fixed cost per call; longer ones through the numpy lookup, the
    faster per character. Both give the same string.
    """
    if len(text) < _SHORT_TEXT:
        return " ".join(word for word in text.translate(_fold_strings()).split(" ") if word)
    return normalised_codepoints(text).tobytes().decode("utf-32-le", "surrogatepass")


def words_of(text: str) -> list[str]:
    """The normalised words, i.e. the units shingles are made of."""
    normalised = normalise(text)
    return normalised.split(" ") if normalised else []


def _mix64(x: np.ndarray) -> np.ndarray:
    """A cheap 64-bit bijection (xorshift-multiply-xorshift), in place: spreads every input bit."""
    x ^= x >> _U64(32)
    x *= _U64(0xD6E8FEB86659FD93)
    x ^= x >> _U64(29)
    return x


def _fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: a fully avalanching bijection, in place."""
    x ^= x >> _U64(33)
    x *= _U64(0xFF51AFD7ED558CCD)
    x ^= x >> _U64(33)
    x *= _U64(0xC4CEB9FE1A85EC53)
    x ^= x >> _U64(33)
    return x


def _fmix64_int(x: int) -> int:
    """`_fmix64` of one Python int."""
    mask = 0xFFFFFFFFFFFFFFFF
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & mask
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & mask
    return x ^ (x >> 33)


def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted areas of false positives and negatives.

    The same criterion as datasketch's MinHashLSH, so both index the same way
    at the same threshold.
    """

    def area(lo: float, hi: float, bands: int, rows: int, above: bool) -> float:
        s = np.linspace(lo, hi, 2001)
        p = 1.0 - (1.0 - s ** float(rows)) ** float(bands)
        y = 1.0 - p if above else p
        return float(np.sum((y[1:] + y[:-1]) * np.diff(s)) / 2.0)

    best, best_cost = (1, num_perm), math.inf
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = area(0.0, threshold, bands, rows, above=False)
            fn = area(threshold, 1.0, bands, rows, above=True)
            cost = fp * fp_weight + fn * fn_weight
            if cost < best_cost - 1e-12:
                best, best_cost = (bands, rows), cost
    return best


@dataclass
class NearDupOptions:
    """`threshold`: estimated Jaccard of shingle sets from which two articles are near-duplicates.
    `num_perm`: MinHash bins per signature. `shingle_words`: words per shingle.
    `bands`/`rows`: LSH banding, 0 to derive them from the threshold.
    `max_candidates`: most bucket entries read per query (newest first), so a crowded
    bucket cannot make a query slow. `seed`: fixes the hash functions."""

    threshold: float = 0.5
    num_perm: int = 128
    shingle_words: int = 5
    bands: int = 0
    rows: int = 0
    max_candidates: int = 100
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"[neardup] threshold must be in (0, 1], got {self.threshold}")
        if not 8 <= self.num_perm <= 4096:
            raise ConfigError(f"[neardup] num_perm must be between 8 and 4096, got {self.num_perm}")
        if self.shingle_words < 1:
            raise ConfigError(f"[neardup] shingle_words must be at least 1, got {self.shingle_words}")
        if (self.bands == 0) != (self.rows == 0):
            raise ConfigError("[neardup] bands and rows are set together, or both left at 0")
        if self.bands and self.bands * self.rows > self.num_perm:
            raise ConfigError(f"[neardup] bands x rows ({self.bands}x{self.rows}) exceeds num_perm ({self.num_perm})")
        if self.max_candidates < 1:
            raise ConfigError(f"[neardup] max_candidates must be at least 1, got {self.max_candidates}")

    def banding(self) -> tuple[int, int]:
        return (self.bands, self.rows) if self.bands else optimal_bands(self.threshold, self.num_perm)


@dataclass(frozen=True)
class Signature:
    """What the index keeps of an article: MinHash bins and a digest of the normalised text."""

    minhash: np.ndarray  # uint32[num_perm]
    digest: int  # 64-bit hash of the whole normalised text: equal digests mean exact copies


@dataclass(frozen=True)
class Match:
    """An earlier article found by a query."""

    key: str
    jaccard: float  # estimated from the signatures; 1.0 for an exact duplicate
    exact: bool  # same normalised text


class Signer:
    """Turns text into a `Signature`; holds the seeded hash parameters, so it is deterministic."""

    def __init__(self, num_perm: int = 128, shingle_words: int = 5, seed: int = 1):
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        rng = np.random.default_rng([seed, 0x5EED])
        self._base = _U64(int(rng.integers(1 << 40, 1 << 62)) | 1)  # odd: invertible modulo 2**64
        self._base_inverse = _U64(pow(int(self._base), -1, 1 << 64))
        self._salt = _U64(int(rng.integers(0, 1 << 63)))
        self._powers = np.ones(1, dtype=np.uint64)
        self._inverse_powers = np.ones(1, dtype=np.uint64)
        # Empty bin i borrows from the first non-empty bin in probes[i] (optimal densification).
        self._probes = rng.integers(0, num_perm, size=(num_perm, _DENSIFY_PROBES)).astype(np.intp)

    def _ensure_powers(self, length: int) -> None:
        if len(self._powers) > length:
            return
        size = max(length + 1, 2 * len(self._powers), 4096)
        self._powers = np.cumprod(np.full(size, self._base, dtype=np.uint64))
        self._powers = np.concatenate([np.ones(1, dtype=np.uint64), self._powers[:-1]])
        self._inverse_powers = np.cumprod(np.full(size, self._base_inverse, dtype=np.uint64))
        self._inverse_powers = np.concatenate([np.ones(1, dtype=np.uint64), self._inverse_powers[:-1]])

    def _hashes(self, points: np.ndarray) -> tuple[np.ndarray, int]:
        """Shingle hashes in text order (repeats kept), and a 64-bit hash of the whole text.

        A shingle is `shingle_words` consecutive words; a text shorter than that
        is one shingle. Hash of code points [s, e) = (prefix[e] - prefix[s]) *
        base**-s modulo 2**64, so equal shingles hash equally wherever they are.
        """
        length = len(points)
        self._ensure_powers(length)
        terms = points.astype(np.uint64)
        terms += _U64(1)
        terms *= self._powers[:length]
        prefix = np.empty(length + 1, dtype=np.uint64)
        prefix[0] = 0
        np.cumsum(terms, out=prefix[1:])
        spaces = np.flatnonzero(points == _SPACE)
        words = len(spaces) + 1
        k = self.shingle_words
        starts = np.empty(words, dtype=np.intp)
        starts[0] = 0
        starts[1:] = spaces
        starts[1:] += 1
        ends = np.empty(words, dtype=np.intp)
        ends[:-1] = spaces
        ends[-1] = length
        if words >= k:
            starts, ends = starts[: words - k + 1], ends[k - 1 :]
        else:
            starts, ends = starts[:1], ends[-1:]
        hashes = prefix[ends]
        hashes -= prefix[starts]
        hashes *= self._inverse_powers[starts]
        hashes ^= self._salt
        return _mix64(hashes), _fmix64_int(int(prefix[-1]) ^ int(self._salt))

    def shingle_hashes(self, text: str) -> np.ndarray:
        """Sorted distinct shingle hashes of a text: the set the Jaccard similarity is about."""
        points = normalised_codepoints(text)
        if not len(points):
            return np.empty(0, dtype=np.uint64)
        hashes = np.sort(self._hashes(points)[0])
        keep = np.ones(len(hashes), dtype=bool)
        keep[1:] = hashes[1:] != hashes[:-1]
        return hashes[keep]

    def minhash(self, hashes: np.ndarray) -> np.ndarray:
        """One-permutation MinHash of 64-bit hashes, densified (uint32[num_perm]).

        The top 32 bits choose the bin, the low 32 bits compete for its minimum.
        """
        k = self.num_perm
        bins = ((hashes >> _U64(32)) * _U64(k)) >> _U64(32)
        signature = np.full(k, _EMPTY_BIN, dtype=np.uint32)
        np.minimum.at(signature, bins.astype(np.intp), (hashes & _MASK32).astype(np.uint32))
        filled = signature != _EMPTY_BIN
        if filled.all():
            return signature
        if not filled.any():  # every minimum was 2**32 - 1: vanishingly rare, still deterministic
            return signature
        empty = np.flatnonzero(~filled)
        probes = self._probes[empty]
        hit = filled[probes]
        has_hit = hit.any(axis=1)
        chosen = probes[np.arange(len(empty)), hit.argmax(axis=1)]
        if not has_hit.all():
            # Too few filled bins for the random probes: take the next filled bin to the right.
            full = np.flatnonzero(filled)
            missing = empty[~has_hit]
            chosen[~has_hit] = full[np.searchsorted(full, missing) % len(full)]
        signature[empty] = signature[chosen]
        return signature

    def sign(self, text: str) -> Signature | None:
        """The signature of a text, or None when it has no word to compare."""
        points = normalised_codepoints(text)
        if not len(points):
            return None
        hashes, digest = self._hashes(points)
        return Signature(self.minhash(hashes), digest)


class _Growable:
    """A 1-d numpy array with amortised appends."""

    def __init__(self, dtype: type, capacity: int = 1024):
        self._data = np.empty(capacity, dtype=dtype)
        self.size = 0

    def extend(self, values: np.ndarray) -> int:
        """Appends values; returns the index of the first."""
        start, end = self.size, self.size + len(values)
        if end > len(self._data):
            grown = np.empty(max(end, 2 * len(self._data)), dtype=self._data.dtype)
            grown[:start] = self._data[:start]
            self._data = grown
        self._data[start:end] = values
        self.size = end
        return start

    @property
    def view(self) -> np.ndarray:
        return self._data[: self.size]


_MAX_ENTRIES = 1 << 30
_WINDOW = 8
_WINDOW_STEPS = np.arange(_WINDOW, dtype=np.intp)


class _BucketTable:
    """64-bit key -> rows filed under it, newest first, in flat numpy arrays.

    Open addressing with linear probing over (key, head) slots, kept at most
    half full so a missing key costs one probe; each head starts a linked list
    of entries (row, next). About 24 bytes per distinct key and 8 per entry,
    where a Python dict of sets takes ten times that.
    """

    def __init__(self, slot_bits: int = 12):
        self._resize(slot_bits)
        self._row = _Growable(np.int32)
        self._next = _Growable(np.int32)
        self._used = 0

    def _resize(self, bits: int) -> None:
        self._bits = bits
        self._mask = (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.uint64)
        self._heads = np.full(1 << bits, -1, dtype=np.int32)

    def __len__(self) -> int:
        return self._row.size

    def locate(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each key, its slot if present (found=True), else the free slot it would take.

        Reads `_WINDOW` consecutive slots per key at once: with the table at
        most half full a probe run is almost always shorter than that.
        """
        home = (keys >> _U64(64 - self._bits)).astype(np.intp)
        slots = np.empty(len(keys), dtype=np.intp)
        found = np.zeros(len(keys), dtype=bool)
        pending = np.arange(len(keys))
        start = home
        while True:
            window = (start[:, None] + _WINDOW_STEPS) & self._mask
            free = self._heads[window] < 0
            hit = ~free & (self._keys[window] == keys[pending, None])
            # A key sits before the first free slot of its run; look for either.
            stop = hit | free
            first = stop.argmax(axis=1)
            done = stop[np.arange(len(pending)), first]
            rows = np.arange(len(pending))[done]
            slots[pending[done]] = window[rows, first[done]]
            found[pending[done]] = hit[rows, first[done]]
            if done.all():
                return slots, found
            pending = pending[~done]
            start = (start[~done] + _WINDOW) & self._mask

    def rows(self, slots: np.ndarray, limit: int) -> np.ndarray:
        """Rows filed under the keys at these (found) slots, newest first per key.

        Reads chains breadth first and stops after `limit` rows per key, so
        about `limit` distinct rows when the keys share their rows.
        """
        limit *= len(slots)
        current = self._heads[slots]
        collected: list[np.ndarray] = []
        total = 0
        row_all, next_all = self._row.view, self._next.view
        while len(current) and total < limit:
            collected.append(row_all[current])
            total += len(current)
            current = next_all[current]
            current = current[current >= 0]
        if not collected:
            return np.empty(0, dtype=np.int32)
        return collected[0] if len(collected) == 1 else np.concatenate(collected)

    def get(self, keys: np.ndarray, limit: int) -> np.ndarray:
        slots, found = self.locate(keys)
        return self.rows(slots[found], limit)

    def add(self, keys: np.ndarray, row: int, located: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Files `row` under each of the (distinct) keys; `located` reuses a `locate` of the same keys."""
        slots, found = located if located is not None else self.locate(keys)
        first = self._row.extend(np.full(len(keys), row, dtype=np.int32))
        entries = np.arange(first, first + len(keys), dtype=np.int32)
        old = slots[found]
        self._next.extend(np.where(found, self._heads[slots], -1).astype(np.int32))
        self._heads[old] = entries[found]
        new = ~found
        if new.any():
            if len(set(slots[new].tolist())) == int(new.sum()):
                self._keys[slots[new]] = keys[new]
                self._heads[slots[new]] = entries[new]
            else:  # two new keys probed to the same free slot
                self._place(keys[new], entries[new])
            self._used += int(new.sum())
        if len(self) >= _MAX_ENTRIES:
            raise OverflowError("the near-duplicate index is full (2**30 bucket entries)")
        if 2 * self._used > len(self._heads):
            occupied = self._heads >= 0
            keys, heads = self._keys[occupied], self._heads[occupied]
            self._resize(self._bits + 1)
            self._place(keys, heads)

    def _place(self, keys: np.ndarray, heads: np.ndarray) -> None:
        """Puts keys that are not in the table into free slots, all at once."""
        slots = (keys >> _U64(64 - self._bits)).astype(np.intp)
        pending = np.arange(len(keys))
        while len(pending):
            at = slots[pending]
            free = self._heads[at] < 0
            # Among keys wanting the same free slot, the first takes it; the others probe on.
            order = np.argsort(at, kind="stable")
            first = np.ones(len(order), dtype=bool)
            first[1:] = at[order][1:] != at[order][:-1]
            winner = np.zeros(len(pending), dtype=bool)
            winner[order[first]] = True
            winner &= free
            placed = pending[winner]
            self._keys[slots[placed]] = keys[placed]
            self._heads[slots[placed]] = heads[placed]
            losers = pending[~winner & ~free]
            slots[losers] = (slots[losers] + 1) & self._mask
            pending = pending[~winner]


_CHUNK_BITS = 12  # signatures are stored in blocks of 4096 rows, so growing never copies them
_EXACT_SALT = _U64(0x9E3779B97F4A7C15)


class NearDupIndex:
    """The near-duplicate index of one corpus, owned by the caller.

    Online use is `matches = index.add(key, text)`: the earlier articles this
    one copies, best first, then the article joins the index. `query`,
    `insert` and `remove` are the same steps taken apart.
    """

    def __init__(self, options: NearDupOptions | None = None):
        self.options = options or NearDupOptions()
        opts = self.options
        self.bands, self.rows = opts.banding()
        self.signer = Signer(opts.num_perm, opts.shingle_words, opts.seed)
        rng = np.random.default_rng([opts.seed, 0xBA4D])
        self._band_multipliers = (rng.integers(0, 1 << 62, size=(self.bands, self.rows), dtype=np.uint64) << _U64(1)) | _U64(1)
        self._band_salts = rng.integers(0, 1 << 62, size=self.bands, dtype=np.uint64)
        # Band keys and exact-copy digests share one table; the salt keeps them apart.
        self._table = _BucketTable()
        self._keys: list[str] = []
        self._row_of: dict[str, int] = {}
        # Per row, in plain arrays: appending one value to them costs far less than to numpy.
        self._alive = bytearray()
        self._banded = bytearray()
        self._digests = array("Q")
        self._chunks: list[np.ndarray] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._row_of

    def sign(self, text: str) -> Signature | None:
        return self.signer.sign(text)

    def band_keys(self, minhash: np.ndarray) -> np.ndarray:
        """One 64-bit key per band; equal keys mean equal bands (up to 64-bit hash clashes)."""
        bands = minhash[: self.bands * self.rows].reshape(self.bands, self.rows).astype(np.uint64)
        bands *= self._band_multipliers
        mixed = bands.sum(axis=1, dtype=np.uint64)
        mixed += self._band_salts
        return _mix64(mixed)

    def _lookup_keys(self, signature: Signature) -> np.ndarray:
        keys = np.empty(self.bands + 1, dtype=np.uint64)
        keys[: self.bands] = self.band_keys(signature.minhash)
        keys[self.bands] = signature.digest
        keys[self.bands :] ^= _EXACT_SALT
        return keys

    def _minhash_rows(self, rows: list[int]) -> np.ndarray:
        mask = (1 << _CHUNK_BITS) - 1
        return np.stack([self._chunks[r >> _CHUNK_BITS][r & mask] for r in rows])

    def signature_of(self, key: str) -> Signature | None:
        """The stored signature of an article in the index (None when absent)."""
        row = self._row_of.get(key)
        if row is None:
            return None
        return Signature(self._minhash_rows([row])[0].copy(), self._digests[row])

    def _matches(self, signature: Signature, keys: np.ndarray, located: tuple[np.ndarray, np.ndarray], limit: int) -> list[Match]:
        slots, found = located
        if not found.any():
            return []
        alive = self._alive
        exact: list[int] = []
        if found[-1]:
            exact = sorted({r for r in self._table.rows(slots[-1:], limit).tolist() if alive[r]})
        band_found = found.copy()
        band_found[-1] = False
        if not band_found.any():
            return [Match(self._keys[r], 1.0, True) for r in exact[:limit]]
        seen = set(exact)
        candidates = sorted({r for r in self._table.rows(slots[band_found], limit).tolist() if alive[r]} - seen)
        matches = [Match(self._keys[r], 1.0, True) for r in exact]
        if candidates:
            agree = (self._minhash_rows(candidates) == signature.minhash).mean(axis=1)
            scored = [(j, r) for r, j in zip(candidates, agree.tolist()) if j >= self.options.threshold - 1e-9]
            if scored:
                scored.extend(self._twins_of(scored, seen | set(candidates), limit))
            scored.sort(key=lambda jr: (-jr[0], jr[1]))
            matches.extend(Match(self._keys[r], round(j, 4), False) for j, r in scored)
        return matches[:limit]

    def _twins_of(self, scored: list[tuple[float, int]], known: set[int], limit: int) -> list[tuple[float, int]]:
        """Exact copies of matched articles: they were not filed under bands of their own."""
        rows = [r for _, r in scored]
        digest_keys = np.array([self._digests[r] for r in rows], dtype=np.uint64) ^ _EXACT_SALT
        slots, found = self._table.locate(digest_keys)
        if not found.any():
            return []
        score = dict((r, j) for j, r in scored)
        twins = []
        alive, digests = self._alive, self._digests
        for twin in self._table.rows(slots[found], limit).tolist():
            if twin in known or not alive[twin]:
                continue
            known.add(twin)
            original = next((r for r in rows if digests[r] == digests[twin]), None)
            if original is not None:
                twins.append((score[original], twin))
        return twins

    def query(self, signature: Signature | None, limit: int | None = None) -> list[Match]:
        """Articles in the index whose signature agrees with this one on `threshold` of its bins.

        Best first: exact copies (same normalised text), then by estimated
        Jaccard, then oldest; at most `limit` (default `max_candidates`).
        """
        if signature is None or not self._keys:
            return []
        keys = self._lookup_keys(signature)
        return self._matches(signature, keys, self._table.locate(keys), limit or self.options.max_candidates)

    def insert(self, key: str, signature: Signature | None) -> None:
        """Adds an article. A text with no word has no signature and is not indexed."""
        self._insert(key, signature, None, None)

    def _insert(self, key: str, signature: Signature | None, keys: np.ndarray | None, located: tuple[np.ndarray, np.ndarray] | None) -> None:
        if key in self._row_of:
            raise ValueError(f"{key!r} is already in the near-duplicate index")
        if signature is None:
            return
        if len(signature.minhash) != self.options.num_perm:
            raise ValueError(f"signature has {len(signature.minhash)} bins, the index expects {self.options.num_perm}")
        if keys is None:
            keys = self._lookup_keys(signature)
            located = self._table.locate(keys)
        assert located is not None
        row = len(self._keys)
        slots, found = located
        # An exact copy of a live article is reachable through it: its bands would only crowd the buckets.
        banded = not (found[-1] and any(self._alive[r] for r in self._table.rows(slots[-1:], 1).tolist()))
        if banded:
            self._table.add(keys, row, located)
        else:
            self._table.add(keys[-1:], row, (slots[-1:], found[-1:]))
        self._keys.append(key)
        self._row_of[key] = row
        mask = (1 << _CHUNK_BITS) - 1
        if row & mask == 0:
            self._chunks.append(np.empty((1 << _CHUNK_BITS, self.options.num_perm), dtype=np.uint32))
        self._chunks[-1][row & mask] = signature.minhash
        self._digests.append(signature.digest)
        self._alive.append(1)
        self._banded.append(banded)
        self._count += 1

    def remove(self, key: str) -> bool:
        """Takes an article out of the index; False when it was not there.

        Its bucket entries stay but are skipped; if exact copies of it remain,
        the oldest takes over its bands so near-duplicates still find them.
        """
        row = self._row_of.pop(key, None)
        if row is None:
            return False
        self._alive[row] = 0
        self._count -= 1
        if self._banded[row]:
            digest_key = np.array([self._digests[row]], dtype=np.uint64) ^ _EXACT_SALT
            twins = self._table.get(digest_key, self.options.max_candidates)
            twins = [t for t in twins.tolist() if self._alive[t]]
            if len(twins):
                heir = min(twins)
                self._table.add(self.band_keys(self._minhash_rows([heir])[0]), heir)
                self._banded[heir] = 1
        return True

    def add(self, key: str, text: str | Signature | None) -> list[Match]:
        """The online verb: earlier near-duplicates of this article, then it joins the index."""
        signature = self.sign(text) if isinstance(text, str) else text
        if signature is None:
            self._insert(key, None, None, None)
            return []
        keys = self._lookup_keys(signature)
        located = self._table.locate(keys)
        matches = self._matches(signature, keys, located, self.options.max_candidates) if self._keys else []
        self._insert(key, signature, keys, located)
        return matches


# ---------------------------------------------------------------- persistence and the engine step


def _settings_key(options: NearDupOptions) -> str:
    import json

    return json.dumps({"num_perm": options.num_perm, "shingle_words": options.shingle_words, "seed": options.seed},
                      sort_keys=True)


class NearDupStore:
    """The index's rows in the SQLite store (tables of migration 2): load on start, append as it goes."""

    def __init__(self, connection, options: NearDupOptions):
        self.connection = connection
        self.options = options

    def check_settings(self) -> None:
        """Signatures made with other parameters cannot be compared: refuse rather than mix them."""
        wanted = _settings_key(self.options)
        row = self.connection.execute("SELECT value FROM index_settings WHERE name = 'neardup'").fetchone()
        if row is None:
            self.connection.execute("INSERT INTO index_settings (name, value) VALUES ('neardup', ?)", (wanted,))
        elif row[0] != wanted:
            raise ConfigError(f"[neardup] the store's signatures were made with {row[0]}, not {wanted}: "
                              "use a new store or the same settings")

    def load(self, index: NearDupIndex) -> int:
        """Re-inserts every stored signature into `index`, in the original order; returns how many."""
        self.check_settings()
        count = 0
        rows = self.connection.execute("SELECT article_id, digest, minhash, removed FROM neardup_signatures ORDER BY seq")
        for article_id, digest, minhash, removed in rows:
            signature = Signature(np.frombuffer(minhash, dtype="<u4").astype(np.uint32), digest & 0xFFFFFFFFFFFFFFFF)
            index.insert(article_id, signature)
            if removed:
                index.remove(article_id)
            count += 1
        return count

    def save(self, article_id: str, signature: Signature | None, matches: list[Match]) -> None:
        if signature is not None:
            digest = signature.digest - (1 << 64) if signature.digest >= 1 << 63 else signature.digest
            self.connection.execute(
                "INSERT INTO neardup_signatures (article_id, digest, minhash) VALUES (?, ?, ?)",
                (article_id, digest, signature.minhash.astype("<u4").tobytes()),
            )
        self.connection.executemany(
            "INSERT OR REPLACE INTO neardup_pairs (a, b, jaccard, exact) VALUES (?, ?, ?, ?)",
            [(article_id, m.key, m.jaccard, int(m.exact)) for m in matches],
        )

    def mark_removed(self, article_id: str) -> None:
        self.connection.execute("UPDATE neardup_signatures SET removed = 1 WHERE article_id = ?", (article_id,))


def near_duplicate_pairs(connection) -> list[dict]:
    """The report's top-level "near_duplicates": [{"a", "b", "jaccard"}], `a` the later article."""
    rows = connection.execute("SELECT a, b, jaccard, exact FROM neardup_pairs ORDER BY a, jaccard DESC, b")
    return [{"a": a, "b": b, "jaccard": round(j, 4), "exact": bool(e)} for a, b, j, e in rows]


def _connection_of(ctx: object):
    """The SQLite connection the engine's context carries, if any (None: the index lives in memory only)."""
    store = getattr(ctx, "store", None)
    connection = getattr(store, "connection", None) or getattr(store, "conn", None)
    return connection if connection is not None else getattr(ctx, "connection", None)


class NearDupStep:
    """Article step: finds the earlier near-copies of each article, then indexes it.

    Sets `article.meta["near_duplicates"]` to [[earlier id, jaccard, exact], ...]
    (best first), which story clustering reads. With a store (`ctx.store`),
    signatures and pairs go to its tables, and a new run reloads the index from
    them (`replay`) instead of signing every text again.
    """

    name = "neardup"

    def __init__(self, options: NearDupOptions | None = None):
        self.options = options or NearDupOptions()
        self.index = NearDupIndex(self.options)
        self.pairs: list[dict] = []
        self._store: NearDupStore | None = None
        self._attached = None

    @classmethod
    def from_options(cls, options) -> "NearDupStep":
        return cls(options.typed("neardup", NearDupOptions))

    def _attach(self, ctx: object) -> NearDupStore | None:
        """On first sight of a store, loads what earlier runs indexed (in their order)."""
        connection = _connection_of(ctx)
        if connection is None:
            return None
        if self._attached is not connection:
            self._store = NearDupStore(connection, self.options)
            self._store.load(self.index)
            self._attached = connection
            shared = getattr(ctx, "shared", None)
            if isinstance(shared, dict):
                shared[self.name] = self.index
        return self._store

    def restore(self, ctx: object, processed: list[str]) -> list[str]:
        """Loads the stored index and returns the processed articles it lacks (to `replay` one by one)."""
        if self._attach(ctx) is None:
            return processed
        return [article_id for article_id in processed if article_id not in self.index]

    def replay(self, article: Article, ctx: object = None) -> None:
        """Brings the index up to date with an article processed by an earlier run (no query, no write)."""
        self._attach(ctx)
        if article.id not in self.index:
            self.index.insert(article.id, self.index.sign(article.text or ""))

    def process(self, article: Article, ctx: object = None) -> Article:
        store = self._attach(ctx)
        if article.id in self.index:
            return article
        signature = self.index.sign(article.text or "")
        matches = self.index.add(article.id, signature)
        article.meta["near_duplicates"] = [[m.key, m.jaccard, m.exact] for m in matches]
        self.pairs.extend({"a": article.id, "b": m.key, "jaccard": m.jaccard, "exact": m.exact} for m in matches)
        if store is not None:
            store.save(article.id, signature, matches)
        return article
