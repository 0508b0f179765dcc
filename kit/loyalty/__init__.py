"""Satisfaction and loyalty (notebook 04, playbook chapter 04): NPS/CSAT/CES with intervals,
SERVQUAL, retention and churn, lifetime value, service recovery, key drivers, charts.

Every public name of the subpackage's modules can be imported from here (``from kit.loyalty import
BgNbd``); the module holding it is imported on first use, so ``import kit.loyalty`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "BgNbd": "clv",
    "CES_COLUMNS": "survey",
    "CES_SCALES": "survey",
    "CI_METHODS": "survey",
    "COMPARE_COLUMNS": "survey",
    "CSAT_COLUMNS": "survey",
    "CUSTOMER_COLUMNS": "recovery",
    "DIMENSIONS": "servqual",
    "DIMENSION_ITEMS": "servqual",
    "DriverResult": "drivers",
    "GREY_TEXT": "charts",
    "GROUPS": "recovery",
    "GammaGamma": "clv",
    "IMPORTANCE_TOLERANCE": "servqual",
    "ITEM_DIMENSION": "servqual",
    "MAX_PREDICTORS": "drivers",
    "MEMBERSHIP_COLUMNS": "contractual",
    "METHODS": "drivers",
    "METRICS": "survey",
    "MIN_N": "survey",
    "MembershipRetention": "report",
    "NPS_COLUMNS": "survey",
    "NPS_PSEUDO": "survey",
    "N_ITEMS": "servqual",
    "PLAYBOOK": "report",
    "RECOVERY_COMPARE_COLUMNS": "recovery",
    "RECOVERY_METRICS": "recovery",
    "SEED_CLAIM": "recovery",
    "SUMMARY_COLUMNS": "recovery",
    "SbgModel": "contractual",
    "ServqualResult": "servqual",
    "StoreClv": "report",
    "TABLE_COLUMNS": "drivers",
    "TIME_UNITS": "clv",
    "WEIGHTINGS": "servqual",
    "answer_scores": "survey",
    "ces_table": "survey",
    "changes_table": "tables",
    "churn_rate": "retention",
    "churn_status": "retention",
    "claim_check": "recovery",
    "clv_parameters_table": "tables",
    "clv_spread_table": "tables",
    "cohort_heatmap": "charts",
    "cohort_matrix": "retention",
    "cohort_retention": "retention",
    "compare": "survey",
    "compare_groups": "recovery",
    "compare_to_rest": "survey",
    "complaint_driver_frame": "drivers",
    "csat_table": "survey",
    "describe_clv": "report",
    "describe_drivers": "drivers",
    "describe_loyalty": "report",
    "describe_membership": "report",
    "describe_recovery": "recovery",
    "describe_scores": "report",
    "describe_servqual": "report",
    "drivers_chart": "charts",
    "drivers_or_none": "report",
    "fit_bgnbd": "clv",
    "fit_gamma_gamma": "clv",
    "frequency_recency_summary": "clv",
    "key_drivers": "drivers",
    "labelled": "report",
    "largest_gap": "report",
    "margin_multiple_clv": "clv",
    "membership_retention": "report",
    "membership_survival": "contractual",
    "membership_survival_chart": "charts",
    "method_note": "report",
    "model_clv": "clv",
    "model_clv_for_store": "report",
    "model_parameters": "report",
    "monthly_nps": "report",
    "newcombe_interval": "recovery",
    "nps_mix_chart": "charts",
    "nps_table": "survey",
    "nps_trend_chart": "charts",
    "period_retention": "report",
    "playbook_link": "report",
    "pooled_survival": "contractual",
    "recovery_chart": "charts",
    "recovery_customers": "recovery",
    "recovery_summary": "recovery",
    "relative_weights": "drivers",
    "repeat_purchase_rate": "retention",
    "respondent_gaps": "servqual",
    "sbg_fit": "contractual",
    "sbg_fit_counts": "contractual",
    "score_changes": "report",
    "score_summary": "report",
    "servqual_chart": "charts",
    "servqual_driver_frame": "drivers",
    "servqual_gaps": "servqual",
    "shapley_r2": "drivers",
    "simple_clv": "report",
    "store_clv": "report",
    "wilson_interval": "recovery",
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
