"""What the team decides in the workshop (playbook chapters 01-02), saved as YAML: customer
types and RFM segments, KANO, service standards and business calendars, SMART verdicts, the
standards card, the quality goals, the workspace and its forms.

Every public name of the subpackage's modules can be imported from here (``from kit.workshop import
ANY``); the module holding it is imported on first use, so ``import kit.workshop`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "ANY": "standards",
    "AuthorityLimit": "standards",
    "CARD_MIME": "card",
    "CATEGORIES": "kano",
    "CLOCKS": "calendar",
    "CRITERIA": "smart",
    "CUSTOMER_TYPES_FILE": "workspace",
    "CalendarSettings": "standards",
    "CustomerType": "customer_types",
    "CustomerTypes": "customer_types",
    "CustomerTypesForm": "widgets",
    "DEFAULT_MARGIN": "kano",
    "DEFAULT_REVIEW_AFTER": "workspace",
    "DEFAULT_WORKSPACE": "session",
    "Directness": "customer_types",
    "EVALUATION_TABLE": "kano",
    "FAMILIES": "goals",
    "FONG_Z": "kano",
    "FollowUp": "standards",
    "GOALS_FILE": "goals",
    "GOAL_IDS": "goals",
    "GROUPS": "standards",
    "Group": "standards",
    "Holiday": "standards",
    "INDICATORS": "goals",
    "Indicator": "goals",
    "KanoCategory": "customer_types",
    "KanoResult": "kano",
    "KeyNeed": "customer_types",
    "MAX_GAIN_POINTS": "smart",
    "Metric": "standards",
    "OpeningHours": "standards",
    "PRIORITY": "kano",
    "Priority": "customer_types",
    "QualityGoals": "goals",
    "RESULT_COLUMNS": "kano",
    "ROLES": "standards",
    "Relation": "customer_types",
    "SEED_NEEDS": "customer_types",
    "SEGMENTS": "rfm",
    "SERVQUAL_DIMENSIONS": "standards",
    "SKILL_CATEGORIES": "goals",
    "SLUG": "customer_types",
    "STANDARDS_FILE": "workspace",
    "ServiceStandards": "standards",
    "ServqualDimension": "standards",
    "SlaRule": "standards",
    "SmartStandard": "standards",
    "Standards": "standards",
    "StandardsCard": "card",
    "StandardsForm": "widgets",
    "StoreCalendar": "calendar",
    "UNITS": "standards",
    "WEEKDAYS": "calendar",
    "Workshop": "session",
    "Workspace": "workspace",
    "add_business_minutes": "calendar",
    "add_customer_type": "customer_types",
    "assign_targets": "standards",
    "attach_kano": "customer_types",
    "better_worse_points": "kano",
    "business_minutes": "calendar",
    "calendar_minutes": "calendar",
    "calendars_from_stores": "calendar",
    "card_filename": "card",
    "check_name": "workspace",
    "china_official_days": "calendar",
    "classify": "kano",
    "create_workspace": "workspace",
    "deadlines": "calendar",
    "default_customer_types": "customer_types",
    "default_goals": "goals",
    "default_service_standards": "standards",
    "default_standards": "standards",
    "default_targets": "goals",
    "describe_feature": "kano",
    "elapsed_minutes": "calendar",
    "export_cards": "card",
    "feature_label": "kano",
    "format_target": "smart",
    "goals_note": "goals",
    "kano_analysis": "kano",
    "kano_counts": "kano",
    "kano_counts_long": "kano",
    "kano_evaluate": "kano",
    "kano_features": "kano",
    "kano_scatter": "kano",
    "kano_table": "kano",
    "label_offsets": "kano",
    "load_customer_types": "workspace",
    "load_goals": "goals",
    "load_standards": "workspace",
    "must_be_needs": "customer_types",
    "needs_to_text": "widgets",
    "open_workshop": "session",
    "open_workspace": "workspace",
    "parse_hours": "calendar",
    "project_root": "session",
    "remove_customer_type": "customer_types",
    "required_approver": "standards",
    "resolve_workspace": "session",
    "rfm_scores": "rfm",
    "rfm_segment": "rfm",
    "rfm_summary": "rfm",
    "rfm_table": "rfm",
    "rules_table": "standards",
    "save_customer_types": "workspace",
    "save_goals": "goals",
    "save_standards": "workspace",
    "segment_to_customer_type": "rfm",
    "sla_table": "session",
    "smart_display": "smart",
    "smart_verdict": "smart",
    "smart_verdicts": "smart",
    "standards_card_html": "card",
    "store_calendars": "standards",
    "text_to_needs": "widgets",
    "write_card": "session",
    "write_standards_card": "card",
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
