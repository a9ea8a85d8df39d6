"""The project's own single-node Kafka broker: a JVM on 127.0.0.1, KRaft combined mode.

The jars come from Maven (``deploy/kafka/pom.xml``, copied to ``deploy/kafka/lib``),
the reference configuration is ``deploy/kafka/server.properties``, and everything the
broker writes (data, logs, pid file, cluster id) lives under ``<state dir>/kafka``.
Per-run settings (data dir, ports) are passed as ``--override`` so one reference
file serves every state dir and port pair.

Only the standard library is used, plus aiokafka for the readiness probe, so the
module can be used by tests and scripts without pulling in Faust.

    python -m tollstream.broker start|stop|status
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

from tollstream.settings import Settings

REPO_DIR = Path(__file__).resolve().parents[1]
KAFKA_DIR = REPO_DIR / "deploy" / "kafka"
HOST = "127.0.0.1"

# Popen objects of brokers started by this process: polling them reaps the child,
# so a stopped broker does not linger as a zombie that still "exists" to kill(0).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class BrokerError(RuntimeError):
    """The broker could not be set up, started or stopped; the message says why."""


@dataclass(frozen=True)
class BrokerConfig:
    """Where the broker keeps its state and which loopback ports it listens on."""

    state_dir: Path
    port: int
    controller_port: int
    heap: str = "512m"
    kafka_dir: Path = KAFKA_DIR

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> BrokerConfig:
        """The embedded broker the settings describe: the same ports every other command dials."""
        settings = settings or Settings.load()
        return cls(settings.state_dir, settings.broker_port, settings.controller_port, settings.broker_heap)

    def __post_init__(self) -> None:
        # Accept str paths too; absolute paths because the JVM runs in another cwd.
        object.__setattr__(self, "state_dir", Path(self.state_dir).resolve())
        object.__setattr__(self, "kafka_dir", Path(self.kafka_dir).resolve())

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def home(self) -> Path:
        """The broker's own corner of the state dir, shared with other components."""
        return self.state_dir / "kafka"

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
    def lib_dir(self) -> Path:
        return self.kafka_dir / "lib"


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


def _overrides(cfg: BrokerConfig) -> dict[str, str]:
    """Settings that depend on the state dir and ports, on top of server.properties."""
    return {
        "log.dirs": str(cfg.data_dir),
        "listeners": f"PLAINTEXT://{HOST}:{cfg.port},CONTROLLER://{HOST}:{cfg.controller_port}",
        "advertised.listeners": f"PLAINTEXT://{cfg.bootstrap}",
        "controller.quorum.voters": f"1@{HOST}:{cfg.controller_port}",
    }


def _tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except FileNotFoundError:
        return ""
    return f"--- {path} (last {len(text)} lines)\n" + "\n".join(text)


def _log_tails(cfg: BrokerConfig) -> str:
    return "\n".join(t for t in (_tail(cfg.out_file), _tail(cfg.logs_dir / "server.log")) if t)


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


def _is_our_broker(cfg: BrokerConfig, pid: int) -> bool:
    """Guard against pid reuse: the process must be kafka.Kafka on this data dir."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _alive(pid)
    return b"kafka.Kafka" in cmdline and f"log.dirs={cfg.data_dir}".encode() in cmdline


def _running_pid(cfg: BrokerConfig) -> int | None:
    """The pid from the pid file if that broker still runs; a stale file is removed."""
    try:
        pid = int(cfg.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if _alive(pid) and _is_our_broker(cfg, pid):
        return pid
    cfg.pid_file.unlink(missing_ok=True)
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


async def _probe(bootstrap: str, timeout: float) -> bool:
    from aiokafka.client import AIOKafkaClient  # imported late: only probes need it

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(client.bootstrap(), timeout)
        return bool(client.cluster.brokers())
    finally:
        await client.close()


def is_answering(bootstrap: str, timeout: float = 2.0) -> bool:
    """True if a Kafka client gets metadata listing at least one broker from bootstrap.

    The broker opens its client port only once it has joined the quorum and caught
    up with the metadata log, so a metadata answer means it is usable. A plain TCP
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
            return pool.submit(asyncio.run, _probe(bootstrap, timeout)).result(timeout + 5)
        except Exception:
            return False


# ------------------------------------------------------------------ lifecycle


def _cluster_id(cfg: BrokerConfig) -> str:
    """The cluster id saved in the state dir, made by Kafka's StorageTool on first use."""
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


