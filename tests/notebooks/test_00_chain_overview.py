"""Notebook 00 (chain overview) executed by papermill on a small sample chain, in both languages."""

from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from kit.core.errors import ParameterError
from kit.core.privacy import find_pii
from kit.run.html import export_html, external_refs
from kit.run.kernels import KERNEL_NAME
from kit.run.params import ChainParams, validate_params

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "00_chain_overview.ipynb"


@pytest.fixture(scope="module")
def chain_dir(tmp_path_factory):
    from kit.intake.sample import write_chain

    folder = tmp_path_factory.mktemp("chain00")
    write_chain(folder, stores=3, months=3, seed=1)
    return folder


def test_second_cell_validates_chain_params():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata["tags"]
    assert "validate_params(\n    ChainParams" in code[1].source or "validate_params(ChainParams" in code[1].source
    assert "store_id" not in code[0].source
    with pytest.raises(ParameterError):
        validate_params(
            ChainParams, period_start="2026-01-01", period_end="2026-01-31", data_dir=".", lang="en", store_id="001"
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "lang, expected",
    [
        ("zh", ["门店排名", "领先门店", "全连锁", "首响达标"]),
        ("en", ["League table", "Leading store", "whole chain", "1st reply"]),
    ],
)
def test_overview_runs_on_a_sample_chain(lang, expected, chain_dir, tmp_path):
    out = tmp_path / "00.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(NOTEBOOK.parent),
        parameters=dict(period_start="2026-02-01", period_end="2026-03-31", data_dir=str(chain_dir), lang=lang),
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert len([o for o in outputs if "image/png" in o.get("data", {})]) == 2  # heat map, attainment
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Glyph" not in streams and "Warning" not in streams
    text = out.read_text(encoding="utf-8")
    for word in expected:
        assert word in text, word
    complaints = pd.read_csv(chain_dir / "complaints.csv", dtype=str, encoding="utf-8-sig")
    assert find_pii(text, names=complaints["customer_name"].unique()) == []
    html = export_html(out, tmp_path / "00.html", lang=lang).read_text(encoding="utf-8")
    assert external_refs(html) == []
    assert "validate_params" not in html  # code hidden
