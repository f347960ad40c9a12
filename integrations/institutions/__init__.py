"""Financial institutions (banks, insurers): one signed protocol, an HTTP adapter, simulators.

The gateway sends requests through the outbox (at least once, with an idempotency key) and
receives answers on ``/webhooks/{banks|insurers}/{code}``, HMAC-signed with the institution's
secret. Exceptions::

    InstitutionError
    +-- InstitutionUnavailable   timeout, connection failure, 5xx: the outbox tries again later
    +-- InstitutionRejected      the institution refused the request (4xx): not retried
"""

from integrations.institutions.base import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Institution,
    InstitutionError,
    InstitutionRejected,
    InstitutionRequest,
    InstitutionUnavailable,
    signature,
    verify,
)
from integrations.institutions.directory import InstitutionDirectory, SimulatorFactory
from integrations.institutions.http import HttpInstitution
from integrations.institutions.simulator import (
    Callback,
    DeliveryFaults,
    InstitutionSigner,
    SimulatedInstitution,
)

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Callback",
    "DeliveryFaults",
    "HttpInstitution",
    "Institution",
    "InstitutionDirectory",
    "InstitutionError",
    "InstitutionRejected",
    "InstitutionRequest",
    "InstitutionSigner",
    "InstitutionUnavailable",
    "SimulatedInstitution",
    "SimulatorFactory",
    "signature",
    "verify",
]
