"""Notebook 04 (satisfaction and loyalty) executed by papermill for two stores of a six-month chain."""

from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from kit.core.privacy import find_pii
from kit.run.kernels import KERNEL_NAME

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_satisfaction_loyalty.ipynb"


@pytest.fixture(scope="module")
def six_month_chain_dir(tmp_path_factory):
    """Five stores (so that 005, a "poor" store, exists), six months (cohorts, quarters, recovery windows)."""
    from kit.intake.sample import write_chain

    folder = tmp_path_factory.mktemp("chain6")
    write_chain(folder, stores=5, months=6, seed=11)
    return folder


def test_parameters_cell_is_notebook_03s_plus_the_analysis_settings():
    from papermill.inspection import inspect_notebook

    from kit.run.params import LoyaltyParams, ReportParams

    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.metadata["tags"] == ["parameters"]
    mine = inspect_notebook(str(NOTEBOOK))
    ref = inspect_notebook(str(NOTEBOOK.with_name("03_complaint_audit.ipynb")))
    assert {k: v["default"] for k, v in ref.items()} == {k: mine[k]["default"] for k in ref}
    assert set(mine) == set(LoyaltyParams.model_fields) and set(ref) == set(ReportParams.model_fields)
    defaults = LoyaltyParams.model_fields
    for name in set(mine) - set(ref):  # the notebook's defaults are the model's
        assert float(mine[name]["default"]) == defaults[name].default


@pytest.mark.slow
@pytest.mark.parametrize("store_id, lang", [("001", "zh"), ("005", "en")])
def test_notebook04_runs_for_a_store(store_id, lang, six_month_chain_dir, tmp_path):
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters=dict(
            store_id=store_id,
            period_start="2026-01-01",
            period_end="2026-06-30",
            data_dir=str(six_month_chain_dir),
            lang=lang,
        ),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 6  # NPS trend, mix, SERVQUAL, cohorts, recovery, drivers
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Glyph" not in streams and "Warning" not in streams and "findfont" not in streams
    markdown = "\n".join(o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {}))
    expected = {
        "zh": ["差距最大的维度是", "净推荐值 NPS", "BG/NBD", "按时解决率", "对 NPS", "项达成目标"],
        "en": [
            "The largest SERVQUAL gap is",
            "NPS",
            "BG/NBD",
            "resolved on time",
            "NPS",
            "indicators that could be judged meet",
        ],
    }[lang]
    for text in expected:
        assert text in markdown, text
    # contractual retention only where the store has a membership programme (store 005 of the sample)
    member_word = {"zh": "会员计划", "en": "Membership programme"}[lang]
    assert (member_word in markdown) == (store_id == "005")
    assert ("sBG" in markdown) == (store_id == "005")
    assert "adjusted Wald" in markdown or "调整 Wald" in markdown or "Wald" in markdown
    assert f"04_satisfaction_loyalty.{lang}.md#remedy-" in markdown
    tables = "\n".join(o["data"].get("text/plain", "") for o in outputs if "text/html" in o.get("data", {}))
    assert "G9" in tables
    text = out.read_text(encoding="utf-8")
    complaints = pd.read_csv(six_month_chain_dir / "complaints.csv", dtype=str, encoding="utf-8-sig")
    assert find_pii(text, names=complaints["customer_name"].unique()) == []


def test_playbook_anchors_exist_in_both_languages():
    import re

    from kit.loyalty.servqual import DIMENSIONS

    root = Path(__file__).resolve().parents[2]
    used = {"reading-scores", "loyalty-conversation", "clv", "service-recovery", "key-drivers", "scorecard"}
    used |= {f"remedy-{d}" for d in DIMENSIONS}
    code = "".join((root / "kit" / "loyalty" / name).read_text(encoding="utf-8") for name in ("report.py",))
    code += NOTEBOOK.read_text(encoding="utf-8")
    assert set(re.findall(r'playbook_link\(\\?"([a-z-]+)\\?"', code)) <= used
    for lang in ("zh", "en"):
        text = (root / "playbook" / f"04_satisfaction_loyalty.{lang}.md").read_text(encoding="utf-8")
        anchors = set(re.findall(r'<a id="([a-z-]+)"></a>', text))
        assert used <= anchors, used - anchors
