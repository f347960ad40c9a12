"""The states of tariff insurance records as of a given day, and what each state allows.

Expiry is a fact of the calendar, not of a job: a quota past its expiry date *is* EXPIRED, a
policy past its end date *is* EXPIRED, a credit-check letter past its year *is* EXPIRED, the
moment the date has passed (China Standard Time), whether or not the scheduled job has yet
written it down (:func:`resolvers.insurance.quotas.expire_due`). Every rule and every read goes
through the functions here, so what a user reads and what the rules decide never disagree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from models import CreditAuthorisationStatus, PolicyStatus, QuotaStatus

REAPPLICABLE = (QuotaStatus.FAILED, QuotaStatus.EXPIRED)


def one_year_after(start: date) -> date:
    """The same calendar date a year later (29 February becomes 28 February)."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


def last_day_of_a_year(start: date) -> date:
    """The last day of something that lasts a year from ``start``: the day before the same
    date a year later (TI-1's rule for policies, used for credit-check letters too)."""
    return one_year_after(start) - timedelta(days=1)


class QuotaState(Protocol):
    """What the rules read of a quota: a row, or the API's view of one."""

    @property
    def status(self) -> QuotaStatus: ...
    @property
    def approved_total(self) -> Decimal: ...
    @property
    def used(self) -> Decimal: ...
    @property
    def reserved(self) -> Decimal: ...
    @property
    def expiry_date(self) -> date | None: ...
    @property
    def pending_increase(self) -> Decimal | None: ...


def quota_status(quota: QuotaState, today: date) -> QuotaStatus:
    """APPROVED past its expiry date is EXPIRED (已过期) from the next day on."""
    if (
        quota.status == QuotaStatus.APPROVED
        and quota.expiry_date is not None
        and quota.expiry_date < today
    ):
        return QuotaStatus.EXPIRED
    return quota.status


def is_usable(quota: QuotaState, today: date) -> bool:
    return quota_status(quota, today) == QuotaStatus.APPROVED


def remaining(quota: QuotaState) -> Decimal:
    return quota.approved_total - quota.used - quota.reserved


def can_reapply(quota: QuotaState, today: date) -> bool:
    """重新申请: FAILED or EXPIRED, with no coverage still held by an application."""
    return quota_status(quota, today) in REAPPLICABLE and quota.reserved <= 0


def can_increase(quota: QuotaState, today: date) -> bool:
    """额度追加: usable, with no increase under review."""
    return is_usable(quota, today) and quota.pending_increase is None


def can_cover(quota: QuotaState, today: date) -> bool:
    """申请投保: usable, with quota remaining."""
    return is_usable(quota, today) and remaining(quota) > 0


class PolicyState(Protocol):
    @property
    def status(self) -> PolicyStatus: ...
    @property
    def end_date(self) -> date: ...


def policy_status(policy: PolicyState, today: date) -> PolicyStatus:
    """An ISSUED policy is EXPIRED once its last day (the end date) has passed."""
    if policy.status == PolicyStatus.ISSUED and policy.end_date < today:
        return PolicyStatus.EXPIRED
    return policy.status


class AuthorisationState(Protocol):
    @property
    def status(self) -> CreditAuthorisationStatus: ...
    @property
    def valid_to(self) -> date: ...


def authorisation_status(letter: AuthorisationState, today: date) -> CreditAuthorisationStatus:
    """有效期一年: a SUCCEEDED letter is EXPIRED once its last valid day has passed."""
    if letter.status == CreditAuthorisationStatus.SUCCEEDED and letter.valid_to < today:
        return CreditAuthorisationStatus.EXPIRED
    return letter.status
