"""The GraphQL schema: one root assembled from the domain modules.

The development view is part of the schema only in the embedded mode; ``schema.graphql``
at the repository root is the production contract and has no such field. The order of the
tuples below is the order of the root fields in the SDL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from schema.accounts.operators import OperatorMutation
from schema.accounts.registration import RegistrationMutation
from schema.accounts.security import SecurityMutation
from schema.accounts.sessions import SessionMutation
from schema.accounts.settings import AccountSettingsMutation
from schema.accounts.types import (
    EnterpriseAdmin,
    EnterpriseUser,
    GovernmentAdmin,
    IndividualUser,
    InstitutionUser,
    MinistryUser,
    Operator,
    OverseasUser,
    PlatformReviewer,
)
from schema.agreements import Agreement, AgreementMutation, AgreementQuery, AgreementSubscription
from schema.cards import CardMutation, CardQuery
from schema.development import DevelopmentQuery
from schema.insurance import (
    CreditAuthorisation,
    InsuranceMutation,
    InsuranceQuery,
    InsuranceSubscription,
    TariffPolicy,
    TariffQuota,
)
from schema.loans import (
    LoanMutation,
    LoanOrder,
    LoanQuery,
    LoanSubscription,
    MarketplaceOrderMutation,
)
from schema.marketplace.certification import (
    Certification,
    CertificationMutation,
    CertificationQuery,
    FaceVerificationMutation,
)
from schema.marketplace.government import GovernmentMutation, GovernmentQuery
from schema.marketplace.messages import MessageMutation, MessageQuery
from schema.marketplace.products import Product, ProductMutation, ProductQuery
from schema.marketplace.reference import ReferenceQuery
from schema.marketplace.registration import HunanRegistrationMutation, HunanRegistrationQuery
from schema.marketplace.whitelist import WhitelistQuery
from schema.qualifications import QualificationMutation, QualificationQuery
from schema.real_name import RealNameMutation, RealNameQuery
from schema.recovery import ManualReview, RecoveryMutation, RecoveryQuery, RecoverySubscription
from schema.scalars import SCALAR_OVERRIDES
from schema.seals import Seal, SealMutation, SealQuery, Signature
from schema.subscriptions import Subscription
from schema.viewer import ViewerQuery
from schema.wechat import WeChatMutation, WeChatQuery

QUERIES: tuple[type, ...] = (
    ViewerQuery,
    ReferenceQuery,
    CardQuery,
    SealQuery,
    AgreementQuery,
    LoanQuery,
    InsuranceQuery,
    RecoveryQuery,
    RealNameQuery,
    QualificationQuery,
    GovernmentQuery,
    ProductQuery,
    WeChatQuery,
    HunanRegistrationQuery,
    CertificationQuery,
    MessageQuery,
    WhitelistQuery,
)
MUTATIONS: tuple[type, ...] = (
    SecurityMutation,
    RegistrationMutation,
    SessionMutation,
    AccountSettingsMutation,
    OperatorMutation,
    CardMutation,
    SealMutation,
    AgreementMutation,
    LoanMutation,
    InsuranceMutation,
    RecoveryMutation,
    RealNameMutation,
    QualificationMutation,
    GovernmentMutation,
    ProductMutation,
    WeChatMutation,
    FaceVerificationMutation,
    HunanRegistrationMutation,
    CertificationMutation,
    MessageMutation,
    MarketplaceOrderMutation,
)
SUBSCRIPTIONS: tuple[type, ...] = (
    Subscription,
    AgreementSubscription,
    LoanSubscription,
    InsuranceSubscription,
    RecoverySubscription,
)
CONCRETE_TYPES = (
    EnterpriseAdmin,
    Operator,
    IndividualUser,
    OverseasUser,
    MinistryUser,
    InstitutionUser,
    PlatformReviewer,
    GovernmentAdmin,
    EnterpriseUser,
    ManualReview,
    Product,
    Certification,
    Seal,
    Signature,
    Agreement,
    LoanOrder,
    CreditAuthorisation,
    TariffQuota,
    TariffPolicy,
)


def build_schema(
    *, development: bool, extensions: Sequence[Callable[[], SchemaExtension]] = ()
) -> strawberry.Schema:
    """The schema; ``extensions`` apply where strawberry executes (subscriptions): the gateway
    passes its document cache and limits, and its error masking (gateway/operations.py)."""
    queries = (*QUERIES, DevelopmentQuery) if development else QUERIES
    return strawberry.Schema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", MUTATIONS),
        subscription=merge_types("Subscription", SUBSCRIPTIONS),
        types=CONCRETE_TYPES,
        extensions=list(extensions),
        scalar_overrides=SCALAR_OVERRIDES,
    )


# Subscription fields whose events read the same for every account of one kind in one scope
# (an enterprise, or a bank's portal): the gateway executes them once per event for all such
# subscribers (gateway/fanout.py). A field that shows something only to the viewer itself, or
# to one role, must not be listed here.
SCOPE_SHARED_SUBSCRIPTIONS = frozenset(
    {
        "agreementStatusChanged",
        "loanOrderStatusChanged",
        "creditAuthorisationStatusChanged",
        "tariffQuotaStatusChanged",
        "tariffPolicyStatusChanged",
    }
)
