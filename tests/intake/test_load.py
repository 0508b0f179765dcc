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
from kit.intake.schemas import get_spec

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


# --------------------------------------------------------------------------- rejects are masked, and text


PII_HEADER = (
    "complaint_id,store_id,created_at,channel,tier,category,first_response_at,customer_name,customer_phone,备注"
)


def pii_file(tmp_path: Path) -> Path:
    lines = [
        PII_HEADER,
        "T1,001,2026-03-05 14:02,phone,normal,其他,2026-03-05 14:30,张三丰,139 1234 5678,ok",
        "T2,001,2026-03-05 14:02,phone,normal,其他,2026-03-05 14:00,李四,+86 13912345678,邮箱 li.si@example.com",
        "T3,001,2026-03-05 14:02,fax,normal,其他,2026-03-05 14:30,王五,139-1234-5678,身份证 11010119900307123X",
        "T4,001,王六,13812345678",
        'T5,001,2026-03-05 14:02,phone,normal,其他,2026-03-05 14:30,"=HYPERLINK(""http://x"")",13912345678,@SUM(A1)',
        "T5b,001,2026-03-05 14:02,phone,normal,其他,2026-03-05 14:30,=1+1,13912345678,@SUM(A1)",
        "T6,001,2026-03-05 14:02,phone,weird,其他,2026-03-05 14:30,赵七,13912345678,",
    ]
    path = tmp_path / "pii.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rejects_are_masked_like_the_reports(tmp_path):
    from kit.core.privacy import find_pii

    result = load_table("complaints", pii_file(tmp_path), rejects_dir=tmp_path)
    assert result.masked and result.rows_rejected == 4  # T2 T3 T4 T6
    text = result.rejects_path.read_text(encoding="utf-8-sig")
    names = ["张三丰", "李四", "王五", "王六", "赵七"]
    assert find_pii(text, names=names) == []
    assert find_pii(result.rejects.to_csv(), names=names) == []  # the table in memory too
    back = pd.read_csv(result.rejects_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    t2 = back[back["source_row"] == "3"].iloc[0]
    assert (t2["customer_name"], t2["customer_phone"], t2["备注"]) == (
        "李*",
        "+86 139****5678",
        "邮箱 l***@example.com",
    )
    assert back.loc[back["source_row"] == "4", "备注"].iloc[0] == "身份证 110***********123X"
    assert back.loc[back["reason"] == "wrong_field_count", "value"].iloc[0] == "T4,001,王*,138****5678"
    assert set(result.data["complaint_id"]) == {"T1", "T5", "T5b"}


def test_rejects_file_cells_are_never_formulas(tmp_path):
    path = pii_file(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            ",phone,normal,其他,2026-03-05 14:30,=1+1", ",phone,bad,其他,2026-03-05 14:30,=1+1"
        ),
        encoding="utf-8",
    )
    result = load_table("complaints", path, rejects_dir=tmp_path, unmask=True)
    back = pd.read_csv(result.rejects_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    t5b = back[back["complaint_id"] == "T5b"].iloc[0]
    assert (t5b["customer_name"], t5b["备注"]) == ("'=1+1", "'@SUM(A1)")
    assert (
        result.rejects.loc[result.rejects["complaint_id"] == "T5b", "customer_name"].iloc[0] == "=1+1"
    )  # in memory: data


def test_unmask_keeps_personal_data_in_the_rejects(tmp_path):
    result = load_table("complaints", pii_file(tmp_path), rejects_dir=tmp_path, unmask=True)
    assert not result.masked
    assert "139 1234 5678" not in result.rejects.to_csv()  # T1 passed: it is not in the rejects
    assert "+86 13912345678" in set(result.rejects["customer_phone"].dropna())
    assert "T4,001,王六,13812345678" in set(result.rejects["value"])


def test_load_chain_unmask(tmp_path):
    write_chain(tmp_path, stores=1, months=1, seed=3)
    path = tmp_path / "complaints.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "resolution_satisfaction"] = "9"
    frame.to_csv(path, index=False)
    phone = frame.loc[0, "customer_phone"]
    assert load_chain(tmp_path).complaints.rejects["customer_phone"].iloc[0] != phone
    assert load_chain(tmp_path, unmask=True).complaints.rejects["customer_phone"].iloc[0] == phone


# --------------------------------------------------------------------------- the stores file is optional


def test_a_folder_with_only_a_complaints_file(tmp_path):
    write_chain(tmp_path, stores=2, months=1, seed=2)
    for kind in ("stores", "surveys", "transactions"):
        (tmp_path / f"{kind}.csv").unlink()
    chain = load_chain(tmp_path)
    assert chain.missing == ("stores", "surveys", "transactions")
    assert chain.stores.data["store_id"].tolist() == ["001", "002"]
    assert chain.stores.data["store_name_en"].tolist() == ["001", "002"]
    assert chain.stores.data["opening_hours"].tolist() == ["00:00-24:00"] * 2
    assert chain.stores.derived and chain.stores.rows_rejected == 0
    assert not chain.complaints.stores_checked and chain.complaints.rows_rejected == 0
    for kind in ("surveys", "transactions"):
        table = getattr(chain, kind)
        assert table.data.empty and table.rows_read == 0 == table.rows_rejected
        assert list(table.data.columns) == get_spec(kind).names
    assert str(chain.surveys.data["date"].dtype) == "datetime64[us]" and str(chain.surveys.data["nps"].dtype) == "Int64"
    assert chain.transactions.data.query("store_id == '001'").empty  # downstream code can filter them
    lines = chain.summary("en")
    assert (
        lines[0]
        == "no stores file: 2 stores taken from the data, named by their id, without opening hours (clocks count calendar hours)"
    )
    assert "no surveys file: the table is empty" in lines and "no transactions file: the table is empty" in lines
    assert "没有门店文件：从数据中取得 2 家门店" in chain.summary("zh")[0]


def test_a_header_only_stores_file_and_a_header_only_surveys_file(tmp_path):
    write_chain(tmp_path, stores=2, months=1, seed=2)
    for kind in ("stores", "surveys"):
        path = tmp_path / f"{kind}.csv"
        path.write_text(path.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8-sig")
    chain = load_chain(tmp_path)
    assert chain.missing == ()
    assert chain.stores.derived and chain.stores.data["store_id"].tolist() == ["001", "002"]
    assert chain.surveys.header_only and chain.surveys.data.empty
    lines = chain.summary("en")
    assert lines[0].startswith("stores.csv has no rows: 2 stores taken from the data")
    assert "surveys.csv: a header but no rows (taken as an empty table)" in lines


def test_a_folder_without_any_data_table(tmp_path):
    write_chain(tmp_path, stores=1, months=1, seed=2)
    for kind in ("complaints", "surveys", "transactions"):
        (tmp_path / f"{kind}.csv").unlink()
    with pytest.raises(DataError) as info:
        load_chain(tmp_path)
    assert "no complaints, surveys or transactions file" in info.value.message("en")


# --------------------------------------------------------------------------- export shapes declared in mapping.yaml


def chain_folder(tmp_path: Path, complaints: str, mapping: str, transactions: str | None = None) -> Path:
    (tmp_path / "complaints.csv").write_text(complaints, encoding="utf-8")
    if transactions is not None:
        (tmp_path / "transactions.csv").write_text(transactions, encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return tmp_path


US_COMPLAINTS = (
    "工单号,门店,受理时间,渠道,类别,首次响应分钟\n"
    "T1,001,03/05/2026 14:02,电话,其他,30\n"
    "T2,001,13/05/2026 14:02,电话,其他,10\n"
    "T3,002,03/06/2026 09:00,电话,其他,-5\n"
    "T4,002,03/07/2026 09:00,电话,其他,\n"
)
US_MAPPING = """currency: USD
complaints:
  columns: {工单号: complaint_id, 门店: store_id, 受理时间: created_at, 类别: category}
  formats: {created_at: "%m/%d/%Y %H:%M"}
  constants: {tier: normal}
  durations:
    first_response_at: {column: 首次响应分钟, unit: minutes, from: created_at}
"""


def test_formats_constants_durations_and_currency(tmp_path):
    chain = load_chain(chain_folder(tmp_path, US_COMPLAINTS, US_MAPPING))
    c = chain.complaints
    assert rejected(c) == [(3, "created_at", "bad_date_format"), (4, "first_response_at", "negative_duration")]
    assert c.data["created_at"].tolist() == [pd.Timestamp("2026-03-05 14:02"), pd.Timestamp("2026-03-07 09:00")]
    assert c.data["first_response_at"].iloc[0] == pd.Timestamp("2026-03-05 14:32")
    assert pd.isna(c.data["first_response_at"].iloc[1])  # no duration: not answered yet
    assert c.data["tier"].tolist() == ["normal", "normal"] and c.constants == {"tier": "normal"}
    assert c.mapping["首次响应分钟"] == "first_response_at"
    assert (chain.currency, chain.currency_symbol) == ("USD", "$")
    assert "complaints.csv: every row given tier = normal by mapping.yaml" in chain.summary("en")
    assert "tier" not in c.absent and "resolved_at" in c.absent


def test_a_constant_for_a_column_the_file_has_is_an_error(tmp_path):
    text = US_COMPLAINTS.replace("类别,", "类别,优先级,", 1).replace("其他,", "其他,一般,")
    with pytest.raises(DataError) as info:
        load_chain(chain_folder(tmp_path, text, US_MAPPING))
    assert 'tier is a column of the file (header "优先级") and also a constant' in info.value.message("en")


def test_line_items_are_summed_per_receipt(tmp_path):
    transactions = (
        "小票号,交易日期,客户编号,门店编号,金额\n"
        "R1,2026-03-05,K1,001,10\n"
        "R1,2026-03-05,K1,001,5.5\n"
        "R1,2026-03-05,K1,001,-2\n"
        "R2,2026-03-05,K2,001,0\n"
        "R3,2026-03-06,K3,002,7\n"
        "R3,2026-03-06,K3,002,x\n"
        "R4,2026-03-06,K1,002,8\n"
    )
    mapping = US_MAPPING + "transactions:\n  line_items: {receipt: 小票号, amount: 金额}\n"
    t = load_chain(chain_folder(tmp_path, US_COMPLAINTS, mapping, transactions)).transactions
    assert t.data[["transaction_id", "amount"]].values.tolist() == [["R1", 13.5], ["R4", 8.0]]
    assert t.origin["source_row"].tolist() == [2, 8]
    assert (t.rows_read, t.rows_accepted, t.rows_rejected, t.lines_accepted) == (7, 4, 3, 4)
    assert rejected(t) == [
        (5, "amount", "receipt_not_positive"),
        (6, "transaction_id", "receipt_line_rejected"),
        (7, "amount", "bad_number"),
    ]
    assert (
        t.rejects["reason_en"].iloc[1] == "another line of this receipt was rejected (row 7), so the whole receipt is"
    )
    assert "transactions.csv: 4 lines → 2 receipts (amounts summed per receipt)" in t.details("en")


def test_receipt_numbers_that_restart_every_day(tmp_path):
    transactions = "小票号,交易日期,客户编号,门店编号,金额\n0001,2026-03-05,K1,001,10\n0001,2026-03-06,K2,001,5\n0001,2026-03-06,K2,001,5\n"
    mapping = "transactions:\n  line_items: {receipt: 小票号}\n"
    t = load_chain(chain_folder(tmp_path, US_COMPLAINTS, US_MAPPING + mapping, transactions)).transactions
    assert t.data["transaction_id"].tolist() == ["001-20260305-0001", "001-20260306-0001"]
    assert t.data["amount"].tolist() == [10.0, 10.0]
    assert any("store-date-receipt" in en for _, en in t.notes)


def test_decimal_comma_declared_for_a_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "交易日期;客户编号;门店编号;金额\n2026-03-05;K1;001;12,5\n2026-03-05;K2;001;1.280,00\n", encoding="utf-8"
    )
    assert rejected(load_table("transactions", path, rejects_dir=tmp_path)) == [
        (2, "amount", "decimal_comma"),
        (3, "amount", "decimal_comma"),
    ]
    result = load_table("transactions", path, mapping={"transactions": {"decimal": ","}}, rejects_dir=tmp_path)
    assert result.data["amount"].tolist() == [12.5, 1280.0]


# --------------------------------------------------------------------------- timestamps without times, absent columns


def test_date_only_time_columns_are_detected(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "complaint_id,store_id,created_at,channel,tier,category,first_response_at,resolved_at\n"
        "T1,001,2026-03-05,phone,normal,其他,2026-03-05 10:00,2026-03-06\n"
        "T2,001,2026/3/6,phone,normal,其他,,2026-03-07\n",
        encoding="utf-8",
    )
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert result.date_only == ("created_at", "resolved_at")
    assert "closed_at" in result.absent and "customer_phone" in result.absent
    assert result.data["closed_at"].isna().all()  # absent columns are still there, empty
    write_chain(tmp_path / "chain", stores=1, months=1, seed=3)
    (tmp_path / "chain" / "complaints.csv").write_bytes(path.read_bytes())
    chain = load_chain(tmp_path / "chain")
    assert chain.date_only("complaints") == {"created_at", "resolved_at"} and chain.date_only("surveys") == set()
    assert "complaints.csv: created_at, resolved_at hold dates without a time of day" in " ".join(chain.summary("en"))


def test_the_sample_chain_has_no_date_only_columns_and_nothing_absent_in_complaints(tmp_path):
    write_chain(tmp_path, stores=2, months=1, seed=5)
    chain = load_chain(tmp_path)
    assert all(not getattr(chain, k).date_only for k in ("stores", "complaints", "surveys", "transactions"))
    assert chain.complaints.absent == () and chain.missing == ()


def test_the_missing_column_hint_never_suggests_a_header_of_another_type(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("交易日期,客户编号,门店编号,金额日期\n2026-03-05,K1,001,2026-03-05\n", encoding="utf-8")
    err = error_of("transactions", path)
    assert err.where.column == "amount" and "金额日期" not in err.message("en")
    path.write_text("交易日期,客户编号,门店编号,金额（元）\n2026-03-05,K1,001,12.5\n", encoding="utf-8")
    assert 'closest header in the file is "金额（元）"' in error_of("transactions", path).message("en")
