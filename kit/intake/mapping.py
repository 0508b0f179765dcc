"""A client's own headers and codes: the ``mapping.yaml`` of a data folder, read and checked."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.core.errors import DataError
from kit.intake.schemas import KINDS, get_spec

__all__ = ["MAPPING_FILE", "UserMapping", "read_mapping"]


@dataclass(frozen=True)
class UserMapping:
    """A user's column mapping (``{header: canonical}``) and extra accepted values per column."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def read_mapping(mapping: str | Path | Mapping[str, Any] | None, kind: str) -> UserMapping:
    """Read a user mapping (YAML file or dict) for ``kind``.

    Accepted shapes: ``{kind: {columns: {...}, values: {...}}}``, ``{kind: {header: column}}``
    or a flat ``{header: column}``; an entry written the other way round (``column: header``)
    is accepted too.

    Examples
    --------
    >>> read_mapping({"complaints": {"工单号": "complaint_id"}}, "complaints").columns
    {'工单号': 'complaint_id'}
    """
    if mapping is None:
        return UserMapping()
    source = mapping
    if isinstance(mapping, (str, Path)):
        path = Path(mapping)
        if not path.is_file():
            raise DataError.from_key("io.error.missing_file", file=path, hint="io.error.missing_file_hint", close="")
        import yaml

        try:
            mapping = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise DataError.from_key("io.error.bad_mapping", file=path, detail=str(exc).splitlines()[0]) from None
    if not isinstance(mapping, Mapping):
        raise DataError.from_key(
            "io.error.bad_mapping", file=source if isinstance(source, (str, Path)) else None, detail="not a mapping"
        )
    section: Any = mapping
    if any(k in KINDS for k in mapping):
        section = mapping.get(kind) or {}
    if not isinstance(section, Mapping):
        raise DataError.from_key(
            "io.error.bad_mapping",
            file=source if isinstance(source, (str, Path)) else None,
            detail=f"{kind}: not a mapping",
        )
    columns = section.get("columns", section if "values" not in section else {})
    values = section.get("values", {}) or {}
    spec = get_spec(kind)
    names = set(spec.names)
    out: dict[str, str] = {}
    for key, value in (columns or {}).items():
        key, value = str(key), str(value)
        if value in names:
            out[key] = value
        elif key in names:  # written the other way round: canonical: header
            out[value] = key
        else:
            close = difflib.get_close_matches(value, sorted(names), n=1)
            detail = f"{key}: {value} — {value} is not a column of {kind}" + (
                f" (did you mean {close[0]}?)" if close else ""
            )
            raise DataError.from_key(
                "io.error.bad_mapping",
                file=source if isinstance(source, (str, Path)) else None,
                column=value,
                detail=detail,
            )
    vals = {str(c): {str(k): str(v) for k, v in (m or {}).items()} for c, m in values.items()}
    return UserMapping(out, vals)


#: A mapping file in the data folder that :func:`load_chain` uses when no mapping is given, so
#: notebooks and ``kit run`` read a client's own headers without a parameter.
MAPPING_FILE = "mapping.yaml"
