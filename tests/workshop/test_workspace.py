"""The client workspace: YAML round trip, atomic saves with history, line-accurate validation errors."""

from __future__ import annotations

import os
from datetime import date

import pytest
import yaml

import kit.core.files
from kit.core.errors import WorkspaceError
from kit.core.store import history, restore_previous, save_yaml_model
from kit.workshop.customer_types import CustomerTypes, add_customer_type, default_customer_types
from kit.workshop.rfm import segment_to_customer_type
from kit.workshop.standards import OpeningHours, ServiceStandards, default_service_standards
from kit.workshop.workspace import (
    CUSTOMER_TYPES_FILE,
    GOALS_FILE,
    STANDARDS_FILE,
    create_workspace,
    load_customer_types,
    load_standards,
    open_workspace,
    save_customer_types,
    save_standards,
)


@pytest.fixture
def ws(tmp_path):
    return create_workspace(tmp_path / "workspaces", "华东区", today=date(2026, 1, 1))


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_create_and_open(tmp_path, ws):
    assert ws.path == tmp_path / "workspaces" / "华东区" and ws.name == "华东区"
    assert sorted(p.name for p in ws.path.iterdir()) == [CUSTOMER_TYPES_FILE, GOALS_FILE, STANDARDS_FILE]
    assert open_workspace(ws.path) == ws
    with pytest.raises(WorkspaceError) as info:
        create_workspace(tmp_path / "workspaces", "华东区")
    assert "exists" in info.value.message("en")
    with pytest.raises(WorkspaceError):
        open_workspace(tmp_path / "nowhere")
    for bad in ("", "../up", "a/b", ".hidden", "x" * 65, " padded"):
        with pytest.raises(WorkspaceError):
            create_workspace(tmp_path, bad)


