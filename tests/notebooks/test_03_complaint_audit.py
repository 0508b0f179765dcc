"""The committed notebooks: clean on disk, and executed by papermill for two sample stores."""

import json
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from kit.core.privacy import find_pii
from kit.run.kernels import KERNEL_NAME

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_parameters_first(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert nb["metadata"]["kernelspec"]["name"] == KERNEL_NAME


@pytest.mark.slow
@pytest.mark.parametrize("store_id, lang", [("001", "zh"), ("002", "en")])
def test_complaint_audit_runs_for_a_store(store_id, lang, small_chain_dir, tmp_path):
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS[[p.stem for p in NOTEBOOKS].index("03_complaint_audit")]),
        str(out),
        parameters=dict(
            store_id=store_id,
            period_start="2026-01-01",
            period_end="2026-03-31",
            data_dir=str(small_chain_dir),
            lang=lang,
        ),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Glyph" not in streams and "Warning" not in streams
    text = out.read_text(encoding="utf-8")
    expected = "首次响应达标率" if lang == "zh" else "First-response attainment is"
    assert expected in text
    complaints = pd.read_csv(small_chain_dir / "complaints.csv", dtype=str, encoding="utf-8-sig")
    assert find_pii(text, names=complaints["customer_name"].unique()) == []
