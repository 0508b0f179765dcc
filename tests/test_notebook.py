import pandas as pd
import pytest

from kit.core.display import table
from kit.core.errors import DataError, ParameterError
from kit.notebook import open_store_report


def test_open_store_report_filters_and_masks(small_chain_dir):
    ctx = open_store_report(
        store_id="002", period_start="2026-02-01", period_end="2026-02-28", data_dir=small_chain_dir, lang="zh"
    )
    c = ctx.complaints
    assert (c["store_id"] == "002").all()
    assert c["created_at"].min() >= pd.Timestamp("2026-02-01") and c["created_at"].max() < pd.Timestamp("2026-03-01")
    assert c["customer_phone"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    assert c["customer_name"].str.contains(r"\*").all()
    assert ctx.as_of == pd.Timestamp("2026-02-28 23:59:59")
    notes = ctx.notes()
    assert notes[0].startswith("门店 002") and "脱敏" in notes[-1]


def test_unmask_is_explicit_and_noted(small_chain_dir):
    ctx = open_store_report(
        store_id="001",
        period_start="2026-01-01",
        period_end="2026-03-31",
        data_dir=small_chain_dir,
        lang="en",
        unmask=True,
    )
    assert ctx.complaints["customer_phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert "unmasked" in ctx.notes()[-1]


def test_unknown_store_and_bad_parameters(small_chain_dir):
    with pytest.raises(DataError, match="known stores: 001, 002, 003"):
        open_store_report(
            store_id="009", period_start="2026-01-01", period_end="2026-01-31", data_dir=small_chain_dir, lang="en"
        )
    with pytest.raises(ParameterError):
        open_store_report(
            store_id=1, period_start="2026-01-01", period_end="2026-01-31", data_dir=small_chain_dir, lang="en"
        )


def test_table_translates_headers_codes_and_formats():
    frame = pd.DataFrame({"tier": ["urgent"], "attainment": [0.8125], "gap": [-13.75]})
    out = table(frame, "zh", percent=["attainment"], decimals={"gap": 1}, codes={"tier": "tier"})
    assert out.columns.tolist() == ["优先级", "达标率", "差距（百分点）"]
    assert out.iloc[0].tolist() == ["紧急投诉", "81.2%", "-13.8"]


def test_workspace_standards_are_used_and_a_missing_workspace_is_an_error(small_chain_dir, tmp_path):
    from kit.core.errors import WorkspaceError
    from kit.workshop.workspace import create_workspace

    ws = create_workspace(tmp_path, "acme")
    ctx = open_store_report(
        store_id="001",
        period_start="2026-01-01",
        period_end="2026-01-31",
        data_dir=small_chain_dir,
        lang="en",
        workspace=str(ws.path),
    )
    assert "workspace acme" in ctx.standards_note
    assert ctx.follow_up_hours == 48 and ctx.authority_limits["frontline"] == 500
    assert set(ctx.calendars) == {"001", "002", "003"}
    (ws.path / "standards.yaml").unlink()
    ctx = open_store_report(
        store_id="001",
        period_start="2026-01-01",
        period_end="2026-01-31",
        data_dir=small_chain_dir,
        lang="zh",
        workspace=str(ws.path),
    )
    assert "默认标准" in ctx.standards_note
    with pytest.raises(WorkspaceError):
        open_store_report(
            store_id="001",
            period_start="2026-01-01",
            period_end="2026-01-31",
            data_dir=small_chain_dir,
            lang="zh",
            workspace=str(tmp_path / "nope"),
        )
