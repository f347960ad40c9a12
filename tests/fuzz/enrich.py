"""Field-aware values in a generated document, so that fuzzing gets past the first validator.

Schemathesis (hypothesis-graphql) draws every argument of a type from one strategy, whatever the
field is called, so a form of ten strings almost never has a valid mobile, ID number and USCC at
once, and an ID almost never names a real object. :func:`enrich` walks the arguments of the
generated operation with their schema types and, for each leaf, may replace the value with one
drawn for that field name (a demo USCC for ``uscc``, a real seal for ``sealId``, a fresh captcha
with its right, full-width or wrong answer for a ``captcha``...), or turn an ``Upload`` into a real
multipart file (a JPEG, a PNG, a PDF, garbage or an empty file). All draws go through Hypothesis,
so the result is reproducible and shrinks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import graphql
from hypothesis import strategies as st

from tests.fuzz import strategies as S
from tests.fuzz.target import MOBILES, PASSWORDS, RESIDENT_IDS, USCCS, Pools, Target

Draw = Callable[[st.SearchStrategy[Any]], Any]

# Argument / input field names -> values that pass that field's validator.
NAMED: dict[str, tuple[Any, ...]] = {
    "uscc": USCCS,
    "orgCode": tuple(u[8:17] for u in USCCS),
    "idNumber": RESIDENT_IDS,
    "legalRepIdNumber": RESIDENT_IDS,
    "idValidFrom": ("20180101", "20200101"),
    "legalRepIdValidFrom": ("20150101",),
    "idValidTo": ("00000000", "20380101"),
    "legalRepIdValidTo": ("00000000",),
    "mobile": MOBILES,
    "phone": MOBILES,
    "contactPhone": MOBILES,
    "contactMobile": MOBILES,
    "legalRepPhone": MOBILES,
    "reservedMobile": MOBILES,
    "operatorMobile": MOBILES,
    "target": (*MOBILES, "lngtadmin@example.com"),
    "email": ("lngtadmin@example.com", "fuzz@example.com", "a@b.cn"),
    "contactEmail": ("fuzz@example.com",),
    "password": PASSWORDS,
    "passwordConfirmation": PASSWORDS,
    "oldPassword": PASSWORDS,
    # Never the identities' own usernames: wrong passwords would lock them out.
    "username": ("xjtradeadmin", "rfhairop01", "lngtop02", "fuzzop01", "newuser2026"),
    "login": ("xjtradeadmin", "rfhairop01", "13700000088", "xjtradeop01"),
    "account": ("xjtradeadmin", "rfhairop01"),
    "cardNumber": ("6216261000000000018", "6222021234567890128", "2101000001"),
    "bankAccount": ("6216261000000000018",),
    "customsCode": ("2101961001", "4301961002", "4110961003"),
    "registeredCustoms": ("0900", "4900", "3700"),
    "clearanceCustoms": ("0900", "4900"),
    "office": ("0900", "4900"),
    "regionCode": ("210100", "411000", "430100", "210000"),
    "parentCode": ("210000", "410000"),
    "regionCodes": (["411000"], ["210100", "430100"]),
    "countryCode": ("DEU", "CHN", "HKG", "USA"),
    "smsCode": ("000000", "123456"),
    "code": ("000000", "123456"),
    "emailCode": ("000000",),
    "currentMobileCode": ("000000",),
    "newMobileCode": ("000000",),
    "name": ("辽宁港通进出口有限公司", "王建国", "公章", "李红"),
    "enterpriseName": ("辽宁港通进出口有限公司", "湖南湘江国际贸易有限公司"),
    "companyName": ("长沙永盛发制品有限公司",),
    "unitText": ("辽宁港通进出口有限公司", "测试"),
    "legalRepName": ("王建国", "陈志强"),
    "contactName": ("李红",),
    "consentVersion": ("1", "2026-01"),
    "first": (1, 20, 100),
    "termMonths": (3, 12, 36),
    "minTermMonths": (3,),
    "maxTermMonths": (36,),
    "acceptTerms": (True,),
    "confirm": (True,),
    "amount": ("100000", "500000.00", "NaN", "-NaN"),
    "requestedAmount": ("1000000", "NaN", "-NaN"),
    "coverage": ("100000", "NaN"),
    "minAmount": ("100000", "NaN"),
    "maxAmount": ("3000000", "-NaN"),
    "minRate": ("3.45", "NaN"),
    "maxRate": ("5.20", "NaN"),
}
# ID arguments -> the type of object they name.
ID_TYPES: dict[str, tuple[str, ...]] = {
    "bankId": ("Institution",),
    "insurerId": ("Institution",),
    "institutionId": ("Institution",),
    "holderId": ("EnterpriseAdmin", "Operator"),
    "declarantId": ("Operator",),
    "productId": ("Product",),
    "quotaId": ("TariffQuota",),
    "sealId": ("Seal",),
}
# For an argument called ``id``: the object type by the operation's name.
ID_BY_OPERATION = (
    ("signature", ("Signature",)),
    ("seal", ("Seal",)),
    ("operator", ("Operator",)),
    ("card", ("Card",)),
    ("agreement", ("Agreement",)),
    ("product", ("Product",)),
    ("loanOrder", ("LoanOrder",)),
    ("tariffQuota", ("TariffQuota",)),
    ("tariffPolicy", ("TariffPolicy",)),
    ("manualReview", ("ManualReview",)),
    ("certification", ("Certification",)),
    ("institution", ("Institution",)),
    ("node", ("Card", "Signature", "Seal", "Agreement", "Operator", "Product", "Institution")),
)
HINT_PROBABILITY = 0.6


@dataclass
class Request:
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)


@dataclass
class _State:
    draw: Draw
    target: Target
    operation: str
    variables: dict[str, Any] = field(default_factory=dict)
    definitions: list[graphql.VariableDefinitionNode] = field(default_factory=list)
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)

    def chance(self, probability: float) -> bool:
        return bool(self.draw(st.integers(0, 999)) < probability * 1000)


def enrich(body: str, schema: graphql.GraphQLSchema, target: Target, draw: Draw) -> Request:
    document = graphql.parse(body)
    operation = next(
        d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)
    )
    root = (
        schema.mutation_type
        if operation.operation == graphql.OperationType.MUTATION
        else schema.query_type
    )
    assert root is not None
    selections = []
    for selection in operation.selection_set.selections:
        if not isinstance(selection, graphql.FieldNode) or selection.name.value not in root.fields:
            selections.append(selection)
            continue
        definition = root.fields[selection.name.value]
        state = _State(draw, target, selection.name.value)
        arguments = tuple(
            graphql.ArgumentNode(
                name=argument.name,
                value=_value(
                    state,
                    argument.value,
                    definition.args[argument.name.value].type,
                    argument.name.value,
                ),
            )
            if argument.name.value in definition.args
            else argument
            for argument in selection.arguments or ()
        )
        selections.append(_copy(selection, arguments=arguments))
        break
    else:
        return Request(body)
    new_operation = _copy(
        operation,
        selection_set=_copy(operation.selection_set, selections=tuple(selections)),
        variable_definitions=tuple(operation.variable_definitions or ()) + tuple(state.definitions),
    )
    new_document = graphql.DocumentNode(
        definitions=tuple(new_operation if d is operation else d for d in document.definitions)
    )
    return Request(graphql.print_ast(new_document), state.variables, state.files)


def _copy(node: Any, **changes: Any) -> Any:
    values = {key: getattr(node, key, None) for key in node.keys if key != "loc"}
    values.update(changes)
    return type(node)(**values)


def _value(
    state: _State, node: graphql.ValueNode, type_: graphql.GraphQLInputType, name: str
) -> graphql.ValueNode:
    non_null = isinstance(type_, graphql.GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, graphql.GraphQLNonNull) else type_
    if isinstance(node, graphql.VariableNode):
        return node
    if isinstance(inner, graphql.GraphQLList):
        if isinstance(node, graphql.ListValueNode):
            return graphql.ListValueNode(
                values=tuple(_value(state, item, inner.of_type, name) for item in node.values)
            )
        if isinstance(node, graphql.NullValueNode):
            return node
        return _value(state, node, inner.of_type, name)
    if isinstance(inner, graphql.GraphQLInputObjectType):
        if inner.name == "CaptchaAnswerInput" and state.chance(0.8):
            return S.as_node(_captcha(state))
        if not isinstance(node, graphql.ObjectValueNode):
            return node
        fields = []
        for field_node in node.fields:
            definition = inner.fields.get(field_node.name.value)
            if definition is None:
                fields.append(field_node)
                continue
            fields.append(
                graphql.ObjectFieldNode(
                    name=field_node.name,
                    value=_value(state, field_node.value, definition.type, field_node.name.value),
                )
            )
        if {"captchaId", "captchaAnswer"} <= set(inner.fields) and state.chance(0.8):
            captcha = _captcha(state)
            fields = [f for f in fields if f.name.value not in ("captchaId", "captchaAnswer")]
            fields += [
                graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=S.as_node(v))
                for k, v in (("captchaId", captcha["id"]), ("captchaAnswer", captcha["answer"]))
            ]
        return graphql.ObjectValueNode(fields=tuple(fields))
    if isinstance(inner, graphql.GraphQLScalarType):
        if inner.name == "Upload" and state.chance(0.7):
            return _upload(state, type_ if non_null else inner)
        if not state.chance(HINT_PROBABILITY):
            return node
        hinted = _hint(state, inner.name, name)
        return node if hinted is _NO_HINT else S.as_node(hinted)
    return node


_NO_HINT = object()


def _hint(state: _State, scalar: str, name: str) -> Any:
    pools = state.target.pools
    if scalar == "ID":
        return _real_id(state, pools, name)
    if name == "certificate" and pools.certificate:
        return state.draw(st.sampled_from([pools.certificate, pools.certificate[:-8], S.b64("x")]))
    if scalar == "Date" and name in ("validFrom", "validTo") and pools.seal_dates[0]:
        start, end = pools.seal_dates
        return start if name == "validFrom" else end
    if name in NAMED:
        values = NAMED[name]
        if scalar == "String":
            values = tuple(v for v in values if isinstance(v, (str, list)))
            # Valid values, their full-width forms, and padded ones.
            value = state.draw(st.sampled_from(values))
            if isinstance(value, str):
                return state.draw(
                    st.sampled_from([value, value, value, S.full_width(value), f" {value} "])
                )
            return value
        if values:
            return state.draw(st.sampled_from(values))
    return _NO_HINT


def _real_id(state: _State, pools: Pools, name: str) -> Any:
    types: tuple[str, ...] = ID_TYPES.get(name, ())
    if not types and name == "id":
        types = next((t for prefix, t in ID_BY_OPERATION if state.operation.startswith(prefix)), ())
    candidates = sorted(i for t in types for i in pools.ids.get(t, ()))
    everything = pools.all_ids()
    choices = [st.sampled_from(candidates)] if candidates else []
    if everything:
        choices.append(st.sampled_from(everything))
    choices.append(S.forged_ids())
    return state.draw(st.one_of(*choices))


def _captcha(state: _State) -> dict[str, str]:
    """A captcha the server issued, answered right or in one of the ways a user might."""
    captcha = state.target.captcha()
    answer = captcha["answer"]
    variant = state.draw(
        st.sampled_from(
            [
                answer,
                answer.lower(),
                f" {answer} ",
                S.full_width(answer),
                S.full_width(answer[:1]) + answer[1:],
                answer + "é",
                "",
                "ÄÖÜ",
                "\u3000",
                answer * 50,
            ]
        )
    )
    return {"id": captcha["id"], "answer": variant}


def _upload(state: _State, type_: graphql.GraphQLInputType) -> graphql.ValueNode:
    name = f"fuzzFile{len(state.definitions)}"
    state.definitions.append(
        graphql.VariableDefinitionNode(
            variable=graphql.VariableNode(name=graphql.NameNode(value=name)),
            type=graphql.parse_type(str(type_)),
        )
    )
    state.variables[name] = None
    state.files[name] = state.draw(st.sampled_from(_files()))
    return graphql.VariableNode(name=graphql.NameNode(value=name))


@cache
def _images() -> dict[str, bytes]:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 400), "white")
    ImageDraw.Draw(image).ellipse((40, 40, 360, 360), outline=(220, 20, 20), width=14)
    made = {}
    for kind in ("JPEG", "PNG", "BMP"):
        buffer = io.BytesIO()
        image.save(buffer, kind)
        made[kind] = buffer.getvalue()
    tiny = io.BytesIO()
    Image.new("RGB", (1, 1)).save(tiny, "JPEG")
    made["TINY"] = tiny.getvalue()
    return made


@cache
def _files() -> tuple[tuple[str, bytes, str], ...]:
    images = _images()
    jpeg = images["JPEG"]
    return (
        ("seal.jpg", jpeg, "image/jpeg"),
        ("seal.png", images["PNG"], "image/png"),
        ("seal.bmp", images["BMP"], "image/bmp"),
        ("tiny.jpg", images["TINY"], "image/jpeg"),
        ("licence.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"),
        ("empty.jpg", b"", "image/jpeg"),
        ("truncated.jpg", jpeg[: len(jpeg) // 3], "image/jpeg"),
        ("garbage.jpg", bytes(range(256)) * 4, "image/jpeg"),
        ("png-as-jpeg.jpg", images["PNG"], "image/jpeg"),
        ("text.txt", "你好".encode() * 10, "text/plain"),
        # A JPEG header claiming 65500 x 65500 pixels (a decompression bomb).
        ("bomb.jpg", _bomb(jpeg), "image/jpeg"),
        ("../../etc/passwd", jpeg, "image/jpeg"),
        ("名字很长" * 60 + ".jpg", jpeg, "image/jpeg"),
    )


def _bomb(jpeg: bytes) -> bytes:
    """The JPEG with its frame header claiming 65500 x 65500 pixels."""
    start = jpeg.find(b"\xff\xc0")
    return jpeg[: start + 5] + b"\xff\xdc\xff\xdc" + jpeg[start + 9 :]
