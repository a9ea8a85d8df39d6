"""The topology's stages: bad input becomes a dead letter, never an exception."""

from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from schemas.article import Article
from schemas.claim import Claim, Place
from schemas.deadletter import DeadLetter
from tollstream import stages as stages_module
from tollstream.core.events import MemoryEventStore
from tollstream.metrics import Metrics
from tollstream.stages import Origin, Role, Stages, claim_partition


def make_stages() -> tuple[Stages, CollectorRegistry]:
    registry = CollectorRegistry()
    stores: dict[int, dict] = {}
    return Stages(lambda p: stores.setdefault(p, {}), MemoryEventStore(), Metrics.create(registry)), registry


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_extraction_never_raises_on_arbitrary_bytes(value: bytes) -> None:
    emits = make_stages()[0].extract(value, 1.0, 1.0, Origin())
    assert all(e.role in {Role.CLAIMS, Role.DEADLETTER} for e in emits)


def test_rejected_message_is_dead_lettered_with_its_origin_and_counted() -> None:
    stage, registry = make_stages()
    (emit,) = stage.extract(b'{"text": ', 1.0, 1.0, Origin("tollstream-articles", 0, 42))
    assert emit.role == Role.DEADLETTER and isinstance(emit.value, DeadLetter)
    assert (emit.value.reason, emit.value.offset, emit.value.payload) == ("invalid_json", 42, '{"text": ')
    assert (
        registry.get_sample_value("tollstream_dead_letters_total", {"stage": "intake", "reason": "invalid_json"}) == 1
    )


def test_a_failing_stage_is_dead_lettered_with_stage_traceback_and_origin_and_counted(monkeypatch) -> None:
    """Any exception in any stage becomes a dead letter, so no message can crash-loop an agent."""

    def broken(article: Article, article_id: str) -> list[Claim]:
        raise RuntimeError("pattern blew up")

    monkeypatch.setattr(stages_module, "extract_claims", broken)
    stage, registry = make_stages()
    origin = Origin("tollstream-articles", 2, 7)
    try:
        stage.extract(b"Nine people were killed.", 1.0, 1.0, origin)
    except RuntimeError as exc:
        (emit,) = stage.failed("extract", exc, b"Nine people were killed.", origin)
    letter = emit.value
    assert emit.role == Role.DEADLETTER and (letter.stage, letter.reason) == ("extract", "internal_error")
    assert (letter.topic, letter.partition, letter.offset) == ("tollstream-articles", 2, 7)
    assert "pattern blew up" in (letter.traceback or "")
    labels = {"stage": "extract", "reason": "internal_error"}
    assert registry.get_sample_value("tollstream_dead_letters_total", labels) == 1


def test_an_article_over_the_size_limit_is_dead_lettered_too_large() -> None:
    """A huge message must be refused before any pattern runs over it."""
    stage, _ = make_stages()
    (emit,) = stage.extract(b"x" * 600_000, 1.0, 1.0, Origin())
    assert (emit.value.stage, emit.value.reason) == ("intake", "too_large")


def test_a_publication_date_after_the_arrival_is_dead_lettered_future_date() -> None:
    """One article dated in the future must not move stream time: it is an error in the report."""
    stage, _ = make_stages()
    value = b'{"id": "f", "text": "Nine people were killed in Quetta.", "published_at": "2999-01-01"}'
    (emit,) = stage.extract(value, 1.7e9, 1.7e9, Origin())
    assert (emit.value.stage, emit.value.reason) == ("intake", "future_date")


def test_claims_of_one_region_always_land_on_the_same_partition() -> None:
    place = Place(name="Duki", admin1="Balochistan", country="PK")
    claims = [Claim(claim_id=f"a{i}#0", article_id=f"a{i}", place=place) for i in range(5)]
    assert len({claim_partition(c, 4) for c in claims}) == 1
