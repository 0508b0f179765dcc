"""The complaint audit (notebook 03, playbook chapter 03): SLA status and attainment, the other
complaint-handling measures, findings ranked by impact, charts and report views.

Every public name of the subpackage's modules can be imported from here (``from kit.audit import
COLUMNS``); the module holding it is imported on first use, so ``import kit.audit`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "COLUMNS": "findings",
    "DEFAULT_AUTHORITY": "measures",
    "DIMENSIONS": "attainment",
    "END_COLUMNS": "measures",
    "STATUSES": "measures",
    "STATUS_CATEGORIES": "measures",
    "TRENDS": "attainment",
    "attainment_breakdowns": "attainment",
    "attainment_chart": "charts",
    "attainment_table": "attainment",
    "attainment_trend_chart": "charts",
    "authority_check": "measures",
    "breakdown_view": "views",
    "category_pareto": "measures",
    "change_note": "findings",
    "complaints_per_month": "measures",
    "describe_attainment": "measures",
    "describe_findings": "findings",
    "describe_pareto": "measures",
    "early_warning": "measures",
    "findings_view": "findings",
    "first_contact_resolution": "measures",
    "first_response_status": "measures",
    "follow_up_compliance": "measures",
    "golden_window": "measures",
    "indicator_findings": "findings",
    "measured_attainment": "history",
    "measured_attainment_table": "history",
    "monthly_attainment": "attainment",
    "monthly_complaints_chart": "charts",
    "open_overdue": "findings",
    "pareto_chart": "charts",
    "pareto_view": "views",
    "remedy_link": "findings",
    "repeat_complaints": "measures",
    "resolution_satisfaction": "measures",
    "response_time_chart": "charts",
    "response_time_summary": "measures",
    "sla_attainment": "measures",
    "sla_status": "measures",
    "with_month": "attainment",
    "worst_rules": "findings",
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
