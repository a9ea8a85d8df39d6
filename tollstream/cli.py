"""The ``tollstream`` command: broker, worker, produce, watch, replay, loadgen, bench, eval, export, demo and config."""

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from tollstream import logs
from tollstream.settings import Settings, SettingsError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles.jsonl"


class CommandError(RuntimeError):
    """A command failed for a reason the user can act on; printed as one line, exit status 2."""


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings with this command's flags on top."""
    return Settings.load(
        broker=getattr(args, "broker", None),
        topic_prefix=getattr(args, "topic_prefix", None),
        web_port=getattr(args, "web_port", None),
        app_id=getattr(args, "app_id", None),
        log_level=getattr(args, "log_level", None),
        broker_nodes=getattr(args, "nodes", None),
    )


def cmd_broker(args: argparse.Namespace) -> int:
    from tollstream import broker

    try:
        cfg = broker.BrokerConfig.from_settings(_settings(args))
        if args.action == "start":
            pid = broker.start(cfg)
            nodes = f"{cfg.nodes} nodes, node 1 pid {pid}" if cfg.nodes > 1 else f"pid {pid}"
            print(f"broker running on {cfg.bootstrap} ({nodes}, state in {cfg.state_dir})")
            if cfg.nodes > 1:
                print(f"clients and workers reach all nodes with TOLLSTREAM_BROKER_NODES={cfg.nodes}")
        elif args.action == "stop":
            print("broker stopped" if broker.stop(cfg) else "broker was not running")
        else:
            for key, value in broker.status(cfg).items():
                print(f"{key}: {value}")
    except broker.BrokerError as exc:
        raise CommandError(str(exc)) from None
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from streams.worker import run_worker

    return run_worker(_settings(args))


def cmd_produce(args: argparse.Namespace) -> int:
    from aiokafka.errors import KafkaError

    from tollstream.kafka_io import ProduceError, article_values, explain_failure, produce, quiet_client_logs
    from tollstream.progress import Progress

    settings = _settings(args)
    quiet_client_logs()
    missing = [path for path in args.paths if path != "-" and not Path(path).is_file()]
    if missing:
        raise CommandError(f"{missing[0]}: no such file")
    values = Progress.for_files("produce", args.paths).track(article_values(args.paths, settings.max_article_bytes))
    try:
        sent = asyncio.run(produce(settings, values, delay=args.delay, feed=args.feed))
    except ProduceError as exc:
        raise CommandError(str(exc)) from None
    except KafkaError as exc:
        raise CommandError(f"cannot produce: {asyncio.run(explain_failure(settings, exc))}") from None
    print(f"produced {sent} article(s) to {settings.topics.articles}", file=sys.stderr)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    for name, value in _settings(args).masked().items():
        print(f"TOLLSTREAM_{name.upper()}={value}")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from aiokafka.errors import KafkaError

    from tollstream.kafka_io import explain_failure, quiet_client_logs
    from tollstream.watch import watch

    settings = _settings(args)
    quiet_client_logs()
    try:
        return asyncio.run(
            watch(
                settings,
                as_json=args.json,
                from_beginning=not args.latest,
                idle_timeout=args.idle_timeout,
                topic=args.topic,
            )
        )
    except KafkaError as exc:
        raise CommandError(f"cannot read: {asyncio.run(explain_failure(settings, exc))}") from None


