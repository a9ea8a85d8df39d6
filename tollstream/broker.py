"""The project's own Kafka broker: one JVM per node on 127.0.0.1, KRaft combined mode.

One node by default; with ``nodes=3`` three JVMs form one cluster whose three
controllers are the voters, the internal topics are replicated three times and a write
must reach two replicas, so the cluster keeps working while any one node is down.
The jars come from Maven (``deploy/kafka/pom.xml``, copied to ``deploy/kafka/lib``),
the reference configuration is ``deploy/kafka/server.properties``, and everything the
broker writes (data, logs, pid file, cluster id) lives under ``<state dir>/kafka``
(``<state dir>/kafka/node-<n>`` for each node of a cluster). Per-node settings (data
dir, ports, quorum) are passed as ``--override``; SASL users, which are secrets, are
appended to a private copy of the reference file instead of the visible command line.

Only the standard library is used, plus aiokafka for the readiness probe, so the
module can be used by tests and scripts without pulling in Faust.

    python -m tollstream.broker jars|start|stop|status
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tollstream.settings import NODE_PORT_STEP, Settings

REPO_DIR = Path(__file__).resolve().parents[1]
KAFKA_DIR = REPO_DIR / "deploy" / "kafka"
HOST = "127.0.0.1"

# Popen objects of brokers started by this process: polling them reaps the child,
# so a stopped broker does not linger as a zombie that still "exists" to kill(0).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class BrokerError(RuntimeError):
    """The broker could not be set up, started or stopped; the message says why."""


@dataclass(frozen=True)
class Node:
    """One broker JVM of the cluster: its id, its two loopback ports and its own directory."""

    id: int
    port: int
    controller_port: int
    home: Path

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def pid_file(self) -> Path:
        return self.home / "broker.pid"

    @property
    def out_file(self) -> Path:
        """JVM stdout/stderr: WARN+ log lines, and anything that fails before logging."""
        return self.home / "broker.out"

    @property
    def properties(self) -> Path:
        """The reference configuration plus the secrets of this node (SASL users), readable by its owner only."""
        return self.home / "server.properties"


@dataclass(frozen=True)
class BrokerConfig:
    """Where the broker keeps its state, how many nodes it runs and which loopback ports they listen on.

    ``users`` are SASL/PLAIN (name, password) pairs: when given, the client listener is
    SASL_PLAINTEXT and the first user is the one the brokers use among themselves.
    """

    state_dir: Path
    port: int
    controller_port: int
    heap: str = "512m"
    kafka_dir: Path = KAFKA_DIR
    nodes: int = 1
    users: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> BrokerConfig:
        """The embedded broker the settings describe: the same ports every other command dials."""
        settings = settings or Settings.load()
        users = parse_users(settings.broker_users.get_secret_value()) if settings.broker_users else ()
        return cls(
            settings.state_dir,
            settings.broker_port,
            settings.controller_port,
            settings.broker_heap,
            nodes=settings.broker_nodes,
            users=users,
        )

    def __post_init__(self) -> None:
        # Accept str paths too; absolute paths because the JVM runs in another cwd.
        object.__setattr__(self, "state_dir", Path(self.state_dir).resolve())
        object.__setattr__(self, "kafka_dir", Path(self.kafka_dir).resolve())
        ports = [p for node in self.cluster for p in (node.port, node.controller_port)]
        if len(set(ports)) != len(ports) or max(ports) > 65535:
            raise BrokerError(f"the {self.nodes} node(s) need distinct ports up to 65535, got {ports}")

    @property
    def cluster(self) -> list[Node]:
        """The nodes; a single node keeps the broker's directory itself, a cluster one directory per node."""
        nodes = []
        for n in range(1, self.nodes + 1):
            step = NODE_PORT_STEP * (n - 1)
            home = self.home if self.nodes == 1 else self.home / f"node-{n}"
            nodes.append(Node(n, self.port + step, self.controller_port + step, home))
        return nodes

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.cluster)

    @property
    def home(self) -> Path:
        """The broker's own corner of the state dir, shared with other components."""
        return self.state_dir / "kafka"

    @property
    def data_dir(self) -> Path:
        return self.cluster[0].data_dir

    @property
    def logs_dir(self) -> Path:
        return self.cluster[0].logs_dir

    @property
    def pid_file(self) -> Path:
        return self.cluster[0].pid_file

    @property
    def out_file(self) -> Path:
        return self.cluster[0].out_file

    @property
    def lib_dir(self) -> Path:
        return self.kafka_dir / "lib"

    @property
    def client_options(self) -> dict[str, str]:
        """aiokafka options that reach this broker's client listener."""
        if not self.users:
            return {}
        name, password = self.users[0]
        return {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "PLAIN",
            "sasl_plain_username": name,
            "sasl_plain_password": password,
        }


