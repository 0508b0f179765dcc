"""Reading export files as they come: CSV in any of the encodings Excel writes, xlsx sheets, parquet, folders.

Bounded work on any input
-------------------------
No file may make the kit use unbounded time or memory, so every reader checks what it is about
to read before reading it:

* **Width**: a table with more than :data:`MAX_COLUMNS` columns is refused before its body is
  parsed (CSV: the header line is counted; xlsx: the sheet's declared dimension; parquet: the
  schema), with the columns counted.
* **xlsx** is a zip file: before openpyxl opens it, the zip directory is checked -- at most
  :data:`XLSX_MAX_PARTS` members, at most :data:`XLSX_MAX_BYTES` unpacked in all, no member
  unpacking to more than :data:`XLSX_MAX_RATIO` times its packed size (the limit Apache POI
  uses against "zip bombs", ``ZipSecureFile.MIN_INFLATE_RATIO = 0.01``) -- and the chosen
  sheet may declare at most :data:`XLSX_MAX_CELLS` cells.  Rows are then streamed in chunks.
* **parquet**: at most :data:`TABLE_MAX_CELLS` cells (rows × columns, from the file's metadata).

No silent row loss
------------------
A CSV file's physical lines are counted from the raw bytes (``\\n``, ``\\r\\n`` and a lone
``\\r`` all end a line, so files saved by old Mac Excel with CR-only line ends are read) and
compared with what the parser made of them: every line is a record, a blank line, or a line
break inside a quoted value.  A quoted value that runs over lines which look like rows of their
own (as many delimiters as the header) -- the mark of a quote that was never closed -- rejects
its record (``unclosed_quote``) and every swallowed line is counted as a row read and rejected
(``swallowed_line``), with its line number.  A file that mixes line ends has the rows a lone CR
splits in two joined back into one rejected row (``broken_line_end``), so the row is counted once.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io as _io
import re
import zipfile
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
    "MAX_COLUMNS",
    "PARQUET_SUFFIXES",
    "RawTable",
    "SHEET_NAMES",
    "SUFFIXES",
    "TABLE_MAX_CELLS",
    "XLSX_MAX_BYTES",
    "XLSX_MAX_CELLS",
    "XLSX_MAX_PARTS",
    "XLSX_MAX_RATIO",
    "detect_encoding",
    "input_files",
    "read_file",
]

#: The widest table the kit reads (the surveys table, the widest, has 77 columns).
MAX_COLUMNS = 500
#: An xlsx file may unpack to at most this many bytes in all (its XML parts).
XLSX_MAX_BYTES = 1 << 30
#: No part of an xlsx file may unpack to more than this many times its packed size (Apache POI's
#: default limit, ``ZipSecureFile.MIN_INFLATE_RATIO = 0.01``); parts under 1 MiB are not checked.
XLSX_MAX_RATIO = 100
#: An xlsx file may hold at most this many parts (sheets, styles, ...).
XLSX_MAX_PARTS = 10_000
#: A sheet may declare at most this many cells (rows × columns): 1,000,000 rows × 20 columns.
XLSX_MAX_CELLS = 20_000_000
#: A parquet file may hold at most this many cells (rows × columns).
TABLE_MAX_CELLS = 250_000_000
#: Excel's own limit on rows.
_EXCEL_ROWS = 1_048_576
_RATIO_FLOOR = 1 << 20
#: The header line of a CSV file must end within this many bytes.
_HEADER_MAX_BYTES = 4 << 20


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
    """One file as read: text (or typed) columns named ``c0..``, headers, source rows.

    Attributes
    ----------
    frame : DataFrame
        The records, columns ``c0, c1, ...`` (blank records dropped, see ``blank``).
    headers : list of str
    rows : ndarray
        The row number of each record as Excel shows it (header = 1).
    invalid : list of (row, text, reason, detail)
        Records that could not be split into the header's fields (``wrong_field_count``),
        records that swallowed following lines through an unclosed quote (``unclosed_quote``)
        and the lines they swallowed (``swallowed_line``); each counts as a row read.
    unclosed : dict
        ``{row: (first line, last line)}`` of records that were parsed but whose value ran over
        lines that look like rows (a quote that is not closed): they are rejected.
    fields : int
        The number of fields of the file's header (before empty columns are dropped).
    mixed_line_ends : bool
        The file ends some lines with a lone CR and others with LF.
    delimiter : str or None
        The field delimiter of a CSV file.
    """

    frame: pd.DataFrame
    headers: list[str]
    rows: np.ndarray
    file: Path
    sheet: str | None = None
    encoding: str | None = None
    invalid: list[tuple[int, str, str, str]] = field(default_factory=list)
    blank: int = 0
    unclosed: dict[int, tuple[int, int]] = field(default_factory=dict)
    fields: int = 0
    mixed_line_ends: bool = False
    delimiter: str | None = None


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


def _too_wide(path: Path, n: int | str, sheet: str | None = None) -> DataError:
    return DataError.from_key(
        "io.error.too_many_columns",
        file=path,
        sheet=sheet,
        n=f"{n:,}" if isinstance(n, int) else n,
        limit=f"{MAX_COLUMNS:,}",
    )


def _head(path: Path) -> bytes:
    """The start of the file, long enough to hold its first line (at most :data:`_HEADER_MAX_BYTES`)."""
    size = 1 << 16
    with path.open("rb") as fh:
        head = fh.read(size)
        while not re.search(rb"[\r\n]", head) and len(head) == size and size < _HEADER_MAX_BYTES:
            more = fh.read(size)
            head += more
            size *= 2
            if not more:
                break
    return head


def _line_ends(path: Path, block: int = 1 << 24) -> tuple[int, int, int, bool]:
    """``(line ends, LF count, lone CR count, last byte ends a line)`` of a file, streamed.

    ``\\n``, ``\\r\\n`` and a ``\\r`` not followed by ``\\n`` each end one line.
    """
    lf = cr = crlf = 0
    prev_cr = False
    last = b""
    with path.open("rb") as fh:
        while chunk := fh.read(block):
            lf += chunk.count(b"\n")
            cr += chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (1 if prev_cr and chunk[:1] == b"\n" else 0)
            prev_cr = chunk.endswith(b"\r")
            last = chunk[-1:]
    return lf + cr - crlf, lf, cr - crlf, last in (b"\n", b"\r")


def _text_line_ends(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _column_line_ends(column: Any) -> np.ndarray:
    import pyarrow.compute as pc

    counts = [
        np.asarray(pc.count_substring(column, pattern).to_numpy(zero_copy_only=False), dtype="float64")
        for pattern in ("\n", "\r", "\r\n")
    ]
    return np.nan_to_num(counts[0] + counts[1] - counts[2]).astype("int64")


def _account_lines(
    path: Path, table: Any, bad: list[tuple[int, str]], header_lines: int, delimiter: str
) -> tuple[dict[int, tuple[int, int]], list[tuple[int, str, str, str]], bool]:
    """Compare the file's physical lines with the parsed records (see the module docstring).

    Parameters
    ----------
    table : pyarrow.Table
        The records parsed.
    bad : list of (row, text)
        The records the parser could not split into the header's fields.

    Returns
    -------
    unclosed : dict
        ``{row: (first line, last line)}`` of parsed records that swallowed following lines.
    invalid : list of (row, text, reason, detail)
        Every bad record, and every line swallowed by an unclosed quote.
    mixed : bool
        The file mixes lone-CR and LF line ends.

    Raises
    ------
    DataError
        When some lines are neither records, blank lines nor line breaks inside values.
    """
    ends, lf, lone_cr, final = _line_ends(path)
    physical = ends + (0 if final else 1) - header_lines
    n = table.num_rows
    records = n + len(bad)
    mixed = lone_cr > 0 and lf > 0
    if physical == records:  # the usual case: one line per record
        invalid = []
        for r, text in _join_broken(bad, len(table.column_names), delimiter, mixed):
            broken = "\x00broken" in text
            invalid.append(
                (r, text.replace("\x00broken", "\r"), "broken_line_end" if broken else "wrong_field_count", "")
            )
        return {}, invalid, mixed
    row_ends = np.zeros(n, dtype="int64")
    for column in table.columns:
        row_ends += _column_line_ends(column)
    bad_ends = np.array([_text_line_ends(text) for _, text in bad], dtype="int64")
    accounted = records + int(row_ends.sum()) + int(bad_ends.sum())
    if accounted != physical:
        raise DataError.from_key("io.error.lines_unaccounted", file=path, lines=physical, records=accounted)
    # Record numbers (header = 1) in file order, and the line each one starts on.
    bad_rows = np.array([number for number, _ in bad], dtype="int64")
    numbers = np.arange(2, records + 2, dtype="int64")
    is_bad = np.isin(numbers, bad_rows)
    spans = np.zeros(records, dtype="int64")
    spans[~is_bad] = row_ends
    spans[is_bad] = bad_ends[np.argsort(bad_rows, kind="stable")]
    first_line = header_lines + 1 + np.arange(records) + np.concatenate([[0], np.cumsum(spans)[:-1]])
    line_of = dict(zip(numbers.tolist(), first_line.tolist()))
    need = max(len(table.column_names) - 1, 2)  # delimiters of a line that is a row of its own
    unclosed: dict[int, tuple[int, int]] = {}
    invalid: list[tuple[int, str, str, str]] = []

    def swallowed(number: int, lines: list[str]) -> None:
        first = line_of[number]
        detail = f"lines {first}–{first + len(lines) - 1}"
        invalid.extend(
            (number, line, "swallowed_line", f"line {first + k}; {detail}")
            for k, line in enumerate(lines[1:], start=1)
            if line.strip()
        )

    for number, text in _join_broken(bad, len(table.column_names), delimiter, mixed):
        if "\x00broken" in text:
            invalid.append((number, text.replace("\x00broken", "\r"), "broken_line_end", ""))
            continue
        if re.search(r"[\r\n]", text):  # a record over several lines with the wrong fields: an unclosed quote
            lines = _LINE_BREAK.split(text)
            first = line_of[number]
            invalid.append((number, lines[0], "unclosed_quote", f"lines {first}–{first + len(lines) - 1}"))
            swallowed(number, lines)
        else:
            invalid.append((number, text, "wrong_field_count", ""))
    multi = np.flatnonzero(row_ends > 0)
    if len(multi):
        import pyarrow.compute as pc

        good_numbers = numbers[~is_bad]
        # A line after a line break holding as many delimiters as a row: tested by Arrow on the
        # whole column, so only the suspicious values reach Python.
        escaped = {"|": r"\|", "\t": r"\t"}.get(delimiter, delimiter)
        row_like = "(?:\r\n|\r|\n)(?:[^\r\n]*" + escaped + "){" + str(need) + "}"
        for column in table.columns:
            values = column.take(multi)
            hit = np.asarray(
                pc.fill_null(pc.match_substring_regex(values, row_like), False).to_numpy(zero_copy_only=False)
            )
            if not hit.any():
                continue
            for pos, value in zip(multi[hit].tolist(), values.filter(hit).to_pylist()):
                lines = _LINE_BREAK.split(value)
                number = int(good_numbers[pos])
                if number not in unclosed and any(line.count(delimiter) >= need for line in lines[1:]):
                    unclosed[number] = (line_of[number], line_of[number] + int(row_ends[pos]))
                    swallowed(number, lines)
    return unclosed, invalid, mixed


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _join_broken(bad: list[tuple[int, str]], fields: int, delimiter: str, mixed: bool) -> list[tuple[int, str]]:
    """Bad records in order, two consecutive ones joined back into one when the file mixes line
    ends and their fields add up to the header's: a lone CR broke one row in two (marked with a
    NUL placeholder where the CR was, for the caller)."""
    if not mixed:
        return bad
    out: list[tuple[int, str]] = []
    i = 0
    ordered = sorted(bad)
    while i < len(ordered):
        number, text = ordered[i]
        if i + 1 < len(ordered) and ordered[i + 1][0] == number + 1:
            nxt = ordered[i + 1][1]
            if text.count(delimiter) + nxt.count(delimiter) + 1 == fields:
                out.append((number, text + "\x00broken" + nxt))
                i += 2
                continue
        out.append((number, text))
        i += 1
    return out


def _read_csv(path: Path, encoding: str | None = None) -> RawTable:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    head = _head(path)
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
    lines = re.split(r"\r\n|\r|\n", text, maxsplit=1)
    first_line = lines[0]
    if len(lines) == 1 and len(head) >= _HEADER_MAX_BYTES:  # no line end in the first 4 MiB
        widest = max(first_line.count(d) for d in (",", "\t", ";", "|")) + 1
        raise _too_wide(path, f"{widest:,}+")
    delimiter = max([",", "\t", ";", "|"], key=first_line.count) if first_line else ","
    if not first_line.count(delimiter):
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if first_line.count(delimiter) + 1 > MAX_COLUMNS:  # refused before the body is parsed
        raise _too_wide(path, first_line.count(delimiter) + 1)
    header = next(csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter), [])
    header_lines = 1 + sum(_text_line_ends(h) for h in header)
    header = [h.replace("\ufeff", "").strip() for h in header]
    if not any(header):
        raise DataError.from_key("io.error.empty_file", file=path)
    if len(header) > MAX_COLUMNS:
        raise _too_wide(path, len(header))
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
                skip_rows=header_lines,  # lines (a quoted header may span several)
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
    bad = [(int(number) - (header_lines - 1), str(text)) for number, text in bad]  # header = row 1
    unclosed, invalid, mixed = _account_lines(path, table, bad, header_lines, delimiter)
    frame = table.to_pandas()
    del table
    n_out = len(frame)
    # Record numbers as Excel shows them: header = 1; skipped (invalid) records keep theirs.
    bad_rows = np.array(sorted(number for number, _ in bad), dtype="int64")
    rows = np.arange(2, n_out + len(bad_rows) + 2, dtype="int64")
    if len(bad_rows):
        rows = rows[~np.isin(rows, bad_rows)]
    rows = rows[:n_out]
    raw = RawTable(frame, header, rows, path, encoding=encoding, invalid=sorted(invalid, key=lambda r: r[0]))
    raw.unclosed, raw.fields, raw.mixed_line_ends, raw.delimiter = unclosed, len(header), mixed, delimiter
    return _finish(raw)


def _cell_text(value: Any, decimal: str = ".") -> Any:
    """An Excel cell value as text (dates as ISO text, a date without a time as ``YYYY-MM-DD``;
    whole numbers without ``.0``; other numbers with the ``decimal`` separator of the table)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        if value.microsecond:
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%Y-%m-%d")  # an Excel date without a fraction: no time of day
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", decimal) if decimal != "." else repr(value)
    return str(value)


