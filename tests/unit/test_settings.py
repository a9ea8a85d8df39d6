"""One settings object: every command reads the same ports and names from the same environment."""

import pytest

from tollstream.broker import BrokerConfig
from tollstream.cli import main
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