def parse_users(text: str) -> tuple[tuple[str, str], ...]:
    """``name:password,name2:password2`` as pairs; a malformed entry is refused without echoing passwords."""
    users = []
    for entry in (e.strip() for e in text.split(",")):
        name, sep, password = entry.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z0-9._-]+", name) or not password or '"' in password:
            raise BrokerError(
                "TOLLSTREAM_BROKER_USERS must be name:password pairs separated by commas "
                '(names of letters, digits, . _ -; passwords without ")'
            )
        users.append((name, password))
    return tuple(users)


# --------------------------------------------------------------------------- jars


def _pom_hash(cfg: BrokerConfig) -> str:
    return hashlib.sha256((cfg.kafka_dir / "pom.xml").read_bytes()).hexdigest()


def _jars_current(lib: Path, pom_hash: str) -> bool:
    stamp = lib / ".pom.sha256"
    return stamp.is_file() and stamp.read_text().strip() == pom_hash and any(lib.glob("*.jar"))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on path, so parallel test sessions do not race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)  # read-only: the pom is never touched
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def ensure_jars(cfg: BrokerConfig | None = None) -> Path:
    """Copy the broker's jars into deploy/kafka/lib unless they match the pom already.

    A stamp file holds the hash of the pom the jars came from, so editing the pom
    (e.g. a version bump) replaces the whole lib dir instead of mixing versions.
    """
    cfg = cfg or BrokerConfig.from_settings()
    lib, pom = cfg.lib_dir, cfg.kafka_dir / "pom.xml"
    want = _pom_hash(cfg)
    if _jars_current(lib, want):
        return lib
    with _locked(pom):
        if _jars_current(lib, want):  # another process resolved them while we waited
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise BrokerError("mvn not found on PATH: it is needed once to fetch the Kafka jars")
        shutil.rmtree(lib, ignore_errors=True)
        cmd = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0 or not any(lib.glob("*.jar")):
            out = (proc.stdout + proc.stderr).strip().splitlines()[-30:]
            raise BrokerError(f"{' '.join(cmd)} failed ({proc.returncode}):\n" + "\n".join(out))
        (lib / ".pom.sha256").write_text(want + "\n")
    return lib


# ------------------------------------------------------------------ process helpers


def _java() -> str:
    """JAVA_HOME's java if set, else the one on PATH (Kafka 4.x needs Java 17+)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise BrokerError("java not found (set JAVA_HOME or put a Java 17+ java on PATH)")
    return java


def _jvm_base(cfg: BrokerConfig, jvm_opts: list[str]) -> list[str]:
    """java + options + class path. Without a log4j2 config (the storage tool) log4j
    prints only errors, to the console, which the caller captures."""
    return [_java(), *jvm_opts, "-Djava.awt.headless=true", "-cp", f"{cfg.lib_dir}/*"]


# With three or more nodes, internal topics get three replicas and every write must reach two.
_REPLICATED = {
    "default.replication.factor": "3",
    "min.insync.replicas": "2",
    "offsets.topic.replication.factor": "3",
    "transaction.state.log.replication.factor": "3",
    "transaction.state.log.min.isr": "2",
    "share.coordinator.state.topic.replication.factor": "3",
    "share.coordinator.state.topic.min.isr": "2",
}


def _overrides(cfg: BrokerConfig, node: Node) -> dict[str, str]:
    """Settings that depend on the state dir, ports and cluster size, on top of server.properties."""
    listener = "SASL_PLAINTEXT" if cfg.users else "PLAINTEXT"
    overrides = {
        "node.id": str(node.id),
        "log.dirs": str(node.data_dir),
        "listeners": f"{listener}://{node.bootstrap},CONTROLLER://{HOST}:{node.controller_port}",
        "advertised.listeners": f"{listener}://{node.bootstrap}",
        "controller.quorum.voters": ",".join(f"{n.id}@{HOST}:{n.controller_port}" for n in cfg.cluster),
    }
    if cfg.nodes >= 3:
        overrides.update(_REPLICATED)
    elif cfg.nodes == 2:
        overrides.update({k: "2" if k.endswith("factor") else "1" for k in _REPLICATED})
    if cfg.users:
        # The controllers keep their PLAINTEXT listener on loopback; clients and brokers authenticate.
        overrides.update(
            {
                "listener.security.protocol.map": "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name": "SASL_PLAINTEXT",
                "sasl.enabled.mechanisms": "PLAIN",
                "sasl.mechanism.inter.broker.protocol": "PLAIN",
            }
        )
    return overrides


def _secrets(cfg: BrokerConfig) -> str:
    """Properties that hold passwords: the PLAIN users, and the brokers' own login (the first user)."""
    if not cfg.users:
        return ""
    name, password = cfg.users[0]
    users = " ".join(f'user_{user}="{secret}"' for user, secret in cfg.users)
    login = f'username="{name}" password="{password}"'
    jaas = f"org.apache.kafka.common.security.plain.PlainLoginModule required {login} {users};"
    return f"listener.name.sasl_plaintext.plain.sasl.jaas.config={jaas}\n"


