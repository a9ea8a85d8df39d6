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
from tollstream.stages import Origin, Stages, claim_partition


def make_stages() -> tuple[Stages, CollectorRegistry]:
    registry = CollectorRegistry()
    return Stages({}, MemoryEventStore(), Metrics.create(registry)), registry


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_intake_never_raises_on_arbitrary_bytes(value: bytes) -> None:
    emits = make_stages()[0].intake(value, 1.0)
    assert len(emits) == 1 and emits[0].role in {"accepted", "deadletter"}


def test_rejected_message_is_dead_lettered_with_its_origin_and_counted() -> None:
    stage, registry = make_stages()
    (emit,) = stage.intake(b'{"text": ', 1.0, Origin("tollstream-articles", 0, 42))
    assert emit.role == "deadletter" and isinstance(emit.value, DeadLetter)
    assert (emit.value.reason, emit.value.offset, emit.value.payload) == ("invalid_json", 42, '{"text": ')
    assert (
        registry.get_sample_value("tollstream_dead_letters_total", {"stage": "intake", "reason": "invalid_json"}) == 1
    )


def test_extractor_failure_is_dead_lettered_not_raised(monkeypatch) -> None:
    def broken(article: Article, article_id: str) -> list[Claim]:
        raise RuntimeError("pattern blew up")

    monkeypatch.setattr(stages_module, "extract_claims", broken)
    (emit,) = make_stages()[0].extract(Article(id="a", text="Nine people were killed."))
    assert emit.role == "deadletter" and emit.value.reason == "extractor_error"


def test_claims_of_one_region_always_land_on_the_same_partition() -> None:
    place = Place(name="Duki", admin1="Balochistan", country="PK")
    claims = [Claim(claim_id=f"a{i}#0", article_id=f"a{i}", place=place) for i in range(5)]
    assert len({claim_partition(c, 4) for c in claims}) == 1
