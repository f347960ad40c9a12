"""``gateway government-admin`` and ``gateway reviewer``: the first staff accounts of a
deployment (nobody is there yet to create them through the API).

Each gets a random initial password, printed once, which must be changed at the first login.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys

from sqlmodel import col, select

from gateway.database import create_engine, session_factory
from gateway.settings import load_settings
from models import Account, AccountKind, Region
from resolvers.core.identifiers import IdentifierError, validate_mobile
from resolvers.core.passwords import PasswordHashing

KINDS = {
    "government-admin": AccountKind.GOVERNMENT_ADMIN,
    "reviewer": AccountKind.PLATFORM_REVIEWER,
}


async def create_staff(
    kind: AccountKind, username: str, name: str, mobile: str, region_code: str | None
) -> str:
    """The account, with a random initial password (returned) to change at first login."""
    settings = load_settings()
    engine = create_engine(settings)
    password = "Init-" + secrets.token_urlsafe(9)
    hashing = PasswordHashing(settings.password_time_cost, settings.password_memory_kib)
    try:
        async with session_factory(engine)() as db:
            taken = (
                await db.exec(
                    select(Account.id).where(col(Account.username_key) == username.lower())
                )
            ).first()
            if taken is not None:
                raise ValueError(f"username {username} is taken")
            region_id = None
            if region_code:
                region_id = (
                    await db.exec(select(Region.id).where(col(Region.code) == region_code))
                ).first()
                if region_id is None:
                    raise ValueError(f"no region {region_code}")
            db.add(
                Account(
                    kind=kind,
                    username=username,
                    username_key=username.lower(),
                    password_hash=await hashing.hash(password),
                    must_change_password=True,
                    name=name,
                    mobile=mobile,
                    region_id=region_id,
                )
            )
            await db.commit()
    finally:
        await engine.dispose()
    return password


def _run(args: argparse.Namespace) -> int:
    try:
        mobile = validate_mobile(args.mobile)
        password = asyncio.run(
            create_staff(KINDS[args.command], args.username, args.name, mobile, args.region)
        )
    except (ValueError, IdentifierError) as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    print(f"created {args.username}; initial password (shown once): {password}")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for command, help_text in (
        ("government-admin", "create a government admin (XC-2); --region limits it to a region"),
        ("reviewer", "create a platform reviewer of manual reviews (SW-9, SW-10)"),
    ):
        parser = commands.add_parser(command, help=help_text)
        parser.add_argument("username")
        parser.add_argument("--name", required=True)
        parser.add_argument("--mobile", required=True)
        if command == "government-admin":
            parser.add_argument("--region", help="region code, e.g. 411000")
        parser.set_defaults(run=_run, region=None)
