"""Notebooks 01 and 02 run headless under papermill on a small chain with a temporary workspace.

Only the workshop parameters ``kit run`` passes are given (workspace, data_dir, lang, store_id,
period_start, period_end): no widget is needed, the workspace is read, the KANO report and the
standards card are in the executed notebook, and the card can be copied next to it.
"""

from pathlib import Path

import nbformat
import papermill
import pytest

from kit.cli import main as kit_main
from kit.core.i18n import t
from kit.run.kernels import KERNEL_NAME
from kit.workshop.card import CARD_MIME, export_cards
from kit.workshop.widgets import CustomerTypesForm, StandardsForm
from kit.workshop.workspace import open_workspace

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _new_workspace(tmp_path, capsys):
    """A workspace made the way a consultant makes one: ``kit workspace new``."""
    assert kit_main(["workspace", "new", "client", "--root", str(tmp_path / "workspaces")]) == 0
    printed = capsys.readouterr().out
    assert "goals.yaml" in printed and "standards.yaml" in printed and "customer_types.yaml" in printed
    return open_workspace(tmp_path / "workspaces" / "client")


def _run(name, small_chain_dir, tmp_path, lang, *, workspace, store_id=""):
    out = tmp_path / "run" / "chain" / f"{name}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=dict(
            workspace=workspace,
            data_dir=str(small_chain_dir),
            lang=lang,
            store_id=store_id,
            period_start="2026-01-01",
            period_end="2026-03-31",
        ),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(NOTEBOOKS),
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Glyph" not in streams and "Warning" not in streams and "Traceback" not in streams
    return outputs, out


def _html(outputs):
    return [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_customer_types_notebook(lang, small_chain_dir, tmp_path, capsys):
    ws = _new_workspace(tmp_path, capsys)
    form = CustomerTypesForm(ws, lang)  # what the team typed in the workshop is what the headless run shows
    form.select("non_profits")
    form.fields["name_zh" if lang == "zh" else "name_en"].value = (
        "社区公益伙伴" if lang == "zh" else "community partners"
    )
    form.fields["share"].value = "0.05"
    assert form.save()
    outputs, out = _run("01_customer_types", small_chain_dir, tmp_path, lang, workspace=str(ws.path))
    html = _html(outputs)
    kano_table = [
        h
        for h in html
        if ("满意系数" if lang == "zh" else "Better") in h and ("必备" if lang == "zh" else "must-be") in h
    ]
    assert kano_table and all(f">{c} " in kano_table[0] or f">{c}<" in kano_table[0] for c in "AOMIRQ")
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1  # the Better/Worse scatter
    markdown = "".join(o["data"].get("text/markdown", "") for o in outputs if "data" in o)
    assert t("widgets.workshop.headless", lang) in markdown
    types = next(h for h in html if ("社区公益伙伴" if lang == "zh" else "community partners") in h)
    assert "5%" in types and ("个人消费者" if lang == "zh" else "consumers") in types
    assert ("核心顾客" if lang == "zh" else "champions") in "".join(html)  # the RFM segments
    assert not export_cards(out)  # notebook 01 shows no card


@pytest.mark.slow
@pytest.mark.parametrize("lang, store_id", [("zh", ""), ("en", "002")])
def test_service_standards_notebook(lang, store_id, small_chain_dir, tmp_path, capsys):
    ws = _new_workspace(tmp_path, capsys)
    form = StandardsForm(ws, lang)  # the workshop lowers the front-line limit to 300 yuan
    form.fields["authority_frontline"].value = "300"
    assert form.save()
    outputs, out = _run(
        "02_service_standards", small_chain_dir, tmp_path, lang, workspace=str(ws.path), store_id=store_id
    )
    html = "".join(_html(outputs))
    assert ("目前" if lang == "zh" else "today") in "".join(
        o["data"].get("text/markdown", "") for o in outputs if "data" in o
    )
    assert ("可实现" if lang == "zh" else "achievable") in html  # the SMART verdicts table
    cards = [o for o in outputs if CARD_MIME in o.get("data", {})]
    assert len(cards) == 1 and "<iframe" in cards[0]["data"]["text/html"]
    name = f"standards_card.{store_id + '.' if store_id else ''}{lang}.html"
    title = "服务标准卡" if lang == "zh" else "Service standards card"
    in_workspace = ws.path / name
    assert in_workspace.is_file() and title in in_workspace.read_text(encoding="utf-8")
    written = export_cards(out)  # what kit run does after the notebook: the card next to it
    assert written == [out.parent / name]
    page = written[0].read_text(encoding="utf-8")
    assert page == in_workspace.read_text(encoding="utf-8")
    assert "300" in page and "500" not in page and "<script" not in page


@pytest.mark.slow
def test_missing_workspace_is_a_clear_error(small_chain_dir, tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="workspace"):
        _run("01_customer_types", small_chain_dir, tmp_path, "en", workspace=str(tmp_path / "nope"))
