"""Exact and near-duplicate detection of articles with MinHash and LSH.

Wire copy is republished with other headlines, banners and trimmed paragraphs,
so two copies rarely share all their text; one copy usually contains most of
the other. We index MinHash signatures of word shingles in an LSH index for
candidates, then accept a candidate when the estimated *containment* of the
new text in the earlier one is high. Containment comes from the Jaccard
estimate and the two shingle counts, |A∩B| = J(|A|+|B|)/(1+J), divided by
the new text's count: a copy adds little that the original did not have.
Measured the other way, a new text holding most of an earlier one is that
story filled out (a wire flash, then the full wire story): a copy too, though
read for what it adds.

State is a mapping article id -> ``Fingerprint``, one per claims partition: the
copy check runs where an article's claims meet those of its original. The caller
keeps it (a Faust table in the worker, a dict in replay) and the in-memory LSH
index is built from it once, so the index is recoverable from the table's
changelog. Entries older than the horizon (by stream time) are evicted, which
bounds the state.

Signatures are computed here with numpy, all permutations of all shingles in
one array operation, under datasketch's ``affine64`` scheme (its permutations,
its SHA-1 input hash and pre-mix): the values are the ones datasketch would
give, so signatures stored by earlier versions stay comparable.
"""

import hashlib
import heapq
import re
from collections.abc import MutableMapping
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from schemas.claim import TextPrint
from schemas.duplicate import DuplicateRecord
from schemas.state import Fingerprint

NUM_PERM = 128
SEED = 1
# Stored signatures are only comparable under the scheme that made them: pin it.
SCHEME = "affine64"
SHINGLE_WORDS = 3
# LSH recall is tuned below the acceptance bar: candidates are verified anyway.
LSH_THRESHOLD = 0.1
# Most of a copy's text stands in its original: a republished copy, read for its outlet only.
CONTAINMENT_THRESHOLD = 0.6
# Much of it does: wire copy an outlet rewrote in part. It is recorded as a copy, but read as
# the outlet's own report, since a rewrite may carry an update its original lacked.
EDITED_THRESHOLD = 0.4
# Most of an earlier text stands in the new one: the story filled out. Recorded as a copy, and
# read as its outlet's report for the paragraphs it adds.
EXTENDED_THRESHOLD = CONTAINMENT_THRESHOLD
MIN_SHINGLES = 8

# The scheme's permutations h -> a*h + b (mod 2^64), taken once from datasketch itself.
_A, _B = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
# LSH banding for the threshold, as datasketch chooses it: BANDS bands of ROWS signature values.
_BANDING = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
BANDS, ROWS = _BANDING.b, _BANDING.r
del _BANDING

# Copies read as their outlet's own report, since they may carry what the original lacked.
READ_MATCHES = ("edited", "extended")

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def normalise_words(text: str) -> list[str]:
    """Lower-cased word tokens: punctuation, quotes and spacing don't make a story new."""
    return _WORD.findall(text.lower())


def _words_digest(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode()).hexdigest()


def text_digest(text: str) -> str:
    """Digest of the normalised words: equal for byte-different but word-identical copies."""
    return _words_digest(normalise_words(text))


def article_id_for(text: str) -> str:
    """Id of an article whose producer gave none: a hash of its words, so re-producing is idempotent."""
    return "a-" + text_digest(text)[:16]


def shingles(words: list[str]) -> set[bytes]:
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    # Zipped shifted views: one tuple per position instead of a slice per position.
    return {" ".join(gram).encode() for gram in zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)}


def _premix(hv: np.ndarray) -> np.ndarray:
    """The MurmurHash3 64-bit finalizer datasketch applies to input hashes before permuting them."""
    hv = hv ^ (hv >> np.uint64(33))
    hv = hv * np.uint64(0xFF51AFD7ED558CCD)
    hv = hv ^ (hv >> np.uint64(33))
    hv = hv * np.uint64(0xC4CEB9FE1A85EC53)
    mixed: np.ndarray = hv ^ (hv >> np.uint64(33))
    return mixed


def signature(grams: set[bytes]) -> np.ndarray:
    """MinHash of the shingles: per permutation, the least permuted hash (uint64 arithmetic wraps)."""
    if not grams:
        return _EMPTY.copy()
    raw = b"".join(hashlib.sha1(gram).digest()[:8] for gram in grams)
    hv = _premix(np.frombuffer(raw, dtype="<u8").astype(np.uint64))
    least: np.ndarray = (hv[:, None] * _A + _B).min(axis=0)
    return least


