"""A client's own headers, codes and export shapes: the ``mapping.yaml`` of a data folder, read and checked.

The file has a section per table (``stores``, ``complaints``, ``surveys``, ``transactions``) and
may set the currency of the reports at the top level.  A section holds any of these keys (see
``data/README.md`` for an example of each)::

    currency: USD                        # reports show $ (default CNY, ¥)
    complaints:
      columns: {工单号: complaint_id}     # header in the file: canonical column
      values: {channel: {微信: chat}}     # value in the file: code of the column
      formats: {created_at: "%m/%d/%Y %H:%M"}   # the one date format of a column
      constants: {tier: normal}          # a column the export lacks, the same in every row
      durations:                         # a time written as a number of units after another
        first_response_at: {column: 首次响应分钟, unit: minutes, from: created_at}
      decimal: ","                       # numbers written 12,5 (default ".")
      sheet: 投诉明细                     # the sheet of a workbook to read
    transactions:
      line_items: {receipt: 小票号, amount: 金额}   # one line per item: summed per receipt

A section may also be plain ``header: column`` lines (the first version's shape), and a file
without sections applies its ``header: column`` lines to every table.

Everything is checked when the file is read, so a mistake is one :class:`~kit.core.errors.DataError`
naming the file, the entry, and the shape expected -- never a traceback: an entry of the wrong
shape (``columns:`` as a list, ``values:`` as a text), an unknown key, a column that is not one
of the table's, a value mapped to a code the column does not have, a format without a date, a
constant the column does not accept.  The file is read with
:func:`kit.core.store.parse_plain_yaml` (bounded work, every value as text: ``001`` stays
``001``).

Examples
--------
>>> m = read_mapping({"currency": "usd", "complaints": {"constants": {"tier": "一般"}}}, "complaints")
>>> m.constants, m.currency, currency_symbol(m.currency)
({'tier': 'normal'}, 'USD', '$')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kit.core.errors import DataError, Text
from kit.core.i18n import labels
from kit.core.store import YAML_MAX_BYTES, parse_plain_yaml
from kit.intake.schemas import (
    DURATION_UNITS,
    KINDS,
    TableSpec,
    category_table,
    check_frame,
    code_table,
    get_spec,
    norm_value,
)

__all__ = [
    "CURRENCY_SYMBOLS",
    "DEFAULT_CURRENCY",
    "Duration",
    "LineItems",
    "MAPPING_FILE",
    "SECTION_KEYS",
    "UserMapping",
    "currency_symbol",
    "read_mapping",
]

#: A mapping file in the data folder that :func:`kit.intake.load.load_chain` uses when no mapping
#: is given, so notebooks and ``kit run`` read a client's own headers without a parameter.
MAPPING_FILE = "mapping.yaml"

#: The keys of a table's section.
SECTION_KEYS = ("columns", "values", "formats", "constants", "durations", "line_items", "decimal", "sheet")
_TOP_KEYS = ("currency",)

#: The currency of the reports when the mapping file does not say.
DEFAULT_CURRENCY = "CNY"

#: Symbols of common currencies (ISO 4217 codes); other codes are shown as the code itself.
CURRENCY_SYMBOLS = {
    "CNY": "¥",
    "HKD": "HK$",
    "TWD": "NT$",
    "MOP": "MOP$",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "JP¥",
    "KRW": "₩",
    "SGD": "S$",
    "AUD": "A$",
    "CAD": "C$",
    "CHF": "CHF",
    "INR": "₹",
    "THB": "฿",
    "MYR": "RM",
    "VND": "₫",
}

_UNIT_WORDS = {
    "seconds": ("seconds", "second", "sec", "s", "秒", "秒钟"),
    "minutes": ("minutes", "minute", "min", "mins", "m", "分", "分钟"),
    "hours": ("hours", "hour", "h", "hrs", "小时", "时"),
    "days": ("days", "day", "d", "天", "日"),
}


def currency_symbol(code: str | None) -> str:
    """The symbol reports show for a currency code: ``CNY`` → ``¥``, ``USD`` → ``$``; unknown codes as themselves.

    Examples
    --------
    >>> currency_symbol("EUR"), currency_symbol(None), currency_symbol("NZD")
    ('€', '¥', 'NZD')
    """
    code = (code or DEFAULT_CURRENCY).upper()
    return CURRENCY_SYMBOLS.get(code, code)


@dataclass(frozen=True)
class Duration:
    """A time column written as a number of units after another time column.

    Attributes
    ----------
    column : str
        The header in the file holding the number (``首次响应分钟``).
    unit : {"seconds", "minutes", "hours", "days"}
    start : str
        The canonical time column it counts from (``created_at``).
    """

    column: str
    unit: str = "minutes"
    start: str = "created_at"


@dataclass(frozen=True)
class LineItems:
    """Transactions exported one line per item: the receipt number's header and the amount's."""

    receipt: str
    amount: str | None = None


@dataclass(frozen=True)
class UserMapping:
    """A user's mapping for one table (see the module docstring).

    Attributes
    ----------
    columns : dict
        ``{header in the file: canonical column}``.
    values : dict
        ``{column: {value in the file: code}}`` (codes checked against the column's).
    formats : dict
        ``{time column: strptime format}``.
    constants : dict
        ``{column: value}`` for columns the export lacks (values checked).
    durations : dict
        ``{time column: Duration}``.
    line_items : LineItems or None
    decimal : {".", ","}
    sheet : str or None
    currency : str
        ISO 4217 code of the money columns (top level of the file; default CNY).
    """

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    durations: dict[str, Duration] = field(default_factory=dict)
    line_items: LineItems | None = None
    decimal: str = "."
    sheet: str | None = None
    currency: str = DEFAULT_CURRENCY

    def headers(self) -> dict[str, str]:
        """Every ``{header: canonical}`` the mapping names: columns, durations and line items."""
        out = dict(self.columns)
        for name, duration in self.durations.items():
            out[duration.column] = name
        if self.line_items is not None:
            out[self.line_items.receipt] = "transaction_id"
            if self.line_items.amount:
                out[self.line_items.amount] = "amount"
        return out


# ----------------------------------------------------------------------------- shapes


class _Reader:
    """Checks one mapping document; every problem is a DataError naming the file and the entry."""

    def __init__(self, source: Path | None) -> None:
        self.source = source

    def fail(self, key: str, entry: str, **values: Any) -> DataError:
        return DataError.from_key(key, file=self.source, entry=entry or Text("io.shape.top_level"), **values)

    def shape(self, value: Any, entry: str, expected: str) -> DataError:
        return self.fail("io.error.mapping_shape", entry, expected=Text(f"io.shape.{expected}"), got=Text(_got(value)))

    def mapping(self, value: Any, entry: str, expected: str) -> dict[str, Any]:
        """``value`` as a dict with text keys (empty for an empty entry), else the shape error."""
        if value is None or value == "":
            return {}
        if not isinstance(value, Mapping):
            raise self.shape(value, entry, expected)
        for key in value:
            if not isinstance(key, str):
                raise self.fail("io.error.mapping_key_not_text", entry, name=repr(key))
        return dict(value)

    def text(self, value: Any, entry: str, expected: str = "text") -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or str(value).strip() == "":
            raise self.shape(value, entry, expected)
        return str(value).strip()

    def unknown(self, name: str, entry: str, known: tuple[str, ...] | list[str], hint: str | None = "") -> DataError:
        close = difflib.get_close_matches(name, list(known), n=1)
        return DataError.from_key(
            "io.error.mapping_unknown_key",
            hint=hint,
            file=self.source,
            entry=entry or Text("io.shape.top_level"),
            name=name,
            known=", ".join(known),
            close=Text("io.error.did_you_mean", {"name": close[0]}) if close else "",
        )


def _got(value: Any) -> str:
    if value is None or value == "":
        return "io.shape.got_empty"
    if isinstance(value, Mapping):
        return "io.shape.got_mapping"
    if isinstance(value, (list, tuple)):
        return "io.shape.got_list"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "io.shape.got_number"
    return "io.shape.got_text"


def _load(mapping: str | Path | Mapping[str, Any]) -> tuple[Any, Path | None]:
    if not isinstance(mapping, (str, Path)):
        return mapping, None
    path = Path(mapping)
    if not path.is_file():
        raise DataError.from_key("io.error.missing_file", file=path, hint="io.error.missing_file_hint", close="")
    with path.open("rb") as fh:
        raw = fh.read(YAML_MAX_BYTES + 1)
    import yaml

    try:
        data, _root = parse_plain_yaml(raw, file=path, error=DataError, text_only=True)
    except UnicodeDecodeError:
        raise DataError.from_key("io.error.mapping_not_utf8", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError.from_key(
            "io.error.bad_mapping", file=path, row=None if mark is None else mark.line + 1, detail=str(detail)
        ) from None
    return data, path


def read_mapping(mapping: str | Path | Mapping[str, Any] | None, kind: str) -> UserMapping:
    """Read and check a user mapping (YAML file or dict) and return its part for ``kind``.

    Accepted shapes: ``{kind: {columns: {...}, values: {...}, ...}}`` (see the module
    docstring), ``{kind: {header: column}}``, or a flat ``{header: column}``; an entry
    written the other way round (``column: header``) is accepted too.  Every section of the
    file is checked, not only ``kind``'s.

    Raises
    ------
    DataError
        Naming the file, the entry and the shape expected, for any mistake (see the module
        docstring).

    Examples
    --------
    >>> read_mapping({"complaints": {"工单号": "complaint_id"}}, "complaints").columns
    {'工单号': 'complaint_id'}
    >>> read_mapping({"complaints": {"values": {"channel": {"微信": "wechat"}}}}, "complaints")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kit.core.errors.DataError: complaints.values.channel: wechat is not a code of channel (known codes: phone, ...
    """
    if mapping is None:
        return UserMapping()
    get_spec(kind)  # an unknown kind is a ParameterError
    data, source = _load(mapping)
    reader = _Reader(source)
    if data is None or data == "":
        return UserMapping()
    top = reader.mapping(data, "", "top")
    currency = DEFAULT_CURRENCY
    if "currency" in top:
        code = reader.text(top["currency"], "currency", "currency").upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise reader.fail("io.error.mapping_bad_currency", "currency", value=code)
        currency = code
    body = {k: v for k, v in top.items() if k not in _TOP_KEYS}
    if any(k in KINDS for k in body):
        for key in body:
            if key not in KINDS:
                raise reader.unknown(key, "", (*KINDS, *_TOP_KEYS))
        sections = {k: body.get(k) for k in KINDS}
        wanted = None
    else:  # no sections: the same lines for every table (the first version's shape)
        sections = {kind: body}
        wanted = kind
    parsed = {}
    for name, section in sections.items():
        if section is None:
            parsed[name] = UserMapping(currency=currency)
            continue
        parsed[name] = _section(reader, name, section, currency, entry="" if wanted else name)
    return parsed[kind]


def _section(reader: _Reader, kind: str, section: Any, currency: str, entry: str) -> UserMapping:
    spec = get_spec(kind)
    names = spec.names
    sect = reader.mapping(section, entry, "section")
    dotted = (entry + ".") if entry else ""
    if any(k in SECTION_KEYS for k in sect):
        for key in sect:
            if key not in SECTION_KEYS:
                raise reader.unknown(key, entry, SECTION_KEYS, hint="io.error.mapping_unknown_key_hint")
        columns_raw = reader.mapping(sect.get("columns"), dotted + "columns", "columns")
    else:  # plain "header: column" lines; a list or mapping here is a misspelt key (colums:)
        for key, value in sect.items():
            if isinstance(value, (Mapping, list, tuple)):
                raise reader.unknown(key, entry, SECTION_KEYS)
        columns_raw = sect
    columns: dict[str, str] = {}
    for key, value in columns_raw.items():
        where = f"{dotted}columns.{key}" if "columns" in sect else f"{dotted}{key}"
        value = reader.text(value, where, "column_name")
        if value in names:
            columns[key] = value
        elif key in names:  # written the other way round: canonical: header
            columns[value] = key
        else:
            close = difflib.get_close_matches(value, sorted(names), n=1)
            raise reader.fail(
                "io.error.mapping_unknown_column",
                where,
                value=value,
                kind=kind,
                close=Text("io.error.did_you_mean", {"name": close[0]}) if close else "",
            )
    values = _values(reader, spec, sect.get("values"), dotted + "values")
    formats = _formats(reader, spec, sect.get("formats"), dotted + "formats")
    durations = _durations(reader, spec, sect.get("durations"), dotted + "durations")
    decimal = "."
    if "decimal" in sect:
        decimal = reader.text(sect["decimal"], dotted + "decimal", "decimal")
        if decimal not in (".", ","):
            raise reader.fail("io.error.mapping_bad_decimal", dotted + "decimal", value=decimal)
    constants = _constants(reader, spec, sect.get("constants"), dotted + "constants", decimal)
    line_items = None
    if sect.get("line_items") not in (None, ""):
        if kind != "transactions":
            raise reader.fail("io.error.mapping_line_items_kind", dotted + "line_items")
        items = reader.mapping(sect["line_items"], dotted + "line_items", "line_items")
        for key in items:
            if key not in ("receipt", "amount"):
                raise reader.unknown(key, dotted + "line_items", ("receipt", "amount"))
        if "receipt" not in items:
            raise reader.shape(items, dotted + "line_items", "line_items")
        amount = items.get("amount")
        line_items = LineItems(
            reader.text(items["receipt"], dotted + "line_items.receipt"),
            None if amount in (None, "") else reader.text(amount, dotted + "line_items.amount"),
        )
    sheet = None
    if sect.get("sheet") not in (None, ""):
        sheet = reader.text(sect["sheet"], dotted + "sheet")
    return UserMapping(columns, values, formats, constants, durations, line_items, decimal, sheet, currency)


def _time_columns(spec: TableSpec) -> list[str]:
    return [c.name for c in spec.columns if c.type in ("timestamp", "date")]


def _column_of(reader: _Reader, spec: TableSpec, name: str, entry: str) -> Any:
    try:
        return spec.column(name)
    except KeyError:
        close = difflib.get_close_matches(name, spec.names, n=1)
        raise reader.fail(
            "io.error.mapping_unknown_column",
            entry,
            value=name,
            kind=spec.kind,
            close=Text("io.error.did_you_mean", {"name": close[0]}) if close else "",
        ) from None


def _values(reader: _Reader, spec: TableSpec, raw: Any, entry: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    coded = [c.name for c in spec.columns if c.type in ("code", "category")]
    for name, table in reader.mapping(raw, entry, "values").items():
        where = f"{entry}.{name}"
        col = _column_of(reader, spec, name, where)
        if col.type not in ("code", "category"):
            raise reader.fail("io.error.mapping_not_code_column", where, name=name, columns=", ".join(coded))
        known = code_table(col.codes) if col.type == "code" else category_table()
        codes = list(labels(col.codes or "category", "en"))
        pairs: dict[str, str] = {}
        for value, code in reader.mapping(table, where, "value_map").items():
            code = reader.text(code, f"{where}.{value}", "code")
            found = known.get(norm_value(code))
            if found is None:
                raise reader.fail("io.error.mapping_unknown_code", where, code=code, name=name, known=", ".join(codes))
            pairs[value] = found
        out[name] = pairs
    return out


def _formats(reader: _Reader, spec: TableSpec, raw: Any, entry: str) -> dict[str, str]:
    out: dict[str, str] = {}
    times = _time_columns(spec)
    sample = datetime(2026, 11, 23, 14, 5, 6)
    for name, fmt in reader.mapping(raw, entry, "formats").items():
        where = f"{entry}.{name}"
        col = _column_of(reader, spec, name, where)
        if col.name not in times:
            raise reader.fail(
                "io.error.mapping_not_time_column", where, name=name, kind=spec.kind, known=", ".join(times)
            )
        fmt = reader.text(fmt, where, "format")
        try:
            ok = datetime.strptime(sample.strftime(fmt), fmt)
            good = all(d in fmt for d in ("%d",)) and any(d in fmt for d in ("%Y", "%y"))
            good = good and any(d in fmt for d in ("%m", "%b", "%B")) and ok.date() == sample.date()
        except ValueError:
            good = False
        if not good:
            raise reader.fail("io.error.mapping_bad_format", where, format=fmt)
        out[name] = fmt
    return out


def _unit(word: str) -> str | None:
    low = word.strip().lower()
    return next((unit for unit, words in _UNIT_WORDS.items() if low in words), None)


def _durations(reader: _Reader, spec: TableSpec, raw: Any, entry: str) -> dict[str, Duration]:
    out: dict[str, Duration] = {}
    stamps = [c.name for c in spec.columns if c.type == "timestamp"]
    for name, item in reader.mapping(raw, entry, "durations").items():
        where = f"{entry}.{name}"
        _column_of(reader, spec, name, where)
        if name not in stamps:
            raise reader.fail(
                "io.error.mapping_not_time_column", where, name=name, kind=spec.kind, known=", ".join(stamps)
            )
        body = reader.mapping(item, where, "duration")
        for key in body:
            if key not in ("column", "unit", "from"):
                raise reader.unknown(key, where, ("column", "unit", "from"))
        if "column" not in body:
            raise reader.shape(item, where, "duration")
        header = reader.text(body["column"], f"{where}.column", "duration")
        unit = _unit(reader.text(body.get("unit", "minutes"), f"{where}.unit", "unit"))
        if unit is None:
            raise reader.fail(
                "io.error.mapping_bad_unit", f"{where}.unit", unit=body.get("unit"), known=", ".join(DURATION_UNITS)
            )
        default = "created_at" if "created_at" in stamps else (stamps[0] if stamps else "")
        start = reader.text(body.get("from", default), f"{where}.from", "column_name")
        if start not in stamps or start == name:
            raise reader.fail(
                "io.error.mapping_not_time_column",
                f"{where}.from",
                name=start,
                kind=spec.kind,
                known=", ".join(s for s in stamps if s != name),
            )
        out[name] = Duration(header, unit, start)
    return out


def _constants(reader: _Reader, spec: TableSpec, raw: Any, entry: str, decimal: str) -> dict[str, str]:
    import pandas as pd

    out: dict[str, str] = {}
    for name, value in reader.mapping(raw, entry, "constants").items():
        where = f"{entry}.{name}"
        col = _column_of(reader, spec, name, where)
        value = reader.text(value, where, "constant")
        one = TableSpec(spec.kind, (col,), store_column=None)
        data, problems, _ = check_frame(pd.DataFrame({name: pd.array([value], dtype="str")}), one, decimal=decimal)
        if len(problems):
            raise reader.fail(
                "io.error.mapping_bad_constant",
                where,
                value=value,
                name=name,
                reason=Text.literal(problems["reason_zh"].iloc[0], problems["reason_en"].iloc[0]),
            )
        out[name] = str(data[name].iloc[0]) if col.type == "code" else value
    return out