def test_new_workspace_holds_the_nine_goals(ws):
    from kit.workshop.goals import default_goals, default_targets, load_goals, save_goals
    from kit.workshop.indicators import INDICATORS

    text = ws.goals_path.read_text(encoding="utf-8")
    assert text.startswith("#") and "\\u" not in text
    goals, source = load_goals(ws)
    assert source == "workspace" and goals == default_goals()
    assert set(goals.targets) == set(default_targets()) and set(goals.targets) <= set(INDICATORS)
    assert {ind.goal for ind in INDICATORS.values()} == {f"G{i}" for i in range(1, 10)}
    save_goals(ws, {"nps": 40.0})  # a workshop change is kept, the creation copy goes to .history/
    assert load_goals(ws)[0].target("nps") == 40.0 and len(history(ws, GOALS_FILE)) == 1
    bad = ws.goals_path.read_text(encoding="utf-8").replace("  nps: 40.0", "  nsp: 40.0")
    ws.goals_path.write_text(bad, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_goals(ws)
    # the check is on the whole 'targets' mapping: the line is where that mapping starts, the message names nsp
    assert info.value.where.column == "targets" and info.value.where.row == _line_of(bad, "targets:") + 1
    assert "nsp" in info.value.message("en")
    assert "goals.yaml" in info.value.message("en")


def test_overwrite_resets_and_keeps_history(tmp_path, ws):
    types = load_customer_types(ws)
    save_customer_types(ws, CustomerTypes(types=types.types[:2]))
    again = create_workspace(tmp_path / "workspaces", "华东区", overwrite=True, today=date(2026, 1, 1))
    assert len(load_customer_types(again).types) == len(default_customer_types().types)
    assert len(history(ws, CUSTOMER_TYPES_FILE)) == 2


def test_round_trip(ws):
    assert load_customer_types(ws) == default_customer_types()
    assert load_standards(ws) == default_service_standards(review_date=date(2026, 7, 2))
    types = add_customer_type(load_customer_types(ws), segment_to_customer_type("at_risk"))
    std = load_standards(ws).model_copy(
        update={
            "name": "华东区门店",
            "calendar": load_standards(ws).calendar.model_copy(
                update={
                    "hours": [
                        OpeningHours(
                            store_id="001", open="09:00", close="21:00", lunch_start="12:00", lunch_end="13:00"
                        )
                    ]
                }
            ),
        }
    )
    save_customer_types(ws, types)
    save_standards(ws, std)
    assert load_customer_types(ws) == types
    assert load_standards(ws) == std
    assert isinstance(load_standards(ws), ServiceStandards)


def test_chinese_stays_readable_and_diffable(ws):
    text = ws.customer_types_path.read_text(encoding="utf-8")
    assert "name_zh: 个人消费者" in text and "\\u" not in text
    assert text.index("id: consumers") < text.index("id: business_customers")  # model order, not sorted
    std = ws.standards_path.read_text(encoding="utf-8")
    assert "title_zh: 电话响铃三声内接听" in std and "\\u" not in std
    assert "open: '10:00'" in std and "weekdays: [1, 2, 3, 4, 5, 6, 7]" in std
    assert std.index("smart:") < std.index("sla:") < std.index("calendar:")
    assert std.startswith("# 服务标准")


def test_save_keeps_previous_version_and_skips_unchanged(ws):
    before = ws.customer_types_path.read_bytes()
    save_customer_types(ws, load_customer_types(ws))  # unchanged: nothing written
    assert history(ws, CUSTOMER_TYPES_FILE) == []
    save_customer_types(ws, CustomerTypes(types=default_customer_types().types[:3]))
    copies = history(ws, CUSTOMER_TYPES_FILE)
    assert len(copies) == 1 and copies[0].read_bytes() == before
    assert copies[0].parent.name == ".history"


def test_history_is_pruned(ws):
    types = default_customer_types().types
    for k in range(1, 6):
        save_yaml_model(ws.customer_types_path, CustomerTypes(types=types[:k]), keep=3)
    assert len(history(ws, CUSTOMER_TYPES_FILE)) == 3


def test_restore_previous(ws):
    save_customer_types(ws, CustomerTypes(types=default_customer_types().types[:1]))
    restore_previous(ws, CUSTOMER_TYPES_FILE)
    assert load_customer_types(ws) == default_customer_types()
    with pytest.raises(WorkspaceError):
        restore_previous(ws, STANDARDS_FILE)


def test_interrupted_replace_leaves_previous_file_intact(ws, monkeypatch):
    before = ws.customer_types_path.read_bytes()

    real_replace = kit.core.files.os.replace

    def crash(src, dst):  # the history copy goes through; the move over the real file fails
        if os.fspath(dst) == os.fspath(ws.customer_types_path):
            raise OSError("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(kit.core.files.os, "replace", crash)
    with pytest.raises(WorkspaceError) as info:
        save_customer_types(ws, CustomerTypes(types=[]))
    assert "unchanged" in info.value.message("en")
    monkeypatch.undo()
    assert ws.customer_types_path.read_bytes() == before
    assert load_customer_types(ws) == default_customer_types()
    assert not [p for p in ws.path.iterdir() if p.name.endswith(".tmp")]
    assert [c.read_bytes() for c in history(ws, CUSTOMER_TYPES_FILE)] == [before]


def test_interrupted_write_midway_leaves_previous_file_intact(ws, monkeypatch):
    before = ws.standards_path.read_bytes()
    real_fdopen = kit.core.files.os.fdopen

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise KeyboardInterrupt("kernel stopped mid-write")

    calls = []

    def fdopen(fd, mode):  # call 1 writes the history copy, call 2 the new file: stop that one midway
        calls.append(fd)
        fh = real_fdopen(fd, mode)
        return HalfWriter(fh) if len(calls) == 2 else fh

    monkeypatch.setattr(kit.core.files.os, "fdopen", fdopen)
    with pytest.raises(KeyboardInterrupt):
        save_standards(ws, default_service_standards())
    monkeypatch.undo()
    assert len(calls) == 2
    assert ws.standards_path.read_bytes() == before
    assert not list(ws.path.rglob("*.tmp"))
    assert load_standards(ws) == default_service_standards(review_date=date(2026, 7, 2))


def test_bad_hand_edit_names_field_and_line(ws):
    path = ws.customer_types_path
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = [i for i, line in enumerate(lines) if line.strip() == "relation: external"][1]  # second type
    lines[target] = lines[target].replace("external", "externel")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_customer_types(ws)
    err = info.value
    assert err.where.row == target + 1
    assert err.where.column == "types[1].relation"
    assert err.where.file == str(path)
    msg = err.message("zh")
    assert f"第 {target + 1} 行" in msg and "types[1].relation" in msg and "只能是" in msg
    assert f"line {target + 1}" in err.message("en")


def test_bad_nested_value_and_unknown_field(ws):
    path = ws.standards_path
    text = path.read_text(encoding="utf-8")
    bad = text.replace("  up_to: 500.0", "  up_to: -5", 1)
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_standards(ws)
    assert info.value.where.column == "authority[0].up_to"
    assert info.value.where.row == _line_of(bad, "up_to: -5")
    typo = text.replace("  window_hours: 48.0", "  window_hour: 48.0", 1)
    path.write_text(typo, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_standards(ws)
    assert info.value.where.column == "follow_up.window_hour"
    assert info.value.where.row == _line_of(typo, "window_hour:")
    assert "typo" in info.value.message("en")


def test_missing_field_points_at_its_object(ws):
    path = ws.customer_types_path
    text = path.read_text(encoding="utf-8")
    bad = text.replace("  name_en: business customers\n", "", 1)
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_customer_types(ws)
    assert info.value.where.column == "types[1].name_en"
    assert info.value.where.row == _line_of(bad, "id: business_customers")


def test_yaml_traps_and_syntax_errors(ws):
    path = ws.standards_path
    text = path.read_text(encoding="utf-8")
    # an unquoted 10:00 is read by YAML as 600 -- accepted and turned back into "10:00"
    path.write_text(text.replace("open: '10:00'", "open: 10:00"), encoding="utf-8")
    assert load_standards(ws).calendar.hours[0].open == "10:00"
    # an unquoted store id 001 becomes the number 1: refused with its line
    bad = text.replace("store_id: '*'", "store_id: 001")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_standards(ws)
    assert info.value.where.row == _line_of(bad, "store_id: 001")
    assert "quotes" in info.value.message("en")
    broken = text.replace("name: ''", "name: 'unclosed", 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_standards(ws)
    assert info.value.where.row is not None and "YAML" in info.value.message("en")
    path.write_text("", encoding="utf-8")
    with pytest.raises(WorkspaceError):
        load_standards(ws)
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(WorkspaceError):
        load_standards(ws)
    path.write_bytes("name: 门店".encode("gb18030"))
    with pytest.raises(WorkspaceError):
        load_standards(ws)


def test_missing_files(ws):
    os.remove(ws.standards_path)
    with pytest.raises(WorkspaceError):
        load_standards(ws)
    assert load_standards(ws, default_if_missing=True) == default_service_standards()
    assert isinstance(load_customer_types(ws.path), CustomerTypes)  # a plain path works too


def test_file_is_valid_yaml_for_other_tools(ws):
    data = yaml.safe_load(ws.standards_path.read_text(encoding="utf-8"))
    assert data["authority"][0] == {"role": "frontline", "up_to": 500.0}
