"""Schemathesis against a real gateway: no input, as no account kind, makes a server error (GW-6).

Every query and mutation of schema.graphql is a test (``test_no_server_error[Mutation.sealDelete]``
...). Each example is a document that schemathesis (hypothesis-graphql) generates for that field,
with the strategies of :mod:`tests.fuzz.strategies` for the scalars (Date, DateTime, Decimal,
JSON, Upload, ID, String, Int, Float: valid values and NaN, -NaN, Infinity, full-width digits and
letters, very long and empty strings, forged global IDs such as base64 "Card:abc", "Node:1",
"Operator:1", huge numbers), then made field-aware by :func:`tests.fuzz.enrich.enrich` (real
IDs of seeded objects, fresh captchas, valid USCCs and mobiles, multipart files for Upload). It
is sent by one of the identities of :mod:`tests.fuzz.target` - no token, an enterprise admin,
the legal person's card, an operator (password and card), an individual, overseas and ministry
users, a Hunan enterprise user, a bank's and an insurer's portal users, a platform reviewer and
a government admin - to a gateway subprocess with the demo data (``gateway demo-data``).

A server error is an HTTP 5xx or a GraphQL error with ``extensions.code`` INTERNAL_SERVER_ERROR;
the failure shows the request and the traceback the server logged for its request ID. The last
test, and the end of the run, list the distinct server errors found (by operation, exception and
innermost project frame; ``FUZZ_REPORT=path.json`` writes them with their tracebacks). With
``FUZZ_COLLECT=1`` an operation's test goes on past a server error, so that one run finds all
of them; only the last test fails then.

Run:

    pytest tests/fuzz                                # bounded: FUZZ_EXAMPLES=6 per operation
    FUZZ_EXAMPLES=2000 FUZZ_REPORT=/tmp/fuzz.json pytest tests/fuzz -p no:cacheprovider
    FUZZ_SHRINK=1 pytest tests/fuzz -k sealDelete    # also shrink failures to minimal inputs
    FUZZ_COLLECT=1 FUZZ_EXAMPLES=300 pytest tests/fuzz  # go on past server errors, list them all

The run is deterministic for CI: Hypothesis is derandomized (and schemathesis seeded), with no
example database, no deadline and no too-slow health check; the bounded run does not shrink
(a failing example is reported as found; FUZZ_SHRINK=1 shrinks it).
"""

from __future__ import annotations

import os

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from tests.fuzz import strategies as S
from tests.fuzz.conftest import distinct
from tests.fuzz.enrich import enrich
from tests.fuzz.target import Target, valid_strings
from tests.integration.servers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.fuzz, pytest.mark.req("GW-6")]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [Phase.target, Phase.shrink] if os.environ.get("FUZZ_SHRINK") else []
)
IDENTITIES = (
    "anonymous",
    "enterprise_admin",
    "legal_person_card",
    "operator",
    "operator_card_new_enterprise",
    "individual",
    "overseas",
    "ministry",
    "enterprise_user",
    "bank_portal",
    "insurer_portal",
    "reviewer",
    "government_admin",
)
# Who may get past the authorisation of an operation (by the field's prefix): half the examples
# are sent by one of them, the other half by any identity.
LIKELY: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "seal",
            "signature",
            "agreement",
            "loan",
            "creditAuthorisation",
            "tariff",
            "insurance",
            "operatorPermissions",
            "customs",
        ),
        ("legal_person_card", "operator", "enterprise_admin"),
    ),
    (
        ("operator", "viewerCards", "card", "qualifications", "enterprise"),
        ("enterprise_admin", "legal_person_card"),
    ),
    (("product", "institution", "marketplace"), ("bank_portal", "government_admin")),
    (
        ("manualReview", "certificationApprove", "certificationReject", "certificationReviews"),
        ("reviewer",),
    ),
    (("certification", "hunan", "registry", "creditWhitelist"), ("enterprise_user",)),
    (("region", "governed"), ("government_admin",)),
    (("realName", "account", "individual", "wechat"), ("individual", "operator", "overseas")),
    (("overseas",), ("overseas",)),
    (("messages", "unreadMessageCount"), ("operator", "enterprise_user", "enterprise_admin")),
)
COLLECT = bool(os.environ.get("FUZZ_COLLECT"))
# Another seed explores other examples (the default run is derandomized).
SEED = os.environ.get("FUZZ_SEED")
SDL = (ROOT / "schema.graphql").read_text(encoding="utf-8")
CLIENT_SCHEMA = graphql.build_schema(SDL)
# The pools exist once the server is seeded (the fixture), before the first example is drawn.
_POOL_IDS: list[str] = []


def _real_ids() -> st.SearchStrategy[str]:
    return st.sampled_from(_POOL_IDS) if _POOL_IDS else S.forged_ids()


for _name, _strategy in S.scalar_node_strategies(st.deferred(_real_ids), valid_strings()).items():
    schemathesis.graphql.scalar(_name, _strategy)

schema = schemathesis.graphql.from_file(
    SDL,
    config=SchemathesisConfig.from_dict(
        {
            "seed": int(SEED or 14),
            "generation": {"mode": "positive"},
            "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}},
        }
    ),
)


@pytest.fixture
def target(fuzz_target: Target) -> Target:
    if not _POOL_IDS:
        _POOL_IDS.extend(fuzz_target.pools.all_ids())
    return fuzz_target


@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=SEED is None,
    database=None,
    phases=PHASES,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_no_server_error(case: schemathesis.Case, data: st.DataObject, target: Target) -> None:
    operation = case.operation.label
    identity = data.draw(identities(operation.split(".", 1)[1]), label="identity")
    request = enrich(case.body, CLIENT_SCHEMA, target, data.draw)
    error = target.send(operation, identity, request.query, request.variables, request.files)
    if operation.startswith("Mutation."):
        target.refresh(identity)
    if error is not None and not COLLECT:
        pytest.fail(error.describe(), pytrace=False)


def identities(field: str) -> st.SearchStrategy[str]:
    likely = next((names for prefixes, names in LIKELY if field.startswith(prefixes)), ())
    everyone = st.sampled_from(IDENTITIES)
    return st.one_of(st.sampled_from(likely), everyone) if likely else everyone


def test_no_server_error_was_collected(fuzz_target: Target) -> None:
    """After the fuzzing (which, with FUZZ_COLLECT=1, goes on past server errors): every
    distinct server error found, the smallest request of each."""
    groups = distinct(fuzz_target.errors)
    lines = []
    for (operation, _, where), found in sorted(groups.items()):
        smallest = min(found, key=lambda e: len(e.query) + len(str(e.variables)))
        lines.append(f"{operation} [{where}]: {smallest.describe()}")
    assert not lines, f"{len(groups)} distinct server errors:\n\n" + "\n\n".join(lines)
