"""Dedupe: one report per story, however many outlets carry it."""

from datasketch import MinHash, MinHashLSH

from schemas.state import Fingerprint
from tollstream.core.dedupe import (
    LSH_THRESHOLD,
    NUM_PERM,
    SCHEME,
    SEED,
    Bands,
    Deduper,
    Verdict,
    article_id_for,
    fingerprint,
    normalise_words,
    shingles,
    signature,
)

WIRE = (
    "Insurgents attacked police posts, rail lines and a highway across the province, and the fighting "
    "that followed killed more than 60 people, officials said on Monday. The army said 14 soldiers and "
    "police and 21 militants died in clashes after the biggest assault, in which gunmen stopped lorries "
    "and buses on the highway. At least 23 passengers were shot dead on that road after the attackers "
    "checked their identity papers, local officials said. Some 35 vehicles were torched."
)
OTHER = (
    "A roadside bomb struck a police van near a girls' school, killing nine people including five "
    "children, and wounding dozens more, police said on Friday. No group said it planted the device, "
    "and the provincial government ordered schools in the district closed for three days."
)
DAY = 86400.0


def deduper(store: dict[str, Fingerprint] | None = None) -> Deduper:
    return Deduper({} if store is None else store, horizon_seconds=14 * DAY)


def check(d: Deduper, article_id: str, text: str, source: str, seen_at: float, claim: int = 0) -> Verdict:
    """The copy check for the article's claim number ``claim``."""
    return d.check(fingerprint(article_id, text, source, seen_at), f"{article_id}#{claim}")


def test_first_article_is_forwarded_and_remembered() -> None:
    store: dict[str, Fingerprint] = {}
    verdict = check(deduper(store), "a", WIRE, "Wire", 0.0)
    assert verdict.copy_of is None and verdict.duplicate is None
    assert "a" in store


def test_same_text_under_another_id_is_an_exact_duplicate() -> None:
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    verdict = check(d, "b", WIRE.replace("Monday.", "Monday!"), "Courier", 10.0)
    assert verdict.copy_of == "a"
    assert verdict.duplicate and (verdict.duplicate.match, verdict.duplicate.duplicate_of) == ("exact", "a")


def test_republished_copy_with_banner_and_trimmed_paragraph_is_a_near_duplicate() -> None:
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    copy = "Support independent reporting. Donate today. " + WIRE.rsplit(" Some 35", 1)[0]
    verdict = check(d, "b", copy, "Courier", 10.0)
    assert verdict.duplicate and verdict.duplicate.match == "near"
    assert verdict.duplicate.duplicate_of == "a"


def test_copy_outlets_are_recorded_on_the_original() -> None:
    store: dict[str, Fingerprint] = {}
    d = deduper(store)
    check(d, "a", WIRE, "Wire", 0.0)
    check(d, "b", WIRE, "Courier", 1.0)
    check(d, "c", WIRE, "Herald", 2.0)
    assert store["a"].copies == ["Courier", "Herald"]


def test_different_story_is_not_a_duplicate() -> None:
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    verdict = check(d, "b", OTHER, "Courier", 10.0)
    assert verdict.copy_of is None and verdict.duplicate is None


def test_resent_claim_is_a_repeat_marked_resent_not_a_copy() -> None:
    """A re-delivered claim must be known as a repeat, never taken for news or for a copy."""
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    verdict = check(d, "a", WIRE, "Wire", 5.0)
    assert verdict.repeat and verdict.copy_of is None
    assert verdict.duplicate and verdict.duplicate.match == "resent"


def test_next_claim_of_a_known_article_is_neither_a_repeat_nor_a_copy() -> None:
    """An article reporting two incidents sends two claims; the second is not a re-delivery."""
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    verdict = check(d, "a", WIRE, "Wire", 0.0, claim=1)
    assert (verdict.repeat, verdict.copy_of, verdict.duplicate) == (False, None, None)


def test_copy_claim_delivered_twice_is_recorded_once() -> None:
    """Re-delivering a copy's claim must not publish its duplicate record again."""
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    first, again = check(d, "b", WIRE, "Courier", 1.0), check(d, "b", WIRE, "Courier", 1.0)
    assert first.duplicate is not None and again.duplicate is None and again.repeat and again.copy_of == "a"


def test_index_is_rebuilt_from_the_store_after_a_restart() -> None:
    store: dict[str, Fingerprint] = {}
    check(deduper(store), "a", WIRE, "Wire", 0.0)
    restarted = deduper(store)
    verdict = check(restarted, "b", WIRE, "Courier", 1.0)
    assert verdict.duplicate and verdict.duplicate.duplicate_of == "a"


