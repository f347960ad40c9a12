"""Which bank answers for which institution code, and the shared secret of each."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from integrations.banks.base import Bank
from integrations.banks.simulator import BankSimulator, Callback, CounterSigner, SimulatorRules


class BankDirectory:
    """Configured banks (HTTP adapters); every other code is simulated when simulation is on."""

    def __init__(
        self,
        master_secret: bytes,
        configured: dict[str, tuple[Bank, bytes]] | None = None,
        simulate: bool = True,
        rules: SimulatorRules | None = None,
    ) -> None:
        self._master = master_secret
        self._configured = dict(configured or {})
        self._simulate = simulate
        self.rules = rules or SimulatorRules()
        self.simulators: dict[str, BankSimulator] = {}
        self.callback: Callback | None = None
        # code -> the function that counter-signs documents as that bank (simulation only).
        self.counter_signer: Callable[[str], CounterSigner] | None = None

    def secret(self, code: str) -> bytes | None:
        if code in self._configured:
            return self._configured[code][1]
        if not self._simulate:
            return None
        return hmac.new(self._master, f"bank:{code}".encode(), hashlib.sha256).digest()

    def bank(self, code: str) -> Bank | None:
        if code in self._configured:
            return self._configured[code][0]
        if not self._simulate:
            return None
        if code not in self.simulators:
            secret = self.secret(code)
            assert secret is not None
            signer = self.counter_signer(code) if self.counter_signer else None
            self.simulators[code] = BankSimulator(code, secret, self.rules, self.callback, signer)
        return self.simulators[code]

    async def drain(self) -> None:
        for simulator in list(self.simulators.values()):
            await simulator.drain()
