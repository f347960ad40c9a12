"""Insurers (TI-4..TI-8): the institutions' signed protocol (:mod:`integrations.institutions`:
requests through the outbox, answers on ``/webhooks/insurers/{code}``, the same exception
hierarchy) and a simulated insurer.

Requests the gateway sends: ``CREDIT_AUTHORISATION_SUBMIT``, ``QUOTA_APPLY``, ``QUOTA_INCREASE``,
``POLICY_APPLY``, ``PREMIUM_PAY`` (the payment id, policy number, amount, coverage, rate and
collection account). Events insurers send: ``CREDIT_AUTHORISATION_DECIDED``, ``QUOTA_DECIDED``
(RECEIVED, APPROVED with total, rate and dates, FAILED), ``QUOTA_INCREASE_DECIDED``,
``POLICY_DECIDED`` (ISSUED with the policy number, premium, collection account and the e-policy
stamped with the insurer's seal and signed; REJECTED; PREMIUM_PAID with the payment id, amount,
receipt number and time; PREMIUM_REFUSED with the payment id and reason), ``CLAIM_REPORTED``.
Amounts and rates are decimal strings; anything not finite is refused with a 422.
"""

from integrations.insurers.simulator import InsurerRules, InsurerSimulator, premium

__all__ = ["InsurerRules", "InsurerSimulator", "premium"]