def test_fingerprints_older_than_the_horizon_are_evicted() -> None:
    store: dict[str, Fingerprint] = {}
    d = deduper(store)
    check(d, "a", WIRE, "Wire", 0.0)
    assert d.evict(15 * DAY) == 1
    assert store == {}
    assert check(d, "b", WIRE, "Courier", 15 * DAY).duplicate is None


def test_article_ids_from_text_ignore_punctuation_and_case() -> None:
    assert article_id_for("Nine killed in blast.") == article_id_for("nine KILLED in blast")


def test_updated_story_that_adds_paragraphs_is_read_again() -> None:
    d = deduper()
    first = WIRE.rsplit(" At least 23", 1)[0]
    check(d, "a", first, "Wire", 0.0)
    update = WIRE + " " + OTHER
    verdict = check(d, "b", update, "Wire", 10.0)
    assert verdict.copy_of is None and verdict.duplicate is None


def test_signatures_are_the_ones_datasketch_gives_under_the_pinned_scheme() -> None:
    """Fingerprints stored by earlier versions must stay comparable with new ones."""
    for text in (WIRE, OTHER, "two words", ""):
        grams = shingles(normalise_words(text))
        reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
        reference.update_batch(list(grams))
        assert signature(grams).tolist() == reference.hashvalues.tolist()


def test_candidates_are_the_ones_datasketch_lsh_finds() -> None:
    """The band index answers exactly like datasketch's LSH at the same threshold."""
    texts = {"wire": WIRE, "other": OTHER, "copy": "Donate today. " + WIRE[:300], "half": WIRE[: len(WIRE) // 2]}
    bands, reference = Bands(), MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for key, text in texts.items():
        sig = signature(shingles(normalise_words(text)))
        bands.insert(key, sig)
        reference.insert(key, MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=sig))
    for text in texts.values():
        sig = signature(shingles(normalise_words(text)))
        query = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=sig)
        assert bands.query(sig) == set(reference.query(query))


def test_an_article_stored_again_under_its_id_lives_from_its_latest_arrival() -> None:
    """Eviction looks only at the oldest arrivals; a text re-stored later under one id is not dropped early."""
    store: dict[str, Fingerprint] = {}
    d = deduper(store)
    check(d, "a", WIRE, "Wire", 0.0)
    check(d, "a", OTHER, "Wire", 10 * DAY)
    assert d.evict(20 * DAY) == 0 and store["a"].seen_at == 10 * DAY
    assert d.evict(25 * DAY) == 1 and "a" not in store


def test_wire_copy_rewritten_in_part_is_an_edited_copy_read_as_a_report() -> None:
    """An outlet that keeps half the wire text and rewrites the rest carries the story, maybe with an update."""
    d = deduper()
    check(d, "a", WIRE, "Wire", 0.0)
    head = WIRE.split(" The army said", 1)[0]
    rewrite = (
        head + " Soldiers and police lost 14 of their own and 21 attackers were killed, the army said. Witnesses"
        " said gunmen pulled 23 travellers off buses on the highway and shot them; about 35 vehicles burned."
    )
    verdict = check(d, "b", rewrite, "Courier", 10.0)
    assert verdict.copy_of is None and verdict.duplicate is not None
    assert (verdict.duplicate.match, verdict.duplicate.duplicate_of) == ("edited", "a")


def test_wire_flash_filled_out_later_is_an_extended_copy_read_as_a_report() -> None:
    """Containment is measured both ways: a full story that holds an earlier flash is that story filled out."""
    d = deduper()
    flash = WIRE.split(" The army said", 1)[0]
    check(d, "a", flash, "Wire", 0.0)
    full = (
        WIRE + " Hospitals in the provincial capital took in more than 80 wounded, and the interior minister"
        " called the attacks a declaration of war on the state. Schools and markets stayed shut on Tuesday"
        " while troops searched villages along the highway for the gunmen who fled into the hills. Traders"
        " said the road had been the main route for fruit lorries to the coast for a decade, and drivers"
        " now wait in convoys at the checkpoints before dawn."
    )
    verdict = check(d, "b", full, "Courier", 10.0)
    assert verdict.copy_of is None and verdict.duplicate is not None
    assert (verdict.duplicate.match, verdict.duplicate.duplicate_of) == ("extended", "a")


def test_story_that_shares_a_few_lines_with_an_earlier_one_is_no_copy() -> None:
    """Two reports quoting the same official line are two reports, whichever way the overlap is measured."""
    d = deduper()
    check(d, "a", OTHER, "Wire", 0.0)
    verdict = check(d, "b", WIRE + " " + OTHER.split(",", 1)[0] + ".", "Courier", 10.0)
    assert verdict.duplicate is None
