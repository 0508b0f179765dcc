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


# --------------------------------------------------------------------------- every value checked at intake


def problems_of(frame: pd.DataFrame, kind: str, **kw) -> list[tuple[int, str, str]]:
    _, problems, _ = check_frame(frame, get_spec(kind), **kw)
    return sorted((int(p), c, r) for p, c, r in problems[["pos", "column", "reason"]].itertuples(index=False))


def surveys(**scores) -> pd.DataFrame:
    n = len(next(iter(scores.values())))
    base = {"response_id": [f"R{i}" for i in range(n)], "date": ["2026-03-05"] * n, "store_id": ["001"] * n}
    return pd.DataFrame({**base, **scores}, dtype="str")


def test_scores_in_range_and_an_optional_empty_score_is_missing():
    frame = surveys(nps=["10", "11", "", "-1"], csat=["5", "3", "4", "6"])
    assert problems_of(frame, "surveys") == [
        (1, "nps", "out_of_range"),
        (3, "csat", "out_of_range"),
        (3, "nps", "out_of_range"),
    ]
    data, _, _ = check_frame(frame, get_spec("surveys"))
    assert pd.isna(data.loc[2, "nps"]) and str(data["nps"].dtype) == "Int64"


def test_a_response_without_any_score_is_rejected():
    frame = surveys(nps=["9", ""], csat=["", ""])
    assert problems_of(frame, "surveys") == [(1, "", "no_scores")]


def test_an_empty_required_value_is_a_reject():
    frame = pd.DataFrame(
        {"date": ["2026-03-05"], "customer_id": ["K1"], "store_id": ["001"], "amount": [""]}, dtype="str"
    )
    assert problems_of(frame, "transactions") == [(0, "amount", "missing_value")]


def test_zero_purchases_are_rejected_and_negative_amounts_too():
    frame = pd.DataFrame(
        {"date": ["2026-03-05"] * 3, "customer_id": ["K1"] * 3, "store_id": ["001"] * 3, "amount": ["0", "-3", "0.01"]},
        dtype="str",
    )
    assert problems_of(frame, "transactions") == [(0, "amount", "not_positive"), (1, "amount", "negative")]
    _, problems, _ = check_frame(frame, get_spec("transactions"))
    assert "more than 0" in problems.loc[problems["pos"] == 0, "reason_en"].iloc[0]


def test_decimal_commas_are_rejected_unless_declared():
    amounts = ["12,5", "1,280.50", "1,280", "12.5", "1，5"]
    frame = pd.DataFrame(
        {"date": ["2026-03-05"] * 5, "customer_id": ["K"] * 5, "store_id": ["001"] * 5, "amount": amounts}, dtype="str"
    )
    data, problems, _ = check_frame(frame, get_spec("transactions"))
    assert problems[["pos", "reason"]].values.tolist() == [[0, "decimal_comma"], [4, "decimal_comma"]]
    assert data["amount"].tolist()[1:4] == [1280.5, 1280.0, 12.5]  # never 125
    data, problems, _ = check_frame(frame, get_spec("transactions"), decimal=",")
    assert problems[["pos", "reason"]].values.tolist() == [[1, "bad_number"]]  # 1,280.50 is no decimal-comma number
    assert data["amount"].tolist()[:1] + data["amount"].tolist()[2:] == [12.5, 1.28, 12.5, 1.5]
    frame["amount"] = ["1.280,50", "1.280", "0,5", "7", "12.5"]
    data, problems, _ = check_frame(frame, get_spec("transactions"), decimal=",")
    assert problems.empty and data["amount"].tolist() == [1280.5, 1280.0, 0.5, 7.0, 12.5]


def test_literal_nan_and_inf_are_not_numbers():
    frame = surveys(nps=["nan", "inf", "7"])
    assert problems_of(frame, "surveys") == [(0, "nps", "bad_number"), (1, "nps", "bad_number")]


def test_real_dates_only():
    frame = pd.DataFrame(
        {
            "response_id": ["R1", "R2", "R3", "R4"],
            "date": ["2026-02-30 10:00", "2026/2/30 10:00", "2026年2月30日 10时", "2026-02-28 10:00"],
            "store_id": ["001"] * 4,
            "nps": ["9"] * 4,
        },
        dtype="str",
    )
    assert problems_of(frame, "surveys") == [(0, "date", "bad_date"), (1, "date", "bad_date"), (2, "date", "bad_date")]


