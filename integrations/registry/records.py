"""The JSON shapes of the registers' records (the HTTP services and the datasets share them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from integrations.registry.base import EnterpriseRecord, ForeignTradeRecord


def enterprise_from_json(item: dict[str, Any]) -> EnterpriseRecord:
    return EnterpriseRecord(
        uscc=item["creditCode"],
        name=item["name"],
        legal_rep_name=item["operName"],
        legal_rep_id_type=item.get("operIdType", "RESIDENT_ID"),
        legal_rep_id_number=item.get("operIdNumber", ""),
        status=item["status"],
        enterprise_type=item["econKind"],
        established_on=date.fromisoformat(item["startDate"]),
        registered_capital=item["registCapi"],
        authority=item["belongOrg"],
        address=item["address"],
        region_code=item["regionCode"],
        industry=item["industry"],
        business_scope=item["scope"],
    )


def enterprise_to_json(record: EnterpriseRecord) -> dict[str, Any]:
    return {
        "creditCode": record.uscc,
        "name": record.name,
        "operName": record.legal_rep_name,
        "operIdType": record.legal_rep_id_type,
        "operIdNumber": record.legal_rep_id_number,
        "status": record.status,
        "econKind": record.enterprise_type,
        "startDate": record.established_on.isoformat(),
        "registCapi": record.registered_capital,
        "belongOrg": record.authority,
        "address": record.address,
        "regionCode": record.region_code,
        "industry": record.industry,
        "scope": record.business_scope,
    }


def foreign_trade_from_json(item: dict[str, Any]) -> ForeignTradeRecord:
    return ForeignTradeRecord(
        uscc=item["creditCode"],
        filing_number=item["filingNumber"],
        filed_on=date.fromisoformat(item["filedOn"]),
        operator_type=item["operatorType"],
        english_name=item["englishName"],
        english_address=item["englishAddress"],
        customs_code=item["customsCode"],
    )


def foreign_trade_to_json(record: ForeignTradeRecord) -> dict[str, Any]:
    return {
        "creditCode": record.uscc,
        "filingNumber": record.filing_number,
        "filedOn": record.filed_on.isoformat(),
        "operatorType": record.operator_type,
        "englishName": record.english_name,
        "englishAddress": record.english_address,
        "customsCode": record.customs_code,
    }