def _format_storage(cfg: BrokerConfig) -> None:
    """Format the KRaft data dir once; meta.properties marks it as done.

    StorageTool has no --override, so it gets a copy of the reference config with
    the overrides appended (java.util.Properties lets the last key win).
    """
    if (cfg.data_dir / "meta.properties").is_file():
        return
    props = cfg.home / "format.properties"
    extra = "".join(f"{k}={v}\n" for k, v in _overrides(cfg).items())
    props.write_text((cfg.kafka_dir / "server.properties").read_text() + "\n" + extra)
    cmd = [
        *_jvm_base(cfg, ["-Xmx256m"]),
        "kafka.tools.StorageTool",
        "format",
        "--cluster-id",
        _cluster_id(cfg),
        "--config",
        str(props),
        "--ignore-formatted",  # a dir left half-formatted by a crash is not an error
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        detail = (proc.stdout + proc.stderr)[-3000:]
        raise BrokerError(f"storage format failed ({proc.returncode}):\n{detail}")


def _spawn(cfg: BrokerConfig) -> int:
    """Launch kafka.Kafka detached (own session, output to a file) and record its pid."""
    heap = [f"-Xms{cfg.heap}", f"-Xmx{cfg.heap}"]
    # G1 with short pauses, as Kafka's own start script runs it.
    gc = ["-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35"]
    logging = [
        f"-Dlog4j2.configurationFile={cfg.kafka_dir / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={cfg.logs_dir}",
    ]
    cmd = [*_jvm_base(cfg, heap + gc + logging), "kafka.Kafka"]
    cmd.append(str(cfg.kafka_dir / "server.properties"))
    for key, value in _overrides(cfg).items():
        cmd += ["--override", f"{key}={value}"]
    with open(cfg.out_file, "wb") as out:  # fresh per start: its tail explains failures
        proc = subprocess.Popen(
            cmd,
            cwd=cfg.home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # not killed by the caller's Ctrl-C or process group
        )
    _CHILDREN[proc.pid] = proc
    cfg.pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def _wait_ready(cfg: BrokerConfig, pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not is_answering(cfg.bootstrap, timeout=2.0):
        if not _alive(pid):
            cfg.pid_file.unlink(missing_ok=True)
            raise BrokerError(f"broker (pid {pid}) exited during start-up\n{_log_tails(cfg)}")
        if time.monotonic() >= deadline:
            raise BrokerError(
                f"broker (pid {pid}) not answering on {cfg.bootstrap} after {timeout:.0f}s "
                f"(still running; stop() it)\n{_log_tails(cfg)}"
            )
        time.sleep(0.2)


def start(cfg: BrokerConfig | None = None, timeout: float = 60.0) -> int:
    """Start the broker (or find it already running) and return its pid once it answers.

    The first start resolves the jars (can take minutes on a cold Maven cache: that
    time is not counted in timeout) and formats the storage; later starts reuse both.
    """
    cfg = cfg or BrokerConfig.from_settings()
    cfg.home.mkdir(parents=True, exist_ok=True)
    with _locked(cfg.home / "broker.lock"):
        pid = _running_pid(cfg)
        if pid is None:
            busy = [p for p in (cfg.port, cfg.controller_port) if _port_in_use(p)]
            if busy:
                raise BrokerError(f"port(s) {busy} on {HOST} already in use by another process")
            ensure_jars(cfg)
            _format_storage(cfg)
            cfg.logs_dir.mkdir(parents=True, exist_ok=True)
            pid = _spawn(cfg)
        _wait_ready(cfg, pid, timeout)
    return pid


def stop(cfg: BrokerConfig | None = None, timeout: float = 30.0) -> bool:
    """Stop the broker: SIGTERM (Kafka's clean shutdown hook), SIGKILL after timeout.

    Returns True if a broker was running and is now gone, False if none was running.
    """
    cfg = cfg or BrokerConfig.from_settings()
    with _locked(cfg.home / "broker.lock"):
        pid = _running_pid(cfg)
        if pid is None:
            return False
        _signal(pid, signal.SIGTERM)
        if not _wait_gone(pid, timeout):
            _signal(pid, signal.SIGKILL)
            if not _wait_gone(pid, 10.0):
                raise BrokerError(f"broker (pid {pid}) survived SIGKILL")
        cfg.pid_file.unlink(missing_ok=True)
    return True


def status(cfg: BrokerConfig | None = None) -> dict[str, object]:
    """Whether the broker process runs and whether it answers Kafka clients."""
    cfg = cfg or BrokerConfig.from_settings()
    pid = _running_pid(cfg)
    return {
        "running": pid is not None,
        "pid": pid,
        "bootstrap": cfg.bootstrap,
        "answering": pid is not None and is_answering(cfg.bootstrap, timeout=2.0),
        "state_dir": str(cfg.state_dir),
    }


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
