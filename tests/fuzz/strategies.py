"""Hypothesis strategies for the scalars of schema.graphql, valid and nasty.

The schema's scalars: the built-in ``String``, ``ID``, ``Int``, ``Float``, ``Boolean`` and the
custom ``Date``, ``DateTime``, ``Decimal`` (money, rates), ``JSON`` and ``Upload``. Each strategy
here yields Python values; :func:`as_node` turns one into the GraphQL literal (an AST value node)
that schemathesis / hypothesis-graphql put into a generated document. The nasty values are those
that broke or may break a parser or a comparison in a resolver: NaN, -NaN, sNaN, Infinity, huge
exponents and integers, full-width and other non-ASCII digits and letters, empty and blank
strings, very long strings, control characters, and forged Relay global IDs (base64 of
"Card:abc", "Node:1", "Operator:1" ...).
"""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any

import graphql
from hypothesis import strategies as st

# Every type of schema.graphql that implements Node, and names that are not Node types.
NODE_TYPES = (
    "Agreement",
    "Card",
    "Certification",
    "CreditAuthorisation",
    "Enterprise",
    "EnterpriseAdmin",
    "EnterpriseUser",
    "GovernmentAdmin",
    "IndividualUser",
    "Institution",
    "InstitutionUser",
    "LoanOrder",
    "ManualReview",
    "MinistryUser",
    "Operator",
    "OverseasUser",
    "PlatformReviewer",
    "Product",
    "Seal",
    "Signature",
    "TariffPolicy",
    "TariffQuota",
)
NOT_NODE_TYPES = ("Node", "Account", "Query", "Mutation", "Captcha", "Region", "Message", "User")

FULL_WIDTH_DIGITS = "０１２３４５６７８９"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (U+FF01..U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def b64(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return base64.b64encode(raw).decode()


# -- strings ------------------------------------------------------------------------------------

NASTY_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\u3000",  # ideographic space: str.strip() removes it
    "\t\n",
    "\x00",
    "a\x00b",
    "null",
    "None",
    "undefined",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999999",
    "-1",
    "0",
    "00000000",
    "99999999999999999999999999999999999999",
    FULL_WIDTH_DIGITS,
    full_width("ABCDEF"),
    full_width("Demo@2026"),
    full_width("13812340001"),
    ARABIC_INDIC_DIGITS,
    "१२३४५६",  # Devanagari digits: str.isdigit() is True, int() accepts them
    "²³",  # superscripts: isdigit() True, int() refuses
    "Ⅻ",
    "ß",
    "ﬀ",  # upper() makes two letters
    "İ",  # lower() makes two characters
    "\u202e\u0041\u0042",  # right-to-left override
    "😀" * 3,
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "{}",
    "[]",
    '{"a": 1}',
    "a" * 256,
    "中" * 1000,
    "x" * 20_000,
)


@st.composite
def long_strings(draw: st.DrawFn) -> str:
    unit = draw(st.sampled_from(["a", "9", "中", "０", "😀", " "]))
    return unit * draw(st.sampled_from([33, 101, 257, 1025, 65_537]))


def nasty_strings() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY_STRINGS), long_strings())


