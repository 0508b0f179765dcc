"""Atomic writes: content, encodings, permissions, and a failed write leaving the old file."""

import os
import stat

import pandas as pd
import pytest

from kit.core import files


def test_write_text_round_trip_keeps_chinese(tmp_path):
    path = files.write_text(tmp_path / "sub" / "a.yaml", "名称: 张三\n")
    assert path.read_text(encoding="utf-8") == "名称: 张三\n"


def test_new_file_gets_usual_permissions_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        path = files.write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    path.chmod(0o640)
    files.write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == "new"


def test_failed_write_leaves_previous_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "standards.yaml"
    path.write_text("previous")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        files.write_text(path, "half")
    assert path.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["standards.yaml"]


def test_write_csv_is_utf8_sig_for_excel(tmp_path):
    path = files.write_csv(pd.DataFrame({"门店": ["001"]}), tmp_path / "r.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(path, dtype=str, encoding="utf-8-sig")["门店"].tolist() == ["001"]


# --------------------------------------------------------------------------- data is text, never a formula


def test_write_csv_neutralises_formulas_in_cells_and_headers(tmp_path):
    frame = pd.DataFrame(
        {
            "=HYPERLINK(1)": ["=1+1", "+SUM(A1)", "-2+3 x", "@cmd", "\tx", "\rx", "plain"],
            "amount": [-5.0, 1.5, 0.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    path = files.write_csv(frame, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["'=HYPERLINK(1)", "amount"]
    assert back.iloc[:, 0].tolist() == [
        "'=1+1",
        "'+SUM(A1)",
        "'-2+3 x",
        "'@cmd",
        "'\tx",
        "'\nx",
        "plain",
    ]  # a CR alone would end the row
    assert back["amount"].tolist()[:2] == ["-5.0", "1.5"]  # numbers stay numbers
    assert frame.iloc[0, 0] == "=1+1", "the input is not changed"


def test_numbers_as_text_and_masked_phones_stay_readable():
    frame = pd.DataFrame({"v": ["-5", "+3.5", "-1,280.00", "+86 139****5678", "-", "(021) 1234-5678", "-a"]})
    assert files.neutralise_cells(frame)["v"].tolist() == [
        "-5",
        "+3.5",
        "-1,280.00",
        "+86 139****5678",
        "-",
        "(021) 1234-5678",
        "'-a",
    ]


def test_neutralise_single_values_and_categories():
    assert files.neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert files.neutralise(None) is None and files.neutralise(-5) == -5
    frame = pd.DataFrame({"c": pd.Categorical(["=x", "ok", "=x"])})
    out = files.neutralise_cells(frame)["c"]
    assert str(out.dtype) == "category" and out.tolist() == ["'=x", "ok", "'=x"]


def test_write_csv_can_keep_formulas_for_programs(tmp_path):
    path = files.write_csv(pd.DataFrame({"v": ["=1"]}), tmp_path / "raw.csv", formulas=True)
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["v", "=1"]