def test_durations_non_negative_and_declared_formats():
    frame = pd.DataFrame(
        {
            "complaint_id": ["T1", "T2", "T3", "T4"],
            "store_id": ["001"] * 4,
            "created_at": ["03/05/2026 14:02", "03/05/2026 14:02", "13/05/2026 14:02", "03/06/2026 09:00"],
            "channel": ["phone"] * 4,
            "tier": ["normal"] * 4,
            "category": ["其他"] * 4,
            "first_response_at": ["90", "-5", "10", ""],
        },
        dtype="str",
    )
    data, problems, _ = check_frame(
        frame,
        get_spec("complaints"),
        formats={"created_at": "%m/%d/%Y %H:%M"},
        durations={"first_response_at": ("minutes", "created_at")},
    )
    assert sorted(problems[["pos", "column", "reason"]].values.tolist()) == [
        [1, "first_response_at", "negative_duration"],
        [2, "created_at", "bad_date_format"],
    ]
    assert "%m/%d/%Y %H:%M" in problems.loc[problems["pos"] == 2, "reason_en"].iloc[0]
    assert data.loc[0, "first_response_at"] == pd.Timestamp("2026-03-05 15:32")
    assert pd.isna(data.loc[3, "first_response_at"])  # empty: not answered yet


def test_opening_hours_past_midnight_and_past_24():
    frame = pd.DataFrame(
        {
            "store_id": ["001", "002", "003", "004", "005"],
            "store_name_zh": ["a"] * 5,
            "store_name_en": ["a"] * 5,
            "opening_hours": ["22:00-02:00", "24:30-25:00", "10:00-10:00", "0:00-24:00", "9:00-22:00"],
        },
        dtype="str",
    )
    data, problems, _ = check_frame(frame, get_spec("stores"))
    assert sorted(problems[["pos", "reason"]].values.tolist()) == [[1, "bad_hours"], [2, "hours_no_length"]]
    assert data["opening_hours"].tolist()[0::3] == ["00:00-02:00,22:00-24:00", "00:00-24:00"]
    from kit.workshop.calendar import parse_hours  # what the business-hours clocks read

    assert parse_hours(data.loc[0, "opening_hours"]) == ((0, 120), (1320, 1440))


def test_store_ids_that_cannot_name_a_folder():
    ids = ["001", "a/b", "..", ".hidden", "x\\y", "a\x00b", "tab\there", "x" * 65, "A..B", "ok-1_店"]
    frame = pd.DataFrame(
        {
            "store_id": ids,
            "store_name_zh": ["a"] * 10,
            "store_name_en": ["a"] * 10,
            "opening_hours": ["09:00-21:00"] * 10,
        },
        dtype="str",
    )
    flagged = [p for p, c, r in problems_of(frame, "stores") if r == "unsafe_id"]
    assert flagged == [1, 2, 3, 4, 5, 6, 7, 8]
    complaints = pd.DataFrame({"complaint_id": ["T/1"], "store_id": ["001"]}, dtype="str")
    assert all(c != "complaint_id" or r != "unsafe_id" for _, c, r in problems_of(complaints, "complaints"))


def test_a_suggested_header_must_hold_values_of_the_right_type():
    spec = get_spec("transactions")
    values = {"交易日期": ["2026-03-05"], "金额（元）x": ["2026-03-05"], "总额": ["12.5"]}
    fits = lambda header, col: __import__("kit.intake.schemas", fromlist=["values_fit"]).values_fit(  # noqa: E731
        pd.Series(values[header]), col
    )
    res = resolve_headers(["交易日期", "金额（元）x", "客户编号", "门店编号"], spec)
    assert res.suggestions.get("amount") == "金额（元）x"  # by name alone
    res = resolve_headers(["交易日期", "金额（元）x", "客户编号", "门店编号"], spec, fits=fits)
    assert "amount" not in res.suggestions  # a column of dates is no amount
