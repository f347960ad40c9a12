"""``gateway card ...`` and ``gateway card-agent``: the card agent from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from gateway.cards import development_ca, virtual_cards
from gateway.settings import load_settings
from integrations.card import (
    CardAgent,
    CardError,
    CardHolder,
    PcscBackend,
    VirtualBackend,
    WrongPin,
)


def _agent(args: argparse.Namespace) -> CardAgent:
    if args.pcsc:
        return CardAgent(PcscBackend(args.reader or ""))
    return CardAgent(VirtualBackend(virtual_cards(load_settings())))


def card_list(args: argparse.Namespace) -> int:
    for card in _agent(args).list_cards():
        holder = card.holder
        print(
            f"{holder.card_number}  {holder.kind:<12} {holder.holder_name}  "
            f"{holder.enterprise_name}  until {card.not_after}  ({card.reader})"
        )
    return 0


def card_sign(args: argparse.Namespace) -> int:
    """Prints the JSON to paste into sessionCreateWithCard (with the challenge's id)."""
    agent = _agent(args)
    try:
        if args.challenge:
            signed = agent.sign_login(args.challenge, args.pin, args.card)
        else:
            signed = agent.sign_digest(bytes.fromhex(args.digest), args.pin, args.card)
    except WrongPin as error:
        print(f"wrong PIN: {error.tries_left} tries left", file=sys.stderr)
        return 2
    except CardError as error:
        print(f"card error: {type(error).__name__} {error}", file=sys.stderr)
        return 2
    print(json.dumps(signed.as_json()))
    return 0


def card_certificate(args: argparse.Namespace) -> int:
    """The signing certificate (slot 9C), for agreementSignPrepare."""
    print(_agent(args).signing_certificate(args.card))
    return 0


def card_issue(args: argparse.Namespace) -> int:
    """Embedded mode only: a virtual card from the development CA."""
    settings = load_settings()
    if settings.is_production:
        print("virtual cards exist only in the embedded mode", file=sys.stderr)
        return 2
    holder = CardHolder(
        args.number,
        args.kind,
        args.uscc,
        args.enterprise,
        args.holder_name,
        args.holder_id_type,
        args.holder_id,
    )
    path = virtual_cards(settings).issue(development_ca(settings), holder, args.pin)
    print(f"issued virtual card {args.number} at {path}")
    return 0


def card_agent(args: argparse.Namespace) -> int:
    import uvicorn

    from integrations.card.agent_server import create_agent_app

    settings = load_settings()
    app = create_agent_app(_agent(args), settings.allowed_origins)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    card = commands.add_parser("card", help="the card agent from the command line")
    sub = card.add_subparsers(dest="card_command", required=True)

    def backend_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--pcsc", action="store_true", help="real readers through pcscd")
        parser.add_argument("--reader", help="only readers whose name contains this")

    listing = sub.add_parser("list", help="cards in the readers")
    backend_options(listing)
    listing.set_defaults(run=card_list)

    sign = sub.add_parser("sign", help="sign a login challenge or a document digest")
    what = sign.add_mutually_exclusive_group(required=True)
    what.add_argument("--challenge", help="the nonce of cardChallengeCreate")
    what.add_argument("--digest", help="a SHA-256 digest in hex (document signing)")
    sign.add_argument("--pin", required=True)
    sign.add_argument("--card", help="card number, if several cards are present")
    backend_options(sign)
    sign.set_defaults(run=card_sign)

    certificate = sub.add_parser("certificate", help="the signing certificate (slot 9C), base64")
    certificate.add_argument("--card", help="card number, if several cards are present")
    backend_options(certificate)
    certificate.set_defaults(run=card_certificate)

    issue = sub.add_parser("issue", help="embedded mode: make a virtual card")
    issue.add_argument("--number", required=True)
    issue.add_argument("--kind", choices=["LEGAL_PERSON", "OPERATOR"], required=True)
    issue.add_argument("--uscc", required=True)
    issue.add_argument("--enterprise", required=True)
    issue.add_argument("--holder-name", required=True)
    issue.add_argument("--holder-id-type", default="RESIDENT_ID")
    issue.add_argument("--holder-id", required=True)
    issue.add_argument("--pin", default="123456")
    issue.set_defaults(run=card_issue)

    agent = commands.add_parser("card-agent", help="serve the local card agent on 127.0.0.1")
    agent.add_argument("--port", type=int, default=8790)
    backend_options(agent)
    agent.set_defaults(run=card_agent)
