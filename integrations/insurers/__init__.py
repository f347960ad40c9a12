"""Insurers (TI-4..TI-7): the institutions' signed protocol (:mod:`integrations.institutions`:
requests through the outbox, answers on ``/webhooks/insurers/{code}``, the same exception
hierarchy) and a simulated insurer.

Requests the gateway sends: ``CREDIT_AUTHORISATION_SUBMIT``, ``QUOTA_APPLY``, ``QUOTA_INCREASE``,
``POLICY_APPLY``. Events insurers send: ``CREDIT_AUTHORISATION_DECIDED``, ``QUOTA_DECIDED``
(RECEIVED, APPROVED with total, rate and dates, FAILED), ``QUOTA_INCREASE_DECIDED``,
``POLICY_DECIDED`` (ISSUED with the policy number, premium, collection account and signed
e-policy; REJECTED), ``CLAIM_REPORTED``.
"""

from integrations.insurers.simulator import InsurerRules, InsurerSimulator, premium

__all__ = ["InsurerRules", "InsurerSimulator", "premium"]
