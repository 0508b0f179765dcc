"""Exports in, clean tables out: loaders for CSV/xlsx/parquet, the data dictionary's schemas,
date parsing, mapping files, row checks with rejects, ``kit validate`` and the sample chain.

Every public name of the subpackage's modules can be imported from here (``from kit.intake import
ARCHETYPES``); the module holding it is imported on first use, so ``import kit.intake`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "ARCHETYPES": "sample",
    "CATEGORIES": "sample",
    "CATEGORY_BASE_P": "sample",
    "CHANNELS": "sample",
    "CHANNEL_P": "sample",
    "CSV_SUFFIXES": "readers",
    "CURRENCY_SYMBOLS": "mapping",
    "Chain": "load",
    "ChainSpec": "sample",
    "ColType": "schemas",
    "Column": "schemas",
    "DATE_ONLY_MIN": "timeparse",
    "DEFAULT_CURRENCY": "mapping",
    "DURATION_UNITS": "schemas",
    "Duration": "mapping",
    "EMAIL_TARGET_MIN": "sample",
    "ENCODINGS": "readers",
    "EXCEL_ORIGIN": "timeparse",
    "EXCEL_SUFFIXES": "readers",
    "FORMATS": "timeparse",
    "GIVEN": "sample",
    "HeaderResolution": "schemas",
    "ID_COLUMNS": "load",
    "KANO_FEATURES": "sample",
    "KANO_FEATURES_ZH": "schemas",
    "KINDS": "schemas",
    "LOCAL_TZ": "timeparse",
    "LOCATIONS": "sample",
    "LineItems": "mapping",
    "LoadResult": "load",
    "MAPPING_FILE": "mapping",
    "MAX_COLUMNS": "readers",
    "MEMBERSHIP_STORES": "sample",
    "MEMBERSHIP_YEARS_BEFORE": "sample",
    "OPTIONAL_KINDS": "schemas",
    "PARQUET_SUFFIXES": "readers",
    "PROBLEM_COLUMNS": "schemas",
    "ParsedTimes": "timeparse",
    "REGIONS": "sample",
    "REJECT_COLUMNS": "load",
    "RawTable": "readers",
    "SAFE_NAME_MAX": "schemas",
    "SAMPLE_MONTHS": "sample",
    "SAMPLE_START": "sample",
    "SEASON": "sample",
    "SECTION_KEYS": "mapping",
    "SERVQUAL_DIMENSIONS": "sample",
    "SERVQUAL_DIMENSIONS_ZH": "schemas",
    "SERVQUAL_ITEM_DIM": "sample",
    "SHEET_NAMES": "readers",
    "SUFFIXES": "readers",
    "SURNAMES": "sample",
    "TABLE_MAX_CELLS": "readers",
    "TIERS": "sample",
    "TIER_P": "sample",
    "TIER_TARGET_MIN": "sample",
    "TableSpec": "schemas",
    "UNIT": "timeparse",
    "UserMapping": "mapping",
    "XLSX_MAX_BYTES": "readers",
    "XLSX_MAX_CELLS": "readers",
    "XLSX_MAX_PARTS": "readers",
    "XLSX_MAX_RATIO": "readers",
    "add_parser": "validate",
    "alias_index": "schemas",
    "category_table": "schemas",
    "chain_stores": "load",
    "check_frame": "schemas",
    "code_table": "schemas",
    "currency_symbol": "mapping",
    "describe": "schemas",
    "detect_encoding": "readers",
    "find_input": "load",
    "format_report": "validate",
    "generate_chain": "sample",
    "get_spec": "schemas",
    "input_files": "readers",
    "load_chain": "load",
    "load_table": "load",
    "norm_header": "schemas",
    "norm_value": "schemas",
    "parse_datetimes": "timeparse",
    "read_file": "readers",
    "read_mapping": "mapping",
    "reason_text": "schemas",
    "resolve_headers": "schemas",
    "validate_command": "validate",
    "values_fit": "schemas",
    "write_chain": "sample",
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
