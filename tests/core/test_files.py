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