def text_print(text: str) -> TextPrint:
    """What the copy check needs of a text: its words' digest, MinHash signature and shingle count."""
    words = normalise_words(text)
    grams = shingles(words)
    return TextPrint(digest=_words_digest(words), signature=signature(grams).tolist(), shingles=len(grams))


def fingerprint_of(article_id: str, printed: TextPrint, source: str | None, seen_at: float) -> Fingerprint:
    return Fingerprint(
        article_id=article_id,
        digest=printed.digest,
        signature=printed.signature,
        shingles=printed.shingles,
        source=source,
        seen_at=seen_at,
        copies=[],
    )


def fingerprint(article_id: str, text: str, source: str | None, seen_at: float) -> Fingerprint:
    return fingerprint_of(article_id, text_print(text), source, seen_at)


def _array(fp: Fingerprint) -> np.ndarray:
    return np.array(fp.signature, dtype=np.uint64)


def containment(new: Fingerprint, seen: Fingerprint, new_sig: np.ndarray, seen_sig: np.ndarray) -> float:
    """Estimated share of the new text's shingles already in the text seen before.

    Directional on purpose: a republished copy (new headline, banner, trimmed
    paragraphs) is mostly inside its original, while an updated story that adds
    paragraphs to an earlier one is not inside it, and must be read again.
    """
    if not new.shingles or not seen.shingles:
        return 0.0
    return min(1.0, _overlap(new, seen, new_sig, seen_sig) / new.shingles)


def _overlap(a: Fingerprint, b: Fingerprint, a_sig: np.ndarray, b_sig: np.ndarray) -> float:
    """Estimated count of shingles the two texts share, |A∩B| = J(|A|+|B|)/(1+J)."""
    j = float(np.count_nonzero(a_sig == b_sig)) / NUM_PERM
    return j * (a.shingles + b.shingles) / (1.0 + j)


class Bands:
    """The LSH index: articles whose signatures agree on all values of at least one band are candidates."""

    def __init__(self) -> None:
        self._buckets: list[dict[bytes, set[str]]] = [{} for _ in range(BANDS)]
        self._keys: dict[str, list[bytes]] = {}

    @staticmethod
    def keys(sig: np.ndarray) -> list[bytes]:
        return [sig[i * ROWS : (i + 1) * ROWS].tobytes() for i in range(BANDS)]

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._keys

    def insert(self, article_id: str, sig: np.ndarray) -> None:
        keys = self._keys[article_id] = self.keys(sig)
        for bucket, key in zip(self._buckets, keys, strict=True):
            bucket.setdefault(key, set()).add(article_id)

    def remove(self, article_id: str) -> None:
        for bucket, key in zip(self._buckets, self._keys.pop(article_id), strict=True):
            members = bucket[key]
            members.discard(article_id)
            if not members:
                del bucket[key]

    def query(self, sig: np.ndarray) -> set[str]:
        found: set[str] = set()
        for bucket, key in zip(self._buckets, self.keys(sig), strict=True):
            members = bucket.get(key)
            if members:
                found |= members
        return found


@dataclass(frozen=True)
class Verdict:
    """What the copy check decided about one claim's article."""

    copy_of: str | None  # the original this article republishes, if it is a copy read for its outlet only
    duplicate: DuplicateRecord | None  # the record to publish, once per claim
    repeat: bool  # this claim was met before under the same text: a re-delivery


