"""One settings object: every command reads the same ports and names from the same environment."""

import pytest

from streams.security import broker_credentials
from tollstream.broker import BrokerConfig, BrokerError, parse_users
from tollstream.cli import main
from tollstream.kafka_io import client_options
from tollstream.settings import Settings, SettingsError


def test_broker_port_moves_the_embedded_bootstrap_address_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting TOLLSTREAM_BROKER_PORT once must move the broker and every client that dials it."""
    monkeypatch.setenv("TOLLSTREAM_BROKER_PORT", "19192")
    settings = Settings.load()
    assert settings.broker == "127.0.0.1:19192" and settings.embedded
    assert BrokerConfig.from_settings(settings).bootstrap == settings.broker


def test_explicit_broker_is_not_the_embedded_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOLLSTREAM_BROKER", "kafka.example:9092")
    assert not Settings.load().embedded


def test_invalid_value_names_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOLLSTREAM_WEB_PORT", "not-a-port")
    with pytest.raises(SettingsError, match="TOLLSTREAM_WEB_PORT"):
        Settings.load()


def test_settings_are_frozen() -> None:
    with pytest.raises(ValueError):
        Settings.load().web_port = 1  # type: ignore[misc]


def test_env_gives_a_child_process_the_same_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings.load(topic_prefix="run-7", web_port=7007, broker_port=19500)
    for name, value in settings.env().items():
        monkeypatch.setenv(name, value)
    assert Settings.load() == settings


def test_overrides_keep_the_embedded_address_on_its_port() -> None:
    moved = Settings.load().with_overrides(broker_port=19600)
    assert moved.broker == "127.0.0.1:19600"


def test_config_command_prints_settings_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOLLSTREAM_API_TOKEN", "s3cret-token")
    assert main(["config"]) == 0
    shown = capsys.readouterr().out
    assert "TOLLSTREAM_API_TOKEN=********" in shown and "s3cret-token" not in shown
    assert "TOLLSTREAM_BROKER=127.0.0.1:19092" in shown


def test_command_with_a_bad_setting_prints_one_line_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOLLSTREAM_CLAIM_PARTITIONS", "0")
    assert main(["config"]) == 2
    assert "TOLLSTREAM_CLAIM_PARTITIONS" in capsys.readouterr().err


def test_produce_of_a_missing_file_is_one_line_not_a_traceback(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["produce", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_a_sasl_login_reaches_every_kafka_client(mechanism: str) -> None:
    """Produce, watch, export and the worker's view share one set of client options, so one login serves them all."""
    settings = Settings.load(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism=mechanism,
        kafka_username="reporter",
        kafka_password="pw-1234",
    )
    options = client_options(settings)
    assert options["security_protocol"] == "SASL_SSL" and options["sasl_mechanism"] == mechanism
    assert options["sasl_plain_username"] == "reporter" and options["sasl_plain_password"] == "pw-1234"
    assert options["ssl_context"].verify_mode.name == "CERT_REQUIRED"
    credentials = broker_credentials(settings)
    assert credentials.mechanism.value == mechanism and credentials.ssl_context is not None


def test_plaintext_clients_carry_no_login() -> None:
    assert client_options(Settings.load()) == {"bootstrap_servers": "127.0.0.1:19092", "security_protocol": "PLAINTEXT"}
    assert broker_credentials(Settings.load()) is None


def test_sasl_without_a_password_is_refused_at_start_up() -> None:
    """A login half configured must fail when the command starts, naming the variables, not at the first connection."""
    with pytest.raises(SettingsError, match="TOLLSTREAM_KAFKA_PASSWORD"):
        Settings.load(kafka_security_protocol="SASL_PLAINTEXT", kafka_username="reporter")


def test_config_command_masks_kafka_passwords(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOLLSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("TOLLSTREAM_KAFKA_USERNAME", "reporter")
    monkeypatch.setenv("TOLLSTREAM_KAFKA_PASSWORD", "client-secret")
    monkeypatch.setenv("TOLLSTREAM_BROKER_USERS", "broker:broker-secret,reporter:client-secret")
    assert main(["config"]) == 0
    shown = capsys.readouterr().out
    assert "TOLLSTREAM_KAFKA_PASSWORD=********" in shown and "TOLLSTREAM_BROKER_USERS=********" in shown
    assert "secret" not in shown.replace("TOLLSTREAM_", "")


def test_three_embedded_nodes_are_all_bootstrap_servers_and_replicate_three_times() -> None:
    """Clients must know every node, or losing the one they name stops them; topics need a copy on each."""
    settings = Settings.load(broker_nodes=3)
    assert settings.broker == "127.0.0.1:19092,127.0.0.1:19102,127.0.0.1:19112" and settings.embedded
    assert (settings.replicas, settings.min_insync_replicas) == (3, 2)
    assert BrokerConfig.from_settings(settings).bootstrap == settings.broker
    assert (Settings.load().replicas, Settings.load().min_insync_replicas) == (1, 1)


def test_an_explicit_replication_factor_wins_over_the_node_count() -> None:
    settings = Settings.load(broker="kafka.example:9092", replication_factor=3)
    assert (settings.replicas, settings.min_insync_replicas) == (3, 2)


@pytest.mark.parametrize("users", ["alice", "alice:", ":pw", 'alice:pw"x', "al ice:pw"])
def test_malformed_broker_users_are_refused_without_echoing_them(users: str) -> None:
    with pytest.raises(BrokerError) as refused:
        parse_users(users)
    assert users not in str(refused.value)
