"""Generates ``integrations/registry/dataset.json``: the simulated registers' companies.

Deterministic (a fixed seed), so regenerating gives the same file. Every USCC, organisation code
and legal representative's ID number passes its check; regions, enterprise types, capitals and
scopes are drawn from realistic lists. Run ``gateway registry-dataset`` to rewrite the file.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import orjson

from gateway.demo_data import make_resident_id, make_uscc
from integrations.registry import (
    EnterpriseRecord,
    ForeignTradeRecord,
    enterprise_to_json,
    foreign_trade_to_json,
)
from integrations.registry.simulator import SHIPPED_DATASET

REGIONS = [
    ("210100", "沈阳市", "沈阳市市场监督管理局", "Shenyang"),
    ("210200", "大连市", "大连市市场监督管理局", "Dalian"),
    ("430100", "长沙市", "长沙市市场监督管理局", "Changsha"),
    ("430200", "株洲市", "株洲市市场监督管理局", "Zhuzhou"),
    ("411000", "许昌市", "许昌市市场监督管理局", "Xuchang"),
    ("310115", "上海市浦东新区", "上海市浦东新区市场监督管理局", "Shanghai"),
    ("440300", "深圳市", "深圳市市场监督管理局", "Shenzhen"),
    ("330200", "宁波市", "宁波市市场监督管理局", "Ningbo"),
]
WORDS = [
    ("华信", "Huaxin"),
    ("瑞丰", "Ruifeng"),
    ("恒通", "Hengtong"),
    ("永盛", "Yongsheng"),
    ("宏达", "Hongda"),
    ("鑫源", "Xinyuan"),
    ("泰和", "Taihe"),
    ("中联", "Zhonglian"),
    ("金桥", "Jinqiao"),
    ("海纳", "Haina"),
    ("天成", "Tiancheng"),
    ("远航", "Yuanhang"),
    ("博远", "Boyuan"),
    ("嘉禾", "Jiahe"),
    ("盛世", "Shengshi"),
    ("东方", "Dongfang"),
]
TRADES = [
    ("进出口", "Import and Export", "货物进出口；技术进出口；国际货物运输代理", "批发业"),
    ("机械设备", "Machinery", "通用设备制造；机械设备销售；货物进出口", "通用设备制造业"),
    (
        "电子科技",
        "Electronic Technology",
        "电子元器件制造；电子产品销售；货物进出口",
        "计算机、通信和其他电子设备制造业",
    ),
    ("纺织品", "Textiles", "纺织品、针织品及原料销售；服装制造；货物进出口", "纺织服装、服饰业"),
    ("发制品", "Hair Products", "发制品制造；发制品销售；货物进出口", "其他制造业"),
    ("国际贸易", "International Trading", "国内贸易代理；货物进出口；供应链管理服务", "商务服务业"),
]
TYPES = [
    "有限责任公司(自然人投资或控股)",
    "有限责任公司(自然人独资)",
    "股份有限公司(非上市、自然人投资或控股)",
    "有限责任公司(外商投资、非独资)",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "建国",
    "红",
    "伟",
    "芳",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
]
STREETS = ["人民路", "建设大街", "中山路", "解放路", "黄河路", "长江路", "新华街", "和平大街"]
OPERATOR_TYPES = ["有限责任公司", "股份有限公司", "私营企业"]


def generate(count: int = 160, seed: int = 20261201) -> dict[str, list[dict[str, object]]]:
    rng = random.Random(seed)
    enterprises: list[dict[str, object]] = []
    filings: list[dict[str, object]] = []
    seen: set[str] = set()
    for index in range(count):
        division, city, authority, city_en = REGIONS[index % len(REGIONS)]
        word, word_en = rng.choice(WORDS)
        trade, trade_en, scope, industry = rng.choice(TRADES)
        name = f"{city.removesuffix('市')}{word}{trade}有限公司"
        if name in seen:
            name = f"{city.removesuffix('市')}{word}{trade}{index}有限公司"
        seen.add(name)
        uscc = make_uscc(division, f"MA{index + 10:06d}")
        established = date(2005, 1, 1) + timedelta(days=rng.randrange(6500))
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(12000))
        rep_id = make_resident_id(f"{division}{birth:%Y%m%d}{rng.randrange(1000):03d}")
        record = EnterpriseRecord(
            uscc=uscc,
            name=name,
            legal_rep_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            legal_rep_id_type="RESIDENT_ID",
            legal_rep_id_number=rep_id,
            status="存续" if rng.random() > 0.06 else rng.choice(["吊销", "注销", "迁出"]),
            enterprise_type=rng.choice(TYPES),
            established_on=established,
            registered_capital=f"{rng.choice([50, 100, 200, 500, 1000, 3000, 5000])}万人民币",
            authority=authority,
            address=f"{city}{rng.choice(STREETS)}{rng.randrange(1, 400)}号",
            region_code=division,
            industry=industry,
            business_scope=scope + "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
        )
        enterprises.append(enterprise_to_json(record))
        if rng.random() < 0.6:
            filed = established + timedelta(days=rng.randrange(30, 900))
            filings.append(
                foreign_trade_to_json(
                    ForeignTradeRecord(
                        uscc=uscc,
                        filing_number=f"0{rng.randrange(10**7, 10**8)}",
                        filed_on=min(filed, date(2026, 6, 30)),
                        operator_type=rng.choice(OPERATOR_TYPES),
                        english_name=f"{city_en} {word_en} {trade_en} Co., Ltd.",
                        english_address=f"No. {rng.randrange(1, 400)}, {city_en}, China",
                        customs_code=f"{division[:4]}9{rng.choice('46')}{rng.randrange(10**4):04d}",
                    )
                )
            )
    return {"enterprises": enterprises, "foreignTrade": filings}


def write(path: Path = SHIPPED_DATASET) -> int:
    data = generate()
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    return len(data["enterprises"])