_to_text = np.frompyfunc(_cell_text, 1, 1)
_to_text_comma = np.frompyfunc(lambda v: _cell_text(v, ","), 1, 1)


def _excel_sheet_names(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _check_workbook(path: Path) -> None:
    """Refuse a workbook whose zip directory promises unbounded work (see the module docstring)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError.from_key("io.error.bad_workbook", file=path) from exc
    if len(parts) > XLSX_MAX_PARTS:
        raise DataError.from_key(
            "io.error.xlsx_too_many_parts", file=path, n=f"{len(parts):,}", limit=f"{XLSX_MAX_PARTS:,}"
        )
    total = sum(p.file_size for p in parts)
    if total > XLSX_MAX_BYTES:
        raise DataError.from_key("io.error.xlsx_too_big", file=path, size=f"{total:,}", limit=f"{XLSX_MAX_BYTES:,}")
    for part in parts:
        if part.file_size > _RATIO_FLOOR and part.file_size > XLSX_MAX_RATIO * max(part.compress_size, 1):
            raise DataError.from_key(
                "io.error.xlsx_ratio",
                file=path,
                part=part.filename,
                ratio=f"{part.file_size // max(part.compress_size, 1):,}",
                limit=XLSX_MAX_RATIO,
            )


def _blank_sheet(ws: Any) -> bool:
    """A sheet with no cells (Excel's default Sheet2, Sheet3)."""
    if ws.max_row is None or ws.max_column is None:
        return False
    if ws.max_row > 1 or ws.max_column > 1:
        return False
    return all(v is None for row in ws.iter_rows(max_row=1, max_col=1, values_only=True) for v in row)


def _choose_sheet(wb: Any, path: Path, sheet: str | int | None, kind: str) -> str:
    names = list(wb.sheetnames)
    if sheet is None:
        visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
        wanted = {norm_header(s) for s in SHEET_NAMES.get(kind, ())}
        named = [s for s in visible if norm_header(s) in wanted]
        if named:
            return named[0]
        used = [s for s in visible if not _blank_sheet(wb[s])]
        if len(used) > 1:
            raise DataError.from_key(
                "io.error.several_sheets", file=path, kind=kind, sheets=", ".join(used), first=used[0]
            )
        if used:
            return used[0]
        return visible[0] if visible else names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise DataError.from_key("io.error.unknown_sheet", file=path, sheet=str(sheet), sheets=", ".join(names))
        return names[sheet]
    if str(sheet) in names:
        return str(sheet)
    close = [s for s in names if s.strip().lower() == str(sheet).strip().lower()]
    if close:
        return close[0]
    if str(sheet).strip().isdigit() and int(str(sheet).strip()) < len(names):  # "sheet: 1" in mapping.yaml
        return names[int(str(sheet).strip())]
    raise DataError.from_key("io.error.unknown_sheet", file=path, sheet=str(sheet), sheets=", ".join(names))


def _read_excel(path: Path, sheet: str | int | None, kind: str, decimal: str = ".") -> RawTable:
    import openpyxl

    _check_workbook(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataError.from_key("io.error.bad_workbook", file=path) from exc
    try:
        chosen = _choose_sheet(wb, path, sheet, kind)
        ws = wb[chosen]
        declared_rows, declared_cols = ws.max_row, ws.max_column
        if declared_cols is not None and declared_cols > MAX_COLUMNS:
            raise _too_wide(path, int(declared_cols), chosen)
        if declared_rows is not None and declared_cols is not None and declared_rows * declared_cols > XLSX_MAX_CELLS:
            raise DataError.from_key(
                "io.error.too_many_cells",
                file=path,
                sheet=chosen,
                rows=f"{declared_rows:,}",
                columns=f"{declared_cols:,}",
                cells=f"{declared_rows * declared_cols:,}",
                limit=f"{XLSX_MAX_CELLS:,}",
            )
        ws.reset_dimensions()  # rows as wide as their cells: a dimension that lies cannot hide columns
        header, columns, rows, blank = _stream_sheet(ws, path, chosen, decimal)
    finally:
        wb.close()
    frame = pd.DataFrame({f"c{i}": col for i, col in enumerate(columns)})
    raw = RawTable(frame, header, rows, path, sheet=chosen)
    raw.blank, raw.fields = blank, len(header)
    return _finish(raw)


def _stream_sheet(ws: Any, path: Path, sheet: str, decimal: str) -> tuple[list[str], list[Any], np.ndarray, int]:
    """The sheet's header and its non-blank rows as text columns, read in chunks (bounded memory).

    Rows are as wide as their last cell (the declared dimension was checked before, and is not
    trusted to cut rows); a value beyond :data:`MAX_COLUMNS` is refused, and so are more cells
    than twice :data:`XLSX_MAX_CELLS` (trailing empty cells included) or more rows than Excel has.
    """
    convert = _to_text_comma if decimal == "," else _to_text
    header: list[str] | None = None
    chunk: list[tuple] = []
    chunk_rows: list[int] = []
    parts: list[list[Any]] = []  # per chunk: one text array per column
    row_numbers: list[np.ndarray] = []
    blank = 0
    cells = 0
    width = 0

    def flush() -> None:
        if not chunk:
            return
        w = max(len(r) for r in chunk)
        padded = np.full((len(chunk), max(w, 1)), None, dtype=object)
        for i, r in enumerate(chunk):
            padded[i, : len(r)] = r
        parts.append([convert(padded[:, j]) for j in range(w)])
        row_numbers.append(np.array(chunk_rows, dtype="int64"))
        chunk.clear()
        chunk_rows.clear()

    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > _EXCEL_ROWS:
            raise DataError.from_key(
                "io.error.too_many_cells",
                file=path,
                sheet=sheet,
                rows=f"{number:,}+",
                columns="?",
                cells="?",
                limit=f"{XLSX_MAX_CELLS:,}",
            )
        cells += len(row)
        if cells > 2 * XLSX_MAX_CELLS:
            raise DataError.from_key(
                "io.error.too_many_cells",
                file=path,
                sheet=sheet,
                rows=f"{number:,}+",
                columns="?",
                cells=f"{cells:,}+",
                limit=f"{XLSX_MAX_CELLS:,}",
            )
        last = len(row)
        while last and (row[last - 1] is None or (isinstance(row[last - 1], str) and not row[last - 1].strip())):
            last -= 1
        if last == 0:
            if header is not None:
                blank += 1
            continue
        if last > MAX_COLUMNS:
            raise _too_wide(path, f"{last:,}", sheet)
        row = row[:last]
        if header is None:
            header = [("" if h is None else str(_cell_text(h))).strip() for h in row]
            continue
        width = max(width, last)
        chunk.append(row)
        chunk_rows.append(number)
        if len(chunk) * max(width, 1) >= 1_000_000:
            flush()
    flush()
    if header is None:
        raise DataError.from_key("io.error.empty_file", file=path, sheet=sheet)
    width = max(width, len(header))
    header = header + [""] * (width - len(header))
    columns: list[Any] = []
    for j in range(width):
        pieces = [
            part[j] if j < len(part) else np.full(len(numbers), None, dtype=object)
            for part, numbers in zip(parts, row_numbers)
        ]
        values = np.concatenate(pieces) if pieces else np.array([], dtype=object)
        columns.append(pd.array(values, dtype="str"))
    rows = np.concatenate(row_numbers) if row_numbers else np.array([], dtype="int64")
    return header, columns, rows, blank


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise DataError.from_key("io.error.bad_parquet", file=path, hint="io.error.bad_csv_hint") from exc
    if meta.num_columns > MAX_COLUMNS:
        raise _too_wide(path, int(meta.num_columns))
    if meta.num_rows * max(meta.num_columns, 1) > TABLE_MAX_CELLS:
        raise DataError.from_key(
            "io.error.too_many_cells",
            file=path,
            rows=f"{meta.num_rows:,}",
            columns=f"{meta.num_columns:,}",
            cells=f"{meta.num_rows * meta.num_columns:,}",
            limit=f"{TABLE_MAX_CELLS:,}",
        )
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise DataError.from_key("io.error.bad_parquet", file=path, hint="io.error.bad_csv_hint") from exc
    header = [str(c) for c in frame.columns]
    frame.columns = [f"c{i}" for i in range(len(header))]
    rows = np.arange(2, len(frame) + 2, dtype="int64")
    return _finish(RawTable(frame.reset_index(drop=True), header, rows, path, fields=len(header)))


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


def read_file(path: Path, sheet: str | int | None, kind: str, decimal: str = ".") -> RawTable:
    """Read one file as text columns (see :class:`RawTable`), with the checks of the module docstring.

    Parameters
    ----------
    path : Path
    sheet : str or int, optional
        Excel sheet (name or 0-based position); by default the visible sheet named after
        ``kind``, else the only visible sheet that is not blank.
    kind : str
    decimal : {".", ","}
        The decimal separator of the table: numeric Excel cells are written with it, so they
        read back as the number they are.
    """
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DataError.from_key("io.error.empty_file", file=path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet, kind, decimal)
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
