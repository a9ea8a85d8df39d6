"""The embedded broker's configuration per node: ports, quorum, replication and logins."""

from pathlib import Path

import pytest

from tollstream.broker import BrokerConfig, BrokerError, _overrides, _secrets


def test_three_nodes_form_one_quorum_on_distinct_ports(tmp_path: Path) -> None:
    """Every node must name the same three voters, or they would elect three separate controllers."""
    cfg = BrokerConfig(tmp_path, 29092, 29093, nodes=3)
    nodes = cfg.cluster
    assert [(n.port, n.controller_port) for n in nodes] == [(29092, 29093), (29102, 29103), (29112, 29113)]
    assert len({n.data_dir for n in nodes}) == 3
    voters = {_overrides(cfg, n)["controller.quorum.voters"] for n in nodes}
    assert voters == {"1@127.0.0.1:29093,2@127.0.0.1:29103,3@127.0.0.1:29113"}
    assert [_overrides(cfg, n)["node.id"] for n in nodes] == ["1", "2", "3"]


def test_a_cluster_of_three_replicates_three_times_and_wants_two_in_sync(tmp_path: Path) -> None:
    """With two replicas required in sync, an acknowledged write survives the loss of any one broker."""
    node = BrokerConfig(tmp_path, 29092, 29093, nodes=3).cluster[0]
    settings = _overrides(BrokerConfig(tmp_path, 29092, 29093, nodes=3), node)
    assert settings["default.replication.factor"] == settings["offsets.topic.replication.factor"] == "3"
    assert settings["min.insync.replicas"] == settings["transaction.state.log.min.isr"] == "2"
    single = BrokerConfig(tmp_path, 29092, 29093)
    assert "min.insync.replicas" not in _overrides(single, single.cluster[0])


def test_a_single_node_keeps_its_data_where_it_always_was(tmp_path: Path) -> None:
    cfg = BrokerConfig(tmp_path, 29092, 29093)
    assert cfg.data_dir == tmp_path.resolve() / "kafka" / "data" and cfg.bootstrap == "127.0.0.1:29092"


def test_ports_that_collide_between_nodes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BrokerError, match="distinct ports"):
        BrokerConfig(tmp_path, 29092, 29102, nodes=3)


def test_with_users_the_client_listener_wants_a_plain_login_and_passwords_stay_out_of_overrides(
    tmp_path: Path,
) -> None:
    cfg = BrokerConfig(tmp_path, 29092, 29093, users=(("broker", "b-secret"), ("reporter", "r-secret")))
    settings = _overrides(cfg, cfg.cluster[0])
    assert settings["listeners"].startswith("SASL_PLAINTEXT://127.0.0.1:29092,")
    assert settings["sasl.enabled.mechanisms"] == "PLAIN"
    assert "secret" not in "".join(settings.values())
    secrets = _secrets(cfg)
    assert 'username="broker" password="b-secret"' in secrets and 'user_reporter="r-secret"' in secrets
    assert cfg.client_options["sasl_plain_username"] == "broker"
