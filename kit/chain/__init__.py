"""The chain's view (notebook 00 and the run folder): KPIs of every store, the nine-goals
scorecard, the overview, the Excel workbook, PDFs and the hand-outs.

Every public name of the subpackage's modules can be imported from here (``from kit.chain import
CHAIN``); the module holding it is imported on first use, so ``import kit.chain`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "CHAIN": "indicators",
    "ChainOverview": "overview",
    "EXCEL_NAME": "deliverables",
    "HANDOUTS_DIR": "deliverables",
    "INDEX_NAME": "deliverables",
    "MIN_JUDGED": "overview",
    "PERIODS": "indicators",
    "PLAYBOOK_DIR": "handouts",
    "RUN_PLAYBOOK": "handouts",
    "SCORECARD_COLUMNS": "goals_scorecard",
    "TABLE_COLUMNS": "indicators",
    "attainment_display": "overview",
    "chain_coverage": "overview",
    "chain_kpis": "overview",
    "describe_movers": "overview",
    "describe_overview": "overview",
    "describe_scorecard": "goals_scorecard",
    "export_run_cards": "handouts",
    "finish_run": "deliverables",
    "gap_matrix": "overview",
    "heatmap_chart": "overview",
    "indicator_table": "indicators",
    "indicator_targets": "indicators",
    "indicator_wide": "indicators",
    "league_display": "overview",
    "league_table": "overview",
    "link_reports_to_playbook": "handouts",
    "load_targets": "overview",
    "movers": "overview",
    "movers_display": "overview",
    "on_target": "indicators",
    "open_chain_overview": "overview",
    "print_pdfs": "deliverables",
    "relink": "handouts",
    "render_chapter": "handouts",
    "scorecard": "goals_scorecard",
    "scorecard_table": "goals_scorecard",
    "standard_attainment": "overview",
    "standards_attainment_chart": "overview",
    "store_headlines": "headlines",
    "store_slice": "indicators",
    "targets_for": "indicators",
    "unmeasured": "indicators",
    "workbook_sheets": "deliverables",
    "write_kpi_workbook": "deliverables",
    "write_playbook": "handouts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
