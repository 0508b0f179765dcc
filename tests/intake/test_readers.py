"""The readers on hostile and odd files: bounded work, no silent row loss, sheets chosen safely.

Every fixture is built here, in ``tmp_path``: bombs, very wide files, broken quotes and line ends.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kit.core.errors import DataError
from kit.intake import readers
from kit.intake.load import LoadResult, load_table
from kit.intake.readers import MAX_COLUMNS, XLSX_MAX_CELLS, XLSX_MAX_RATIO, read_file

HEADER = "complaint_id,store_id,created_at,channel,tier,category,first_response_at,customer_name,customer_phone"


def row(i: int, *, category: str = "其他", name: str = "张三", phone: str = "13912345678") -> str:
    return f"T{i},001,2026-03-05 14:02,phone,normal,{category},2026-03-05 14:30,{name},{phone}"


def error_of(path: Path, kind: str = "complaints", **kw) -> DataError:
    with pytest.raises(DataError) as info:
        load_table(kind, path, **kw)
    return info.value


def reasons(result: LoadResult) -> list[tuple[int, str]]:
    return [(int(r), why) for r, why in result.rejects[["source_row", "reason"]].itertuples(index=False)]


def workbook(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


TX = [["交易日期", "客户编号", "门店编号", "金额"], ["2026-03-05", "K1", "001", 12.5], ["2026-03-06", "K2", "001", 30]]


def rewrite_part(path: Path, part: str, edit, level: int = 6) -> Path:
    """Copy of the workbook with one part's XML changed by ``edit``."""
    out = path.with_name("edited_" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = edit(data)
            dst.writestr(info.filename, data)
    return out


# --------------------------------------------------------------------------- bounded work


def test_a_csv_with_ten_thousand_columns_is_refused_from_its_header(tmp_path):
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(10_000))
    path.write_text(header + "\n" + ",".join("1" for _ in range(10_000)) + "\n", encoding="utf-8")
    err = error_of(path)
    assert err.message("en").startswith(f"10,000 columns; the kit reads at most {MAX_COLUMNS}")
    assert err.where.file == str(path)
    assert "最多读取 500 列" in err.message("zh")


def test_a_header_line_without_end_is_refused_without_reading_the_file(tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_bytes(b"a," * (3 << 20))  # 6 MiB, no line end
    assert "columns; the kit reads at most" in error_of(path).message("en")


def test_xlsx_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"交易": TX})
    bomb = rewrite_part(
        path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData>", b" " * (40 << 20) + b"<sheetData>"), 9
    )
    info = zipfile.ZipFile(bomb).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > XLSX_MAX_RATIO * info.compress_size  # the bomb is small on disk
    err = error_of(bomb, "transactions")
    msg = err.message("en")
    assert "xl/worksheets/sheet1.xml" in msg and f"more than {XLSX_MAX_RATIO} times" in msg and "zip bomb" in msg
    assert err.where.file == str(bomb)


def test_xlsx_unpacking_to_more_than_the_limit_is_refused(tmp_path, monkeypatch):
    path = workbook(tmp_path / "t.xlsx", {"交易": TX})
    monkeypatch.setattr(readers, "XLSX_MAX_BYTES", 1000)
    msg = error_of(path, "transactions").message("en")
    assert re.search(r"the workbook unpacks to [\d,]+ bytes; the kit reads at most 1,000", msg)


def test_a_sheet_claiming_a_million_by_16384_cells_is_refused(tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"交易": TX})
    huge = rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1000000"', xml),
    )
    err = error_of(huge, "transactions")
    assert err.message("en").startswith("16,384 columns; the kit reads at most 500") and err.where.sheet == "交易"
    tall = rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:Z1000000"', xml),
    )
    msg = error_of(tall, "transactions").message("en")
    assert f"1,000,000 rows × 26 columns = 26,000,000 cells; the kit reads at most {XLSX_MAX_CELLS:,}" in msg


def test_a_row_with_a_value_far_to_the_right_is_refused(tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"交易": TX})
    far = rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</row></sheetData>", b'<c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        ),
    )  # the dimension still says A1:D3: it must not hide the cell
    assert "16,384 columns; the kit reads at most 500" in error_of(far, "transactions").message("en")


def test_parquet_width_is_checked_from_its_schema(tmp_path):
    path = tmp_path / "wide.parquet"
    pq.write_table(pa.table({f"c{i}": [1] for i in range(MAX_COLUMNS + 1)}), path)
    assert error_of(path, "transactions").message("en").startswith("501 columns; the kit reads at most 500")


# --------------------------------------------------------------------------- no silent row loss