def cmd_replay(args: argparse.Namespace) -> int:
    from tollstream.progress import Progress
    from tollstream.replay import replay_file
    from tollstream.watch import render

    progress = Progress.for_files("replay", [args.articles])
    result = replay_file(Path(args.articles), Path(args.out), track=progress.track)
    if not args.quiet:
        for update in result.events:
            print(render(update))
    finals = result.final_events()
    print(
        f"{len(result.claims)} claims, {len(result.events)} revisions of {len(finals)} events, "
        f"{len(result.duplicates)} duplicates, {len(result.dead_letters)} dead letters -> {args.out}",
        file=sys.stderr,
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from tollstream.evaluate import main as eval_main
    from tollstream.progress import Progress

    articles = Path(args.gold_dir) / "articles.jsonl"
    track = Progress.for_files("eval", [articles]).track if articles.is_file() else None
    return eval_main(Path(args.gold_dir), Path(args.out) if args.out else None, track)


def cmd_export(args: argparse.Namespace) -> int:
    from aiokafka.errors import KafkaError

    from tollstream import exports
    from tollstream.kafka_io import explain_failure, quiet_client_logs

    settings = _settings(args)
    quiet_client_logs()
    if args.replay:
        try:
            updates, unreadable = exports.from_replay(Path(args.replay)), 0
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
    else:
        try:
            updates, unreadable = asyncio.run(exports.from_topic(settings, args.history))
        except exports.NoSuchTopic as exc:
            raise CommandError(f"no topic {exc} on {settings.broker}; has a worker run with this prefix?") from None
        except KafkaError as exc:
            raise CommandError(f"cannot read: {asyncio.run(explain_failure(settings, exc))}") from None
    chosen = exports.select(updates, args.history)
    data = exports.render(chosen, args.format, args.history)
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    what = "revisions" if args.history else "events"
    skipped = f", {unreadable} unreadable message(s) skipped" if unreadable else ""
    print(f"exported {len(chosen)} {what} as {args.format}{skipped} -> {args.out or 'stdout'}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from tollstream.demo import run_demo

    return run_demo(_settings(args), Path(args.examples), delay=args.delay)


def cmd_loadgen(args: argparse.Namespace) -> int:
    from tollstream.loadgen import generate

    load = generate(args.count, args.seed)
    written = load.write(Path(args.out))
    copies = sum(len(incident.copies) for incident in load.incidents)
    print(
        f"{written} article(s) about {len(load.incidents)} incidents, {copies} of them copies -> {args.out}",
        file=sys.stderr,
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    import signal

    from tollstream.bench import Plan, run, table

    # Stopped from outside, the run still stops its workers and its broker on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = _settings(args)
    report = run(Plan.of(args.articles, args.seed, args.quick), settings)
    out = Path(args.out) if args.out else settings.state_dir / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(report.to_json())
    print(table(report))
    print(f"report -> {out}", file=sys.stderr)
    return 0


def _add_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", help="bootstrap servers (env TOLLSTREAM_BROKER; default: the embedded broker)")
    parser.add_argument("--topic-prefix", help="prefix of every topic name (env TOLLSTREAM_TOPIC_PREFIX)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tollstream", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log-level", choices=["debug", "info", "warning", "error"], help="log level (env TOLLSTREAM_LOG_LEVEL)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        commands[name] = func
        p = sub.add_parser(name, help=help_text, parents=[common])
        p.set_defaults(func=func)
        return p

    p = add("config", cmd_config, "print the effective settings (environment and defaults), secrets masked")
    _add_connection(p)

    p = add("broker", cmd_broker, "start, stop or inspect the embedded Kafka broker (one node or a cluster)")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument(
        "--nodes",
        type=int,
        help="brokers on loopback (env TOLLSTREAM_BROKER_NODES, default 1); 3 replicates every topic three times",
    )

    p = add("worker", cmd_worker, "run the Faust worker (all agents, web server with /metrics)")
    _add_connection(p)
    p.add_argument("--web-port", type=int, help="web server port (env TOLLSTREAM_WEB_PORT, default 6066)")
    p.add_argument("--app-id", help="Faust app id and consumer group (env TOLLSTREAM_APP_ID)")

    p = add("produce", cmd_produce, "send articles (txt, json, jsonl files or - for stdin) to the input topic")
    _add_connection(p)
    p.add_argument("paths", nargs="+")
    p.add_argument("--delay", type=float, default=0.0, help="seconds between articles")
    p.add_argument(
        "--feed",
        default="produce",
        help="message key: articles of one feed stay in order on one partition (default 'produce')",
    )

    p = add("watch", cmd_watch, "print event revisions as they arrive")
    _add_connection(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line, for scripts")
    p.add_argument("--latest", action="store_true", help="only revisions from now on")
    p.add_argument(
        "--topic",
        choices=["events", "latest"],
        default="events",
        help="the revision stream, or the compacted latest state of every event",
    )
    p.add_argument("--idle-timeout", type=float, default=None, help="exit after this many idle seconds")

    p = add("replay", cmd_replay, "run the topology over a JSONL file without a broker")
    p.add_argument("articles")
    p.add_argument("--out", required=True, help="folder for claims/events/duplicates/deadletters JSONL")
    p.add_argument("--quiet", action="store_true")

    p = add("loadgen", cmd_loadgen, "write invented reports for load: incidents, revisions, copies, noise")
    p.add_argument("--count", type=int, required=True, help="articles to write")
    p.add_argument("--seed", type=int, default=1, help="the same seed writes the same reports")
    p.add_argument("--out", required=True, help="JSONL file to write")

    p = add("bench", cmd_bench, "measure core, transport, pipeline (one and two workers), latency and memory")
    p.add_argument("--articles", type=int, help="generated articles (default 3000; 300 with --quick)")
    p.add_argument("--seed", type=int, default=1, help="seed of the generated articles")
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every measurement")
    p.add_argument("--out", help="JSON report (default: <state dir>/bench.json)")

    p = add("eval", cmd_eval, "score replay against a gold folder (articles.jsonl + gold.json)")
    p.add_argument("gold_dir")
    p.add_argument("--out", help="where to write the JSON report")

    p = add("export", cmd_export, "write events as CSV (UCDP-GED-like columns), GeoJSON or JSON lines")
    _add_connection(p)
    p.add_argument("--format", choices=["csv", "geojson", "jsonl"], default="csv")
    p.add_argument("--history", action="store_true", help="every revision, not only the latest of each event")
    p.add_argument("--replay", metavar="DIR", help="a folder written by replay --out, instead of the broker")
    p.add_argument("--out", help="file to write (default: standard output)")

    p = add("demo", cmd_demo, "start a broker and worker, produce the sample reports, print revisions")
    p.add_argument("--examples", default=str(EXAMPLES))
    p.add_argument("--delay", type=float, default=0.5)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        logs.configure(_settings(args).log_level)
        return int(args.func(args) or 0)
    except (CommandError, SettingsError) as exc:
        print(f"tollstream {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
