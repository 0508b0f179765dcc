"""The run folder's deliverables once every job has finished: the KPI workbook, PDFs, the index.

:func:`finish_run` is called by the batch engine (:mod:`kit.run.batch`) after all jobs ran.  It writes

* ``kpis.xlsx`` -- every KPI of every store for the period and the previous period
  (:mod:`kit.chain.indicators`), one sheet per view (long table, stores × KPIs, targets), headers in the
  run's language, store ids stored as text ("001" stays "001"), Chinese intact in Excel;
* a PDF next to each successful report's HTML when a Chromium is installed (:mod:`kit.run.pdf`),
  otherwise a clean "skipped: no Chromium" status -- never an error;
* ``index.html`` linking every report (HTML and PDF), the chain overview first, and the workbook
  (:func:`kit.run.html.write_index`).

Examples
--------
>>> import tempfile
>>> from datetime import date
>>> from pathlib import Path
>>> from kit.intake.sample import write_chain
>>> data = Path(tempfile.mkdtemp()); out = Path(tempfile.mkdtemp())
>>> _ = write_chain(data, stores=2, months=1, seed=1)
>>> res = finish_run(out, [], lang="en", data_dir=data, period=(date(2026, 1, 1), date(2026, 1, 31)), pdf=False)
>>> res["excel"], res["pdf"]["status"], (out / "kpis.xlsx").exists()
('kpis.xlsx', 'skipped', True)
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from kit.chain.indicators import CHAIN, indicator_targets, indicator_wide
from kit.core.errors import KitError
from kit.core.files import neutralise_cells, write_bytes
from kit.core.i18n import check_lang, t
from kit.run.pdf import find_chromium, html_to_pdf, pdf_is_current
from kit.workshop.indicators import indicator_label, verdict_reason

__all__ = [
    "EXCEL_NAME",
    "HANDOUTS_DIR",
    "INDEX_NAME",
    "finish_run",
    "print_pdfs",
    "workbook_sheets",
    "write_kpi_workbook",
]

EXCEL_NAME = "kpis.xlsx"
INDEX_NAME = "index.html"
#: Folder of the run's printable hand-outs (questionnaires, action plan, standards card).
HANDOUTS_DIR = "handouts"


# --------------------------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------------------------
def _header(name: str, lang: str) -> str:
    return t(f"deliverables.column.{name}", lang)


def _kpi_columns(
    frame: pd.DataFrame, lang: str, measured: Mapping[str, pd.Series] | None = None
) -> dict[str, pd.Series]:
    """The KPI's name, code, ``measured`` columns, unit, direction, target and its source, for display."""
    return {
        _header("kpi", lang): frame["indicator"].map(lambda k: indicator_label(k, lang)),
        _header("kpi_code", lang): frame["indicator"],
        **(measured or {}),
        _header("unit", lang): frame["unit"].map(lambda u: t(f"indicators.unit.{u}", lang)),
        _header("direction", lang): frame["direction"].map(
            lambda d: t("deliverables.higher" if d == ">=" else "deliverables.lower", lang)
        ),
        _header("target", lang): frame["target"].round(2),
        _header("target_source", lang): frame["target_source"].map(lambda s: t(f"indicators.source.{s}", lang)),
    }


