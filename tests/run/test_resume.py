import os
from pathlib import Path

from kit.core.files import data_files
from kit.run.resume import Fingerprinter, is_up_to_date, previous_entries, workspace_files


def _setup(tmp_path: Path):
    nb = tmp_path / "n.ipynb"
    nb.write_text('{"cells": []}', encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "complaints.csv").write_text("a\n1\n", encoding="utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "standards.yaml").write_text("sla: []\n", encoding="utf-8")
    params = {"store_id": "001", "data_dir": str(data), "workspace": str(ws), "lang": "en"}
    return nb, data, ws, params


def test_fingerprint_follows_notebook_parameters_data_and_workspace(tmp_path):
    nb, data, ws, params = _setup(tmp_path)
    base = Fingerprinter()(nb, params)
    assert Fingerprinter()(nb, params) == base
    assert Fingerprinter()(nb, {**params, "lang": "zh"}) != base

    (data / "complaints.rejects.csv").write_text("rejected\n", encoding="utf-8")  # an output of the loader
    (ws / "standards_card_en.html").write_text("<p>card</p>", encoding="utf-8")  # written by notebook 02
    (data / ".marker").write_text("", encoding="utf-8")
    assert Fingerprinter()(nb, params) == base

    (ws / "standards.yaml").write_text("sla: [1]\n", encoding="utf-8")
    changed_ws = Fingerprinter()(nb, params)
    assert changed_ws != base

    stat = (data / "complaints.csv").stat()
    os.utime(data / "complaints.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert Fingerprinter()(nb, params) != changed_ws

    nb.write_text('{"cells": [1]}', encoding="utf-8")
    assert Fingerprinter()(nb, params) not in (base, changed_ws)


def test_data_and_workspace_listing(tmp_path):
    _, data, ws, _ = _setup(tmp_path)
    (data / "surveys").mkdir()
    (data / "surveys" / "2026-01.csv").write_text("x\n", encoding="utf-8")
    assert [name for name, _, _ in data_files(data)] == ["complaints.csv", "surveys/2026-01.csv"]
    assert [name for name, _ in workspace_files(ws)] == ["standards.yaml"]
    assert workspace_files("") == [] and data_files(tmp_path / "missing") == []


def test_up_to_date_needs_ok_same_fingerprint_and_files(tmp_path):
    (tmp_path / "001").mkdir()
    for name in ("a.ipynb", "a.html"):
        (tmp_path / "001" / name).write_text("x", encoding="utf-8")
    entry = {"status": "ok", "fingerprint": "f1", "output": "001/a.ipynb", "html": "001/a.html"}
    assert is_up_to_date(entry, "f1", tmp_path)
    assert not is_up_to_date(entry, "f2", tmp_path)
    assert not is_up_to_date({**entry, "status": "failed"}, "f1", tmp_path)
    (tmp_path / "001" / "a.html").unlink()
    assert not is_up_to_date(entry, "f1", tmp_path)
    assert not is_up_to_date(None, "f1", tmp_path)
    assert previous_entries(tmp_path / "manifest.json") == {}
