"""Loading the chain's data: one front door for every notebook and the command line.

Real exports come as CSV saved by Excel on Chinese Windows (GB18030/GBK), UTF-8 with or without
a byte-order mark, ``.xlsx`` workbooks with several sheets, ``.parquet`` files, or a folder of
monthly files; headers are Chinese or English; some rows are wrong.  :func:`load_table` reads any
of them into the canonical layout of :mod:`kit.schemas` and never drops a row silently:

* **Encodings** are tried in the order ``utf-8-sig`` → ``utf-8`` → ``gb18030`` by *strict*
  decoding of the whole file (streamed in 1 MiB blocks): UTF-8 is self-checking, so a GB18030
  file is never mis-read as UTF-8, and GBK is never tried first (it cannot encode 䶮 and turns
  UTF-8 into mojibake such as 婊℃剰).  A file that is neither raises :class:`~kit.errors.DataError`.
* **CSV** is parsed by Apache Arrow's multi-threaded reader with every column as text (ids keep
  their leading zeros); a row with the wrong number of fields is rejected, not fatal.
* **Excel** is read with openpyxl (``sheet=`` selects a sheet; by default the sheet named after
  the kind, else the first); cell values are taken as text, dates as ISO text, serial numbers
  as numbers for :mod:`kit.timeparse`.
* **Headers** are matched to canonical names through the built-in Chinese/English aliases and an
  optional user mapping (YAML or dict); the mapping used is in :attr:`LoadResult.mapping`.
* **Rows** are checked by :func:`kit.schemas.check_frame` (whole-column operations).  Every bad
  row goes to a rejects file (``<name>.rejects.csv``, UTF-8 with BOM for Excel) with its row
  number as Excel shows it (header = row 1), the column, the value and the reason in Chinese
  and English, followed by the row's original values.  Always
  ``rows_read == rows_accepted + rows_rejected``.

Public API
----------
``load_table(kind, path, *, mapping=None, sheet=None, stores=None, rejects_dir=None, ...) -> LoadResult``
``load_chain(data_dir, *, mapping=None, rejects_dir=None, ces_scale=7) -> Chain``
``read_mapping(mapping, kind) -> UserMapping``
``detect_encoding(path) -> str``

A user mapping file looks like this (a section per kind, or just ``header: column`` lines)::

    complaints:
      columns:
        工单号: complaint_id
        受理渠道: channel
      values:
        channel: {微信: chat, 400热线: phone}

Examples
--------
>>> import tempfile
>>> from kit.sample import write_chain
>>> folder = tempfile.mkdtemp()
>>> _ = write_chain(folder, stores=2, months=1, seed=1)
>>> chain = load_chain(folder)
>>> chain.stores.data["store_id"].tolist()
['001', '002']
>>> chain.complaints.rows_rejected
0
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io as _io
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from kit.errors import DataError
from kit.files import write_csv
from kit.i18n import t
from kit.schemas import KINDS, check_frame, get_spec, norm_header, resolve_headers

#: File types read, by suffix.
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
#: Encodings tried, in this order (see the module docstring).
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
REJECTS_SUFFIX = ".rejects.csv"
#: Sheet names looked for when ``sheet`` is not given.
SHEET_NAMES = {
    "stores": ("stores", "门店", "门店信息", "门店表"),
    "complaints": ("complaints", "投诉", "投诉记录", "投诉明细", "工单"),
    "surveys": ("surveys", "问卷", "调查", "满意度调查"),
    "transactions": ("transactions", "交易", "销售", "交易记录", "订单"),
}
#: Columns of the rejects table before the row's original values.
REJECT_COLUMNS = ["source_file", "source_row", "column", "header", "value", "reason", "reason_zh", "reason_en", "detail"]

# Kept for callers of the first version.
ID_COLUMNS = {"store_id", "complaint_id", "customer_id", "response_id", "transaction_id", "customer_phone"}


def _err(key: str, *, file: Any = None, sheet: str | None = None, column: str | None = None,
         hint: str | None = None, **values: Any) -> DataError:
    """A :class:`DataError` whose texts come from ``io.error.<key>`` (and ``<hint>``)."""
    hint_key = hint or f"{key}_hint"
    values = {"column": column, "sheet": sheet, **values}
    try:
        hint_zh, hint_en = t(f"io.error.{hint_key}", "zh", **values), t(f"io.error.{hint_key}", "en", **values)
    except KeyError:
        hint_zh = hint_en = ""
    return DataError(t(f"io.error.{key}", "zh", **values), t(f"io.error.{key}", "en", **values),
                     file=None if file is None else str(file), sheet=sheet, column=column,
                     hint_zh=hint_zh, hint_en=hint_en)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LoadResult:
    """One loaded table: the accepted rows, the rejected rows with reasons, and the counts.

    Always ``rows_read == rows_accepted + rows_rejected``.

    Attributes
    ----------
    kind : str
    data : DataFrame
        Accepted rows in the canonical layout (:mod:`kit.schemas`), index 0..n-1.
    rejects : DataFrame
        One row per problem (:data:`REJECT_COLUMNS`, then the row's original values).
    rows_read : int
        Data rows in the source (blank rows not counted).
    source : Path
        The file or folder read.
    mapping : dict
        ``{header in the file: canonical column}`` actually used.
    rejects_path : Path or None
        Where the rejects were written (None when nothing was rejected).
    encoding, sheet : str or None
        The encoding detected (CSV) and the sheet read (Excel).
    blank_rows : int
        Completely empty rows that were skipped.
    unmapped : tuple of str
        Headers that are not canonical columns (kept as extra text columns).
    absent : tuple of str
        Optional canonical columns not in the file (added, empty).
    notes : tuple of (zh, en)
        Corrections the user should know about (e.g. store ids padded with zeros).
    origin : DataFrame or None
        ``source_file`` and ``source_row`` of every accepted row, aligned with ``data``.
    stores_checked : bool
        Whether store ids were checked against a stores file.
    """

    kind: str
    data: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    source: Path
    mapping: dict[str, str] = field(default_factory=dict)
    rejects_path: Path | None = None
    encoding: str | None = None
    sheet: str | None = None
    blank_rows: int = 0
    unmapped: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    origin: pd.DataFrame | None = None
    stores_checked: bool = False

    @property
    def rows_accepted(self) -> int:
        """Number of rows that passed every check."""
        return len(self.data)

    @property
    def rows_rejected(self) -> int:
        """Number of rows that went to the rejects file."""
        return self.rows_read - len(self.data)

    def reason_counts(self) -> pd.Series:
        """Number of problems per reason code, most frequent first."""
        if self.rejects.empty:
            return pd.Series(dtype="int64", name="count")
        return self.rejects["reason"].value_counts()

    def summary(self, lang: str = "en") -> str:
        """"N of M rows rejected — see <rejects file>" (or "all M rows passed") in ``lang``.

        Examples
        --------
        >>> import pandas as pd
        >>> from pathlib import Path
        >>> r = LoadResult("stores", pd.DataFrame({"a": [1]}), pd.DataFrame(), 3, Path("s.csv"),
        ...                rejects_path=Path("s.rejects.csv"))
        >>> r.summary("en")
        's.csv: 2 of 3 rows rejected — see s.rejects.csv'
        """
        if self.rows_rejected:
            return t("text.rejected_rows", lang, file=self.source.name, read=self.rows_read,
                     rejected=self.rows_rejected, rejects=self.rejects_path)
        return t("text.no_rejects", lang, file=self.source.name, read=self.rows_read)


@dataclass(frozen=True)
class Chain:
    """The four tables of a chain, each as a :class:`LoadResult`."""

    stores: LoadResult
    complaints: LoadResult
    surveys: LoadResult
    transactions: LoadResult

    def summary(self, lang: str = "en") -> list[str]:
        """One :meth:`LoadResult.summary` line per table."""
        lines = []
        for kind in KINDS:
            result = getattr(self, kind)
            lines.append(result.summary(lang))
            renamed = {h: c for h, c in result.mapping.items() if h != c}
            if renamed:
                pairs = ", ".join(f"{h} → {c}" for h, c in renamed.items())
                lines.append(t("text.mapping_used", lang, file=result.source.name, pairs=pairs))
        return lines


@dataclass(frozen=True)
class UserMapping:
    """A user's column mapping (``{header: canonical}``) and extra accepted values per column."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class _Raw:
    """One file as read: text (or typed) columns named ``c0..``, headers, source rows."""

    frame: pd.DataFrame
    headers: list[str]
    rows: np.ndarray
    file: Path
    sheet: str | None = None
    encoding: str | None = None
    invalid: list[tuple[int, str]] = field(default_factory=list)
    blank: int = 0


# ----------------------------------------------------------------------------- mapping


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
            raise _err("missing_file", file=path, hint="missing_file_hint", close="")
        import yaml

        try:
            mapping = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise _err("bad_mapping", file=path, detail=str(exc).splitlines()[0]) from None
    if not isinstance(mapping, Mapping):
        raise _err("bad_mapping", file=source if isinstance(source, (str, Path)) else None, detail="not a mapping")
    section: Any = mapping
    if any(k in KINDS for k in mapping):
        section = mapping.get(kind) or {}
    if not isinstance(section, Mapping):
        raise _err("bad_mapping", file=source if isinstance(source, (str, Path)) else None, detail=f"{kind}: not a mapping")
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
            detail = f"{key}: {value} — {value} is not a column of {kind}" + (f" (did you mean {close[0]}?)" if close else "")
            raise _err("bad_mapping", file=source if isinstance(source, (str, Path)) else None, column=value, detail=detail)
    vals = {str(c): {str(k): str(v) for k, v in (m or {}).items()} for c, m in values.items()}
    return UserMapping(out, vals)


# ----------------------------------------------------------------------------- reading


def detect_encoding(path: str | Path, block: int = 1 << 20) -> str:
    """The encoding of a text file: ``utf-8-sig``, ``utf-8`` or ``gb18030``, decided by strict
    decoding of the whole file (streamed), in that order.

    Raises
    ------
    DataError
        If the file decodes as none of them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("姓名\\n王䶮\\n".encode("gb18030"))
    >>> detect_encoding(p)
    'gb18030'
    """
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(4)
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8", "gb18030"]
    for enc in candidates:
        decoder = codecs.getincrementaldecoder(enc)(errors="strict")
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(block):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            continue
    raise _err("encoding", file=path)


def _read_csv(path: Path, encoding: str | None = None) -> _Raw:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(b"PK\x03\x04"):
        raise _err("zip_as_csv", file=path)
    if not head.replace(codecs.BOM_UTF8, b"").strip():
        raise _err("empty_file", file=path)
    if encoding is not None:
        pass
    elif head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:  # the head is UTF-8: Arrow's reader checks the rest strictly (invalid UTF-8 -> error)
            codecs.getincrementaldecoder("utf-8")(errors="strict").decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = detect_encoding(path)
    text = head.decode(encoding, errors="ignore")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max([",", "\t", ";", "|"], key=first_line.count) if first_line else ","
    if not first_line.count(delimiter):
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    header = next(csv.reader(_io.StringIO(text), delimiter=delimiter), [])
    header = [h.replace("\ufeff", "").strip() for h in header]
    if not any(header):
        raise _err("empty_file", file=path)
    names = [f"c{i}" for i in range(len(header))]

    def read(threads: bool) -> tuple[Any, list[Any]]:
        bad: list[Any] = []

        def on_invalid(row: Any) -> str:
            bad.append((row.number, row.text))
            return "skip"

        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding.startswith("utf-8") else encoding,
                skip_rows=1, column_names=names, use_threads=threads, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                              ignore_empty_lines=False, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                 null_values=[""]),
        )
        return table, bad

    try:
        table, bad = read(True)
        if bad and any(number is None for number, _ in bad):
            table, bad = read(False)  # row numbers of bad rows are only known single-threaded
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if encoding == "utf-8" and "UTF8" in str(exc).upper().replace("-", ""):
            detected = detect_encoding(path)  # UTF-8 at the start only: gb18030, or unreadable
            if detected != "utf-8":
                return _read_csv(path, detected)
        raise _err("bad_csv", file=path, detail=str(exc).splitlines()[0][:200]) from None
    frame = table.to_pandas()
    del table
    n_out = len(frame)
    # Record numbers as Excel shows them: header = 1; skipped (invalid) records keep theirs.
    bad_rows = np.array(sorted(int(b[0]) for b in bad), dtype="int64")
    rows = np.arange(2, n_out + len(bad_rows) + 2, dtype="int64")
    if len(bad_rows):
        rows = rows[~np.isin(rows, bad_rows)]
    rows = rows[:n_out]
    invalid = sorted((int(number), str(text)) for number, text in bad)
    return _finish(_Raw(frame, header, rows, path, encoding=encoding, invalid=invalid))