def workbook_sheets(
    long: pd.DataFrame, lang: str, *, store_names: Mapping[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as display frames: ``{sheet name: frame}`` with headers in ``lang``.

    Sheets: the long table (every store, KPI and period), stores × KPIs for the period and the
    previous period, and the targets with the chain's attainment.

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"], "period_start": [pd.Timestamp("2026-01-01")],
    ...     "period_end": [pd.Timestamp("2026-01-31")], "store_id": ["001"], "indicator": ["nps"], "value": [35.0],
    ...     "n": [40], "unit": ["points"], "direction": [">="], "target": [30.0], "target_source": ["goals"],
    ...     "gap": [5.0], "met": pd.array([True], dtype="boolean"), "verdict": ["met"], "reason": [""],
    ...     "reason_column": [""], "impact": [float("nan")]})
    >>> list(workbook_sheets(long, "en"))  # no previous period in this table: no sheet for it
    ['KPIs (long)', 'Stores × KPIs', 'Targets']
    """
    check_lang(lang)
    names = dict(store_names or {})
    names.setdefault(CHAIN, t("indicators.chain", lang))
    yes, no = t("deliverables.answer_yes", lang), t("deliverables.answer_no", lang)

    def store_name(ids: pd.Series) -> pd.Series:
        return ids.map(names).fillna("")

    out = long.copy()
    display = pd.DataFrame(
        {
            _header("period", lang): out["period"].map(lambda p: t(f"indicators.period.{p}", lang)),
            _header("period_start", lang): pd.to_datetime(out["period_start"]).dt.date,
            _header("period_end", lang): pd.to_datetime(out["period_end"]).dt.date,
            _header("store_id", lang): out["store_id"].astype(str),
            _header("store_name", lang): store_name(out["store_id"].astype(str)),
            **_kpi_columns(
                out, lang, measured={_header("value", lang): out["value"].round(2), _header("n", lang): out["n"]}
            ),
            _header("gap", lang): out["gap"].round(2),
            _header("met", lang): out["met"].map(lambda m: "" if pd.isna(m) else (yes if m else no)).astype(object),
            _header("verdict", lang): [t(f"indicators.verdict.{v}", lang) for v in out["verdict"]],
            _header("reason", lang): [
                verdict_reason(r, lang, column=c, n=int(n)) if r and r != "too_few" else ""
                for r, c, n in zip(out["reason"], out["reason_column"], out["n"])
            ],
        }
    )
    sheets = {t("deliverables.sheet.long", lang): display}
    for period, key in (("current", "wide"), ("previous", "wide_previous")):
        wide = indicator_wide(long, period=period)
        if wide.empty:
            continue
        wide = wide.round(2)
        wide.insert(1, "store_name", store_name(wide["store_id"].astype(str)))
        wide = wide.rename(
            columns={"store_id": _header("store_id", lang), "store_name": _header("store_name", lang)}
            | {k: indicator_label(k, lang) for k in wide.columns[2:]}
        )
        sheets[t(f"deliverables.sheet.{key}", lang)] = wide
    targets = indicator_targets(long)
    targets = pd.DataFrame(
        {
            **_kpi_columns(targets, lang),
            _header("chain_value", lang): targets["chain_value"].round(2),
            _header("stores_met", lang): targets["stores_met"],
            _header("stores_measured", lang): targets["stores_judged"],
            _header("stores_met_share", lang): targets["stores_met_share"].round(1),
        }
    )
    sheets[t("deliverables.sheet.targets", lang)] = targets
    return sheets


def write_kpi_workbook(
    long: pd.DataFrame, path: str | Path, lang: str, *, store_names: Mapping[str, str] | None = None
) -> Path:
    """Write the KPI workbook (openpyxl, atomically): store ids as text cells, Chinese as it is.

    Text from the data (store names) never runs as a formula (:func:`kit.core.files.neutralise_cells`).
    Excel keeps "001" because the cells are strings formatted as text (``@``); column widths
    fit the headers; the header row is frozen.
    """
    from openpyxl.utils import get_column_letter

    sheets = workbook_sheets(long, lang, store_names=store_names)
    id_header = _header("store_id", lang)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = neutralise_cells(frame)  # a store name "=HYPERLINK(…)" stays text
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            ws.freeze_panes = "A2"
            for k, col in enumerate(frame.columns, start=1):
                letter = get_column_letter(k)
                width = max([len(str(col)) * (2 if any(ord(ch) > 0x2E80 for ch in str(col)) else 1)] + [10])
                ws.column_dimensions[letter].width = min(width + 2, 40)
                if col == id_header:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=k, max_col=k):
                        cell.number_format = "@"
    return write_bytes(path, buffer.getvalue())


# --------------------------------------------------------------------------------------------
# PDFs
# --------------------------------------------------------------------------------------------
def print_pdfs(
    out_dir: Path, results: Sequence[Mapping[str, Any]], lang: str, *, finder: Callable[[], str | None] | None = None
) -> dict[str, Any]:
    """A PDF next to each successful job's HTML; ``{"status", "message", "files", "errors"}``.

    ``status`` is ``ok`` (every PDF printed), ``partial`` (some failed: see ``errors``),
    ``skipped`` (no Chromium found: a note, not an error) or ``none`` (no HTML to print).

    A PDF newer than its HTML is kept as it is, not printed again (a resumed run re-prints only
    the reports it re-made); ``reused`` counts those, ``files`` lists them with the printed ones.
    """
    chromium = (finder or find_chromium)()  # looked up at call time (tests replace it)
    pages = [str(r["html"]) for r in results if r.get("status") == "ok" and r.get("html")]
    if chromium is None:
        return {"status": "skipped", "message": t("deliverables.pdf.skipped", lang), "files": {}, "errors": []}
    if not pages:
        return {"status": "none", "message": t("deliverables.pdf.none", lang), "files": {}, "errors": []}
    files: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    reused = 0
    for rel in pages:  # one browser start per report; a few seconds each
        html = out_dir / rel
        pdf_rel = str(Path(rel).with_suffix(".pdf"))
        if pdf_is_current(html, out_dir / pdf_rel):
            files[rel] = pdf_rel
            reused += 1
            continue
        try:
            html_to_pdf(html, out_dir / pdf_rel, chromium=chromium)
            files[rel] = pdf_rel
        except (OSError, RuntimeError) as exc:
            errors.append({"html": rel, "error": str(exc)})
    status = "ok" if not errors else "partial"
    message = (
        t("deliverables.pdf.ok", lang, n=len(files))
        if not errors
        else t("deliverables.pdf.partial", lang, n=len(files), failed=len(errors))
    )
    return {"status": status, "message": message, "files": files, "errors": errors, "reused": reused}


# --------------------------------------------------------------------------------------------
# the entry point of the batch engine
# --------------------------------------------------------------------------------------------
def finish_run(
    out_dir: Path,
    results: list[dict],
    *,
    lang: str,
    data_dir: Path,
    period: tuple[date, date],
    workspace: str = "",
    pdf: bool = True,
) -> dict:
    """Write the run's deliverables after all jobs finished; never raises for a missing browser.

    Parameters
    ----------
    out_dir : Path
        The run folder (reports are under ``<out_dir>/<store>/``).
    results : list of dict
        The manifest's job entries: ``store_id`` (``"chain"`` for chain-level jobs), ``notebook``,
        ``status``, ``duration_s``, ``output``, ``html`` (relative to ``out_dir``), ``error``.
    lang : {"zh", "en"}
        Language of the workbook, the messages and the index.
    data_dir : Path
        The chain's data folder (the KPIs are measured from it once, for all stores).
    period : (date, date)
        The run's period; the previous period of equal length is measured too.
    workspace : str
        The client workspace (targets from its ``standards.yaml`` / ``goals.yaml``).
    pdf : bool
        Print PDFs when a Chromium is found.

    Returns
    -------
    dict (JSON-serialisable)
        ``{"status": "ok" | "failed", "excel": "kpis.xlsx" | None, "pdf": {"status", "message",
        "files": {html: pdf}}, "playbook": "playbook/README.html" | None, "cards": [standards cards], "handouts": {name: file} (the
        printable KANO and SERVQUAL questionnaires, action plan and standards card of
        :func:`kit.workshop.printouts.write_handouts`, in ``handouts/``),
        "index": "index.html", "errors": [{"step", "message"}], "error": text, "store_names": {id: name},
        "headlines": {id: text}}`` (the index page's store column and headline,
        :func:`kit.chain.headlines.store_headlines`).  ``status`` is
        ``failed`` when a step failed (the workbook, the handouts, a PDF, the index: see
        ``errors``; ``error`` joins their messages), so the run fails too.  No browser for the
        PDFs is not a failure.
    """
    from kit.chain.handouts import export_run_cards, link_reports_to_playbook, write_playbook
    from kit.chain.headlines import store_headlines
    from kit.chain.overview import chain_kpis
    from kit.intake.load import load_chain
    from kit.run.html import write_index
    from kit.workshop.printouts import HANDOUTS, write_handouts

    check_lang(lang)
    out_dir = Path(out_dir)
    errors: list[dict[str, str]] = []
    excel: str | None = None
    names: dict[str, str] = {}
    headlines: dict[str, str] = {}
    try:
        chain = load_chain(data_dir)
        long, _ = chain_kpis(chain, period, workspace=workspace, lang=lang)
        stores = chain.stores.data
        col = "store_name_zh" if lang == "zh" else "store_name_en"
        pairs = zip(stores["store_id"].astype(str), stores[col].fillna("").astype(str)) if col in stores.columns else ()
        names = {sid: name for sid, name in pairs if name.strip() and name != sid}  # derived stores: no name
        headlines = store_headlines(long, lang)
        write_kpi_workbook(long, out_dir / EXCEL_NAME, lang, store_names=names)
        excel = EXCEL_NAME
    except KitError as exc:
        errors.append({"step": "excel", "message": exc.message(lang)})
    except Exception as exc:
        errors.append({"step": "excel", "message": f"{type(exc).__name__}: {exc}"})
    playbook: str | None = None
    cards: list[str] = []
    handouts: dict[str, str] = {}
    try:  # before the PDFs, so that they carry the working links
        pages = write_playbook(out_dir, lang)
        playbook = next((p.relative_to(out_dir).as_posix() for p in pages if p.stem == "README"), None)
        link_reports_to_playbook(out_dir, [r["html"] for r in results if r.get("html")])
        cards = [p.relative_to(out_dir).as_posix() for p in export_run_cards(out_dir, results)]
        sheets = write_handouts(out_dir / HANDOUTS_DIR, workspace or None, lang)
        handouts = {name: p.relative_to(out_dir).as_posix() for name, p in zip(HANDOUTS, sheets)}
    except Exception as exc:
        errors.append({"step": "handouts", "message": f"{type(exc).__name__}: {exc}"})
    if pdf:
        pdf_info = print_pdfs(out_dir, results, lang)
    else:
        pdf_info = {"status": "skipped", "message": t("deliverables.pdf.off", lang), "files": {}, "errors": []}
    errors += [{"step": "pdf", "message": f"{e['html']}: {e['error']}"} for e in pdf_info.pop("errors")]
    summary = {
        "excel": excel,
        "pdf": pdf_info,
        "playbook": playbook,
        "cards": cards,
        "handouts": handouts,
        "index": INDEX_NAME,
        "errors": errors,
        "store_names": names,
        "headlines": headlines,
    }
    try:
        write_index(results, out_dir / INDEX_NAME, lang, deliverables=summary)
    except Exception as exc:
        errors.append({"step": "index", "message": f"{type(exc).__name__}: {exc}"})
    summary["status"] = "failed" if errors else "ok"
    if errors:
        summary["error"] = "; ".join(f"{e['step']}: {e['message']}" for e in errors)
    return summary
