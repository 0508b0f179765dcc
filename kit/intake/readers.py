"""Reading export files as they come: CSV in any of the encodings Excel writes, xlsx sheets, parquet, folders."""

from __future__ import annotations

import codecs
import csv
import difflib
import io as _io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.core.errors import DataError, Text
from kit.core.files import REJECTS_SUFFIX
from kit.intake.schemas import norm_header

__all__ = [
    "CSV_SUFFIXES",
    "ENCODINGS",
    "EXCEL_SUFFIXES",
    "PARQUET_SUFFIXES",
    "RawTable",
    "SHEET_NAMES",
    "SUFFIXES",
    "detect_encoding",
    "input_files",
    "read_file",
]


#: File types read, by suffix.
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


PARQUET_SUFFIXES = (".parquet", ".pq")


SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES


#: Encodings tried, in this order (see the module docstring).
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")


#: Sheet names looked for when ``sheet`` is not given.
SHEET_NAMES = {
    "stores": ("stores", "门店", "门店信息", "门店表"),
    "complaints": ("complaints", "投诉", "投诉记录", "投诉明细", "工单"),
    "surveys": ("surveys", "问卷", "调查", "满意度调查"),
    "transactions": ("transactions", "交易", "销售", "交易记录", "订单"),
}


@dataclass
class RawTable:
    """One file as read: text (or typed) columns named ``c0..``, headers, source rows."""

    frame: pd.DataFrame
    headers: list[str]
    rows: np.ndarray
    file: Path
    sheet: str | None = None
    encoding: str | None = None
    invalid: list[tuple[int, str]] = field(default_factory=list)
    blank: int = 0


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
    raise DataError.from_key("io.error.encoding", file=path)


def _read_csv(path: Path, encoding: str | None = None) -> RawTable:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(b"PK\x03\x04"):
        raise DataError.from_key("io.error.zip_as_csv", file=path)
    if not head.replace(codecs.BOM_UTF8, b"").strip():
        raise DataError.from_key("io.error.empty_file", file=path)
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
        raise DataError.from_key("io.error.empty_file", file=path)
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
                skip_rows=1,
                column_names=names,
                use_threads=threads,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
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
        raise DataError.from_key("io.error.bad_csv", file=path, detail=str(exc).splitlines()[0][:200]) from None
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
    return _finish(RawTable(frame, header, rows, path, encoding=encoding, invalid=invalid))


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


def _read_excel(path: Path, sheet: str | int | None, kind: str) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataError.from_key("io.error.bad_workbook", file=path) from exc
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            wanted = {norm_header(s) for s in SHEET_NAMES.get(kind, ())}
            chosen = next((s for s in names if norm_header(s) in wanted), names[0])
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise DataError.from_key("io.error.unknown_sheet", file=path, sheet=str(sheet), sheets=", ".join(names))
            chosen = names[sheet]
        elif str(sheet) in names:
            chosen = str(sheet)
        else:
            close = [s for s in names if s.strip().lower() == str(sheet).strip().lower()]
            if close:
                chosen = close[0]
            else:
                raise DataError.from_key("io.error.unknown_sheet", file=path, sheet=str(sheet), sheets=", ".join(names))
        ws = wb[chosen]
        values = list(ws.iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()
    start = next((i for i, row in enumerate(values) if any(v is not None and str(v).strip() for v in row)), None)
    if start is None:
        raise DataError.from_key("io.error.empty_file", file=path, sheet=chosen)
    header_row = values[start]
    width = max((len(r) for r in values[start:]), default=0)
    while width and all(len(r) < width or r[width - 1] is None for r in values[start:]):
        width -= 1  # drop trailing columns that are empty everywhere
    header = [("" if h is None else str(_cell_text(h))).strip() for h in (tuple(header_row) + (None,) * width)[:width]]
    body = values[start + 1 :]
    padded = [tuple(r) + (None,) * (width - len(r)) if len(r) < width else tuple(r[:width]) for r in body]
    columns = list(zip(*padded)) if padded else [()] * width
    frame = pd.DataFrame(
        {
            f"c{i}": pd.array(_to_text(np.array(col, dtype=object)) if len(col) else [], dtype="str")
            for i, col in enumerate(columns)
        }
    )
    rows = np.arange(start + 2, start + 2 + len(body), dtype="int64")
    return _finish(RawTable(frame, header, rows, path, sheet=chosen))


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise DataError.from_key("io.error.bad_parquet", file=path, hint="io.error.bad_csv_hint") from exc
    header = [str(c) for c in frame.columns]
    frame.columns = [f"c{i}" for i in range(len(header))]
    rows = np.arange(2, len(frame) + 2, dtype="int64")
    return _finish(RawTable(frame.reset_index(drop=True), header, rows, path))


def _finish(raw: RawTable) -> RawTable:
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


def read_file(path: Path, sheet: str | int | None, kind: str) -> RawTable:
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DataError.from_key("io.error.empty_file", file=path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, kind)
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(path)
    if suffix == ".xls":
        raise DataError.from_key("io.error.old_excel", file=path)
    raise DataError.from_key("io.error.unknown_type", file=path, suffix=suffix or path.name)


def input_files(path: Path) -> list[Path]:
    if not path.exists():
        siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, siblings, n=1, cutoff=0.6)
        raise DataError.from_key(
            "io.error.missing_file",
            file=path,
            close=Text("io.error.did_you_mean_file", {"name": close[0]}) if close else "",
        )
    if path.is_file():
        return [path]
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not p.name.endswith(REJECTS_SUFFIX)
        and not p.name.startswith(("~$", "."))
    )
    if not files:
        raise DataError.from_key("io.error.empty_folder", file=path)
    return files
