"""Username recovery, password reset and their manual reviews (SW-9, SW-10): one module per
concept, the shared ticket in ``tickets``, merged here into the domain's query, mutation and
subscription roots."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.recovery.manual_review import (
    ManualReview,
    ManualReviewApproveInput,
    ManualReviewMutation,
    ManualReviewPayload,
    ManualReviewQuery,
    ManualReviewRejectInput,
    ManualReviewSubmitInput,
    ManualReviewSubmitPayload,
    ReviewCandidate,
    ReviewStatus,
    ReviewUpload,
    UploadKind,
)
from schema.recovery.password_reset import (
    LegalRepresentativeCheckInput,
    OrganisationInput,
    PasswordResetCodeSendInput,
    PasswordResetCompleteInput,
    PasswordResetCompletePayload,
    PasswordResetLicencePayload,
    PasswordResetMutation,
    PasswordResetStartInput,
    PasswordResetVerifyInput,
)
from schema.recovery.tickets import (
    AccountRecovery,
    AccountRecoveryPayload,
    PasswordResetMethod,
    PasswordResetMethodOption,
    RecoveryFactor,
    RecoveryPurpose,
    RecoveryStatus,
    RecoverySubscription,
    RecoveryTicketQuery,
)
from schema.recovery.username_recovery import (
    OperatorMobileInput,
    RecoveryCheck,
    UsernameRecoveryBankCardInput,
    UsernameRecoveryBankKeyInput,
    UsernameRecoveryMethod,
    UsernameRecoveryMutation,
    UsernameRecoveryStartInput,
    UsernameRecoveryVerifyInput,
)

# The order of the parts is the order of the fields in the SDL.
RecoveryQuery = merge_types("RecoveryQuery", (RecoveryTicketQuery, ManualReviewQuery))
RecoveryMutation = merge_types(
    "RecoveryMutation", (UsernameRecoveryMutation, PasswordResetMutation, ManualReviewMutation)
)

__all__ = [
    "AccountRecovery",
    "AccountRecoveryPayload",
    "LegalRepresentativeCheckInput",
    "ManualReview",
    "ManualReviewApproveInput",
    "ManualReviewMutation",
    "ManualReviewPayload",
    "ManualReviewQuery",
    "ManualReviewRejectInput",
    "ManualReviewSubmitInput",
    "ManualReviewSubmitPayload",
    "OperatorMobileInput",
    "OrganisationInput",
    "PasswordResetCodeSendInput",
    "PasswordResetCompleteInput",
    "PasswordResetCompletePayload",
    "PasswordResetLicencePayload",
    "PasswordResetMethod",
    "PasswordResetMethodOption",
    "PasswordResetMutation",
    "PasswordResetStartInput",
    "PasswordResetVerifyInput",
    "RecoveryCheck",
    "RecoveryFactor",
    "RecoveryMutation",
    "RecoveryPurpose",
    "RecoveryQuery",
    "RecoveryStatus",
    "RecoverySubscription",
    "RecoveryTicketQuery",
    "ReviewCandidate",
    "ReviewStatus",
    "ReviewUpload",
    "UploadKind",
    "UsernameRecoveryBankCardInput",
    "UsernameRecoveryBankKeyInput",
    "UsernameRecoveryMethod",
    "UsernameRecoveryMutation",
    "UsernameRecoveryStartInput",
    "UsernameRecoveryVerifyInput",
]