def strings(valid: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Any string: valid-looking values of this schema, nasty ones, and random text."""
    parts = [nasty_strings(), st.text(max_size=40)]
    if valid:
        parts.insert(0, st.sampled_from(valid))
    return st.one_of(*parts)


# -- global IDs ---------------------------------------------------------------------------------

FORGED_ID_PLAINS: tuple[str, ...] = (
    "Card:abc",
    "Node:1",
    "Operator:1",
    "Account:1",
    "Query:1",
    "Captcha:1",
    "Region:1",
    "Seal:abc",
    "Seal:-1",
    "Seal:0",
    "Seal:1.5",
    "Seal:1e3",
    "Seal:１",
    "Seal:٣",
    "Seal: 1",
    "Seal:1:2",
    "Seal:",
    "Seal",
    ":",
    ":1",
    "Seal:99999999999999999999999999",
    "Seal:9223372036854775808",
    "Signature:abc",
    "Product:NaN",
    "Institution:Infinity",
    "TariffQuota:-0",
    "LoanOrder:" + "9" * 400,
)


def forged_ids() -> st.SearchStrategy[str]:
    """Global IDs no server issued: forged, malformed, of the wrong type, not base64."""
    typed = st.tuples(
        st.sampled_from(NODE_TYPES + NOT_NODE_TYPES),
        st.sampled_from(["0", "-1", "99999", "abc", "", "１", "2147483648"]),
    ).map(lambda pair: b64(f"{pair[0]}:{pair[1]}"))
    return st.one_of(
        st.sampled_from(FORGED_ID_PLAINS).map(b64),
        typed,
        st.sampled_from(
            [
                "",
                " ",
                "1",
                "-1",
                "0",
                "null",
                "!!!",
                "U2VhbDox",  # Seal:1 without padding
                "U2VhbDox===",
                "U2VhbDox\n",
                b64(b"\xff\xfe:1"),
                b64(b"Seal:\x00"),
                base64.urlsafe_b64encode(b"Seal:1?>").decode(),
                "Seal:1",
                "A" * 5000,
                b64("Seal:" + "1" * 5000),
            ]
        ),
        st.binary(max_size=24).map(b64),
    )


# -- money, dates, JSON, uploads ----------------------------------------------------------------

VALID_AMOUNTS = ("1", "0.01", "100", "100000", "100000.00", "500000", "1000000", "3.45", "4.35")
NASTY_AMOUNTS = (
    "NaN",
    "-NaN",
    "nan",
    "sNaN",
    "-sNaN",
    "NaN123",
    "Infinity",
    "-Infinity",
    "inf",
    "1E+999999999",
    "1e-999999999",
    "9" * 400,
    "-0",
    "0",
    "-1",
    "0.001",
    "0.005",
    "10000000000.01",
    "1,000",
    "1_000",
    " 1 ",
    "",
    "0x10",
    "１２３",
    "٣",
    "1e2",
    "1.",
    ".5",
)


def decimals() -> st.SearchStrategy[Any]:
    """Decimal literals: strings (the scalar's form), and ints and floats, valid and nasty."""
    return st.one_of(
        st.sampled_from(VALID_AMOUNTS),
        st.sampled_from(NASTY_AMOUNTS),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from([0, 1, -1, 100000, 2**31 - 1, 2**63, 10**30, 10**400]),
        st.sampled_from([0.1, 1e308, -1e308, 1e-320, 5e-324]),
    )


def dates_text() -> st.SearchStrategy[Any]:
    today = date.today()
    valid = [
        today.isoformat(),
        (today + timedelta(days=30)).isoformat(),
        (today + timedelta(days=365)).isoformat(),
        (today - timedelta(days=365)).isoformat(),
        "2026-01-15",
        "20260115",
    ]
    nasty = [
        "0001-01-01",
        "9999-12-31",
        "0000-00-00",
        "2026-02-30",
        "2026-13-01",
        "2026-1-1",
        "２０２６-０１-１５",
        "٢٠٢٦-٠١-١٥",
        "2026-01-15T00:00:00",
        "-2026-01-15",
        "+12026-01-15",
        "",
        " ",
        "today",
        "NaN",
        "2026W011",
        "2026-001",
    ]
    return st.one_of(
        st.sampled_from(valid),
        st.sampled_from(nasty),
        st.dates().map(date.isoformat),
        st.sampled_from([20260115, 0, -1, 2**31 - 1]),
    )


def datetimes_text() -> st.SearchStrategy[Any]:
    today = date.today().isoformat()
    valid = [
        f"{today}T08:00:00+08:00",
        f"{today}T00:00:00Z",
        "2026-01-15T10:30:00",
        "2026-01-15T10:30:00.123456+00:00",
    ]
    nasty = [
        "9999-12-31T23:59:59-23:59",  # after UTC conversion past year 9999
        "0001-01-01T00:00:00+23:59",  # before year 1 in UTC
        "9999-12-31T23:59:59.999999",
        "0001-01-01T00:00:00",
        "2026-01-15T24:00:00",
        "2026-01-15T10:30:00+24:00",
        "2026-01-15T10:30:00+99:00",
        "2026-01-15 10:30",
        "２０２６-０１-１５T１０:３０:００",
        "2026-01-15",
        "",
        "NaN",
        "2026-01-15T10:30:00.1234567890+08:00",
    ]
    return st.one_of(
        st.sampled_from(valid),
        st.sampled_from(nasty),
        st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
        st.sampled_from([0, 1700000000]),
    )


def json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        strings(),
    )
    nested = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings(), inner, max_size=4),
        max_leaves=12,
    )
    deep = st.integers(min_value=20, max_value=200).map(_deep_list)
    return st.one_of(nested, deep)


