"""What every stage uses: errors, texts in two languages, atomic files, privacy masking, YAML
files with history, display helpers, table and period helpers, the charts' base.  Imports
nothing else of the kit.

Every public name of the subpackage's modules can be imported from here (``from kit.core import
ALERT``); the module holding it is imported on first use, so ``import kit.core`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "ALERT": "charts",
    "DARK": "charts",
    "DataError": "errors",
    "EMAIL_RE": "privacy",
    "EXIT_PARTIAL": "errors",
    "EXIT_UNUSABLE": "errors",
    "FORMULA_STARTS": "files",
    "HISTORY_DIR": "store",
    "ID_NUMBER_RE": "privacy",
    "KEEP_HISTORY": "store",
    "KitError": "errors",
    "LANGS": "catalog",
    "LIGHT": "charts",
    "MID": "charts",
    "PHONE_RE": "privacy",
    "PII_COLUMNS": "privacy",
    "ParameterError": "errors",
    "REJECTS_SUFFIX": "files",
    "RESERVED_NAMES": "paths",
    "RunError": "errors",
    "Tables": "display",
    "Text": "errors",
    "WorkspaceError": "errors",
    "YAML_MAX_BYTES": "store",
    "YAML_MAX_DEPTH": "store",
    "YAML_MAX_NODES": "store",
    "as_timestamp": "frames",
    "by_list": "frames",
    "cache_enabled": "cache",
    "cached": "cache",
    "catalogue": "catalog",
    "chart_texts": "charts",
    "check_lang": "i18n",
    "cjk_font_family": "charts",
    "clear_cache": "cache",
    "code_for": "i18n",
    "columns": "i18n",
    "data_files": "files",
    "enable_cache": "cache",
    "examples": "frames",
    "filter_period": "periods",
    "find_pii": "privacy",
    "folder_names": "paths",
    "format_p": "display",
    "format_share": "display",
    "format_values": "display",
    "frame_html": "display",
    "frame_key": "cache",
    "freeze_layout": "charts",
    "group_sums": "frames",
    "has_text": "catalog",
    "history": "store",
    "inside": "paths",
    "invalid": "validation",
    "is_safe_name": "paths",
    "label_of": "i18n",
    "labels": "i18n",
    "load_yaml_model": "store",
    "mask_email": "privacy",
    "mask_frame": "privacy",
    "mask_id_number": "privacy",
    "mask_name": "privacy",
    "mask_phone": "privacy",
    "mask_text": "privacy",
    "md_text": "display",
    "message_language": "errors",
    "neutralise": "files",
    "neutralise_cells": "files",
    "new_figure": "charts",
    "parse_dates": "frames",
    "parse_plain_yaml": "store",
    "previous_period": "periods",
    "problem": "validation",
    "problem_text": "validation",
    "require_column": "frames",
    "restore_previous": "store",
    "safe_div": "frames",
    "safe_name": "paths",
    "save_yaml_model": "store",
    "say": "display",
    "set_message_language": "errors",
    "setup_fonts": "charts",
    "setup_report": "display",
    "setup_tables": "display",
    "sha256_file": "files",
    "show": "charts",
    "slant_labels": "charts",
    "t": "i18n",
    "table": "display",
    "text": "catalog",
    "to_yaml": "store",
    "write_bytes": "files",
    "write_csv": "files",
    "write_json": "files",
    "write_text": "files",
    "z_value": "frames",
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
