"""Tariff guarantee insurance (TI-1, TI-4..TI-7, GW-2): credit-check authorisations, quotas,
policies, shared claims, and their status subscriptions; one module per concept, merged here
into the domain's query, mutation and subscription roots."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.insurance.claims import ClaimQuery, InsuranceClaim, InsuranceClaimFilter
from schema.insurance.credit_authorisations import (
    CreditAuthorisation,
    CreditAuthorisationFilter,
    CreditAuthorisationMutation,
    CreditAuthorisationPayload,
    CreditAuthorisationQuery,
    CreditAuthorisationSignPrepareInput,
    CreditAuthorisationSignPreparePayload,
    CreditAuthorisationStatus,
    CreditAuthorisationSubscription,
    SigningCompleteInput,
)
from schema.insurance.policies import (
    InvoiceType,
    PolicyHistoryEntry,
    PolicyInvoice,
    PolicyInvoiceInput,
    PolicyMutation,
    PolicyPurpose,
    PolicyQuery,
    PolicySubscription,
    PremiumPaymentStatus,
    TariffPolicy,
    TariffPolicyFilter,
    TariffPolicyInput,
    TariffPolicyPayload,
    TariffPolicyStatus,
)
from schema.insurance.quotas import (
    QuotaChange,
    QuotaChangeKind,
    QuotaMutation,
    QuotaQuery,
    QuotaSubscription,
    TariffQuota,
    TariffQuotaFilter,
    TariffQuotaInput,
    TariffQuotaPayload,
    TariffQuotaStatus,
)
from schema.insurance.reference import (
    CustomsCreditRating,
    CustomsOffice,
    InsuranceReferenceQuery,
    TariffInsuranceEligibility,
)

# The order of the parts is the order of the fields in the SDL.
InsuranceQuery = merge_types(
    "InsuranceQuery",
    (CreditAuthorisationQuery, QuotaQuery, PolicyQuery, ClaimQuery, InsuranceReferenceQuery),
)
InsuranceMutation = merge_types(
    "InsuranceMutation", (CreditAuthorisationMutation, QuotaMutation, PolicyMutation)
)
InsuranceSubscription = merge_types(
    "InsuranceSubscription",
    (CreditAuthorisationSubscription, QuotaSubscription, PolicySubscription),
)

__all__ = [
    "ClaimQuery",
    "CreditAuthorisation",
    "CreditAuthorisationFilter",
    "CreditAuthorisationMutation",
    "CreditAuthorisationPayload",
    "CreditAuthorisationQuery",
    "CreditAuthorisationSignPrepareInput",
    "CreditAuthorisationSignPreparePayload",
    "CreditAuthorisationStatus",
    "CreditAuthorisationSubscription",
    "CustomsCreditRating",
    "CustomsOffice",
    "InsuranceClaim",
    "InsuranceClaimFilter",
    "InsuranceMutation",
    "InsuranceQuery",
    "InsuranceReferenceQuery",
    "InsuranceSubscription",
    "InvoiceType",
    "PolicyHistoryEntry",
    "PolicyInvoice",
    "PolicyInvoiceInput",
    "PolicyMutation",
    "PolicyPurpose",
    "PolicyQuery",
    "PolicySubscription",
    "PremiumPaymentStatus",
    "QuotaChange",
    "QuotaChangeKind",
    "QuotaMutation",
    "QuotaQuery",
    "QuotaSubscription",
    "SigningCompleteInput",
    "TariffInsuranceEligibility",
    "TariffPolicy",
    "TariffPolicyFilter",
    "TariffPolicyInput",
    "TariffPolicyPayload",
    "TariffPolicyStatus",
    "TariffQuota",
    "TariffQuotaFilter",
    "TariffQuotaInput",
    "TariffQuotaPayload",
    "TariffQuotaStatus",
]