def _deep_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def upload_literals() -> st.SearchStrategy[Any]:
    """What a JSON request can put where an Upload is expected: never a file."""
    return st.one_of(
        st.sampled_from(
            ["", "file", "0", "scan.jpg", "data:image/jpeg;base64,/9j/4AAQ", "x" * 500]
        ),
        st.sampled_from([0, 1, -1, True, 1.5]),
        st.just({"filename": "a.jpg", "content": "AAAA"}),
        st.just([]),
        strings(),
    )


def ints() -> st.SearchStrategy[int]:
    """32-bit GraphQL Int: boundaries of the page sizes and terms, and the extremes."""
    return st.one_of(
        st.sampled_from([0, 1, -1, 2, 3, 12, 20, 36, 99, 100, 101, 1000, 2**31 - 1, -(2**31)]),
        st.integers(min_value=-(2**31), max_value=2**31 - 1),
    )


def floats() -> st.SearchStrategy[float]:
    return st.one_of(
        st.sampled_from([0.0, -0.0, 1.0, 40.0, 42.0, 1e-320, 5e-324, 1e308, -1e308, 1e300]),
        st.floats(allow_nan=False, allow_infinity=False),
    )


# -- literals -----------------------------------------------------------------------------------


def as_node(value: Any) -> graphql.ValueNode:
    """A Python value as a GraphQL literal."""
    if value is None:
        return graphql.NullValueNode()
    if isinstance(value, bool):
        return graphql.BooleanValueNode(value=value)
    if isinstance(value, int):
        return graphql.IntValueNode(value=str(value))
    if isinstance(value, float):
        return graphql.FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return graphql.StringValueNode(value=value)
    if isinstance(value, (list, tuple)):
        return graphql.ListValueNode(values=tuple(as_node(item) for item in value))
    if isinstance(value, dict):
        return graphql.ObjectValueNode(
            fields=tuple(
                graphql.ObjectFieldNode(
                    name=graphql.NameNode(value=_name(key)), value=as_node(item)
                )
                for key, item in value.items()
            )
        )
    raise TypeError(f"no GraphQL literal for {value!r}")


def _name(key: str) -> str:
    """Object keys in a literal must be GraphQL names."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in key)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


def scalar_node_strategies(
    valid_ids: st.SearchStrategy[str], valid_strings: tuple[str, ...]
) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """What schemathesis registers for every scalar of the schema (``schemathesis.graphql.scalar``)."""
    return {
        "String": strings(valid_strings).map(as_node),
        "ID": st.one_of(valid_ids, forged_ids()).map(as_node),
        "Int": ints().map(as_node),
        "Float": floats().map(as_node),
        "Decimal": decimals().map(as_node),
        "Date": dates_text().map(as_node),
        "DateTime": datetimes_text().map(as_node),
        "JSON": json_values().map(as_node),
        "Upload": upload_literals().map(as_node),
    }
