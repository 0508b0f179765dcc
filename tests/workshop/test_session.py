"""kit.workshop: the default workspace, the display tables of notebook 02 and the card file."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd

from kit.audit.history import measured_attainment_table
from kit.core.i18n import t
from kit.run.params import WorkshopParams, validate_params
from kit.workshop.card import CARD_MIME
from kit.workshop.session import (
    DEFAULT_WORKSPACE,
    open_workshop,
    project_root,
    resolve_workspace,
    sla_table,
    write_card,
)
from kit.workshop.standards import default_service_standards
from kit.workshop.workspace import create_workspace


def test_tables_speak_the_language():
    std = default_service_standards(review_date=date(2026, 7, 1))
    zh = sla_table(std, "zh")
    assert zh.columns.tolist() == ["指标", "渠道", "优先级", "目标（分钟）", "计时", "要求达标率 %"]
    assert zh.iloc[0].tolist()[:3] == ["首次响应", "全部", "紧急投诉"]
    measured = pd.DataFrame(
        {
            "id": ["urgent_30min"],
            "metric": ["first_response"],
            "scope": ["* × urgent"],
            "met": [62],
            "breached": [38],
            "attainment": [0.62],
        }
    )
    en = measured_attainment_table(measured, std, "en")
    assert en.iloc[0].tolist() == [
        "first response to urgent complaint ≤ 30 minutes (95% of cases)",
        "first response",
        62,
        38,
        "62.0%",
    ]


def test_default_workspace_is_created_once_and_is_git_ignored(tmp_path, monkeypatch, small_chain_dir):
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    params = validate_params(WorkshopParams, data_dir=str(small_chain_dir), lang="en")
    ws, note = resolve_workspace(params)
    assert ws.path == tmp_path / DEFAULT_WORKSPACE and "created" in note
    assert sorted(p.name for p in ws.path.glob("*.yaml")) == ["customer_types.yaml", "goals.yaml", "standards.yaml"]
    again, note = resolve_workspace(params)
    assert again == ws and "using" in note
    root = project_root(Path(__file__).parent)
    if shutil.which("git") and (root / ".git").exists():
        probe = (DEFAULT_WORKSPACE / "standards_card.zh.html").as_posix()
        assert subprocess.run(["git", "check-ignore", "-q", probe], cwd=root).returncode == 0


def test_write_card_into_the_workspace(tmp_path, small_chain_dir):
    ws = create_workspace(tmp_path, "acme")
    workshop = open_workshop(
        workspace=str(ws.path),
        data_dir=str(small_chain_dir),
        lang="en",
        store_id="002",
        period_start="2026-01-01",
        period_end="2026-01-31",
    )
    assert "acme" in workshop.note and t("widgets.workshop.headless", "en") in workshop.note
    assert "complaints.csv: all" in workshop.note  # rows read and rejected, as every report says
    card = write_card(workshop, default_service_standards())
    assert card.path == ws.path / "standards_card.002.en.html" and card.path.is_file()
    data, meta = card._repr_mimebundle_()
    assert data[CARD_MIME] == card.path.read_text(encoding="utf-8") and meta[CARD_MIME]["store_id"] == "002"