def _cell_text(value: Any) -> Any:
    """An Excel cell value as text (dates as ISO text; whole numbers without ``.0``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f" if value.microsecond else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


_to_text = np.frompyfunc(_cell_text, 1, 1)


def _excel_sheet_names(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _read_excel(path: Path, sheet: str | int | None, kind: str) -> _Raw:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _err("bad_workbook", file=path) from exc
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            wanted = {norm_header(s) for s in SHEET_NAMES.get(kind, ())}
            chosen = next((s for s in names if norm_header(s) in wanted), names[0])
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise _err("unknown_sheet", file=path, sheet=str(sheet), sheets=", ".join(names))
            chosen = names[sheet]
        elif str(sheet) in names:
            chosen = str(sheet)
        else:
            close = [s for s in names if s.strip().lower() == str(sheet).strip().lower()]
            if close:
                chosen = close[0]
            else:
                raise _err("unknown_sheet", file=path, sheet=str(sheet), sheets=", ".join(names))
        ws = wb[chosen]
        values = list(ws.iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()
    start = next((i for i, row in enumerate(values) if any(v is not None and str(v).strip() for v in row)), None)
    if start is None:
        raise _err("empty_file", file=path, sheet=chosen)
    header_row = values[start]
    width = max((len(r) for r in values[start:]), default=0)
    while width and all(len(r) < width or r[width - 1] is None for r in values[start:]):
        width -= 1  # drop trailing columns that are empty everywhere
    header = [("" if h is None else str(_cell_text(h))).strip() for h in (tuple(header_row) + (None,) * width)[:width]]
    body = values[start + 1:]
    padded = [tuple(r) + (None,) * (width - len(r)) if len(r) < width else tuple(r[:width]) for r in body]
    columns = list(zip(*padded)) if padded else [()] * width
    frame = pd.DataFrame({f"c{i}": pd.array(_to_text(np.array(col, dtype=object)) if len(col) else [], dtype="str")
                          for i, col in enumerate(columns)})
    rows = np.arange(start + 2, start + 2 + len(body), dtype="int64")
    return _finish(_Raw(frame, header, rows, path, sheet=chosen))


def _read_parquet(path: Path) -> _Raw:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise _err("bad_parquet", file=path, hint="bad_csv_hint") from exc
    header = [str(c) for c in frame.columns]
    frame.columns = [f"c{i}" for i in range(len(header))]
    rows = np.arange(2, len(frame) + 2, dtype="int64")
    return _finish(_Raw(frame.reset_index(drop=True), header, rows, path))


def _finish(raw: _Raw) -> _Raw:
    """Drop completely empty rows (counted in ``blank``) and columns with neither header nor data."""
    frame = raw.frame
    if len(frame.columns):
        empty = np.ones(len(frame), dtype=bool)
        for c in frame.columns:
            empty &= frame[c].isna().to_numpy(dtype=bool)
        if empty.any():
            raw.blank = int(empty.sum())
            frame = frame.loc[~empty].reset_index(drop=True)
            raw.rows = raw.rows[~empty]
    keep = [i for i, h in enumerate(raw.headers) if h or frame[f"c{i}"].notna().any()]
    if len(keep) < len(raw.headers):
        frame = frame[[f"c{i}" for i in keep]]
        frame.columns = [f"c{j}" for j in range(len(keep))]
        raw.headers = [raw.headers[i] for i in keep]
    raw.frame = frame
    return raw


def _read_file(path: Path, sheet: str | int | None, kind: str) -> _Raw:
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise _err("empty_file", file=path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, kind)
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(path)
    if suffix == ".xls":
        raise _err("old_excel", file=path)
    raise _err("unknown_type", file=path, suffix=suffix or path.name)


def _files(path: Path) -> list[Path]:
    if not path.exists():
        siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, siblings, n=1, cutoff=0.6)
        extra = {lang: t("io.error.did_you_mean_file", lang, name=close[0]) if close else "" for lang in ("zh", "en")}
        return_err = _err("missing_file", file=path, close="")
        return_err.hint_zh = t("io.error.missing_file_hint", "zh", close=extra["zh"])
        return_err.hint_en = t("io.error.missing_file_hint", "en", close=extra["en"])
        raise return_err
    if path.is_file():
        return [path]
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                   and not p.name.endswith(REJECTS_SUFFIX) and not p.name.startswith(("~$", ".")))
    if not files:
        raise _err("empty_folder", file=path)
    return files


# ----------------------------------------------------------------------------- loading


def _canonical(raw: _Raw, kind: str, user: UserMapping, ces_scale: int) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    spec = get_spec(kind, ces_scale)
    res = resolve_headers(raw.headers, spec, user.columns)
    if res.missing:
        name = res.missing[0]
        col = spec.column(name)
        found = res.suggestions.get(name)
        also = [m for m in res.missing[1:]]
        zh_extra = f"（另缺：{', '.join(also)}）" if also else ""
        en_extra = f" (also missing: {', '.join(also)})" if also else ""
        if found:
            hint_zh = t("io.error.did_you_mean_column", "zh", found=found, header=col.label_zh, column=name)
            hint_en = t("io.error.did_you_mean_column", "en", found=found, header=col.label_zh, column=name)
        else:
            hint_zh = t("io.error.missing_column_hint", "zh", header=col.label_zh)
            hint_en = t("io.error.missing_column_hint", "en", header=col.label_zh)
        raise DataError(t("io.error.missing_column", "zh", column=name, header=col.label_zh) + zh_extra,
                        t("io.error.missing_column", "en", column=name, header=col.label_zh) + en_extra,
                        file=str(raw.file), sheet=raw.sheet, column=name, hint_zh=hint_zh, hint_en=hint_en)
    if res.duplicates:
        name, headers = next(iter(res.duplicates.items()))
        raise _err("duplicate_column", file=raw.file, sheet=raw.sheet, column=name, headers=", ".join(headers))
    renamed: dict[str, str] = {}
    used: set[str] = set(res.mapping.values())
    for i, header in enumerate(raw.headers):
        if header in res.mapping:
            renamed[f"c{i}"] = res.mapping[header]
        else:
            base = header or f"unnamed_{i + 1}"
            name, k = base, 1
            while name in used:
                k += 1
                name = f"{base}.{k}"
            used.add(name)
            renamed[f"c{i}"] = name
    frame = raw.frame.rename(columns=renamed)
    return frame, dict(res.mapping), [renamed[f"c{i}"] for i, h in enumerate(raw.headers) if h not in res.mapping]


def _store_ids(stores: Any) -> list[str] | None:
    if stores is None:
        return None
    if isinstance(stores, LoadResult):
        return stores.data["store_id"].dropna().astype("str").tolist()
    if isinstance(stores, pd.DataFrame):
        return stores["store_id"].dropna().astype("str").tolist()
    if isinstance(stores, (str, Path)):
        return load_table("stores", stores, write_rejects=False).data["store_id"].dropna().tolist()
    return [str(s) for s in stores]


def _rejects_target(source: Path, rejects_dir: str | Path | None, rejects_file: str | Path | None) -> Path:
    if rejects_file is not None:
        return Path(rejects_file)
    folder = Path(rejects_dir) if rejects_dir is not None else source.parent
    stem = source.name if source.is_dir() else source.stem
    return folder / f"{stem}{REJECTS_SUFFIX}"


def load_table(
    kind: str,
    path: str | Path,
    *,
    mapping: str | Path | Mapping[str, Any] | None = None,
    sheet: str | int | None = None,
    stores: LoadResult | pd.DataFrame | Iterable[str] | str | Path | None = None,
    rejects_dir: str | Path | None = None,
    rejects_file: str | Path | None = None,
    write_rejects: bool = True,
    ces_scale: int = 7,
) -> LoadResult:
    """Read, map, convert and check one table of ``kind``.

    Parameters
    ----------
    kind : {"stores", "complaints", "surveys", "transactions"}
    path : str or Path
        A ``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.parquet`` file, or a folder of such files
        (e.g. one per month) read as one table.
    mapping : path, dict or None
        A user mapping (see the module docstring) for headers the built-in aliases miss.
    sheet : str or int, optional
        Excel sheet (name or 0-based position); by default the sheet named after ``kind``
        (``complaints`` / 投诉 …), else the first.
    stores : LoadResult, DataFrame, iterable of ids, or path, optional
        The stores; when given, every ``store_id`` must be one of them.
    rejects_dir, rejects_file : path, optional
        Where to write the rejects (default: ``<name>.rejects.csv`` next to the source).
    write_rejects : bool
        Write the rejects file (a stale one from an earlier run is removed when all rows pass).
    ces_scale : {7, 5}
        The declared CES scale of a surveys file.

    Returns
    -------
    LoadResult

    Raises
    ------
    DataError
        When the file cannot be used at all: missing, empty, header only, unreadable encoding,
        a required column missing, an unknown sheet, a broken workbook.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "stores.csv"
    >>> _ = p.write_text("门店编号,门店名称,门店英文名称,营业时间\\n001,上海徐汇店,Shanghai Xuhui,9:00-22:00\\n",
    ...                  encoding="utf-8-sig")
    >>> r = load_table("stores", p)
    >>> r.data.loc[0, ["store_id", "opening_hours"]].tolist(), r.mapping["门店编号"]
    (['001', '09:00-22:00'], 'store_id')
    """
    spec = get_spec(kind, ces_scale)
    source = Path(path)
    user = read_mapping(mapping, kind)
    files = _files(source)
    folder = source.is_dir()

    frames: list[pd.DataFrame] = []
    file_idx: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    mapping_used: dict[str, str] = {}
    header_of: dict[str, str] = {}
    unmapped: list[str] = []
    invalid: list[tuple[int, int, str]] = []
    blank = 0
    encodings: list[str] = []
    sheets: list[str] = []
    for k, file in enumerate(files):
        raw = _read_file(file, sheet, kind)
        if len(raw.frame) == 0 and not raw.invalid and not folder:
            raise _err("header_only", file=file, sheet=raw.sheet)
        frame, used, extra = _canonical(raw, kind, user, ces_scale)
        frames.append(frame)
        file_idx.append(np.full(len(frame), k, dtype="int32"))
        rows.append(raw.rows)
        mapping_used.update(used)
        for header, canon in used.items():
            header_of.setdefault(canon, header)
        unmapped += [u for u in extra if u not in unmapped]
        invalid += [(k, number, text) for number, text in raw.invalid]
        blank += raw.blank
        if raw.encoding:
            encodings.append(raw.encoding)
        if raw.sheet:
            sheets.append(raw.sheet)
    table = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    del frames
    n = len(table)
    if n == 0 and not invalid:
        raise _err("header_only", file=source)
    fidx = np.concatenate(file_idx)
    srow = np.concatenate(rows)
    names = np.array([f.name for f in files], dtype=object)

    def where(pos: np.ndarray) -> np.ndarray:
        label = ("row " + pd.Series(srow[pos]).astype("str")).to_numpy(dtype=object)
        return (names[fidx[pos]] + " " + label) if folder else label

    store_ids = _store_ids(stores)
    data, problems, notes = check_frame(table, spec, store_ids=store_ids, where=where, value_map=user.values)

    bad = np.zeros(n, dtype=bool)
    bad[problems["pos"].to_numpy(dtype="int64")] = True
    keep = ~bad
    accepted = data.loc[keep].reset_index(drop=True)
    origin = pd.DataFrame({"source_file": pd.Categorical.from_codes(fidx[keep], categories=list(names)) if n else pd.Categorical([]),
                           "source_row": srow[keep]})

    rejects = _rejects_table(problems, invalid, table, fidx, srow, names, header_of, spec.names, len(files))
    rows_read = n + len(invalid)
    target = _rejects_target(source, rejects_dir, rejects_file)
    written: Path | None = None
    if write_rejects:
        if len(rejects):
            try:
                written = write_csv(rejects, target)
            except OSError:
                written = write_csv(rejects, Path(tempfile.gettempdir()) / "kit-rejects" / target.name)
        elif target.name.endswith(REJECTS_SUFFIX) and target.is_file():
            target.unlink(missing_ok=True)  # stale rejects of an earlier run
    absent = tuple(c.name for c in spec.columns if not c.required and c.name not in header_of)
    return LoadResult(
        kind=kind, data=accepted, rejects=rejects, rows_read=rows_read, source=source,
        mapping=mapping_used, rejects_path=written, encoding=encodings[0] if encodings else None,
        sheet=sheets[0] if sheets else None, blank_rows=blank, unmapped=tuple(unmapped), absent=absent,
        notes=tuple(notes), origin=origin, stores_checked=store_ids is not None,
    )


def _rejects_table(problems: pd.DataFrame, invalid: list[tuple[int, int, str]], table: pd.DataFrame,
                   fidx: np.ndarray, srow: np.ndarray, names: np.ndarray, header_of: dict[str, str],
                   canonical: list[str], n_files: int) -> pd.DataFrame:
    """Problems + wrong-field-count rows, with source file/row and the row's original values."""
    pos = problems["pos"].to_numpy(dtype="int64")
    out = pd.DataFrame({
        "source_file": names[fidx[pos]] if len(pos) else np.array([], dtype=object),
        "source_row": srow[pos] if len(pos) else np.array([], dtype="int64"),
        "column": problems["column"].to_numpy(dtype=object),
        "header": problems["column"].map(lambda c: header_of.get(c, c)).to_numpy(dtype=object),
        "value": problems["value"].to_numpy(dtype=object),
        "reason": problems["reason"].to_numpy(dtype=object),
        "reason_zh": problems["reason_zh"].to_numpy(dtype=object),
        "reason_en": problems["reason_en"].to_numpy(dtype=object),
        "detail": problems["detail"].to_numpy(dtype=object),
        "_pos": pos,
    })
    if invalid:
        zh = t("io.reason.wrong_field_count", "zh", expected=len(header_of) or "?")
        en = t("io.reason.wrong_field_count", "en", expected=len(header_of) or "?")
        bad = pd.DataFrame({
            "source_file": [names[k] for k, _, _ in invalid], "source_row": [r for _, r, _ in invalid],
            "column": "", "header": "", "value": [text for _, _, text in invalid], "reason": "wrong_field_count",
            "reason_zh": zh, "reason_en": en, "detail": "", "_pos": -1,
        })
        out = pd.concat([out, bad], ignore_index=True)
    if out.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    order = {c: i for i, c in enumerate(canonical)}
    out["_col"] = out["column"].map(order).fillna(-1)
    out = out.sort_values(["source_file", "source_row", "_col"], kind="stable").reset_index(drop=True)
    # The rejected rows' own values, under their original headers.
    rows_pos = out["_pos"].to_numpy()
    have = rows_pos >= 0
    if have.any():
        original = table.iloc[rows_pos[have]].reset_index(drop=True)
        original = original.rename(columns={c: header_of.get(c, c) for c in original.columns})
        original = original.loc[:, ~original.columns.duplicated()]
        original.columns = [c if c not in REJECT_COLUMNS else f"{c} (file)" for c in original.columns]
        values = pd.DataFrame(index=out.index, columns=original.columns, dtype=object)
        values.loc[have] = original.astype(object).to_numpy()
        out = pd.concat([out, values], axis=1)
    out = out.drop(columns=["_pos", "_col"])
    if n_files == 1:
        out["source_file"] = out["source_file"].astype("str")
    return out


