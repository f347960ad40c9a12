"""Benchmark: two-step card signing of an agreement and validating the result (LN-2, LN-3).

    python -m tests.benchmarks.signing [--rounds 10]

Steps, each best-of-N wall time: rendering the agreement PDF (with the seal), prepare (reserve the
signature, signed attributes), the card's ECDSA signature through the agent (virtual card: APDUs
in software), complete (CMS and embedding), a second (bank) signature, and pyHanko validation of
both signatures.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import platform
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from integrations import documents
from integrations.card import (
    CardAgent,
    CardHolder,
    CertificateAuthority,
    VirtualBackend,
    VirtualCardStore,
)
from integrations.card.certificates import issue_institution_certificate
from integrations.seal_imaging import Colour, Kind, Shape, StandardSeal
from integrations.seal_imaging import render as render_seal

PIN = "123456"


async def best_of(rounds: int, action: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = await action()
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000, result


async def measure(rounds: int) -> list[tuple[str, float]]:
    authority = CertificateAuthority.create()
    with tempfile.TemporaryDirectory() as folder:
        store = VirtualCardStore(Path(folder))
        store.issue(
            authority,
            CardHolder(
                "2100000901",
                "LEGAL_PERSON",
                "91210100MA0LN00954",
                "企业",
                "王建国",
                "RESIDENT_ID",
                "210102197003151234",
            ),
            PIN,
        )
        agent = CardAgent(VirtualBackend(store))
        certificate = base64.b64decode(agent.signing_certificate())
        seal = render_seal(
            StandardSeal("辽宁港通进出口有限公司", Kind.CONTRACT, Shape.ROUND, Colour.RED)
        )
        document = documents.Document(
            title="三方协议",
            number="2026112300000001",
            date="2026-11-23",
            parties=(
                documents.Party("甲方", "辽宁港通进出口有限公司"),
                documents.Party("乙方", "中国银行"),
                documents.Party("丙方", "中国电子口岸数据中心"),
            ),
            sections=(
                ("签约功能", ("用户绑定、融资申请",)),
                ("协议条款", ("甲方授权丙方向乙方提供海关数据。" * 10,)),
            ),
            seal_png=seal,
        )

        async def render() -> bytes:
            return documents.render(document)

        render_ms, pdf = await best_of(rounds, render)

        async def prepare() -> documents.Prepared:
            return await documents.prepare(pdf, certificate, "Enterprise", datetime.now(UTC))

        prepare_ms, prepared = await best_of(rounds, prepare)

        async def card() -> bytes:
            return base64.b64decode(agent.sign_digest(prepared.digest_to_sign, PIN).signature)

        card_ms, signature = await best_of(rounds, card)

        async def complete() -> bytes:
            return await documents.complete(prepared, certificate, signature)

        complete_ms, signed = await best_of(rounds, complete)
        bank_key = ec.generate_private_key(ec.SECP256R1())
        bank_certificate = issue_institution_certificate(
            authority, "BOC 电子签章", bank_key.public_key()
        )

        async def counter_sign() -> bytes:
            return await documents.sign_with_key(
                signed, bank_key, bank_certificate, "Bank", datetime.now(UTC)
            )

        counter_ms, both = await best_of(rounds, counter_sign)
        root = authority.certificate.public_bytes(Encoding.DER)

        async def validate() -> list[documents.SignatureReport]:
            return await documents.validate(both, [root])

        validate_ms, reports = await best_of(rounds, validate)
        assert len(reports) == 2
        assert all(r.valid and r.intact and r.trusted for r in reports)
    return [
        (f"render the agreement PDF with the seal ({len(pdf) // 1024} KiB)", render_ms),
        ("prepare: reserve the signature, signed attributes (step one)", prepare_ms),
        ("the card signs the digest (virtual card, agent over APDUs, PIN verified)", card_ms),
        ("complete: check the signature, build the CMS, embed it (step two)", complete_ms),
        (
            "prepare + complete together (the gateway's share of one signature)",
            prepare_ms + complete_ms,
        ),
        ("the bank's counter-signature (software key)", counter_ms),
        ("pyHanko validation of both signatures", validate_ms),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.rounds))
    print(f"Python {platform.python_version()}, best of {args.rounds}\n")
    print("| step | ms |")
    print("|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.1f} |")


if __name__ == "__main__":
    main()
