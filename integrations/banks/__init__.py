"""Banks: the institutions' signed protocol (:mod:`integrations.institutions`) and a simulated
bank that signs or refuses agreements and accepts, approves or rejects loans."""

from integrations.banks.simulator import BankSimulator, SimulatorRules

__all__ = ["BankSimulator", "SimulatorRules"]
