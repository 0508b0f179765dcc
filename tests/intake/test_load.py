"""The loaders: one test per bad (or tricky) input, each asserting the exact outcome.

Fixtures live in ``tests/fixtures/intake`` (written by ``make_fixtures.py`` there); rejects are
always written to ``tmp_path`` so the committed fixtures stay untouched.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from kit.core.errors import DataError
from kit.intake.load import LoadResult, load_chain, load_table
from kit.intake.mapping import read_mapping
from kit.intake.readers import detect_encoding
from kit.intake.sample import write_chain

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
STORES = FIX / "stores.csv"


def load(kind: str, name: str, tmp_path: Path, **kw) -> LoadResult:
    kw.setdefault("stores", STORES if kind != "stores" else None)
    return load_table(kind, FIX / name, rejects_dir=tmp_path, **kw)


def rejected(result: LoadResult) -> list[tuple[int, str, str]]:
    """(source row, column, reason) of every problem."""
    return [
        (int(r), c, why) for r, c, why in result.rejects[["source_row", "column", "reason"]].itertuples(index=False)
    ]


def check_counts(result: LoadResult, read: int, accepted: int) -> None:
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (read, accepted, read - accepted)
    assert result.rows_read == result.rows_accepted + result.rows_rejected


def error_of(kind: str, path: Path, **kw) -> DataError:
    with pytest.raises(DataError) as info:
        load_table(kind, path, **kw)
    return info.value


# --------------------------------------------------------------------------- fixtures


def test_fixture_script_writes_every_committed_fixture(tmp_path):
    spec = importlib.util.spec_from_file_location("make_fixtures", FIX / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = module.build(tmp_path)
    assert len(names) >= 30
    for name in names:
        assert (FIX / name).is_file(), name
        if name.endswith((".csv", ".yaml", ".xls")) and name != "workbook_renamed.csv":  # text: byte for byte
            assert (FIX / name).read_bytes() == (tmp_path / name).read_bytes(), name


# --------------------------------------------------------------------------- the sample chain


def test_sample_chain_loads_with_zero_rejects(tmp_path):
    write_chain(tmp_path, stores=3, months=2, seed=1)
    chain = load_chain(tmp_path)
    for kind in ("stores", "complaints", "surveys", "transactions"):
        result = getattr(chain, kind)
        assert result.rows_rejected == 0, result.rejects.head()
        assert result.rows_read == len(pd.read_csv(tmp_path / f"{kind}.csv")) == result.rows_accepted
        assert result.rejects_path is None
    assert chain.stores.data["store_id"].tolist() == ["001", "002", "003"]
    assert str(chain.complaints.data["created_at"].dtype) == "datetime64[us]"
    assert chain.complaints.stores_checked
    assert chain.summary("en")[1].endswith("rows passed the checks")
    assert not list(tmp_path.glob("*.rejects.csv"))


def test_sample_values_round_trip(tmp_path):
    paths = write_chain(tmp_path, stores=2, months=1, seed=4)
    raw = pd.read_csv(paths["complaints"], dtype=str, keep_default_na=False)
    data = load_table("complaints", paths["complaints"]).data
    assert data["complaint_id"].tolist() == raw["complaint_id"].tolist()
    assert data["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == raw["created_at"].tolist()
    assert data["category"].tolist() == raw["category"].tolist()
    assert data["customer_phone"].tolist() == raw["customer_phone"].tolist()


# --------------------------------------------------------------------------- encodings


def test_gb18030_file_with_rare_character(tmp_path):
    raw = (FIX / "gb18030_rare_char.csv").read_bytes()
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")  # why GBK is never enough
    assert b"\xe4\xb6\xae" not in raw  # not UTF-8
    result = load("complaints", "gb18030_rare_char.csv", tmp_path)
    assert result.encoding == "gb18030"
    check_counts(result, 2, 2)
    assert result.data["customer_name"].tolist() == ["王䶮", "李娜"]
    assert result.mapping["投诉编号"] == "complaint_id"


def test_utf8_file_that_gbk_would_garble(tmp_path):
    raw = (FIX / "utf8_gbk_would_garble.csv").read_bytes()
    assert "满意".encode().decode("gbk", errors="replace") != "满意"
    result = load("complaints", "utf8_gbk_would_garble.csv", tmp_path)
    assert result.encoding == "utf-8"
    assert result.data["customer_name"].tolist() == ["满意", "陈静"]
    assert result.data["category"].tolist() == ["服务态度", "产品质量"]
    assert raw.decode("utf-8").count("满意") == 2  # header 满意度 and the name


def test_utf8_with_bom(tmp_path):
    result = load("complaints", "utf8_bom.csv", tmp_path)
    assert result.encoding == "utf-8-sig"
    assert list(result.mapping)[0] == "complaint_id"  # the BOM is not part of the first header
    assert result.data["store_id"].tolist() == ["001", "002"]


def test_gbk_bytes_are_read_as_gb18030(tmp_path):
    result = load("complaints", "gbk_plain.csv", tmp_path)
    assert result.encoding == "gb18030"
    assert result.data[["channel", "tier", "customer_name"]].values.tolist() == [["phone", "urgent", "刘强"]]


def test_gb18030_text_only_after_a_long_ascii_start(tmp_path):
    body = "".join(
        f"T{i:05d},001,2026-03-05 14:02,phone,normal,other,2026-03-05 14:30,,0,5,Li\n" for i in range(1, 2001)
    )
    path = tmp_path / "late_chinese.csv"
    path.write_bytes(
        (
            "complaint_id,store_id,created_at,channel,tier,category,first_response_at,resolved_at,"
            "compensation_amount,resolution_satisfaction,customer_name\n"
            + body
            + "T09999,001,2026-03-05 14:02,电话,紧急投诉,其他,2026-03-05 14:30,,0,5,王䶮\n"
        ).encode("gb18030")
    )
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert result.encoding == "gb18030" and result.rows_rejected == 0
    assert result.data["customer_name"].iloc[-1] == "王䶮" and result.data["channel"].iloc[-1] == "phone"


def test_unreadable_encoding_utf16(tmp_path):
    err = error_of("complaints", FIX / "utf16.csv")
    assert "encoding is not recognised" in err.message("en")
    assert err.where.file.endswith("utf16.csv")
    assert "CSV UTF-8" in err.message("en")


def test_detect_encoding_order():
    assert detect_encoding(FIX / "utf8_bom.csv") == "utf-8-sig"
    assert detect_encoding(FIX / "utf8_gbk_would_garble.csv") == "utf-8"
    assert detect_encoding(FIX / "gb18030_rare_char.csv") == "gb18030"


# --------------------------------------------------------------------------- excel / parquet


def test_xlsx_store_ids_keep_leading_zeros_and_dates_parse(tmp_path):
    result = load("stores", "stores_leading_zeros.xlsx", tmp_path)
    assert result.sheet == "门店"
    check_counts(result, 3, 3)
    assert result.data["store_id"].tolist() == ["001", "002", "010"]
    assert result.data["opened_on"].tolist() == [
        pd.Timestamp("2017-12-01"),
        pd.Timestamp("2019-01-01"),
        pd.Timestamp("2019-01-01"),
    ]


def test_xlsx_sheet_chosen_by_name_with_mixed_cells(tmp_path):
    result = load("complaints", "complaints_two_sheets.xlsx", tmp_path)
    assert result.sheet == "投诉记录"  # picked over the first sheet "说明"
    check_counts(result, 3, 2)
    assert rejected(result) == [(4, "compensation_amount", "negative"), (4, "resolution_satisfaction", "out_of_range")]
    data = result.data
    assert data["store_id"].tolist() == ["001", "002"]  # the number 2 matched to store 002
    assert data["created_at"].tolist() == [pd.Timestamp("2026-03-05 14:02"), pd.Timestamp("2026-03-05 15:00")]
    assert data["first_response_at"].tolist() == [pd.Timestamp("2026-03-05 14:20"), pd.Timestamp("2026-03-05 15:30")]
    assert data["resolved_at"].iloc[0] == pd.Timestamp("2026-03-06 12:00")  # serial 46087.5
    assert data["customer_name"].iloc[0] == "王䶮"
    assert len(result.notes) == 1 and "leading zeros" in result.notes[0][1]


def test_xlsx_unknown_sheet_lists_the_sheets():
    err = error_of("complaints", FIX / "complaints_two_sheets.xlsx", sheet="汇总")
    assert err.where.sheet == "汇总"
    assert "说明, 投诉记录" in err.message("en")
    assert "汇总" in err.message("zh")


def test_xlsx_sheet_with_only_a_title_has_no_header():
    err = error_of("complaints", FIX / "complaints_two_sheets.xlsx", sheet="说明")
    assert "a required column is missing: complaint_id" in err.message("en") and err.where.sheet == "说明"


def test_parquet_typed_columns(tmp_path):
    result = load("transactions", "transactions.parquet", tmp_path)
    check_counts(result, 3, 2)
    assert rejected(result) == [(4, "store_id", "unknown_store"), (4, "amount", "negative")]
    assert result.data["date"].tolist() == [pd.Timestamp("2026-03-05"), pd.Timestamp("2026-03-06")]


def test_workbook_renamed_to_csv():
    err = error_of("stores", FIX / "workbook_renamed.csv")
    assert "rename it to .xlsx" in err.message("en")


def test_old_xls_format():
    err = error_of("stores", FIX / "old_format.xls")
    assert ".xls format is not supported" in err.message("en")


# --------------------------------------------------------------------------- row-level rejects


def test_date_column_mixing_all_five_formats(tmp_path):
    result = load("complaints", "mixed_dates.csv", tmp_path)
    check_counts(result, 5, 5)
    assert (
        result.data["created_at"].tolist()
        == [pd.Timestamp("2026-03-05 14:02")] * 2
        + [pd.Timestamp("2026-03-05")]
        + [pd.Timestamp("2026-03-05 14:02")] * 2
    )


def test_dates_that_do_not_parse(tmp_path):
    result = load("complaints", "bad_dates.csv", tmp_path)
    check_counts(result, 4, 1)
    assert rejected(result) == [
        (3, "created_at", "bad_date"),
        (4, "created_at", "bad_date"),
        (5, "resolved_at", "bad_date"),
    ]
    assert result.rejects["value"].tolist() == ["2026-02-30 10:00", "yesterday", "2026/13/01"]


def test_duplicate_ids_keep_the_first(tmp_path):
    result = load("complaints", "duplicate_ids.csv", tmp_path)
    check_counts(result, 4, 3)
    assert rejected(result) == [(4, "complaint_id", "duplicate_id")]
    assert result.rejects["detail"].tolist() == ["row 2"]
    assert result.data["complaint_id"].tolist() == ["T001", "T002", "T003"]
    assert result.data["store_id"].tolist() == ["001", "001", "001"]


def test_resolution_and_first_response_before_creation(tmp_path):
    result = load("complaints", "resolution_before_creation.csv", tmp_path)
    check_counts(result, 3, 1)
    assert rejected(result) == [(3, "resolved_at", "before_created"), (4, "first_response_at", "before_created")]
    assert result.rejects["reason_en"].iloc[0] == "earlier than the complaint's creation time"
    assert result.rejects["reason_zh"].iloc[0] == "早于投诉创建时间"


def test_nps_11_and_csat_0_and_other_scales(tmp_path):
    result = load("surveys", "surveys_ranges.csv", tmp_path)
    check_counts(result, 4, 1)
    assert rejected(result) == [
        (3, "nps", "out_of_range"),
        (4, "csat", "out_of_range"),
        (5, "servqual_e01", "out_of_range"),
        (5, "kano_fast_response_func", "out_of_range"),
    ]
    assert result.rejects["reason_en"].tolist()[:2] == [
        "outside the allowed range 0–10",
        "outside the allowed range 1–5",
    ]


def test_ces_on_the_declared_five_point_scale(tmp_path):
    result = load("surveys", "surveys_zh.csv", tmp_path, ces_scale=5)
    assert rejected(result) == [(3, "ces", "out_of_range")]
    assert load("surveys", "surveys_zh.csv", tmp_path).rows_rejected == 0


def test_negative_compensation_and_currency_text(tmp_path):
    result = load("complaints", "negative_compensation.csv", tmp_path)
    check_counts(result, 3, 2)
    assert rejected(result) == [(3, "compensation_amount", "negative")]
    assert result.data["compensation_amount"].tolist() == [50.0, 1200.0]


def test_values_that_are_not_numbers(tmp_path):
    result = load("complaints", "not_a_number.csv", tmp_path)
    check_counts(result, 2, 0)
    assert rejected(result) == [(2, "compensation_amount", "bad_number"), (3, "resolution_satisfaction", "bad_number")]


def test_satisfaction_out_of_range_and_not_whole(tmp_path):
    result = load("complaints", "satisfaction_range.csv", tmp_path)
    check_counts(result, 4, 1)
    assert rejected(result) == [
        (2, "resolution_satisfaction", "out_of_range"),
        (3, "resolution_satisfaction", "out_of_range"),
        (4, "resolution_satisfaction", "not_integer"),
    ]
    assert result.data["resolution_satisfaction"].isna().tolist() == [True]  # an empty answer is fine


def test_unknown_store_and_lost_leading_zeros(tmp_path):
    result = load("complaints", "unknown_store.csv", tmp_path)
    check_counts(result, 3, 2)
    assert rejected(result) == [(3, "store_id", "unknown_store")]
    assert result.rejects["value"].tolist() == ["999"]
    assert result.data["store_id"].tolist() == ["001", "003"]


def test_store_ids_unchecked_without_a_stores_file(tmp_path):
    result = load("complaints", "unknown_store.csv", tmp_path, stores=None)
    assert result.rows_rejected == 0 and not result.stores_checked


def test_unknown_channel_and_tier_chinese_values_mapped(tmp_path):
    result = load("complaints", "unknown_channel.csv", tmp_path)
    check_counts(result, 4, 2)
    assert rejected(result) == [(3, "channel", "unknown_code"), (4, "tier", "unknown_code")]
    assert result.data[["channel", "tier"]].values.tolist() == [["phone", "urgent"], ["chat", "inquiry"]]
    assert "phone 电话" in result.rejects["reason_zh"].iloc[0]


def test_missing_required_values(tmp_path):
    result = load("complaints", "missing_value.csv", tmp_path)
    check_counts(result, 3, 1)
    assert rejected(result) == [(2, "complaint_id", "missing_value"), (3, "created_at", "missing_value")]
    assert result.data["first_response_at"].isna().all()  # an open ticket: allowed


def test_rows_with_the_wrong_number_of_fields(tmp_path):
    result = load("complaints", "wrong_field_count.csv", tmp_path)
    check_counts(result, 5, 3)
    assert rejected(result) == [(3, "", "wrong_field_count"), (5, "", "wrong_field_count")]
    assert result.rejects["value"].iloc[1] == "T004,001"
    assert result.origin["source_row"].tolist() == [2, 4, 6]


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    result = load("complaints", "blank_lines.csv", tmp_path)
    assert result.blank_rows == 2
    check_counts(result, 3, 2)
    assert rejected(result) == [(4, "compensation_amount", "negative")]
    assert result.origin["source_row"].tolist() == [2, 6]


def test_quoted_newline_counts_as_one_excel_row(tmp_path):
    result = load("complaints", "quoted_newline.csv", tmp_path)
    assert rejected(result) == [(3, "compensation_amount", "negative")]
    assert result.data["customer_name"].tolist() == ["张\n三"]


def test_bad_opening_hours_and_normalised_good_ones(tmp_path):
    result = load("stores", "stores_bad_hours.csv", tmp_path)
    assert rejected(result) == [(2, "opening_hours", "bad_hours")]
    assert result.data["opening_hours"].tolist() == ["10:00-21:00"]


def test_transactions_gb18030_with_thousands_separator(tmp_path):
    result = load("transactions", "transactions.csv", tmp_path)
    assert result.encoding == "gb18030"
    assert rejected(result) == [(3, "amount", "negative")]
    assert result.data["amount"].tolist() == [128.5, 1280.0]


# --------------------------------------------------------------------------- rejects file


def test_rejects_file_for_excel_with_reasons_in_both_languages(tmp_path):
    result = load("complaints", "duplicate_ids.csv", tmp_path)
    assert result.rejects_path == tmp_path / "duplicate_ids.rejects.csv"
    raw = result.rejects_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(result.rejects_path, encoding="utf-8-sig", dtype=str)
    assert back.loc[0, ["source_row", "column", "reason"]].tolist() == ["4", "complaint_id", "duplicate_id"]
    assert back.loc[0, "reason_zh"].startswith("编号重复")
    assert back.loc[0, "store_id"] == "002"  # the row's own values follow
    assert result.summary("en") == f"duplicate_ids.csv: 1 of 4 rows rejected — see {result.rejects_path}"
    assert "共读取 4 行，其中 1 行被拒收" in result.summary("zh")


def test_stale_rejects_file_is_removed_when_clean(tmp_path):
    stale = tmp_path / "utf8_bom.rejects.csv"
    stale.write_text("old", encoding="utf-8")
    result = load("complaints", "utf8_bom.csv", tmp_path)
    assert result.rejects_path is None and not stale.exists()


# --------------------------------------------------------------------------- file-level errors


def test_missing_file_suggests_a_close_name():
    err = error_of("complaints", FIX / "utf8_bon.csv")
    assert "does not exist" in err.message("en") and "did you mean utf8_bom.csv?" in err.message("en")
    assert "是不是 utf8_bom.csv" in err.message("zh")


def test_empty_file():
    err = error_of("complaints", FIX / "empty.csv")
    assert err.message("en").startswith("the file is empty — file: ") and err.where.file.endswith("empty.csv")


def test_file_with_only_blank_lines_is_empty():
    assert "empty" in error_of("complaints", FIX / "blank_only.csv").message("en")


def test_header_only_file_is_an_empty_table(tmp_path):
    result = load_table("complaints", FIX / "header_only.csv", rejects_dir=tmp_path)
    check_counts(result, 0, 0)
    assert result.header_only and result.rejects_path is None
    assert result.summary("en") == "header_only.csv: a header but no rows (taken as an empty table)"
    assert str(result.data["created_at"].dtype) == "datetime64[us]" and "tier" in result.data


def test_missing_required_column_names_the_closest_header():
    err = error_of("complaints", FIX / "missing_column.csv")
    assert err.where.column == "created_at"
    assert "a required column is missing: created_at (创建时间)" in err.message("en")
    assert 'closest header in the file is "创建日期" — did you mean 创建时间?' in err.message("en")
    assert "是不是 创建时间" in err.message("zh")


def test_two_columns_for_one_canonical_column():
    err = error_of("complaints", FIX / "duplicate_column.csv")
    assert err.where.column == "resolution_satisfaction" and "满意度" in err.message("en")


def test_folder_without_data_files(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    assert "no .csv, .xlsx or .parquet" in error_of("complaints", tmp_path).message("en")


def test_unsupported_suffix(tmp_path):
    p = tmp_path / "data.json"
    p.write_text("{}")
    assert "unsupported file type: .json" in error_of("complaints", p).message("en")


# --------------------------------------------------------------------------- mapping and folders


def test_user_mapping_file_for_headers_and_values(tmp_path):
    result = load("complaints", "custom_headers.csv", tmp_path, mapping=FIX / "mapping.yaml")
    check_counts(result, 2, 2)
    assert result.mapping == {
        "工单号": "complaint_id",
        "店铺": "store_id",
        "受理时间": "created_at",
        "来源": "channel",
        "级别": "tier",
        "类型": "category",
        "首次回复时间": "first_response_at",
    }
    assert result.data["channel"].tolist() == ["chat", "phone"]  # 微信 via the mapping's values


def test_without_the_mapping_the_custom_headers_fail():
    err = error_of("complaints", FIX / "custom_headers.csv")  # 工单号 is a built-in alias, 店铺 is not
    assert err.where.column == "store_id"
    assert 'closest header in the file is "店铺"' in err.message("en")


def test_bad_mapping_file_names_the_entry():
    err = error_of("complaints", FIX / "custom_headers.csv", mapping=FIX / "bad_mapping.yaml")
    assert "complaints.工单号: complaint_idd is not a column of complaints; did you mean complaint_id?" in err.message(
        "en"
    )
    assert err.where.file.endswith("bad_mapping.yaml")


def test_mapping_written_the_other_way_round():
    assert read_mapping({"complaint_id": "工单号"}, "complaints").columns == {"工单号": "complaint_id"}


def test_folder_of_monthly_files_is_one_table(tmp_path):
    result = load_table("complaints", FIX / "monthly", stores=STORES, rejects_dir=tmp_path)
    check_counts(result, 5, 3)
    assert result.rejects[["source_file", "source_row", "column", "reason"]].values.tolist() == [
        ["2026-02.csv", 3, "complaint_id", "duplicate_id"],
        ["2026-02.csv", 4, "resolution_satisfaction", "out_of_range"],
    ]
    assert result.rejects["detail"].iloc[0] == "2026-01.csv row 2"
    assert result.origin.astype(str).values.tolist() == [
        ["2026-01.csv", "2"],
        ["2026-01.csv", "3"],
        ["2026-02.csv", "2"],
    ]
    assert result.rejects_path == tmp_path / "monthly.rejects.csv"


def test_extra_columns_are_kept_and_reported(tmp_path):
    result = load("complaints", "extra_columns.csv", tmp_path)
    assert result.unmapped == ("备注",)
    assert result.data["备注"].tolist() == ["VIP客户"]
    assert "follow_up_at" in result.absent and result.data["follow_up_at"].isna().all()


def test_load_chain_reads_a_folder_per_kind(tmp_path):
    write_chain(tmp_path, stores=2, months=1, seed=2)
    monthly = tmp_path / "complaints"
    monthly.mkdir()
    (tmp_path / "complaints.csv").rename(monthly / "2026-01.csv")
    chain = load_chain(tmp_path)
    assert chain.complaints.source == monthly and chain.complaints.rows_rejected == 0


def test_load_chain_uses_mapping_yaml_in_data_folder_and_reports_it(tmp_path):
    from kit.intake.sample import write_chain

    write_chain(tmp_path, stores=1, months=1, seed=3)
    path = tmp_path / "complaints.csv"
    text = path.read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    path.write_text(header.replace("complaint_id", "工单流水号", 1) + "\n" + rest, encoding="utf-8-sig")
    with pytest.raises(DataError):
        load_chain(tmp_path)  # no mapping: the required id column is missing
    (tmp_path / "mapping.yaml").write_text("complaints:\n  columns:\n    工单流水号: complaint_id\n", encoding="utf-8")
    chain = load_chain(tmp_path)
    assert chain.complaints.rows_rejected == 0
    assert chain.complaints.mapping["工单流水号"] == "complaint_id"
    lines = chain.summary("en")
    assert "complaints.csv: headers mapped 工单流水号 → complaint_id" in lines
    assert len(lines) == 5