def _find(data_dir: Path, kind: str) -> Path:
    """The file (or folder) holding ``kind`` in ``data_dir``: ``<kind>.csv|.xlsx|.parquet`` or ``<kind>/``."""
    data_dir = Path(data_dir)
    for suffix in (".csv", ".xlsx", ".parquet"):
        candidate = data_dir / f"{kind}{suffix}"
        if candidate.exists():
            return candidate
    if (data_dir / kind).is_dir():
        return data_dir / kind
    raise _err("no_table", file=data_dir, kind=kind)


#: A mapping file in the data folder that :func:`load_chain` uses when no mapping is given, so
#: notebooks and ``kit run`` read a client's own headers without a parameter.
MAPPING_FILE = "mapping.yaml"


def load_chain(
    data_dir: str | Path,
    *,
    mapping: str | Path | Mapping[str, Any] | None = None,
    rejects_dir: str | Path | None = None,
    ces_scale: int = 7,
) -> Chain:
    """Load ``stores``, ``complaints``, ``surveys`` and ``transactions`` from ``data_dir``.

    Headers are mapped through ``mapping`` or, when it is None, through ``data_dir/mapping.yaml``
    if that file exists (see :func:`read_mapping` for its layout); :meth:`Chain.summary` lists
    the headers that were renamed.

    The stores are read first; the other tables' store ids are checked against them.  Each
    table may be a file (``complaints.csv`` / ``.xlsx`` / ``.parquet``) or a folder of monthly
    files (``complaints/``).

    Examples
    --------
    >>> import tempfile
    >>> from kit.sample import write_chain
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_chain(folder, stores=1, months=1, seed=3)
    >>> load_chain(folder).summary("en")[0]
    'stores.csv: all 1 rows passed the checks'
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise _err("no_folder", file=data_dir)
    if mapping is None and (data_dir / MAPPING_FILE).is_file():
        mapping = data_dir / MAPPING_FILE
    stores = load_table("stores", _find(data_dir, "stores"), mapping=mapping, rejects_dir=rejects_dir)
    others = {kind: load_table(kind, _find(data_dir, kind), mapping=mapping, stores=stores, rejects_dir=rejects_dir,
                               ces_scale=ces_scale)
              for kind in KINDS if kind != "stores"}
    return Chain(stores=stores, **others)
