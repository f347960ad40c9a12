"""Which adapter answers for which institution code, and the shared secret of each."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from integrations.institutions.base import Institution
from integrations.institutions.simulator import (
    Callback,
    DeliveryFaults,
    InstitutionSigner,
    SimulatedInstitution,
)

# Makes the simulator of one institution: (code, secret, callback, signer) -> simulator.
SimulatorFactory = Callable[
    [str, bytes, Callback | None, InstitutionSigner | None], SimulatedInstitution
]


class InstitutionDirectory:
    """Configured institutions (HTTP adapters); every other code is simulated, by the factory of
    its kind (BANK, INSURER), when simulation is on."""

    def __init__(
        self,
        master_secret: bytes,
        factories: dict[str, SimulatorFactory],
        configured: dict[str, tuple[Institution, bytes]] | None = None,
        simulate: bool = True,
        faults: DeliveryFaults | None = None,
    ) -> None:
        self._master = master_secret
        self._factories = factories
        self._configured = dict(configured or {})
        self._simulate = simulate
        self.simulators: dict[str, SimulatedInstitution] = {}
        # What the simulators refuse or cannot take (the factories hand it to each simulator).
        self.faults = faults or DeliveryFaults()
        self.callback: Callback | None = None
        # code -> the function that signs documents as that institution (simulation only).
        self.signer: Callable[[str], InstitutionSigner] | None = None

    def secret(self, code: str) -> bytes | None:
        if code in self._configured:
            return self._configured[code][1]
        if not self._simulate:
            return None
        return hmac.new(self._master, f"bank:{code}".encode(), hashlib.sha256).digest()

    def get(self, code: str, kind: str = "BANK") -> Institution | None:
        if code in self._configured:
            return self._configured[code][0]
        if not self._simulate or kind not in self._factories:
            return None
        if code not in self.simulators:
            secret = self.secret(code)
            assert secret is not None
            signer = self.signer(code) if self.signer else None
            self.simulators[code] = self._factories[kind](code, secret, self.callback, signer)
        return self.simulators[code]

    def simulator(self, code: str, kind: str = "BANK") -> SimulatedInstitution:
        """The simulator of ``code`` (tests and the demo drive simulators directly)."""
        found = self.get(code, kind)
        assert isinstance(found, SimulatedInstitution), f"{code} is not simulated"
        return found

    async def drain(self) -> None:
        for simulator in list(self.simulators.values()):
            await simulator.drain()