def test_cr_only_line_ends_of_old_mac_excel_are_read(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(("\r".join([HEADER, row(1), row(2), row(3)]) + "\r").encode("utf-8"))
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert (result.rows_read, result.rows_accepted) == (3, 3)
    assert result.data["complaint_id"].tolist() == ["T1", "T2", "T3"]


def test_an_unclosed_quote_that_swallows_rows_is_reported(tmp_path):
    path = tmp_path / "quote.csv"
    lines = [HEADER, row(1), row(2, category='"其他'), row(3), row(4), row(5, name='"王五"'), row(6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert result.rows_read == 6 == result.rows_accepted + result.rows_rejected  # one per physical record
    assert result.data["complaint_id"].tolist() == ["T1", "T6"]
    assert reasons(result) == [
        (3, "unclosed_quote"),
        (3, "swallowed_line"),
        (3, "swallowed_line"),
        (3, "swallowed_line"),
    ]
    assert result.rejects["detail"].tolist() == [
        "lines 3–6",
        "line 4; lines 3–6",
        "line 5; lines 3–6",
        "line 6; lines 3–6",
    ]
    assert result.rejects["value"].iloc[1].startswith("T3,001,")
    assert "not closed" in result.rejects["reason_en"].iloc[0]


def test_an_unclosed_quote_that_runs_to_the_end_of_the_file(tmp_path):
    path = tmp_path / "quote_eof.csv"
    path.write_text("\n".join([HEADER, row(1), row(2, category='"其他'), row(3), row(4)]) + "\n", encoding="utf-8")
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert (result.rows_read, result.rows_accepted) == (4, 1)
    assert reasons(result) == [(3, "unclosed_quote"), (3, "swallowed_line"), (3, "swallowed_line")]


def test_a_quoted_value_over_two_lines_is_still_one_row(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text("\n".join([HEADER, row(1, category='"其他\n说明, 见附件"'), row(2)]) + "\n", encoding="utf-8")
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert (result.rows_read, result.rows_accepted) == (2, 2)


def test_a_lone_cr_breaking_a_row_in_two_counts_once(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("\n".join([HEADER, row(1), row(2, category="其他\r"), row(3)]) + "\n", encoding="utf-8")
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (3, 2, 1)
    assert reasons(result) == [(3, "broken_line_end")]
    assert "lone CR" in result.rejects["reason_en"].iloc[0]
    assert result.data["complaint_id"].tolist() == ["T1", "T3"]


def test_wrong_field_count_names_the_files_header_count(tmp_path):
    path = tmp_path / "fields.csv"
    path.write_text("\n".join([HEADER + ",备注,其他列", row(1) + ",a,b", "T2,001"]) + "\n", encoding="utf-8")
    result = load_table("complaints", path, rejects_dir=tmp_path)
    assert reasons(result) == [(3, "wrong_field_count")]
    assert "from the header (11)" in result.rejects["reason_en"].iloc[0]


# --------------------------------------------------------------------------- sheets


def test_hidden_sheets_are_skipped_unless_named(tmp_path):
    old = [TX[0], ["2025-01-01", "K9", "001", 1]]
    path = workbook(tmp_path / "t.xlsx", {"交易": old, "本月": TX}, hidden=("交易",))
    result = load_table("transactions", path, rejects_dir=tmp_path)
    assert result.sheet == "本月" and result.rows_read == 2
    named = load_table("transactions", path, sheet="交易", rejects_dir=tmp_path)
    assert named.sheet == "交易" and named.data["customer_id"].tolist() == ["K9"]


def test_several_visible_sheets_and_none_named_after_the_kind(tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"一月": TX, "二月": TX, "Sheet3": []})
    err = error_of(path, "transactions")
    assert "several sheets (一月, 二月) and none is named after transactions" in err.message("en")
    assert "sheet: 一月 under transactions: in mapping.yaml" in err.message("en")
    result = load_table("transactions", path, mapping={"transactions": {"sheet": "二月"}}, rejects_dir=tmp_path)
    assert result.sheet == "二月"
    assert load_table("transactions", path, sheet="一月", rejects_dir=tmp_path).rows_read == 2


def test_a_workbook_with_one_used_sheet_and_blank_default_sheets(tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"Sheet1": TX, "Sheet2": [], "Sheet3": []})
    assert load_table("transactions", path, rejects_dir=tmp_path).sheet == "Sheet1"


def test_excel_dates_without_a_time_read_as_dates(tmp_path):
    from datetime import datetime

    rows = [["complaint_id", "store_id", "created_at", "channel", "tier", "category", "first_response_at"]]
    rows += [[f"T{i}", "001", datetime(2026, 3, i), "phone", "normal", "其他", None] for i in range(1, 4)]
    path = workbook(tmp_path / "c.xlsx", {"complaints": rows})
    raw = read_file(path, None, "complaints")
    assert raw.frame["c2"].tolist() == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert load_table("complaints", path, rejects_dir=tmp_path).date_only == ("created_at",)


def test_streamed_sheet_keeps_row_numbers_and_blank_rows(tmp_path):
    rows = [TX[0]] + [[f"2026-03-{d:02d}", f"K{d}", "001", d] for d in range(1, 21)]
    rows[5] = [None, None, None, None]
    path = workbook(tmp_path / "t.xlsx", {"交易": rows})
    result = load_table("transactions", path, rejects_dir=tmp_path)
    assert result.blank_rows == 1 and result.rows_read == 19
    assert result.origin["source_row"].tolist()[:5] == [2, 3, 4, 5, 7]
    assert pd.api.types.is_float_dtype(result.data["amount"])


def test_a_quoted_header_over_two_lines_keeps_row_numbers(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        '"交易\n日期",客户编号,门店编号,金额\n2026-03-05,K1,001,12\n2026-03-05,K2\n2026-03-05,K3,001,-1\n',
        encoding="utf-8",
    )
    result = load_table("transactions", path, rejects_dir=tmp_path)
    assert result.mapping["交易\n日期"] == "date"
    assert reasons(result) == [(3, "wrong_field_count"), (4, "negative")]
    assert result.origin["source_row"].tolist() == [2]
