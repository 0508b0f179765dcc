"""Column specs, header aliases and the vectorised checks."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.core.errors import ParameterError
from kit.intake.sample import generate_chain
from kit.intake.schemas import (
    KINDS,
    alias_index,
    check_frame,
    code_table,
    describe,
    get_spec,
    norm_value,
    resolve_headers,
)


@pytest.mark.parametrize("kind", KINDS)
def test_canonical_columns_are_exactly_what_the_sample_writes(kind):
    chain = generate_chain(stores=2, months=1, seed=1)
    assert get_spec(kind).names == list(chain[kind].columns)


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_has_a_chinese_header_and_aliases_do_not_collide(kind):
    spec = get_spec(kind)
    assert all(c.aliases_zh for c in spec.columns)
    assert set(alias_index(kind).values()) == set(spec.names)  # raises on a collision


def test_headers_in_chinese_english_and_odd_spelling():
    spec = get_spec("complaints")
    res = resolve_headers(["投诉编号", "Store ID", "创建时间", "首次响应时间", "满意度", "备注"], spec)
    assert res.mapping == {
        "投诉编号": "complaint_id",
        "Store ID": "store_id",
        "创建时间": "created_at",
        "首次响应时间": "first_response_at",
        "满意度": "resolution_satisfaction",
    }
    assert res.unmapped == ["备注"]
    assert res.missing == ["channel", "tier", "category"]


def test_closest_header_is_suggested_for_a_missing_column():
    res = resolve_headers(
        ["投诉编号", "门店编号", "创建日期", "渠道", "优先级", "投诉类别", "首次响应时间"], get_spec("complaints")
    )
    assert res.missing == ["created_at"]
    assert res.suggestions == {"created_at": "创建日期"}


def test_satisfaction_means_csat_in_surveys():
    assert resolve_headers(["满意度"], get_spec("surveys")).mapping == {"满意度": "csat"}


def test_chinese_code_values_map_to_label_codes():
    assert code_table("channel")[norm_value("电话")] == "phone"
    assert code_table("tier")[norm_value("紧急投诉")] == "urgent"
    assert code_table("approver_role")[norm_value("店长/经理")] == "manager"


def test_ces_scale_is_declared_not_guessed():
    raw = pd.DataFrame(
        {"response_id": ["R1", "R2"], "date": ["2026-03-05"] * 2, "store_id": ["001"] * 2, "ces": ["6", "5"]}
    )
    _, p7, _ = check_frame(raw, get_spec("surveys", ces_scale=7))
    _, p5, _ = check_frame(raw, get_spec("surveys", ces_scale=5))
    assert p7.empty
    assert p5[["pos", "column", "reason"]].values.tolist() == [[0, "ces", "out_of_range"]]
    with pytest.raises(ParameterError):
        get_spec("surveys", ces_scale=10)


def test_unknown_kind_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown kind"):
        get_spec("complaint")


def test_category_is_normalised_to_chinese_label_and_code():
    raw = pd.DataFrame(
        {
            "complaint_id": ["T1", "T2", "T3"],
            "store_id": ["001"] * 3,
            "created_at": ["2026-03-05 10:00"] * 3,
            "channel": ["phone"] * 3,
            "tier": ["normal"] * 3,
            "category": ["waiting_time", "产品质量", "会员卡丢失"],
            "first_response_at": [None] * 3,
        }
    )
    data, problems, _ = check_frame(raw, get_spec("complaints"))
    assert problems.empty
    assert data["category"].tolist() == ["等候时间过长", "产品质量", "会员卡丢失"]
    assert data["category_en"].tolist() == ["waiting_time", "product_quality", "会员卡丢失"]


def test_types_of_the_canonical_output():
    chain = generate_chain(stores=2, months=1, seed=1)
    data, problems, _ = check_frame(chain["complaints"].astype("str").replace("nan", None), get_spec("complaints"))
    assert problems.empty
    assert str(data["created_at"].dtype) == "datetime64[us]"
    assert str(data["resolution_satisfaction"].dtype) == "Int64"
    assert str(data["compensation_amount"].dtype) == "float64"
    assert data["store_id"].tolist() == chain["complaints"]["store_id"].tolist()


def test_data_dictionary_lists_every_column_with_its_chinese_header():
    table = describe("complaints", "zh")
    assert table["列名"].tolist() == get_spec("complaints").names
    assert table.loc[table["列名"] == "created_at", "中文表头"].item() == "创建时间"
