"""Exact and near-duplicate detection of articles with MinHash and LSH.

Wire copy is republished with other headlines, banners and trimmed paragraphs,
so two copies rarely share all their text; one copy usually contains most of
the other. We index MinHash signatures of word shingles in an LSH index for
candidates, then accept a candidate when the estimated *containment* of the
new text in the earlier one is high. Containment comes from the Jaccard
estimate and the two shingle counts, |A∩B| = J(|A|+|B|)/(1+J), divided by
the new text's count: a copy adds little that the original did not have.

State is a mapping article id -> ``Fingerprint``, one per claims partition: the
copy check runs where an article's claims meet those of its original. The caller
keeps it (a Faust table in the worker, a dict in replay) and the in-memory LSH
index is rebuilt from it, so the index is recoverable from the table's
changelog. Entries older than the horizon (by stream time) are evicted, which
bounds the state.
"""

import hashlib
import re
from collections.abc import MutableMapping
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from schemas.claim import TextPrint
from schemas.duplicate import DuplicateRecord
from schemas.state import Fingerprint

NUM_PERM = 128
SEED = 1
# Stored signatures are only comparable under the scheme that made them: pin it.
SCHEME = "affine64"
SHINGLE_WORDS = 3
# LSH recall is tuned below the acceptance bar: candidates are verified anyway.
LSH_THRESHOLD = 0.3
CONTAINMENT_THRESHOLD = 0.6
MIN_SHINGLES = 8

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
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def text_print(text: str) -> TextPrint:
    """What the copy check needs of a text: its words' digest, MinHash signature and shingle count."""
    words = normalise_words(text)
    grams = shingles(words)
    sig = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    sig.update_batch(list(grams))
    return TextPrint(digest=_words_digest(words), signature=[int(v) for v in sig.hashvalues], shingles=len(grams))


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


def _minhash(fp: Fingerprint) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=np.array(fp.signature, dtype=np.uint64), scheme=SCHEME)


def containment(new: Fingerprint, seen: Fingerprint) -> float:
    """Estimated share of the new text's shingles already in the text seen before.

    Directional on purpose: a republished copy (new headline, banner, trimmed
    paragraphs) is mostly inside its original, while an updated story that adds
    paragraphs to an earlier one is not inside it, and must be read again.
    """
    if not new.shingles or not seen.shingles:
        return 0.0
    j = _minhash(new).jaccard(_minhash(seen))
    overlap = j * (new.shingles + seen.shingles) / (1.0 + j)
    return min(1.0, overlap / new.shingles)


@dataclass(frozen=True)
class Verdict:
    """What the copy check decided about one claim's article."""

    copy_of: str | None  # the original this article republishes, if it is a copy
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
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._by_digest: dict[str, str] = {}
        self._indexed = False

    def _ensure_index(self) -> None:
        # Built lazily so the worker reads its table only after changelog recovery.
        if self._indexed:
            return
        for fp in list(self.store.values()):
            self._index(fp)
        self._indexed = True

    def _index(self, fp: Fingerprint) -> None:
        self._by_digest.setdefault(fp.digest, fp.article_id)
        if fp.shingles >= MIN_SHINGLES and fp.article_id not in self._lsh:
            self._lsh.insert(fp.article_id, _minhash(fp))

    def _forget(self, fp: Fingerprint) -> None:
        if self._by_digest.get(fp.digest) == fp.article_id:
            del self._by_digest[fp.digest]
        if fp.article_id in self._lsh:
            self._lsh.remove(fp.article_id)

    def evict(self, stream_time: float) -> int:
        """Drop fingerprints older than the horizon; returns how many went."""
        self._ensure_index()
        stale = [fp for fp in self.store.values() if fp.seen_at < stream_time - self.horizon]
        for fp in stale:
            self._forget(fp)
            del self.store[fp.article_id]
        return len(stale)

    def check(self, new: Fingerprint, claim_id: str) -> Verdict:
        self._ensure_index()
        known = self.store.get(new.article_id)
        if known is not None and known.digest == new.digest:
            repeat = claim_id in known.claims
            if not repeat:
                self.store[new.article_id] = known.model_copy(update={"claims": [*known.claims, claim_id]})
            record = None
            if repeat:
                # The same article again (a retry or a second produce): merging is idempotent.
                record = DuplicateRecord(
                    article_id=new.article_id,
                    duplicate_of=new.article_id,
                    match="resent",
                    similarity=1.0,
                    source=new.source,
                    original_source=known.source,
                )
            return Verdict(copy_of=None, duplicate=record, repeat=repeat)
        original, match, similarity = self._find_original(new)
        if original is None:
            stored = new.model_copy(update={"claims": [claim_id]})
            self.store[new.article_id] = stored
            self._index(stored)
            return Verdict(copy_of=None, duplicate=None, repeat=False)
        repeat = claim_id in original.claims
        source = new.source
        copies = original.copies if source in original.copies or source is None else [*original.copies, source]
        claims = original.claims if repeat else [*original.claims, claim_id]
        self.store[original.article_id] = original.model_copy(update={"copies": copies, "claims": claims})
        record = None
        if not repeat:
            record = DuplicateRecord(
                article_id=new.article_id,
                duplicate_of=original.article_id,
                match=match,
                similarity=round(similarity, 3),
                source=source,
                original_source=original.source,
            )
        return Verdict(copy_of=original.article_id, duplicate=record, repeat=repeat)

    def _find_original(self, new: Fingerprint) -> tuple[Fingerprint | None, str, float]:
        exact = self._by_digest.get(new.digest)
        if exact is not None and exact != new.article_id and exact in self.store:
            return self.store[exact], "exact", 1.0
        if new.shingles < MIN_SHINGLES:
            return None, "", 0.0
        best: tuple[Fingerprint | None, float] = (None, 0.0)
        for candidate_id in self._lsh.query(_minhash(new)):
            candidate = self.store.get(candidate_id)
            if candidate is None or candidate_id == new.article_id:
                continue
            score = containment(new, candidate)
            # Prefer the earliest original among equally good candidates for determinism.
            if score > best[1] or (score == best[1] and best[0] and candidate.seen_at < best[0].seen_at):
                best = (candidate, score)
        if best[0] is not None and best[1] >= CONTAINMENT_THRESHOLD:
            return best[0], "near", best[1]
        return None, "", 0.0