def _write_properties(cfg: BrokerConfig, node: Node) -> None:
    """The node's configuration file: the reference, its overrides, its secrets; private to its owner."""
    extra = "".join(f"{k}={v}\n" for k, v in _overrides(cfg, node).items())
    text = (cfg.kafka_dir / "server.properties").read_text() + "\n" + extra + _secrets(cfg)
    fd = os.open(node.properties, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.chmod(node.properties, 0o600)  # a file left by an older start may have been readable


def _tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except FileNotFoundError:
        return ""
    return f"--- {path} (last {len(text)} lines)\n" + "\n".join(text)


def _log_tails(node: Node) -> str:
    return "\n".join(t for t in (_tail(node.out_file), _tail(node.logs_dir / "server.log")) if t)


def _alive(pid: int) -> bool:
    """True while pid runs; a zombie counts as gone."""
    proc = _CHILDREN.get(pid)
    if proc is not None:
        return proc.poll() is None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no procfs: fall back to signal 0
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _is_our_broker(node: Node, pid: int) -> bool:
    """Guard against pid reuse: the process must be kafka.Kafka on this node's data dir."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _alive(pid)
    return b"kafka.Kafka" in cmdline and f"log.dirs={node.data_dir}".encode() in cmdline


def _running_pid(node: Node) -> int | None:
    """The pid from the node's pid file if that broker still runs; a stale file is removed."""
    try:
        pid = int(node.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if _alive(pid) and _is_our_broker(node, pid):
        return pid
    node.pid_file.unlink(missing_ok=True)
    return None


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    _CHILDREN.pop(pid, None)
    return True


def _signal(pid: int, sig: signal.Signals) -> None:
    """Signal the broker's process group (it leads its own session), else the pid."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


# ------------------------------------------------------------------- readiness


async def _probe(bootstrap: str, timeout: float, options: dict[str, str]) -> bool:
    from aiokafka.client import AIOKafkaClient  # imported late: only probes need it

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000), **options)
    try:
        await asyncio.wait_for(client.bootstrap(), timeout)
        return bool(client.cluster.brokers())
    finally:
        await client.close()


def is_answering(bootstrap: str, timeout: float = 2.0, options: dict[str, str] | None = None) -> bool:
    """True if a Kafka client gets metadata listing at least one broker from bootstrap.

    The broker opens its client port only once it has joined the quorum and caught
    up with the metadata log, so a metadata answer means it is usable. ``options``
    carry the client's security settings (a SASL login). A plain TCP
    connect goes first so that a closed port costs no client set-up. The probe runs
    on a private event loop in a worker thread so callers inside a running loop
    (async tests, Faust apps) can use it too.
    """
    host, _, port = bootstrap.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError:
        return False
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(asyncio.run, _probe(bootstrap, timeout, options or {})).result(timeout + 5)
        except Exception:
            return False


# ------------------------------------------------------------------ lifecycle


def _cluster_id(cfg: BrokerConfig) -> str:
    """The cluster id saved in the state dir, made by Kafka's StorageTool on first use; shared by all nodes."""
    id_file = cfg.home / "cluster.id"
    if id_file.is_file():
        return id_file.read_text().strip()
    cmd = [*_jvm_base(cfg, ["-Xmx256m"]), "kafka.tools.StorageTool", "random-uuid"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    # 22 base64url chars; a leading "-" would be read as an option by the tools.
    found: list[str] = re.findall(r"^[A-Za-z0-9_][A-Za-z0-9_-]{21}$", proc.stdout, re.M)
    if proc.returncode != 0 or not found:
        detail = (proc.stdout + proc.stderr)[-2000:]
        raise BrokerError(f"StorageTool random-uuid failed ({proc.returncode}):\n{detail}")
    id_file.write_text(found[-1] + "\n")
    return found[-1]


def _format_storage(cfg: BrokerConfig, node: Node) -> None:
    """Format the node's KRaft data dir once; meta.properties marks it as done.

    StorageTool has no --override, so it reads the node's own properties file, where
    the overrides are appended (java.util.Properties lets the last key win).
    """
    if (node.data_dir / "meta.properties").is_file():
        return
    cmd = [
        *_jvm_base(cfg, ["-Xmx256m"]),
        "kafka.tools.StorageTool",
        "format",
        "--cluster-id",
        _cluster_id(cfg),
        "--config",
        str(node.properties),
        "--ignore-formatted",  # a dir left half-formatted by a crash is not an error
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        detail = (proc.stdout + proc.stderr)[-3000:]
        raise BrokerError(f"storage format of node {node.id} failed ({proc.returncode}):\n{detail}")


def _spawn(cfg: BrokerConfig, node: Node) -> int:
    """Launch the node's kafka.Kafka detached (own session, output to a file) and record its pid."""
    heap = [f"-Xms{cfg.heap}", f"-Xmx{cfg.heap}"]
    # G1 with short pauses, as Kafka's own start script runs it.
    gc = ["-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35"]
    logging = [
        f"-Dlog4j2.configurationFile={cfg.kafka_dir / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={node.logs_dir}",
    ]
    cmd = [*_jvm_base(cfg, heap + gc + logging), "kafka.Kafka", str(node.properties)]
    # Repeated on the command line (the file has it too) so a process can be told to be this node's.
    cmd += ["--override", f"log.dirs={node.data_dir}"]
    with open(node.out_file, "wb") as out:  # fresh per start: its tail explains failures
        proc = subprocess.Popen(
            cmd,
            cwd=node.home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # not killed by the caller's Ctrl-C or process group
        )
    _CHILDREN[proc.pid] = proc
    node.pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def _wait_ready(cfg: BrokerConfig, pids: dict[Node, int], timeout: float) -> None:
    """Until every node answers a client; a node that exits or stays silent fails with its log's tail."""
    deadline = time.monotonic() + timeout
    waiting = dict(pids)
    while waiting:
        for node, pid in list(waiting.items()):
            if is_answering(node.bootstrap, timeout=2.0, options=cfg.client_options):
                del waiting[node]
            elif not _alive(pid):
                node.pid_file.unlink(missing_ok=True)
                raise BrokerError(f"broker node {node.id} (pid {pid}) exited during start-up\n{_log_tails(node)}")
        if not waiting:
            return
        if time.monotonic() >= deadline:
            node, pid = next(iter(waiting.items()))
            quorum = " (a cluster needs a majority of its nodes up to elect a controller)" if cfg.nodes > 1 else ""
            raise BrokerError(
                f"broker node {node.id} (pid {pid}) not answering on {node.bootstrap} after {timeout:.0f}s{quorum} "
                f"(still running; stop() it)\n{_log_tails(node)}"
            )
        time.sleep(0.2)


def start(cfg: BrokerConfig | None = None, timeout: float = 60.0) -> int:
    """Start every node that is not running (or find them all running); return node 1's pid once all answer.

    The first start resolves the jars (can take minutes on a cold Maven cache: that
    time is not counted in timeout) and formats the storage; later starts reuse both.
    Starting again after one node of a cluster died brings back only that node.
    """
    cfg = cfg or BrokerConfig.from_settings()
    cfg.home.mkdir(parents=True, exist_ok=True)
    with _locked(cfg.home / "broker.lock"):
        _refuse_other_size(cfg)
        pids: dict[Node, int] = {}
        for node in cfg.cluster:
            pid = _running_pid(node)
            if pid is None:
                busy = [p for p in (node.port, node.controller_port) if _port_in_use(p)]
                if busy:
                    raise BrokerError(f"port(s) {busy} on {HOST} already in use by another process")
                ensure_jars(cfg)
                node.logs_dir.mkdir(parents=True, exist_ok=True)
                _write_properties(cfg, node)
                _format_storage(cfg, node)
                pid = _spawn(cfg, node)
            pids[node] = pid
        _wait_ready(cfg, pids, timeout)
    return pids[cfg.cluster[0]]


def _refuse_other_size(cfg: BrokerConfig) -> None:
    """One state dir holds one cluster: starting it with another node count would mix two."""
    single = (cfg.home / "data").is_dir()
    nodes = sorted(cfg.home.glob("node-*/data"))
    if (cfg.nodes == 1 and nodes) or (cfg.nodes > 1 and single):
        held = "a single node" if single else f"a {len(nodes)}-node cluster"
        raise BrokerError(
            f"{cfg.home} holds {held}; start it with that many nodes (TOLLSTREAM_BROKER_NODES) "
            "or use another TOLLSTREAM_STATE_DIR"
        )


def _present(cfg: BrokerConfig) -> list[Node]:
    """The nodes this state dir has run, whatever node count the caller asked for, so stop finds them all."""
    found = [int(d.name.removeprefix("node-")) for d in cfg.home.glob("node-*") if d.name[5:].isdigit()]
    if not found:
        return cfg.cluster
    size = max(found)
    return BrokerConfig(cfg.state_dir, cfg.port, cfg.controller_port, cfg.heap, cfg.kafka_dir, size, cfg.users).cluster


def stop(cfg: BrokerConfig | None = None, timeout: float = 30.0) -> bool:
    """Stop every node: SIGTERM (Kafka's clean shutdown hook), SIGKILL after timeout.

    Returns True if a node was running and all are now gone, False if none was running.
    """
    cfg = cfg or BrokerConfig.from_settings()
    with _locked(cfg.home / "broker.lock"):
        running = {node: pid for node in _present(cfg) if (pid := _running_pid(node)) is not None}
        # All at once: a cluster that loses its quorum node by node would wait on each.
        for pid in running.values():
            _signal(pid, signal.SIGTERM)
        for node, pid in running.items():
            if not _wait_gone(pid, timeout):
                _signal(pid, signal.SIGKILL)
                if not _wait_gone(pid, 10.0):
                    raise BrokerError(f"broker node {node.id} (pid {pid}) survived SIGKILL")
            node.pid_file.unlink(missing_ok=True)
    return bool(running)


def status(cfg: BrokerConfig | None = None) -> dict[str, object]:
    """Whether the broker runs and answers Kafka clients; for a cluster, the same of each node too.

    The nodes are those the state dir holds, so a cluster is reported whole whatever size was asked for.
    """
    cfg = cfg or BrokerConfig.from_settings()
    nodes = [(node, _running_pid(node)) for node in _present(cfg)]
    answering = [
        pid is not None and is_answering(node.bootstrap, timeout=2.0, options=cfg.client_options) for node, pid in nodes
    ]
    report: dict[str, object] = {
        "running": all(pid is not None for _, pid in nodes),
        "pid": nodes[0][1],
        "bootstrap": ",".join(node.bootstrap for node, _ in nodes),
        "answering": all(answering),
        "state_dir": str(cfg.state_dir),
    }
    if len(nodes) > 1:
        report["nodes"] = [
            {"node": node.id, "pid": pid, "bootstrap": node.bootstrap, "answering": ok}
            for (node, pid), ok in zip(nodes, answering, strict=True)
        ]
    return report


def main(argv: list[str] | None = None) -> int:
    """Tiny command line for scripts: jars | start | stop | status (prints JSON)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in ("jars", "start", "stop", "status"):
        print("usage: python -m tollstream.broker jars|start|stop|status", file=sys.stderr)
        return 2
    cfg = BrokerConfig.from_settings()
    try:
        if args[0] == "jars":
            print(ensure_jars(cfg))
            return 0
        if args[0] == "start":
            start(cfg)
        elif args[0] == "stop":
            stop(cfg)
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(status(cfg)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
