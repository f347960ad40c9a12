"""The ``gateway`` command: serve, db upgrade, demo-data, registry-dataset, export-schema,
card, card-agent, government-admin, reviewer."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from gateway.card_cli import add_commands as add_card_commands
from gateway.settings import load_settings
from gateway.staff_cli import add_commands as add_staff_commands

SCHEMA_FILE = Path("schema.graphql")


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "gateway.app:app_factory",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_config=None,
        ws="websockets-sansio",
        # A WebSocket message is bounded like an HTTP body (a bigger one closes the socket, 1009).
        ws_max_size=settings.max_request_bytes,
    )
    return 0


def _db_upgrade(_: argparse.Namespace) -> int:
    from gateway.database import upgrade_database

    upgrade_database(load_settings())
    print("database is at the latest migration")
    return 0


def _demo_data(_: argparse.Namespace) -> int:
    from gateway.demo_data import load_demo_data

    summary = asyncio.run(load_demo_data(load_settings()))
    print(summary)
    return 0


def production_sdl() -> str:
    from schema import build_schema

    return str(build_schema(development=False)).rstrip() + "\n"


def _export_schema(args: argparse.Namespace) -> int:
    sdl = production_sdl()
    target = Path(args.output)
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != sdl:
            print(f"{target} is stale: run `gateway export-schema`", file=sys.stderr)
            return 1
        print(f"{target} is fresh")
        return 0
    target.write_text(sdl, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _export_persisted(args: argparse.Namespace) -> int:
    """The manifest the front-ends build against: hash -> document (GW-4)."""
    import orjson

    from gateway.graphiql import PLAYGROUND
    from gateway.persisted import PersistedQueries

    manifest = PersistedQueries.from_folder(PLAYGROUND).documents
    Path(args.output).write_bytes(
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    )
    print(f"wrote {len(manifest)} persisted queries to {args.output}")
    return 0


def _registry_dataset(_: argparse.Namespace) -> int:
    from gateway.registry_dataset import write

    print(f"registry dataset: {write()} enterprises")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=_serve)
    db = commands.add_parser("db", help="database tasks")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply the migrations").set_defaults(run=_db_upgrade)
    commands.add_parser(
        "demo-data", help="load demo regions, institutions and accounts"
    ).set_defaults(run=_demo_data)
    persisted = commands.add_parser(
        "export-persisted", help="write the persisted-query manifest of the front-ends"
    )
    persisted.add_argument("--output", default="persisted-queries.json")
    persisted.set_defaults(run=_export_persisted)
    commands.add_parser(
        "registry-dataset", help="regenerate the simulated registers' shipped dataset"
    ).set_defaults(run=_registry_dataset)
    add_card_commands(commands)
    add_staff_commands(commands)
    export = commands.add_parser("export-schema", help="write the production SDL")
    export.add_argument("--output", default=str(SCHEMA_FILE))
    export.add_argument("--check", action="store_true", help="fail if the file is stale")
    export.set_defaults(run=_export_schema)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