class Deduper:
    """Decides whether a claim's article is new, already known, or a copy of an earlier one.

    Each entry lists the claims met under its text, so a re-delivered claim is
    told from the next claim of the same article and from a copy.
    """

    def __init__(self, store: MutableMapping[str, Fingerprint], horizon_seconds: float) -> None:
        self.store = store
        self.horizon = horizon_seconds
        self._lsh = Bands()
        self._by_digest: dict[str, str] = {}
        # Signatures of the stored fingerprints as arrays, and (seen_at, id) in arrival order for eviction.
        self._signatures: dict[str, np.ndarray] = {}
        self._arrivals: list[tuple[float, str]] = []
        self._indexed = False

    def _ensure_index(self) -> None:
        # Built lazily so the worker reads its table only after changelog recovery.
        if self._indexed:
            return
        for fp in list(self.store.values()):
            self._index(fp, _array(fp))
        self._indexed = True

    def _index(self, fp: Fingerprint, sig: np.ndarray) -> None:
        self._by_digest.setdefault(fp.digest, fp.article_id)
        self._signatures[fp.article_id] = sig
        heapq.heappush(self._arrivals, (fp.seen_at, fp.article_id))
        if fp.shingles >= MIN_SHINGLES and fp.article_id not in self._lsh:
            self._lsh.insert(fp.article_id, sig)

    def _forget(self, fp: Fingerprint) -> None:
        if self._by_digest.get(fp.digest) == fp.article_id:
            del self._by_digest[fp.digest]
        self._signatures.pop(fp.article_id, None)
        if fp.article_id in self._lsh:
            self._lsh.remove(fp.article_id)

    def evict(self, stream_time: float) -> int:
        """Drop fingerprints older than the horizon; returns how many went.

        Arrivals are a heap by stream time, so only the stale ones are looked at; an entry
        whose article was stored again later (another text under the same id) is skipped.
        """
        self._ensure_index()
        cutoff = stream_time - self.horizon
        stale = 0
        while self._arrivals and self._arrivals[0][0] < cutoff:
            seen_at, article_id = heapq.heappop(self._arrivals)
            fp = self.store.get(article_id)
            if fp is not None and fp.seen_at == seen_at:
                self._forget(fp)
                del self.store[article_id]
                stale += 1
        return stale

    def check(self, new: Fingerprint, claim_id: str) -> Verdict:
        self._ensure_index()
        known = self.store.get(new.article_id)
        if known is not None and known.digest == new.digest:
            repeat = claim_id in known.claims
            if not repeat:
                self.store[new.article_id] = known.model_copy(update={"claims": [*known.claims, claim_id]})
            # The same article again (a retry or a second produce): merging is idempotent.
            record = self._record(new, known, "resent", 1.0) if repeat else None
            return Verdict(copy_of=None, duplicate=record, repeat=repeat)
        new_sig = _array(new)
        original, match, similarity = self._find_original(new, new_sig)
        if original is None or match in READ_MATCHES:
            # New text, or a copy read as its outlet's own report: it is an original from now on.
            stored = new.model_copy(update={"claims": [claim_id]})
            self.store[new.article_id] = stored
            self._index(stored, new_sig)
            record = self._record(new, original, match, similarity) if original is not None else None
            return Verdict(copy_of=None, duplicate=record, repeat=False)
        repeat = claim_id in original.claims
        source = new.source
        copies = original.copies if source in original.copies or source is None else [*original.copies, source]
        claims = original.claims if repeat else [*original.claims, claim_id]
        self.store[original.article_id] = original.model_copy(update={"copies": copies, "claims": claims})
        record = None if repeat else self._record(new, original, match, similarity)
        return Verdict(copy_of=original.article_id, duplicate=record, repeat=repeat)

    @staticmethod
    def _record(new: Fingerprint, original: Fingerprint, match: str, similarity: float) -> DuplicateRecord:
        return DuplicateRecord(
            article_id=new.article_id,
            duplicate_of=original.article_id,
            match=match,
            similarity=round(similarity, 3),
            source=new.source,
            original_source=original.source,
        )

    def _find_original(self, new: Fingerprint, new_sig: np.ndarray) -> tuple[Fingerprint | None, str, float]:
        exact = self._by_digest.get(new.digest)
        if exact is not None and exact != new.article_id and exact in self.store:
            return self.store[exact], "exact", 1.0
        if new.shingles < MIN_SHINGLES:
            return None, "", 0.0
        best: tuple[Fingerprint | None, float] = (None, 0.0)
        filled_out: tuple[Fingerprint | None, float] = (None, 0.0)
        for candidate_id in self._lsh.query(new_sig):
            candidate = self.store.get(candidate_id)
            if candidate is None or candidate_id == new.article_id:
                continue
            seen_sig = self._signatures[candidate_id]
            best = _better(best, candidate, containment(new, candidate, new_sig, seen_sig))
            if candidate.source != new.source:
                # An outlet adding paragraphs to its own story is its update, not a copy.
                filled_out = _better(filled_out, candidate, containment(candidate, new, seen_sig, new_sig))
        if best[0] is not None and best[1] >= EDITED_THRESHOLD:
            return best[0], "near" if best[1] >= CONTAINMENT_THRESHOLD else "edited", best[1]
        if filled_out[0] is not None and filled_out[1] >= EXTENDED_THRESHOLD:
            return filled_out[0], "extended", filled_out[1]
        return None, "", 0.0


def _better(
    best: tuple[Fingerprint | None, float], candidate: Fingerprint, score: float
) -> tuple[Fingerprint | None, float]:
    # Prefer the earliest original among equally good candidates for determinism.
    held, held_score = best
    if score > held_score or (score == held_score and held and candidate.seen_at < held.seen_at):
        return candidate, score
    return best
