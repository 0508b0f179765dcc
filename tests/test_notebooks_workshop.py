"""Notebooks 01 and 02 run headless under papermill on a small chain with a temporary workspace."""

from pathlib import Path

import nbformat
import papermill
import pytest

from kit.batch import KERNEL_NAME
from kit.workspace import create_workspace

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _run(name, small_chain_dir, tmp_path, lang, **extra):
    out = tmp_path / f"{name}.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"), str(out),
        parameters=dict(data_dir=str(small_chain_dir), lang=lang, period_start="2026-01-01", period_end="2026-03-31", **extra),
        kernel_name=KERNEL_NAME, progress_bar=False, cwd=str(NOTEBOOKS),
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Glyph" not in streams and "Warning" not in streams
    return outputs, out.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("lang, header", [("zh", "Better"), ("en", "Better")])
def test_customer_types_notebook(lang, header, small_chain_dir, tmp_path):
    ws = create_workspace(tmp_path, "ws")
    outputs, text = _run("01_customer_types", small_chain_dir, tmp_path, lang, workspace=str(ws.path))
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any(header in h and ("必备" if lang == "zh" else "must-be") in h for h in html)  # the KANO table
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1  # the Better/Worse scatter
    assert ("个人消费者" if lang == "zh" else "consumers") in text


@pytest.mark.slow
@pytest.mark.parametrize("lang, store_id", [("zh", ""), ("en", "002")])
def test_service_standards_notebook(lang, store_id, small_chain_dir, tmp_path):
    ws = create_workspace(tmp_path, "ws")
    outputs, text = _run("02_service_standards", small_chain_dir, tmp_path, lang, workspace=str(ws.path), store_id=store_id)
    card = ws.path / f"standards_card_{lang}.html"
    assert card.is_file() and ("服务标准卡" if lang == "zh" else "Service standards card") in card.read_text(encoding="utf-8")
    assert ("目前" if lang == "zh" else "today") in text  # 'achievable' measured from the history


@pytest.mark.slow
def test_missing_workspace_is_a_clear_error(small_chain_dir, tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="workspace"):
        _run("01_customer_types", small_chain_dir, tmp_path, "en", workspace=str(tmp_path / "nope"))
